#pragma once
// Model-driven request validation, the way AWS's front end does it: type errors are a
// SerializationException; constraint violations (required, length, range, pattern, enum) are
// collected into one ValidationException whose message lists each of them.

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {

// Validates `request` (a decoded JSON or CBOR body) against `op.input`. On success every blob
// member holds binary (nlohmann::json::binary_t): base64 text from JSON is decoded in place, so
// handlers see one representation whatever the wire format; timestamps are numbers (epoch seconds).
Status validate_request(const Operation& op, nlohmann::json& request);

}  // namespace kinesis_emulator::protocol
