#include "engine/stream.h"

#include <algorithm>
#include <cstdio>

namespace kinesis_emulator::engine {

const char* to_string(StreamStatus status) {
  switch (status) {
    case StreamStatus::creating:
      return "CREATING";
    case StreamStatus::active:
      return "ACTIVE";
    case StreamStatus::updating:
      return "UPDATING";
    case StreamStatus::deleting:
      return "DELETING";
  }
  return "ACTIVE";
}

const char* to_string(StreamMode mode) {
  return mode == StreamMode::on_demand ? "ON_DEMAND" : "PROVISIONED";
}

std::string stream_arn(const StreamKey& key) {
  return "arn:aws:kinesis:" + key.region + ":" + key.account + ":stream/" + key.name;
}

std::string shard_id_of(uint32_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012u", index);
  return buf;
}

ShardState* Stream::route(uint128 hash_key) {
  // Open shards' ranges are disjoint and sorted by start within creation order; few shards per
  // stream, so a linear scan over open shards is as fast as a search and simpler.
  for (auto& shard : shards_) {
    if (shard->info.open() && shard->info.range.contains(hash_key)) return shard.get();
  }
  return nullptr;
}

}  // namespace kinesis_emulator::engine
