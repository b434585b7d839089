#pragma once
// Reading members of a request that the model validator has already checked for type.

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "engine/stream.h"
#include "protocol/request_context.h"

namespace kinesis_emulator::services::kinesis {

using nlohmann::json;

// The member as a string view, empty when absent.
std::string_view string_member(const json& request, std::string_view name);
std::optional<int64_t> integer_member(const json& request, std::string_view name);
// Binary content of a blob member (the validator turned base64 into binary).
std::string_view blob_member(const json& request, std::string_view name);
// Epoch milliseconds of a timestamp member (the validator normalised it to seconds).
std::optional<int64_t> timestamp_ms_member(const json& request, std::string_view name);

// The stream a request is about, from StreamName or StreamARN (which also names account and
// region); InvalidArgumentException when neither is given or they disagree.
Result<engine::StreamKey> stream_key(const protocol::RequestContext& ctx, const json& request);
Result<engine::StreamKey> stream_key(const protocol::RequestContext& ctx, std::string_view name,
                                     std::string_view arn);

// Seconds since the epoch with millisecond precision, as AWS's JSON timestamps are.
double epoch_seconds(int64_t ms);

}  // namespace kinesis_emulator::services::kinesis
