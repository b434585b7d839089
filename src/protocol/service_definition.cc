#include "protocol/service_definition.h"

namespace kinesis_emulator::protocol {

AwsErrorShape ErrorTable::shape(errc code) const {
  for (const ServiceError& e : errors_) {
    if (e.code == code) return {e.type, e.http_status};
  }
  if (auto common = common_error_shape(code)) return *common;
  return {"InternalFailure", 500};
}

}  // namespace kinesis_emulator::protocol
