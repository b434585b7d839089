#pragma once
// The one place where engine and protocol errors become AWS's wire errors.

#include <string_view>

#include "common/status.h"

namespace kinesis_emulator::protocol {

struct AwsErrorShape {
  std::string_view type;  // the `__type` of the body
  unsigned http_status;
};

AwsErrorShape aws_error_shape(errc code);

// "message", or "Message" for a SerializationException, as AWS writes them.
std::string_view error_message_key(errc code);

// {"__type": "...", "message": "..."}
std::string json_error_body(const Error& error);

}  // namespace kinesis_emulator::protocol
