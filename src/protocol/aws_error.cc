#include "protocol/aws_error.h"

#include <nlohmann/json.hpp>

namespace kinesis_emulator::protocol {

AwsErrorShape aws_error_shape(errc code) {
  switch (code) {
    case errc::validation:
      return {"ValidationException", 400};
    case errc::serialization:
      return {"SerializationException", 400};
    case errc::unknown_operation:
      return {"UnknownOperationException", 400};
    case errc::missing_authentication_token:
      return {"MissingAuthenticationTokenException", 400};
    case errc::incomplete_signature:
      return {"IncompleteSignatureException", 400};
    case errc::invalid_signature:
      return {"InvalidSignatureException", 400};
    case errc::resource_not_found:
      return {"ResourceNotFoundException", 400};
    case errc::resource_in_use:
      return {"ResourceInUseException", 400};
    case errc::invalid_argument:
      return {"InvalidArgumentException", 400};
    case errc::expired_iterator:
      return {"ExpiredIteratorException", 400};
    case errc::expired_next_token:
      return {"ExpiredNextTokenException", 400};
    case errc::limit_exceeded:
      return {"LimitExceededException", 400};
    case errc::provisioned_throughput_exceeded:
      return {"ProvisionedThroughputExceededException", 400};
    case errc::access_denied:
      return {"AccessDeniedException", 400};
    case errc::dry_run:
      return {"DryRunOperationException", 400};
    case errc::request_entity_too_large:
      return {"RequestEntityTooLargeException", 413};
    case errc::internal_failure:
      return {"InternalFailure", 500};
    case errc::service_unavailable:
      return {"ServiceUnavailable", 503};
  }
  return {"InternalFailure", 500};
}

std::string_view error_message_key(errc code) {
  // The one error whose message AWS's JSON front end writes under a capital M.
  return code == errc::serialization ? "Message" : "message";
}

std::string json_error_body(const Error& error) {
  nlohmann::json body = {{"__type", aws_error_shape(error.code).type},
                         {error_message_key(error.code), error.message}};
  // Replace rather than throw on invalid UTF-8 echoed back from a request.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kinesis_emulator::protocol
