#pragma once
// A stream's in-memory state. Control-plane fields are guarded by Stream::mu; each shard has
// its own append lock so writers to different shards never meet.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "engine/hash_key.h"
#include "limiter/shard_limiter.h"
#include "storage/record_cipher.h"

namespace kinesis_emulator::engine {

enum class StreamStatus { creating, active, updating, deleting };
enum class StreamMode { provisioned, on_demand };
// How records find their shard: by the partition key's hash (or ExplicitHashKey), or spread
// over the open shards by the service, ignoring both (AUTO, on-demand streams only).
enum class RecordDistribution { user_partition_key, automatic };

const char* to_string(StreamStatus status);
const char* to_string(StreamMode mode);
const char* to_string(RecordDistribution distribution);

// Streams live in a namespace of (account, region); the name is unique inside it.
struct StreamKey {
  std::string account;
  std::string region;
  std::string name;
};

std::string stream_arn(const StreamKey& key);
std::string shard_id_of(uint32_t index);  // "shardId-000000000007"

struct ShardInfo {
  uint32_t index = 0;
  HashRange range;
  int64_t created_ms = 0;
  uint64_t starting_position = 0;
  std::optional<uint32_t> parent;
  std::optional<uint32_t> adjacent_parent;
  std::optional<uint64_t> ending_position;  // set when the shard is closed by resharding
  std::optional<int64_t> closed_ms;
  bool open() const { return !ending_position.has_value(); }
};

inline limiter::CapacityMode capacity_mode(StreamMode mode) {
  return mode == StreamMode::on_demand ? limiter::CapacityMode::on_demand
                                       : limiter::CapacityMode::provisioned;
}

struct ShardState {
  ShardState(const ShardInfo& i, const limiter::ThroughputPolicy& policy, StreamMode mode)
      : index(i.index), range(i.range), limiter(policy, capacity_mode(mode)), closed(!i.open()) {
    if (i.ending_position) ending_position = *i.ending_position;
  }
  const uint32_t index;
  const HashRange range;
  limiter::ShardLimiter limiter;
  std::mutex append_mu;
  uint64_t last_position = 0;               // guarded by append_mu; 0 when never written
  std::atomic<uint64_t> last_published{0};  // last position whose write has completed
  // Set once, by resharding, with the topology lock held exclusively: no write is in flight.
  std::atomic<bool> closed{false};
  uint64_t ending_position = 0;  // valid once `closed`
};

// Everything about a stream that is persisted, apart from its records.
struct StreamMeta {
  uint64_t id = 0;
  StreamKey key;
  int64_t created_ms = 0;
  int retention_hours = 24;
  StreamMode mode = StreamMode::provisioned;
  std::vector<ShardInfo> shards;                 // by index; closed shards stay while readable
  std::vector<int64_t> shard_count_updates_ms;   // UpdateShardCount calls, for the 24 h quota
  std::string encryption_key_id;                 // KMS key id; empty: not encrypted
  int max_record_kib = 1024;                     // data + partition key, 1024..10240
  std::optional<int64_t> warm_throughput_mibps;  // on-demand streams only
  RecordDistribution distribution = RecordDistribution::user_partition_key;

  uint32_t open_shard_count() const;
  // Shards created by splitting or merging `index`.
  std::vector<const ShardInfo*> children_of(uint32_t index) const;
};

class Stream {
 public:
  Stream(const StreamMeta& meta, const limiter::ThroughputPolicy& policy);

  const uint64_t id;
  const StreamKey key;
  const std::string arn;

  // Snapshot of the persisted metadata.
  StreamMeta meta() const {
    std::lock_guard lock(mu_);
    return meta_;
  }
  int retention_hours() const {
    std::lock_guard lock(mu_);
    return meta_.retention_hours;
  }
  int64_t max_record_bytes() const {
    std::lock_guard lock(mu_);
    return int64_t{meta_.max_record_kib} * 1024;
  }
  int64_t created_ms() const {
    std::lock_guard lock(mu_);
    return meta_.created_ms;
  }
  // Replaces the metadata (already persisted) for changes that leave the shards alone.
  void set_meta(const StreamMeta& meta) {
    std::lock_guard lock(mu_);
    meta_ = meta;
    automatic_.store(meta.distribution == RecordDistribution::automatic);
  }
  // True while the stream spreads records itself (RecordDistribution::automatic).
  bool distributes_automatically() const { return automatic_.load(std::memory_order_relaxed); }

  // Deletion is visible (DELETING) for a while, then the stream is gone.
  void mark_deleting(int64_t now_ms) {
    std::lock_guard lock(mu_);
    deleting_since_ms_ = now_ms;
    deleted_.store(true);
  }
  std::optional<int64_t> deleting_since_ms() const {
    std::lock_guard lock(mu_);
    return deleting_since_ms_;
  }
  // True once DeleteStream ran: writers check it under their shard lock.
  bool deleted() const { return deleted_.load(); }

  // The stream shows UPDATING until this time after a topology or mode change.
  int64_t updating_until_ms() const { return updating_until_ms_.load(); }
  void set_updating_until_ms(int64_t ms) { updating_until_ms_.store(ms); }

  // The data key new records are encrypted under; null while encryption is off.
  const storage::DataKey* encryption_key() const { return encryption_key_.load(); }
  void set_encryption_key(const storage::DataKey* data_key) { encryption_key_.store(data_key); }

  // Writers hold the topology lock shared from routing until their write is done; resharding
  // holds it exclusively, so a write never lands in a shard that is being closed.
  std::shared_mutex& topology_mu() { return topology_mu_; }

  std::size_t shard_count() const {
    std::shared_lock lock(topology_mu_);
    return shards_.size();
  }
  // Shards are never removed while the stream lives, so the pointer stays valid.
  ShardState* shard(uint32_t index) {
    std::shared_lock lock(topology_mu_);
    return index < shards_.size() ? shards_[index].get() : nullptr;
  }
  // As shard() and shard_count(), for callers that hold topology_mu() already.
  ShardState* shard_held(uint32_t index) {
    return index < shards_.size() ? shards_[index].get() : nullptr;
  }
  std::size_t shard_count_held() const { return shards_.size(); }
  // The open shard whose hash range holds `hash_key`. Caller holds topology_mu() (shared).
  ShardState* route(uint128 hash_key);
  // The next open shard in turn, for streams that spread records themselves. Caller holds
  // topology_mu() (shared).
  ShardState* route_in_turn();

  // Installs a new topology (already persisted): closes shards, adds new ones. Caller holds
  // topology_mu() exclusively.
  void apply_topology(const StreamMeta& meta);

 private:
  mutable std::mutex mu_;
  StreamMeta meta_;
  std::optional<int64_t> deleting_since_ms_;
  std::atomic<bool> deleted_{false};
  std::atomic<bool> automatic_{false};
  std::atomic<uint64_t> turn_{0};  // route_in_turn()'s counter
  std::atomic<int64_t> updating_until_ms_{0};
  std::atomic<const storage::DataKey*> encryption_key_{nullptr};
  const limiter::ThroughputPolicy& policy_;
  mutable std::shared_mutex topology_mu_;
  std::vector<std::unique_ptr<ShardState>> shards_;  // by index; grows by resharding
};

}  // namespace kinesis_emulator::engine
