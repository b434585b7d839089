#pragma once
// What the protocol layer needs from an HTTP request and gives back, free of any HTTP library.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis_emulator::protocol {

struct WireRequest {
  std::string_view method;         // "POST"
  std::string_view target;         // request-target, e.g. "/" or "/?X-Amz-Credential=..."
  std::string_view amz_target;     // X-Amz-Target header
  std::string_view content_type;   // Content-Type header
  std::string_view authorization;  // Authorization header
  std::string body;
};

struct WireResponse {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  std::string request_id;
  // Further headers, e.g. x-amzn-ErrorType on errors answered in CBOR.
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace kinesis_emulator::protocol
