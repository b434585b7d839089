#pragma once
// The Kinesis Data Streams engine: streams, shards, records. Knows nothing about HTTP or JSON;
// every failure is returned as an Error whose message is AWS's wording for it.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "engine/stream.h"
#include "limiter/shard_limiter.h"
#include "storage/store.h"

namespace kinesis_emulator::engine {

inline constexpr int kMinRetentionHours = 24;
inline constexpr int kMaxRetentionHours = 8760;
inline constexpr int64_t kMaxRecordBytes = 1 << 20;  // default, data + partition key
inline constexpr int kDefaultMaxRecordKiB = 1024;
inline constexpr int kLargestMaxRecordKiB = 10240;        // UpdateMaxRecordSize's ceiling
inline constexpr int64_t kMaxPutRecordsBytes = 5 << 20;   // whole PutRecords request
inline constexpr int64_t kMaxGetRecordsBytes = 10 << 20;  // one GetRecords response
inline constexpr uint32_t kOnDemandDefaultShards = 4;

struct EngineOptions {
  int64_t create_delay_ms = 500;
  int64_t delete_delay_ms = 500;
  int64_t update_delay_ms = 500;
  uint32_t shard_limit = 500;  // open shards per account and region
  uint32_t on_demand_stream_limit = 50;
  limiter::ThroughputConfig throughput;  // per-shard limits, on by default like AWS
};

// The newer CreateStream members.
struct CreateStreamOptions {
  int max_record_kib = kDefaultMaxRecordKiB;
  std::optional<int64_t> warm_throughput_mibps;
  RecordDistribution distribution = RecordDistribution::user_partition_key;
  // ACTIVE at once instead of CREATING for the create delay (streams made at start-up): the
  // creation time is put back by that delay, as if it had passed.
  bool active_at_once = false;
};

struct StreamView {
  StreamMeta meta;
  std::string arn;
  StreamStatus status = StreamStatus::active;
  std::vector<ShardInfo> shards() const { return meta.shards; }
  uint32_t open_shard_count() const;
};

struct PutEntry {
  std::string_view partition_key;  // empty when absent (allowed only on AUTO streams)
  std::string_view data;
  std::optional<uint128> explicit_hash_key;
  std::string_view sequence_number_for_ordering;  // empty when absent
};

struct PutResult {
  uint32_t shard_index = 0;
  bool encrypted = false;
  std::string sequence_number;  // empty when the record failed (PutRecords only)
  std::string error_code;       // e.g. "ProvisionedThroughputExceededException"
  std::string error_message;
  bool failed() const { return !error_code.empty(); }
};

enum class IteratorType {
  trim_horizon,
  latest,
  at_sequence_number,
  after_sequence_number,
  at_timestamp
};

struct RecordOut {
  bool encrypted = false;
  std::string sequence_number;
  int64_t arrival_ms = 0;
  std::string_view partition_key;
  std::string_view data;
};

struct ChildShard {
  uint32_t index = 0;
  std::vector<uint32_t> parents;
  HashRange range;
};

struct GetRecordsResult {
  std::string next_shard_iterator;  // empty when the shard is closed and fully read
  int64_t millis_behind_latest = 0;
  std::size_t record_count = 0;
  std::vector<ChildShard> child_shards;  // set when the end of a closed shard was reached
};

struct AccountLimits {
  uint32_t shard_limit = 0;
  uint32_t open_shard_count = 0;
  uint32_t on_demand_stream_count = 0;
  uint32_t on_demand_stream_count_limit = 0;
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(const storage::StoreOptions& store_options,
                                              const EngineOptions& options, const Clock& clock);
  ~Engine();

  const std::string& storage_description() const { return store_->description(); }
  // For components that keep their own metadata beside the engine's (tags, consumers, ...).
  storage::Store& store() { return *store_; }
  const Clock& clock() const { return clock_; }

  // Control plane.
  Status create_stream(const StreamKey& key, uint32_t shard_count, StreamMode mode,
                       const CreateStreamOptions& create = {});
  Status delete_stream(const StreamKey& key);
  Result<StreamView> describe_stream(const StreamKey& key);
  std::vector<StreamView> list_streams(std::string_view account, std::string_view region);
  Status increase_retention(const StreamKey& key, int hours);
  Status decrease_retention(const StreamKey& key, int hours);
  AccountLimits describe_limits(std::string_view account, std::string_view region);

