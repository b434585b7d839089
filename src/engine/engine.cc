// Engine: opening, the stream registry and the control plane. Records are in engine_records.cc.
#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>

#include "common/random.h"
#include "engine/sequence_number.h"
#include "engine/stream_meta_codec.h"
#include "storage/key_codec.h"

namespace kinesis_emulator::engine {

namespace {

constexpr char kIteratorKeyMeta[] = "iterator-key";
constexpr char kNextStreamIdMeta[] = "next-stream-id";
constexpr char kStreamMetaPrefix[] = "stream/";

std::string not_active_message(const StreamKey& key, StreamStatus status) {
  return "Stream " + key.name + " under account " + key.account + " not ACTIVE, instead in state " +
         to_string(status);
}

std::string encode_u64(uint64_t v) {
  std::string s(8, '\0');
  storage::put_u64_be(s.data(), v);
  return s;
}

}  // namespace

uint32_t StreamView::open_shard_count() const {
  return meta.open_shard_count();
}

Engine::Engine(std::unique_ptr<storage::Store> store, const EngineOptions& options,
               const Clock& clock)
    : store_(std::move(store)),
      options_(options),
      clock_(clock),
      throughput_(clock, options.throughput) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const storage::StoreOptions& store_options,
                                             const EngineOptions& options, const Clock& clock) {
  auto store = storage::Store::open(store_options);
  if (!store.ok()) return std::move(store).error();
  std::unique_ptr<Engine> engine(new Engine(std::move(*store), options, clock));
  if (Status s = engine->load(); !s.ok()) return std::move(s).error();
  return engine;
}

Status Engine::load() {
  auto key = store_->get_meta(kIteratorKeyMeta);
  if (!key.ok()) return std::move(key).error();
  if (key->has_value()) {
    iterator_key_ = **key;
  } else {
    iterator_key_ = random_bytes(32);
    if (Status s = store_->put_meta(kIteratorKeyMeta, iterator_key_); !s.ok()) return s;
  }
  auto next_id = store_->get_meta(kNextStreamIdMeta);
  if (!next_id.ok()) return std::move(next_id).error();
  if (next_id->has_value() && (*next_id)->size() == 8) {
    next_stream_id_ = storage::get_u64_be((*next_id)->data());
  }

  if (Status s = load_data_keys(); !s.ok()) return s;

  std::vector<StreamMeta> metas;
  bool corrupt = false;
  Status scan = store_->for_each_meta(kStreamMetaPrefix, [&](std::string_view, std::string_view v) {
    auto meta = decode_stream_meta(v);
    if (meta) {
      metas.push_back(std::move(*meta));
    } else {
      corrupt = true;
    }
  });
  if (!scan.ok()) return scan;
  if (corrupt)
    return make_error(errc::internal_failure, "corrupt stream metadata in the data directory");

  for (StreamMeta& meta : metas) {
    auto stream = std::make_shared<Stream>(meta, throughput_);
    for (uint32_t i = 0; i < stream->shard_count(); ++i) {
      ShardState* shard = stream->shard(i);
      uint64_t last = 0;
      auto hwm = store_->get_meta(storage::Store::high_water_key(stream->id, i));
      if (!hwm.ok()) return std::move(hwm).error();
      if (hwm->has_value() && (*hwm)->size() == 8) last = storage::get_u64_be((*hwm)->data());
      auto stored = store_->last_position(stream->id, i);
      if (!stored.ok()) return std::move(stored).error();
      if (stored->has_value()) last = std::max(last, **stored);
      shard->last_position = last;
      shard->last_published.store(last);
    }
    if (!meta.encryption_key_id.empty()) {
      auto data_key = data_key_for(meta.encryption_key_id);
      if (!data_key.ok()) return std::move(data_key).error();
      stream->set_encryption_key(*data_key);
    }
    next_stream_id_ = std::max(next_stream_id_, stream->id + 1);
    by_key_[registry_key(meta.key.account, meta.key.region, meta.key.name)] = stream;
    by_id_[stream->id] = stream;
  }
  spdlog::debug("engine: loaded {} streams", metas.size());
  return {};
}

std::string Engine::registry_key(std::string_view account, std::string_view region,
                                 std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k.append(account).push_back('|');
  k.append(region).push_back('|');
  k.append(name);
  return k;
}

StreamStatus Engine::status_of(const Stream& stream, int64_t now) const {
  if (stream.deleted()) return StreamStatus::deleting;
  if (now < stream.created_ms() + options_.create_delay_ms) return StreamStatus::creating;
  if (now < stream.updating_until_ms()) return StreamStatus::updating;
  return StreamStatus::active;
}

