#pragma once
// The one place where engine and protocol errors become AWS's wire errors. The errors of the
// protocol itself (unreadable bodies, signatures, validation, limits of the front end) are the
// same for every AWS JSON service and live here; each service adds the names it gives the
// engines' errors in its ErrorTable (protocol/service_definition.h).

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kinesis_emulator::protocol {

struct AwsErrorShape {
  std::string_view type;  // the `__type` of the body
  unsigned http_status;
};

// The protocol's own errors; nullopt for an errc whose name belongs to the service.
std::optional<AwsErrorShape> common_error_shape(errc code);

// "message", or "Message" for a SerializationException, as AWS writes them.
std::string_view error_message_key(errc code);

// {"__type": "...", "message": "..."}
std::string json_error_body(const Error& error, std::string_view type);

}  // namespace kinesis_emulator::protocol
