#pragma once
// The signature checks AWS's front end makes before it reads a request's members: a signature
// must be present, in the Authorization header or in the query string (a presigned URL), and it
// must name its parts. Signatures are not verified: any credentials work, as a local emulator's
// users expect.

#include "common/status.h"
#include "protocol/wire.h"

namespace kinesis_emulator::protocol {

// MissingAuthenticationToken, IncompleteSignature or InvalidSignature, worded as AWS words them.
Status check_signature_present(const WireRequest& request);

}  // namespace kinesis_emulator::protocol