bool Engine::gone(const Stream& stream, int64_t now) const {
  auto since = stream.deleting_since_ms();
  return since && now >= *since + options_.delete_delay_ms;
}

Error Engine::stream_not_found(const StreamKey& key) const {
  return make_error(errc::resource_not_found,
                    "Stream " + key.name + " under account " + key.account + " not found.");
}

Result<std::shared_ptr<Stream>> Engine::find(const StreamKey& key) {
  std::shared_ptr<Stream> stream;
  {
    thread_local std::string lookup;
    lookup.clear();
    lookup.append(key.account).push_back('|');
    lookup.append(key.region).push_back('|');
    lookup.append(key.name);
    std::shared_lock lock(registry_mu_);
    auto it = by_key_.find(lookup);
    if (it != by_key_.end()) stream = it->second;
  }
  if (!stream || gone(*stream, clock_.now_ms())) return stream_not_found(key);
  return stream;
}

Result<std::shared_ptr<Stream>> Engine::find_writable(const StreamKey& key) {
  auto stream = find(key);
  if (!stream.ok()) return stream;
  const StreamStatus status = status_of(**stream, clock_.now_ms());
  if (status != StreamStatus::active && status != StreamStatus::updating)
    return stream_not_found(key);
  return stream;
}

std::shared_ptr<Stream> Engine::find_by_id(uint64_t id) {
  std::shared_lock lock(registry_mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || gone(*it->second, clock_.now_ms())) return nullptr;
  return it->second;
}

Status Engine::persist_meta(const StreamMeta& meta) {
  return store_->put_meta(stream_meta_key(meta.id), encode_stream_meta(meta));
}

Status Engine::create_stream(const StreamKey& key, uint32_t shard_count, StreamMode mode,
                             const CreateStreamOptions& create) {
  if (create.max_record_kib < kDefaultMaxRecordKiB ||
      create.max_record_kib > kLargestMaxRecordKiB) {
    return make_error(errc::invalid_argument,
                      "MaxRecordSizeInKiB must be between 1024 and 10240; " +
                          std::to_string(create.max_record_kib) + " was requested.");
  }
  if (create.warm_throughput_mibps && mode != StreamMode::on_demand) {
    return make_error(errc::invalid_argument,
                      "WarmThroughputMiBps can only be set for a stream in ON_DEMAND mode.");
  }
  if (create.distribution == RecordDistribution::automatic && mode != StreamMode::on_demand) {
    return make_error(errc::invalid_argument,
                      "RecordDistributionStrategy AUTO can only be set for a stream in ON_DEMAND "
                      "mode.");
  }
  if (shard_count < 1) {
    return make_error(errc::invalid_argument, "The shard count must be at least 1; " +
                                                  std::to_string(shard_count) +
                                                  " was requested for stream " + key.name + ".");
  }
  const int64_t now = clock_.now_ms();
  std::unique_lock lock(registry_mu_);
  const std::string rkey = registry_key(key.account, key.region, key.name);
  if (auto it = by_key_.find(rkey); it != by_key_.end()) {
    if (!gone(*it->second, now)) {
      return make_error(errc::resource_in_use, "Stream " + key.name + " under account " +
                                                   key.account + " already exists.");
    }
    by_id_.erase(it->second->id);
    by_key_.erase(it);
  }

  uint32_t open_shards = 0;
  uint32_t on_demand_streams = 0;
  const std::string prefix = registry_key(key.account, key.region, "");
  for (auto it = by_key_.lower_bound(prefix); it != by_key_.end() && it->first.starts_with(prefix);
       ++it) {
    if (gone(*it->second, now)) continue;
    StreamMeta m = it->second->meta();
    for (const ShardInfo& s : m.shards) open_shards += s.open() ? 1 : 0;
    on_demand_streams += m.mode == StreamMode::on_demand ? 1 : 0;
  }
  if (static_cast<uint64_t>(open_shards) + shard_count > options_.shard_limit) {
    return shard_limit_error(key, open_shards, shard_count);
  }
  if (mode == StreamMode::on_demand && on_demand_streams >= options_.on_demand_stream_limit) {
    return make_error(errc::limit_exceeded,
                      "This request would exceed the on-demand stream limit for the account " +
                          key.account + " in " + key.region +
                          ". Current on-demand stream count: " + std::to_string(on_demand_streams) +
                          ". Limit: " + std::to_string(options_.on_demand_stream_limit) + ".");
  }

  StreamMeta meta;
  meta.id = next_stream_id_;
  meta.key = key;
  meta.created_ms = create.active_at_once ? now - options_.create_delay_ms : now;
  meta.mode = mode;
  meta.max_record_kib = create.max_record_kib;
  meta.warm_throughput_mibps = create.warm_throughput_mibps;
  meta.distribution = create.distribution;
  const auto ranges = split_hash_space(shard_count);
  for (uint32_t i = 0; i < shard_count; ++i) {
    ShardInfo s;
    s.index = i;
    s.range = ranges[i];
    s.created_ms = now;
    s.starting_position = position_at_time(now);
    meta.shards.push_back(s);
  }
  // The stream and the id counter land together, so a crash never reuses an id.
  storage::RecordBatch batch = store_->make_batch();
  batch.put_meta(stream_meta_key(meta.id), encode_stream_meta(meta));
  batch.put_meta(kNextStreamIdMeta, encode_u64(meta.id + 1));
  if (Status s = store_->write(batch); !s.ok()) return s;
  ++next_stream_id_;

  auto stream = std::make_shared<Stream>(meta, throughput_);
  by_key_[rkey] = stream;
  by_id_[stream->id] = stream;
  spdlog::debug("engine: created stream {} ({} shards, id {})", key.name, shard_count, meta.id);
  return {};
}