  // Resharding (engine_resharding.cc). Each leaves the stream UPDATING for update_delay_ms.
  Status split_shard(const StreamKey& key, std::string_view shard_id,
                     std::string_view new_starting_hash_key);
  Status merge_shards(const StreamKey& key, std::string_view shard_id,
                      std::string_view adjacent_shard_id);
  // Returns the open shard count before the change.
  Result<uint32_t> update_shard_count(const StreamKey& key, uint32_t target);
  Status update_stream_mode(const StreamKey& key, StreamMode mode);

  // Server-side encryption (engine_encryption.cc): records written while it is on are stored
  // AES-256-GCM encrypted under a data key per KMS key id.
  Status start_encryption(const StreamKey& key, std::string_view key_id);
  Status stop_encryption(const StreamKey& key);

  // Larger records (1 MiB to 10 MiB) and on-demand warm throughput.
  Status update_max_record_size(const StreamKey& key, int kib);
  Status update_warm_throughput(const StreamKey& key, int64_t mib_per_s);
  // UpdateStreamRecordDistributionStrategy: takes effect at once, with no UPDATING phase.
  Status update_record_distribution(const StreamKey& key, RecordDistribution distribution);

  // Data plane.
  Result<PutResult> put_record(const StreamKey& key, const PutEntry& entry);
  Result<std::vector<PutResult>> put_records(const StreamKey& key,
                                             std::span<const PutEntry> entries);
  Result<std::string> get_shard_iterator(const StreamKey& key, std::string_view shard_id,
                                         IteratorType type, std::string_view sequence_number,
                                         std::optional<int64_t> timestamp_ms);
  // Calls `emit` for each record, in order; at most `limit` records and about 10 MiB.
  Result<GetRecordsResult> get_records(std::string_view shard_iterator, uint32_t limit,
                                       const std::function<void(const RecordOut&)>& emit);

  // Housekeeping, run from a timer: drops records past retention and forgets deleted streams.
  Status trim_expired();

  // Parses "shardId-000000000001" (or a bare number, as AWS accepts) to an index.
  static std::optional<uint32_t> parse_shard_id(std::string_view shard_id);

 private:
  Engine(std::unique_ptr<storage::Store> store, const EngineOptions& options, const Clock& clock);
  Status load();

  StreamStatus status_of(const Stream& stream, int64_t now) const;
  bool gone(const Stream& stream, int64_t now) const;
  // Finds a stream that is not gone; ResourceNotFoundException otherwise.
  Result<std::shared_ptr<Stream>> find(const StreamKey& key);
  // As find(), and the stream must accept records (ACTIVE or UPDATING).
  Result<std::shared_ptr<Stream>> find_writable(const StreamKey& key);
  std::shared_ptr<Stream> find_by_id(uint64_t id);
  Status persist_meta(const StreamMeta& meta);
  Status change_retention(const StreamKey& key, int hours, bool increase);
  // Runs `change` on a draft of the stream's metadata with writers held off, then persists
  // and installs it. `change` validates and edits the draft (see topology.h).
  using TopologyChange = std::function<Status(StreamMeta& draft, int64_t now)>;
  Status reshard(const StreamKey& key, const TopologyChange& change);
  Error shard_limit_error(const StreamKey& key, uint32_t open_shards, uint32_t additional) const;
  uint32_t open_shards_in(std::string_view account, std::string_view region, int64_t now);
  Status load_data_keys();
  Result<const storage::DataKey*> data_key_for(std::string_view key_id);
  Error stream_not_found(const StreamKey& key) const;
  // `index`: the record's place in a PutRecords request, for the error's member path.
  Status check_record_size(const PutEntry& entry, std::optional<std::size_t> index,
                           int64_t max_bytes) const;
  uint64_t next_position(uint64_t last_position, uint32_t shard_index, const Stream& stream,
                         int64_t now, std::string_view sequence_number_for_ordering) const;

  static std::string registry_key(std::string_view account, std::string_view region,
                                  std::string_view name);

  std::unique_ptr<storage::Store> store_;
  EngineOptions options_;
  const Clock& clock_;
  limiter::ThroughputPolicy throughput_;  // before the streams, which refer to it

  std::mutex keys_mu_;  // data keys by KMS key id; never removed, so pointers stay valid
  std::map<std::string, std::unique_ptr<storage::DataKey>, std::less<>> data_keys_;
  uint32_t next_key_number_ = 1;
  std::string iterator_key_;

  std::shared_mutex registry_mu_;
  std::map<std::string, std::shared_ptr<Stream>, std::less<>> by_key_;
  std::unordered_map<uint64_t, std::shared_ptr<Stream>> by_id_;
  uint64_t next_stream_id_ = 1;  // guarded by registry_mu_ (exclusive)
};

}  // namespace kinesis_emulator::engine
