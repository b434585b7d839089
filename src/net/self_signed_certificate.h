#pragma once
// A certificate for local TLS that clients can be told to trust: self-signed, for localhost,
// 127.0.0.1 and ::1, made once and kept, so that the file users point AWS_CA_BUNDLE or
// NODE_EXTRA_CA_CERTS at stays valid across restarts.

#include <string>

#include "common/status.h"

namespace kinesis_emulator::net {

struct CertificateFiles {
  std::string cert;   // PEM certificate, also the CA bundle clients trust
  std::string key;    // PEM private key (mode 0600)
  bool made = false;  // made by this call (rather than found)
};

// The certificate and key in `dir` (cert.pem, key.pem); made there first if either is missing.
Result<CertificateFiles> ensure_self_signed_certificate(const std::string& dir);

}  // namespace kinesis_emulator::net