Error Engine::shard_limit_error(const StreamKey& key, uint32_t open_shards,
                                uint32_t additional) const {
  return make_error(
      errc::limit_exceeded,
      "This request would exceed the shard limit for the account " + key.account + " in " +
          key.region + ". Current shard count for the account: " + std::to_string(open_shards) +
          ". Limit: " + std::to_string(options_.shard_limit) +
          ". Number of additional shards that would have resulted from this request: " +
          std::to_string(additional) +
          ". Refer to the AWS Service Limits page "
          "(https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
          "limits and how to request higher limits.");
}

uint32_t Engine::open_shards_in(std::string_view account, std::string_view region, int64_t now) {
  uint32_t open = 0;
  const std::string prefix = registry_key(account, region, "");
  std::shared_lock lock(registry_mu_);
  for (auto it = by_key_.lower_bound(prefix); it != by_key_.end() && it->first.starts_with(prefix);
       ++it) {
    if (!gone(*it->second, now)) open += it->second->meta().open_shard_count();
  }
  return open;
}

Status Engine::delete_stream(const StreamKey& key) {
  auto found = find(key);
  if (!found.ok()) return std::move(found).error();
  std::shared_ptr<Stream> stream = std::move(*found);
  const int64_t now = clock_.now_ms();
  const StreamStatus status = status_of(*stream, now);
  if (status == StreamStatus::creating || status == StreamStatus::deleting) {
    return make_error(errc::resource_in_use, not_active_message(key, status));
  }
  // Writers hold the topology lock shared until their write is done: with it held exclusively,
  // no write is in flight while the records go.
  std::unique_lock topology(stream->topology_mu());
  storage::RecordBatch batch = store_->make_batch();
  batch.delete_meta(stream_meta_key(stream->id));
  for (uint32_t i = 0; i < stream->shard_count_held(); ++i) {
    batch.delete_meta(storage::Store::high_water_key(stream->id, i));
  }
  if (Status s = store_->write(batch); !s.ok()) return s;
  stream->mark_deleting(now);
  if (Status s = store_->delete_stream_records(stream->id); !s.ok()) {
    // The stream is gone from the metadata; leftover records are unreachable and harmless.
    spdlog::warn("engine: records of deleted stream {} not removed", key.name);
  }
  return {};
}

Result<StreamView> Engine::describe_stream(const StreamKey& key) {
  auto found = find(key);
  if (!found.ok()) return std::move(found).error();
  StreamView view;
  view.meta = (*found)->meta();
  view.arn = (*found)->arn;
  view.status = status_of(**found, clock_.now_ms());
  return view;
}

std::vector<StreamView> Engine::list_streams(std::string_view account, std::string_view region) {
  const int64_t now = clock_.now_ms();
  const std::string prefix = registry_key(account, region, "");
  std::vector<StreamView> out;
  std::shared_lock lock(registry_mu_);
  for (auto it = by_key_.lower_bound(prefix); it != by_key_.end() && it->first.starts_with(prefix);
       ++it) {
    if (gone(*it->second, now)) continue;
    StreamView view;
    view.meta = it->second->meta();
    view.arn = it->second->arn;
    view.status = status_of(*it->second, now);
    out.push_back(std::move(view));
  }
  return out;  // sorted by name: the registry is ordered and names follow the common prefix
}

