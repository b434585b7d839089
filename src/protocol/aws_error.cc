#include "protocol/aws_error.h"

#include <nlohmann/json.hpp>

namespace kinesis_emulator::protocol {

std::optional<AwsErrorShape> common_error_shape(errc code) {
  switch (code) {
    case errc::validation:
      return AwsErrorShape{"ValidationException", 400};
    case errc::serialization:
      return AwsErrorShape{"SerializationException", 400};
    case errc::unknown_operation:
      return AwsErrorShape{"UnknownOperationException", 400};
    case errc::missing_authentication_token:
      return AwsErrorShape{"MissingAuthenticationTokenException", 400};
    case errc::incomplete_signature:
      return AwsErrorShape{"IncompleteSignatureException", 400};
    case errc::invalid_signature:
      return AwsErrorShape{"InvalidSignatureException", 400};
    case errc::request_entity_too_large:
      return AwsErrorShape{"RequestEntityTooLargeException", 413};
    case errc::internal_failure:
      return AwsErrorShape{"InternalFailure", 500};
    case errc::service_unavailable:
      return AwsErrorShape{"ServiceUnavailable", 503};
    default:
      return std::nullopt;
  }
}

std::string_view error_message_key(errc code) {
  // The one error whose message AWS's JSON front end writes under a capital M.
  return code == errc::serialization ? "Message" : "message";
}

std::string json_error_body(const Error& error, std::string_view type) {
  nlohmann::json body = {{"__type", type}, {error_message_key(error.code), error.message}};
  // Replace rather than throw on invalid UTF-8 echoed back from a request.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kinesis_emulator::protocol
