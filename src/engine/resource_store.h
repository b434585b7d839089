#pragma once
// What hangs off a stream without touching its records: tags (of streams and of consumers),
// enhanced fan-out consumers, resource policies and enhanced-monitoring settings; and the
// account's settings. Kept beside the engine's metadata under keys of its own ("res/..."), with
// an in-memory copy loaded at start-up and guarded by one mutex (this is the control plane).
//
// Everything belonging to a stream is stamped with the stream's internal id. A stream that is
// deleted and created again under the same name has a new id, so whatever belonged to the old
// one is never shown for the new one, even if forget_stream() was never called (crash between
// the two writes): it is dropped the first time it is noticed, and at start-up.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "engine/engine.h"
#include "engine/stream.h"
#include "storage/store.h"

namespace kinesis_emulator::engine {

inline constexpr std::size_t kMaxTagsPerResource = 50;
inline constexpr std::size_t kMaxConsumersPerStream = 20;
inline constexpr std::size_t kMaxCreatingConsumers = 5;
inline constexpr int64_t kBillingCommitmentMinimumMs = 24 * 3'600'000;

// Tags as (key, value), sorted by key.
using TagList = std::vector<std::pair<std::string, std::string>>;
using TagMap = std::map<std::string, std::string>;

enum class ConsumerStatus { creating, active, deleting };
const char* to_string(ConsumerStatus status);

struct ConsumerView {
  std::string name;
  std::string arn;
  std::string stream_arn;
  int64_t created_ms = 0;
  ConsumerStatus status = ConsumerStatus::creating;
};

// The answer of Enable/DisableEnhancedMonitoring.
struct MetricsChange {
  std::string stream_name;
  std::string stream_arn;
  std::vector<std::string> current;  // before the change
  std::vector<std::string> desired;  // after it
};

// DescribeAccountSettings' MinimumThroughputBillingCommitment.
enum class CommitmentStatus { enabled, disabled, enabled_until_earliest_allowed_end };
const char* to_string(CommitmentStatus status);

struct BillingCommitment {
  CommitmentStatus status = CommitmentStatus::disabled;
  std::optional<int64_t> started_ms;
  std::optional<int64_t> ended_ms;
  std::optional<int64_t> earliest_allowed_end_ms;
};

// "arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<creation epoch seconds>"
std::string consumer_arn(const StreamKey& stream, std::string_view name, int64_t created_ms);

// What a ResourceARN names: a stream, or a consumer of it.
struct ResourceName {
  StreamKey stream;
  std::string consumer;            // empty: the stream itself
  int64_t consumer_created_s = 0;  // the consumer ARN's creation time, epoch seconds
  bool is_consumer() const { return !consumer.empty(); }
};
// Parses a stream ARN ("arn:<partition>:kinesis:<region>:<account>:stream/<name>") or a
// consumer ARN (that, then "/consumer/<name>:<epoch seconds>"); nullopt when it is neither.
std::optional<ResourceName> parse_resource_arn(std::string_view arn);

class ResourceStore {
 public:
  // Loads what is stored and drops what belongs to streams that no longer exist. `engine` must
  // outlive the ResourceStore.
  static Result<std::unique_ptr<ResourceStore>> open(Engine& engine, const EngineOptions& options);
  ~ResourceStore();
  ResourceStore(const ResourceStore&) = delete;
  ResourceStore& operator=(const ResourceStore&) = delete;

  // Tags of a stream or a consumer; `resource_arn` is either's ARN. Adding overwrites values of
  // existing keys; removing keys that are not there is not an error.
  Result<TagList> list_tags(std::string_view resource_arn);
  Status add_tags(std::string_view resource_arn, const TagList& tags);
  Status remove_tags(std::string_view resource_arn, const std::vector<std::string>& keys);
  // The checks add_tags() makes on new tags of a stream, without a stream: for CreateStream's
  // Tags, before the stream exists.
  static Status check_stream_tags(const StreamKey& stream, const TagList& tags);

  // Enhanced fan-out consumers. A consumer is CREATING, then ACTIVE after the update delay;
  // deregistered, it is DELETING for the update delay, then gone.
  Result<ConsumerView> register_consumer(const StreamKey& stream, std::string_view name,
                                         const TagList& tags = {});
  Result<ConsumerView> describe_consumer(const StreamKey& stream, std::string_view name);
  Result<ConsumerView> describe_consumer(std::string_view consumer_arn);
  Result<ConsumerView> deregister_consumer(const StreamKey& stream, std::string_view name);
  Result<ConsumerView> deregister_consumer(std::string_view consumer_arn);
  Result<std::vector<ConsumerView>> list_consumers(const StreamKey& stream);  // by name

  // Resource policies of a stream or a consumer. The policy must be a JSON object.
  Status put_policy(std::string_view resource_arn, std::string_view policy);
  Result<std::optional<std::string>> get_policy(std::string_view resource_arn);
  Status delete_policy(std::string_view resource_arn);  // ResourceNotFound when there is none

