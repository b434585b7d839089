// StartStreamEncryption, StopStreamEncryption.
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {
Status require_kms(const json& request) {
  if (string_member(request, "EncryptionType") != "KMS") {
    return make_error(errc::invalid_argument,
                      "EncryptionType " + std::string(string_member(request, "EncryptionType")) +
                          " is not supported; use KMS.");
  }
  return {};
}
}  // namespace

Result<Reply> start_stream_encryption(engine::Engine& engine, const RequestContext& ctx,
                                      json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  if (Status s = require_kms(request); !s.ok()) return std::move(s).error();
  if (Status s = engine.start_encryption(*key, string_member(request, "KeyId")); !s.ok()) {
    return std::move(s).error();
  }
  return Reply{};
}

Result<Reply> stop_stream_encryption(engine::Engine& engine, const RequestContext& ctx,
                                     json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  if (Status s = require_kms(request); !s.ok()) return std::move(s).error();
  if (Status s = engine.stop_encryption(*key); !s.ok()) return std::move(s).error();
  return Reply{};
}

}  // namespace kinesis_emulator::services::kinesis
