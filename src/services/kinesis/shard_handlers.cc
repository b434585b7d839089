// ListShards, with its NextToken, ExclusiveStartShardId and ShardFilter.
#include "engine/sequence_number.h"
#include "protocol/base64.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

constexpr int64_t kListShardsDefaultLimit = 1000;
constexpr int64_t kNextTokenLifetimeMs = 300'000;

struct ShardFilter {
  std::string type = "FROM_TRIM_HORIZON";
  std::string shard_id;
  std::optional<int64_t> timestamp_ms;
};

// Whether a shard is listed under the filter; `trim_ms` is the stream's retention cut-off.
bool selected(const engine::ShardInfo& s, const ShardFilter& f, int64_t trim_ms) {
  const std::optional<int64_t> end_ms = s.closed_ms;
  if (f.type == "AT_LATEST") return s.open();
  if (f.type == "AT_TRIM_HORIZON")
    return s.created_ms <= trim_ms ? (!end_ms || *end_ms >= trim_ms) : false;
  if (f.type == "AT_TIMESTAMP") {
    const int64_t t = f.timestamp_ms.value_or(0);
    return s.created_ms <= t && (!end_ms || *end_ms >= t);
  }
  if (f.type == "FROM_TIMESTAMP") {
    const int64_t t = std::max(f.timestamp_ms.value_or(0), trim_ms);
    return !end_ms || *end_ms >= t;
  }
  // FROM_TRIM_HORIZON and AFTER_SHARD_ID: every shard still within retention.
  return !end_ms || *end_ms >= trim_ms;
}

std::string encode_token(const engine::StreamKey& key, const std::string& last_shard,
                         const ShardFilter& filter, int64_t now) {
  json t = {{"a", key.account}, {"r", key.region}, {"n", key.name},
            {"s", last_shard},  {"t", now},        {"f", filter.type}};
  if (filter.timestamp_ms) t["ft"] = *filter.timestamp_ms;
  return protocol::base64_encode(t.dump());
}

}  // namespace

Result<Reply> list_shards(engine::Engine& engine, const RequestContext& ctx, json& request) {
  const std::string_view token = string_member(request, "NextToken");
  const int64_t limit = integer_member(request, "MaxResults").value_or(kListShardsDefaultLimit);
  engine::StreamKey key;
  ShardFilter filter;
  std::string after(string_member(request, "ExclusiveStartShardId"));

  if (!token.empty()) {
    if (!string_member(request, "StreamName").empty() ||
        !string_member(request, "StreamARN").empty()) {
      return make_error(errc::invalid_argument,
                        "NextToken and StreamName cannot be provided together.");
    }
    if (!after.empty()) {
      return make_error(errc::invalid_argument,
                        "NextToken and ExclusiveStartShardId cannot be provided together.");
    }
    auto raw = protocol::base64_decode(token);
    json t = raw.ok() ? json::parse(raw->begin(), raw->end(), nullptr, false) : json();
    if (!t.is_object() || !t.contains("n") || !t["n"].is_string() || !t.contains("t") ||
        !t["t"].is_number_integer() || !t.contains("s") || !t["s"].is_string()) {
      return make_error(errc::invalid_argument, "Invalid NextToken.");
    }
    if (engine.clock().now_ms() - t["t"].get<int64_t>() > kNextTokenLifetimeMs) {
      return make_error(errc::expired_next_token, "The NextToken has expired.");
    }
    key = {t.value("a", ctx.account), t.value("r", ctx.region), t["n"].get<std::string>()};
    after = t["s"].get<std::string>();
    filter.type = t.value("f", filter.type);
    if (t.contains("ft") && t["ft"].is_number_integer())
      filter.timestamp_ms = t["ft"].get<int64_t>();
  } else {
    auto k = stream_key(ctx, request);
    if (!k.ok()) return std::move(k).error();
    key = std::move(*k);
    if (auto it = request.find("ShardFilter"); it != request.end() && it->is_object()) {
      filter.type = std::string(string_member(*it, "Type"));
      filter.shard_id = std::string(string_member(*it, "ShardId"));
      filter.timestamp_ms = timestamp_ms_member(*it, "Timestamp");
      const bool wants_time = filter.type == "AT_TIMESTAMP" || filter.type == "FROM_TIMESTAMP";
      if (filter.type == "AFTER_SHARD_ID") {
        if (filter.shard_id.empty()) {
          return make_error(errc::invalid_argument,
                            "ShardFilter of type AFTER_SHARD_ID requires a ShardId.");
        }
        if (!after.empty()) {
          return make_error(errc::invalid_argument,
                            "ExclusiveStartShardId and a ShardFilter of type AFTER_SHARD_ID "
                            "cannot be provided together.");
        }
        after = filter.shard_id;
      } else if (!filter.shard_id.empty()) {
        return make_error(errc::invalid_argument,
                          "ShardFilter of type " + filter.type + " does not take a ShardId.");
      }
      if (wants_time && !filter.timestamp_ms) {
        return make_error(errc::invalid_argument,
                          "ShardFilter of type " + filter.type + " requires a Timestamp.");
      }
      if (!wants_time && filter.timestamp_ms) {
        return make_error(errc::invalid_argument,
                          "ShardFilter of type " + filter.type + " does not take a Timestamp.");
      }
    }
  }

  auto view = engine.describe_stream(key);
  if (!view.ok()) return std::move(view).error();
  if (view->status == engine::StreamStatus::creating) {
    return make_error(errc::resource_in_use, "Stream " + key.name + " under account " +
                                                 key.account +
                                                 " not ACTIVE, instead in state CREATING");
  }
  const int64_t now = engine.clock().now_ms();
  const int64_t trim_ms = now - int64_t{view->meta.retention_hours} * 3'600'000;

  json shards = json::array();
  std::string last;
  bool has_more = false;
  for (const engine::ShardInfo& shard : view->meta.shards) {
    const std::string id = engine::shard_id_of(shard.index);
    if (!after.empty() && id <= after) continue;
    if (!selected(shard, filter, trim_ms)) continue;
    if (static_cast<int64_t>(shards.size()) == limit) {
      has_more = true;
      break;
    }
    shards.push_back(shard_json(view->meta, shard));
    last = id;
  }
  Reply reply;
  reply.document = {{"Shards", std::move(shards)}};
  if (has_more) reply.document["NextToken"] = encode_token(key, last, filter, now);
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