  // Enhanced monitoring. `metrics`: shard-level metric names, "ALL" already expanded by the
  // caller. Lists come back sorted by name.
  Result<MetricsChange> enable_metrics(const StreamKey& stream,
                                       const std::vector<std::string>& metrics);
  Result<MetricsChange> disable_metrics(const StreamKey& stream,
                                        const std::vector<std::string>& metrics);

  // Account settings, per account and region.
  BillingCommitment billing_commitment(std::string_view account, std::string_view region);
  Result<BillingCommitment> update_billing_commitment(std::string_view account,
                                                      std::string_view region, bool enable);

  // For DescribeStream / DescribeStreamSummary / DeleteStream.
  uint32_t consumer_count(const std::string& stream_arn);
  uint32_t consumer_count(const StreamView& stream);
  std::vector<std::string> shard_level_metrics(const std::string& stream_arn);
  std::vector<std::string> shard_level_metrics(const StreamView& stream);
  // Drops tags, consumers (with their tags and policies), the policy and the metrics of a
  // stream; call it when the stream is deleted. Idempotent.
  void forget_stream(const std::string& stream_arn);

 private:
  // Adds or removes tags of a stream or consumer: `edit` validates and changes a copy of the
  // tags (it runs once on an empty map first, so bad input is refused before any lookup).
  using TagEdit =
      std::function<Status(TagMap& tags, const ResourceName& name, const std::string& what)>;
  Status edit_tags(std::string_view resource_arn, const char* verb, const TagEdit& edit);

  struct Consumer {
    std::string name;
    std::string arn;
    int64_t created_ms = 0;
    std::optional<int64_t> deleting_since_ms;
    std::map<std::string, std::string> tags;
    std::optional<std::string> policy;
  };
  // Everything about one stream, by the stream's ARN.
  struct Entry {
    uint64_t stream_id = 0;
    StreamKey key;
    std::string stream_arn;
    std::map<std::string, std::string> tags;
    std::optional<std::string> policy;
    std::vector<std::string> metrics;
    std::map<std::string, Consumer> consumers;  // by name, gone ones purged lazily
  };
  struct Commitment {
    std::optional<int64_t> started_ms;
    std::optional<int64_t> earliest_end_ms;
    std::optional<int64_t> ended_ms;
    bool pending_disable = false;
  };
  enum class Phase { creating, active, deleting, gone };
  // A resolved ResourceARN: the stream's entry and, for a consumer ARN, the consumer.
  struct Target {
    Entry* entry = nullptr;
    Consumer* consumer = nullptr;
  };

  ResourceStore(Engine& engine, const EngineOptions& options);
  Status load();

  // The stream, which must exist (ResourceNotFound otherwise).
  Result<StreamView> find_stream(const StreamKey& key);
  // The entry of a live stream, created when absent and reset when it belonged to an older
  // stream of the same name. Purges gone consumers. Requires mu_.
  Result<Entry*> entry_locked(const StreamView& view);
  // Resolves a stream or consumer ARN; `view` is the stream's. Requires mu_.
  // Finds the stream or consumer `name` (parsed from `resource_arn`) and runs `fn(Target&)`
  // with mu_ held. With `writing`, a DELETING stream refuses the call.
  template <class Fn>
  auto with_target(std::string_view resource_arn, const ResourceName& name, bool writing, Fn&& fn)
      -> decltype(fn(std::declval<Target&>()));
  Result<Target> target_locked(const ResourceName& name, const StreamView& view,
                               std::string_view arn_text);
  Result<Consumer*> consumer_locked(Entry& entry, std::string_view name);
  Phase phase(const Consumer& consumer, int64_t now) const;
  ConsumerView view_of(const Entry& entry, const Consumer& consumer, int64_t now) const;
  Status purge_gone_locked(Entry& entry, int64_t now);
  // Deletes every stored key of the entry (in `batch`).
  void delete_entry_keys(const Entry& entry, storage::RecordBatch& batch) const;
  Result<MetricsChange> change_metrics(const StreamKey& stream,
                                       const std::vector<std::string>& metrics, bool enable);
  // Runs `action` with the consumer `name` of `stream` found and mu_ held.
  using ConsumerAction = std::function<Result<ConsumerView>(Entry&, Consumer&)>;
  Result<ConsumerView> with_consumer(const StreamKey& stream, std::string_view name,
                                     const ConsumerAction& action);
  Result<ConsumerView> deregister_locked(Entry& entry, Consumer& consumer);
  BillingCommitment commitment_view(const Commitment& c, int64_t now) const;

  Engine& engine_;
  storage::Store& store_;
  const Clock& clock_;
  EngineOptions options_;

  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;        // by stream ARN
  std::map<std::string, Commitment, std::less<>> accounts_;  // by "<account>/<region>"
};

}  // namespace kinesis_emulator::engine
