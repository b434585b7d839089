#include "engine/stream_meta_codec.h"

#include <nlohmann/json.hpp>

#include "common/uint128.h"
#include "storage/key_codec.h"

namespace kinesis_emulator::engine {

using nlohmann::json;

std::string stream_meta_key(uint64_t stream_id) {
  std::string key = "stream/";
  char id[8];
  storage::put_u64_be(id, stream_id);
  key.append(id, 8);
  return key;
}

std::string encode_stream_meta(const StreamMeta& meta) {
  json shards = json::array();
  for (const ShardInfo& s : meta.shards) {
    json j = {{"index", s.index},
              {"start", to_decimal(s.range.start)},
              {"end", to_decimal(s.range.end)},
              {"created_ms", s.created_ms},
              {"starting_position", s.starting_position}};
    if (s.parent) j["parent"] = *s.parent;
    if (s.adjacent_parent) j["adjacent_parent"] = *s.adjacent_parent;
    if (s.ending_position) j["ending_position"] = *s.ending_position;
    if (s.closed_ms) j["closed_ms"] = *s.closed_ms;
    shards.push_back(std::move(j));
  }
  json doc = {{"id", meta.id},
              {"account", meta.key.account},
              {"region", meta.key.region},
              {"name", meta.key.name},
              {"created_ms", meta.created_ms},
              {"retention_hours", meta.retention_hours},
              {"mode", to_string(meta.mode)},
              {"shards", std::move(shards)},
              {"shard_count_updates_ms", meta.shard_count_updates_ms},
              {"encryption_key_id", meta.encryption_key_id},
              {"max_record_kib", meta.max_record_kib}};
  if (meta.warm_throughput_mibps) doc["warm_throughput_mibps"] = *meta.warm_throughput_mibps;
  // Written only when not the default, so metadata of earlier versions reads the same.
  if (meta.distribution == RecordDistribution::automatic) doc["distribution"] = "AUTO";
  return doc.dump();
}

std::optional<StreamMeta> decode_stream_meta(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  try {
    StreamMeta meta;
    meta.id = doc.at("id").get<uint64_t>();
    meta.key.account = doc.at("account").get<std::string>();
    meta.key.region = doc.at("region").get<std::string>();
    meta.key.name = doc.at("name").get<std::string>();
    meta.created_ms = doc.at("created_ms").get<int64_t>();
    meta.retention_hours = doc.at("retention_hours").get<int>();
    meta.mode = doc.at("mode").get<std::string>() == "ON_DEMAND" ? StreamMode::on_demand
                                                                 : StreamMode::provisioned;
    for (const json& j : doc.at("shards")) {
      ShardInfo s;
      s.index = j.at("index").get<uint32_t>();
      auto start = parse_decimal_u128(j.at("start").get<std::string>());
      auto end = parse_decimal_u128(j.at("end").get<std::string>());
      if (!start || !end) return std::nullopt;
      s.range = {*start, *end};
      s.created_ms = j.at("created_ms").get<int64_t>();
      s.starting_position = j.at("starting_position").get<uint64_t>();
      if (j.contains("parent")) s.parent = j["parent"].get<uint32_t>();
      if (j.contains("adjacent_parent")) s.adjacent_parent = j["adjacent_parent"].get<uint32_t>();
      if (j.contains("ending_position")) s.ending_position = j["ending_position"].get<uint64_t>();
      if (j.contains("closed_ms")) s.closed_ms = j["closed_ms"].get<int64_t>();
      meta.shards.push_back(s);
    }
    meta.encryption_key_id = doc.value("encryption_key_id", std::string());
    meta.max_record_kib = doc.value("max_record_kib", 1024);
    if (doc.contains("warm_throughput_mibps")) {
      meta.warm_throughput_mibps = doc["warm_throughput_mibps"].get<int64_t>();
    }
    if (doc.value("distribution", std::string()) == "AUTO") {
      meta.distribution = RecordDistribution::automatic;
    }
    if (doc.contains("shard_count_updates_ms")) {
      meta.shard_count_updates_ms = doc["shard_count_updates_ms"].get<std::vector<int64_t>>();
    }
    return meta;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace kinesis_emulator::engine
