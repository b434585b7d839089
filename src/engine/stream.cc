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

const char* to_string(RecordDistribution distribution) {
  return distribution == RecordDistribution::automatic ? "AUTO" : "USER_PARTITION_KEY";
}

std::string stream_arn(const StreamKey& key) {
  return "arn:aws:kinesis:" + key.region + ":" + key.account + ":stream/" + key.name;
}

std::string shard_id_of(uint32_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012u", index);
  return buf;
}

uint32_t StreamMeta::open_shard_count() const {
  return static_cast<uint32_t>(
      std::count_if(shards.begin(), shards.end(), [](const ShardInfo& s) { return s.open(); }));
}

std::vector<const ShardInfo*> StreamMeta::children_of(uint32_t index) const {
  std::vector<const ShardInfo*> out;
  for (const ShardInfo& s : shards) {
    if (s.parent == index || s.adjacent_parent == index) out.push_back(&s);
  }
  return out;
}

Stream::Stream(const StreamMeta& meta, const limiter::ThroughputPolicy& policy)
    : id(meta.id),
      key(meta.key),
      arn(stream_arn(meta.key)),
      meta_(meta),
      automatic_(meta.distribution == RecordDistribution::automatic),
      policy_(policy) {
  shards_.reserve(meta.shards.size());
  for (const ShardInfo& s : meta.shards) {
    shards_.push_back(std::make_unique<ShardState>(s, policy_, meta.mode));
  }
}

ShardState* Stream::route(uint128 hash_key) {
  // Few open shards per stream: a linear scan is as fast as a search and simpler.
  for (auto& shard : shards_) {
    if (!shard->closed.load(std::memory_order_relaxed) && shard->range.contains(hash_key)) {
      return shard.get();
    }
  }
  return nullptr;
}

ShardState* Stream::route_in_turn() {
  std::size_t open = 0;
  for (const auto& shard : shards_) open += shard->closed.load(std::memory_order_relaxed) ? 0 : 1;
  if (open == 0) return nullptr;
  std::size_t n = turn_.fetch_add(1, std::memory_order_relaxed) % open;
  for (auto& shard : shards_) {
    if (shard->closed.load(std::memory_order_relaxed)) continue;
    if (n-- == 0) return shard.get();
  }
  return nullptr;
}

void Stream::apply_topology(const StreamMeta& meta) {
  for (const ShardInfo& info : meta.shards) {
    if (info.index < shards_.size()) {
      ShardState& shard = *shards_[info.index];
      if (!info.open() && !shard.closed.load()) {
        shard.ending_position = *info.ending_position;
        shard.closed.store(true);
      }
    } else {
      shards_.push_back(std::make_unique<ShardState>(info, policy_, meta.mode));
    }
  }
  for (auto& shard : shards_) shard->limiter.set_mode(capacity_mode(meta.mode));
  set_meta(meta);
}

}  // namespace kinesis_emulator::engine