namespace {
Status check_retention_range(int hours) {
  if (hours < kMinRetentionHours) {
    return make_error(errc::invalid_argument, "Minimum allowed retention period is " +
                                                  std::to_string(kMinRetentionHours) +
                                                  " hours. Requested retention period (" +
                                                  std::to_string(hours) + " hours) is too short.");
  }
  if (hours > kMaxRetentionHours) {
    return make_error(errc::invalid_argument, "Maximum allowed retention period is " +
                                                  std::to_string(kMaxRetentionHours) +
                                                  " hours. Requested retention period (" +
                                                  std::to_string(hours) + " hours) is too long.");
  }
  return {};
}
}  // namespace

Status Engine::increase_retention(const StreamKey& key, int hours) {
  return change_retention(key, hours, true);
}

Status Engine::decrease_retention(const StreamKey& key, int hours) {
  return change_retention(key, hours, false);
}

Status Engine::change_retention(const StreamKey& key, int hours, bool increase) {
  if (Status s = check_retention_range(hours); !s.ok()) return s;
  auto found = find(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  const StreamStatus status = status_of(stream, clock_.now_ms());
  if (status != StreamStatus::active) {
    return make_error(errc::resource_in_use, not_active_message(key, status));
  }
  const int current = stream.retention_hours();
  if (increase ? hours < current : hours > current) {
    return make_error(errc::invalid_argument,
                      "Requested retention period (" + std::to_string(hours) +
                          " hours) for stream " + key.name + " can not be " +
                          (increase ? "shorter" : "longer") + " than existing retention period (" +
                          std::to_string(current) + " hours). Use " +
                          (increase ? "Decrease" : "Increase") + "RetentionPeriod API.");
  }
  // Metadata changes are read-modify-write under the topology lock, like resharding's.
  std::unique_lock topology(stream.topology_mu());
  StreamMeta meta = stream.meta();
  meta.retention_hours = hours;
  if (Status s = persist_meta(meta); !s.ok()) return s;
  stream.set_meta(meta);
  return {};
}

AccountLimits Engine::describe_limits(std::string_view account, std::string_view region) {
  AccountLimits limits;
  limits.shard_limit = options_.shard_limit;
  limits.on_demand_stream_count_limit = options_.on_demand_stream_limit;
  for (const StreamView& v : list_streams(account, region)) {
    limits.open_shard_count += v.open_shard_count();
    limits.on_demand_stream_count += v.meta.mode == StreamMode::on_demand ? 1 : 0;
  }
  return limits;
}

Status Engine::trim_expired() {
  const int64_t now = clock_.now_ms();
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::unique_lock lock(registry_mu_);
    for (auto it = by_key_.begin(); it != by_key_.end();) {
      if (gone(*it->second, now)) {
        by_id_.erase(it->second->id);
        it = by_key_.erase(it);
      } else {
        streams.push_back(it->second);
        ++it;
      }
    }
  }
  for (const auto& stream : streams) {
    if (stream->deleted()) continue;
    const uint64_t cutoff = position_at_time(now - int64_t{stream->retention_hours()} * 3'600'000);
    for (uint32_t i = 0; i < stream->shard_count(); ++i) {
      auto first = store_->first_position(stream->id, i);
      if (!first.ok()) return std::move(first).error();
      if (first->has_value() && **first < cutoff) {
        // Start-up takes a shard's next position from its last record; once trimming may have
        // removed that record, the high-water mark has to say it, or numbers could repeat.
        ShardState* shard = stream->shard(i);
        storage::RecordBatch mark = store_->make_batch();
        mark.set_high_water(stream->id, i, shard->last_published.load(std::memory_order_acquire));
        if (Status s = store_->write(mark); !s.ok()) return s;
        if (Status s = store_->delete_records_before(stream->id, i, cutoff); !s.ok()) return s;
      }
    }
  }
  return {};
}

std::optional<uint32_t> Engine::parse_shard_id(std::string_view shard_id) {
  constexpr std::string_view prefix = "shardId-";
  if (shard_id.starts_with(prefix)) shard_id.remove_prefix(prefix.size());
  if (shard_id.empty() || shard_id.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : shard_id) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > UINT32_MAX) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

}  // namespace kinesis_emulator::engine
