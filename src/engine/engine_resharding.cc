// Engine: SplitShard, MergeShards, UpdateShardCount and UpdateStreamMode.
#include <algorithm>
#include <mutex>

#include "engine/engine.h"
#include "engine/sequence_number.h"
#include "engine/stream_meta_codec.h"
#include "engine/topology.h"

namespace kinesis_emulator::engine {

namespace {

constexpr int64_t kDayMs = 24 * 3'600'000;
constexpr std::size_t kShardCountUpdatesPerDay = 10;

std::string in_stream(const StreamKey& key) {
  return " in stream " + key.name + " under account " + key.account;
}

// The open shard `shard_id` names in the draft, or the error AWS gives.
Result<uint32_t> open_shard(const StreamMeta& draft, const StreamKey& key,
                            std::string_view shard_id, const char* operation) {
  auto index = Engine::parse_shard_id(shard_id);
  if (!index || *index >= draft.shards.size()) {
    return make_error(errc::resource_not_found,
                      "Could not find shard " + std::string(shard_id) + in_stream(key) + ".");
  }
  if (!draft.shards[*index].open()) {
    return make_error(errc::resource_in_use,
                      "Shard " + shard_id_of(*index) + in_stream(key) +
                          " has already been merged or split, and thus is not eligible for " +
                          operation + ".");
  }
  return *index;
}

}  // namespace

Status Engine::reshard(const StreamKey& key, const TopologyChange& change) {
  auto found = find(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  const int64_t now = clock_.now_ms();
  const StreamStatus status = status_of(stream, now);
  if (status != StreamStatus::active) {
    return make_error(errc::resource_in_use, "Stream " + key.name + " under account " +
                                                 key.account + " not ACTIVE, instead in state " +
                                                 to_string(status));
  }

  // The account-wide shard count is taken before the stream's topology lock: open_shards_in()
  // reads every stream's metadata, this one's included.
  const uint32_t account_open = open_shards_in(key.account, key.region, now);
  std::unique_lock topology(stream.topology_mu());
  if (stream.deleted()) return stream_not_found(key);
  StreamMeta draft = stream.meta();
  const uint32_t open_before = draft.open_shard_count();
  const std::size_t count_before = draft.shards.size();
  if (Status s = change(draft, now); !s.ok()) return s;

  const uint32_t open_after = draft.open_shard_count();
  if (open_after > open_before &&
      static_cast<uint64_t>(account_open) + (open_after - open_before) > options_.shard_limit) {
    return shard_limit_error(key, account_open, open_after - open_before);
  }
  // Shards that were open and are closed now end at their last written position. No write is
  // in flight: writers hold the topology lock shared.
  for (std::size_t i = 0; i < count_before; ++i) {
    ShardInfo& info = draft.shards[i];
    ShardState* shard = stream.shard_held(static_cast<uint32_t>(i));
    if (!info.open() && !shard->closed.load()) {
      info.ending_position = std::max(shard->last_position, info.starting_position);
    }
  }
  if (Status s = persist_meta(draft); !s.ok()) return s;
  stream.apply_topology(draft);
  stream.set_updating_until_ms(now + options_.update_delay_ms);
  return {};
}

Status Engine::split_shard(const StreamKey& key, std::string_view shard_id,
                           std::string_view new_starting_hash_key) {
  return reshard(key, [&](StreamMeta& draft, int64_t now) -> Status {
    if (draft.mode == StreamMode::on_demand) {
      return make_error(errc::invalid_argument, "SplitShard is not supported for stream " +
                                                    key.name + " under account " + key.account +
                                                    " because it is in ON_DEMAND mode.");
    }
    auto index = open_shard(draft, key, shard_id, "splitting");
    if (!index.ok()) return std::move(index).error();
    const HashRange range = draft.shards[*index].range;
    auto hash = parse_decimal_u128(new_starting_hash_key);
    if (!hash || *hash <= range.start || *hash > range.end) {
      return make_error(errc::invalid_argument,
                        "NewStartingHashKey " + std::string(new_starting_hash_key) +
                            " used in SplitShard() on shard " + shard_id_of(*index) +
                            in_stream(key) + " is not both greater than the shard's " +
                            "StartingHashKey " + to_decimal(range.start) +
                            " and less than or equal to the shard's EndingHashKey " +
                            to_decimal(range.end) + ".");
    }
    draft_split(draft, *index, *hash, now);
    return {};
  });
}

Status Engine::merge_shards(const StreamKey& key, std::string_view shard_id,
                            std::string_view adjacent_shard_id) {
  return reshard(key, [&](StreamMeta& draft, int64_t now) -> Status {
    if (draft.mode == StreamMode::on_demand) {
      return make_error(errc::invalid_argument, "MergeShards is not supported for stream " +
                                                    key.name + " under account " + key.account +
                                                    " because it is in ON_DEMAND mode.");
    }
    auto a = open_shard(draft, key, shard_id, "merging");
    if (!a.ok()) return std::move(a).error();
    auto b = open_shard(draft, key, adjacent_shard_id, "merging");
    if (!b.ok()) return std::move(b).error();
    const HashRange ra = draft.shards[*a].range;
    const HashRange rb = draft.shards[*b].range;
    const bool adjacent = (ra.end != uint128_max && ra.end + 1 == rb.start) ||
                          (rb.end != uint128_max && rb.end + 1 == ra.start);
    if (*a == *b || !adjacent) {
      return make_error(errc::invalid_argument,
                        "Shards " + shard_id_of(*a) + " and " + shard_id_of(*b) + in_stream(key) +
                            " are not an adjacent pair of shards eligible for merging");
    }
    draft_merge(draft, *a, *b, now);
    return {};
  });
}

Result<uint32_t> Engine::update_shard_count(const StreamKey& key, uint32_t target) {
  uint32_t current = 0;
  Status s = reshard(key, [&](StreamMeta& draft, int64_t now) -> Status {
    if (draft.mode == StreamMode::on_demand) {
      return make_error(errc::invalid_argument, "UpdateShardCount is not supported for stream " +
                                                    key.name + " under account " + key.account +
                                                    " because it is in ON_DEMAND mode.");
    }
    current = draft.open_shard_count();
    const std::string prefix =
        "UpdateShardCount failed for stream " + key.name + " under account " + key.account + ". ";
    if (target > 2 * static_cast<uint64_t>(current)) {
      return make_error(errc::invalid_argument,
                        prefix + "The target shard count " + std::to_string(target) +
                            " is more than double the current open shard count " +
                            std::to_string(current) + ".");
    }
    if (2 * static_cast<uint64_t>(target) < current) {
      return make_error(errc::invalid_argument,
                        prefix + "The target shard count " + std::to_string(target) +
                            " is less than half the current open shard count " +
                            std::to_string(current) + ".");
    }
    auto& updates = draft.shard_count_updates_ms;
    std::erase_if(updates, [&](int64_t t) { return t <= now - kDayMs; });
    if (updates.size() >= kShardCountUpdatesPerDay) {
      return make_error(errc::limit_exceeded,
                        prefix + "The stream's shard count was already updated " +
                            std::to_string(updates.size()) +
                            " times in the last 24 hours, which is the limit.");
    }
    updates.push_back(now);
    draft_uniform_scaling(draft, target, now);
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return current;
}

Status Engine::update_stream_mode(const StreamKey& key, StreamMode mode) {
  return reshard(key, [&](StreamMeta& draft, int64_t) -> Status {
    if (draft.mode == mode) return {};
    if (mode == StreamMode::provisioned && draft.distribution == RecordDistribution::automatic) {
      return make_error(errc::invalid_argument,
                        "Stream " + key.name + " under account " + key.account +
                            " uses RecordDistributionStrategy AUTO, which PROVISIONED streams do "
                            "not support. Set it to USER_PARTITION_KEY first.");
    }
    if (mode == StreamMode::on_demand) {
      uint32_t on_demand = 0;
      for (const StreamView& v : list_streams(key.account, key.region)) {
        on_demand += v.meta.mode == StreamMode::on_demand ? 1 : 0;
      }
      if (on_demand >= options_.on_demand_stream_limit) {
        return make_error(errc::limit_exceeded,
                          "This request would exceed the on-demand stream limit for the account " +
                              key.account + " in " + key.region +
                              ". Limit: " + std::to_string(options_.on_demand_stream_limit) + ".");
      }
    }
    draft.mode = mode;
    return {};
  });
}

}  // namespace kinesis_emulator::engine
