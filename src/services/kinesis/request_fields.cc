#include "services/kinesis/request_fields.h"

#include <cmath>

namespace kinesis_emulator::services::kinesis {

namespace {
const json* find(const json& request, std::string_view name) {
  auto it = request.find(name);
  if (it == request.end() || it->is_null()) return nullptr;
  return &*it;
}
}  // namespace

std::string_view string_member(const json& request, std::string_view name) {
  const json* v = find(request, name);
  return v != nullptr && v->is_string() ? std::string_view(v->get_ref<const std::string&>())
                                        : std::string_view();
}

std::optional<int64_t> integer_member(const json& request, std::string_view name) {
  const json* v = find(request, name);
  if (v == nullptr || !v->is_number_integer()) return std::nullopt;
  return v->get<int64_t>();
}

std::string_view blob_member(const json& request, std::string_view name) {
  const json* v = find(request, name);
  if (v == nullptr || !v->is_binary()) return {};
  const auto& bytes = v->get_binary();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::optional<int64_t> timestamp_ms_member(const json& request, std::string_view name) {
  const json* v = find(request, name);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return static_cast<int64_t>(std::llround(v->get<double>() * 1000.0));
}

Result<engine::StreamKey> stream_key(const protocol::RequestContext& ctx, const json& request) {
  return stream_key(ctx, string_member(request, "StreamName"), string_member(request, "StreamARN"));
}

Result<engine::StreamKey> stream_key(const protocol::RequestContext& ctx, std::string_view name,
                                     std::string_view arn) {
  engine::StreamKey key{ctx.account, ctx.region, std::string(name)};
  if (!arn.empty()) {
    // arn:<partition>:kinesis:<region>:<account>:stream/<name>; the model checked the shape.
    std::string_view rest = arn;
    std::string_view parts[5];
    for (auto& part : parts) {
      const auto colon = rest.find(':');
      if (colon == std::string_view::npos) break;
      part = rest.substr(0, colon);
      rest.remove_prefix(colon + 1);
    }
    constexpr std::string_view kStreamPrefix = "stream/";
    if (parts[2] != "kinesis" || parts[3].empty() || parts[4].size() != 12 ||
        !rest.starts_with(kStreamPrefix) || rest.size() == kStreamPrefix.size()) {
      return make_error(errc::invalid_argument, "Invalid StreamARN " + std::string(arn) + ".");
    }
    const std::string_view arn_name = rest.substr(kStreamPrefix.size());
    if (!name.empty() && name != arn_name) {
      return make_error(
          errc::invalid_argument,
          "StreamARN " + std::string(arn) + " does not name stream " + std::string(name) + ".");
    }
    key.region = parts[3];
    key.account = parts[4];
    key.name = arn_name;
  }
  if (key.name.empty()) {
    return make_error(errc::invalid_argument, "Either StreamName or StreamARN must be provided.");
  }
  return key;
}

double epoch_seconds(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace kinesis_emulator::services::kinesis
