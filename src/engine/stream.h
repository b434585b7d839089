#pragma once
// A stream's in-memory state. Control-plane fields are guarded by Stream::mu; each shard has
// its own append lock so writers to different shards never meet.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/hash_key.h"

namespace kinesis_emulator::engine {

enum class StreamStatus { creating, active, updating, deleting };
enum class StreamMode { provisioned, on_demand };

const char* to_string(StreamStatus status);
const char* to_string(StreamMode mode);

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
  bool open() const { return !ending_position.has_value(); }
};

struct ShardState {
  explicit ShardState(ShardInfo i) : info(std::move(i)) {}
  const ShardInfo info;
  std::mutex append_mu;
  uint64_t last_position = 0;               // guarded by append_mu; 0 when never written
  std::atomic<uint64_t> last_published{0};  // last position whose write has completed
};

// Everything about a stream that is persisted, apart from its records.
struct StreamMeta {
  uint64_t id = 0;
  StreamKey key;
  int64_t created_ms = 0;
  int retention_hours = 24;
  StreamMode mode = StreamMode::provisioned;
  std::vector<ShardInfo> shards;
};

class Stream {
 public:
  Stream(StreamMeta meta) : id(meta.id), key(meta.key), arn(stream_arn(meta.key)), meta_(meta) {
    shards_.reserve(meta.shards.size());
    for (const ShardInfo& s : meta.shards) shards_.push_back(std::make_unique<ShardState>(s));
  }

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
  void set_retention_hours(int hours) {
    std::lock_guard lock(mu_);
    meta_.retention_hours = hours;
  }
  int64_t created_ms() const { return meta_created_ms_(); }

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

  std::size_t shard_count() const { return shards_.size(); }
  ShardState* shard(uint32_t index) {
    return index < shards_.size() ? shards_[index].get() : nullptr;
  }
  // The open shard whose hash range holds `hash_key`.
  ShardState* route(uint128 hash_key);

 private:
  int64_t meta_created_ms_() const {
    std::lock_guard lock(mu_);
    return meta_.created_ms;
  }

  mutable std::mutex mu_;
  StreamMeta meta_;
  std::optional<int64_t> deleting_since_ms_;
  std::atomic<bool> deleted_{false};
  std::vector<std::unique_ptr<ShardState>> shards_;  // fixed after construction
};

}  // namespace kinesis_emulator::engine
