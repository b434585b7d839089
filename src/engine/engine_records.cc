// Engine data plane: putting records, shard iterators, reading records.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>

#include "engine/engine.h"
#include "engine/sequence_number.h"
#include "engine/shard_iterator.h"

namespace kinesis_emulator::engine {

namespace {

std::string shard_missing_message(const StreamKey& key, std::string_view shard_id) {
  return "Shard " + std::string(shard_id) + " in stream " + key.name + " under account " +
         key.account + " does not exist";
}

std::string format_time_ms(int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

uint128 routing_hash(const PutEntry& entry) {
  return entry.explicit_hash_key ? *entry.explicit_hash_key
                                 : partition_key_hash(entry.partition_key);
}

// What a stream's record distribution strategy asks of an entry before it is routed.
Status check_routing(const PutEntry& entry, std::optional<std::size_t> index, bool in_turn) {
  if (in_turn && !entry.sequence_number_for_ordering.empty()) {
    return make_error(errc::invalid_argument,
                      "SequenceNumberForOrdering is not supported on a stream whose "
                      "RecordDistributionStrategy is AUTO.");
  }
  if (!in_turn && entry.partition_key.empty()) {
    const std::string which = index ? " of record " + std::to_string(*index) : std::string();
    return make_error(errc::invalid_argument,
                      "A PartitionKey" + which +
                          " is required: the stream's RecordDistributionStrategy is "
                          "USER_PARTITION_KEY.");
  }
  return {};
}

}  // namespace

Status Engine::check_record_size(const PutEntry& entry, std::optional<std::size_t> index,
                                 int64_t max_bytes) const {
  // The model allows blobs up to 10 MiB (for streams whose limit was raised); a stream's own
  // limit is checked here, and AWS words a blob over it as a validation error of that member.
  const auto max = static_cast<std::size_t>(max_bytes);
  if (entry.data.size() > max) {
    return make_error(errc::validation,
                      "1 validation error detected: Value at '" +
                          (index ? "records." + std::to_string(*index + 1) + ".member.data"
                                 : std::string("data")) +
                          "' failed to satisfy constraint: Member must have length less than or "
                          "equal to " +
                          std::to_string(max));
  }
  const std::size_t size = entry.data.size() + entry.partition_key.size();
  if (size > max) {
    return make_error(errc::invalid_argument,
                      "The size of the record (data plus partition key) is " +
                          std::to_string(size) + " bytes, more than the maximum of " +
                          std::to_string(max) + " bytes.");
  }
  return {};
}

uint64_t Engine::next_position(uint64_t last_position, uint32_t shard_index, const Stream& stream,
                               int64_t now, std::string_view sequence_number_for_ordering) const {
  uint64_t position = std::max(position_at_time(now), last_position + 1);
  if (!sequence_number_for_ordering.empty()) {
    auto parts = decode_sequence_number(sequence_number_for_ordering);
    if (parts && parts->stream_tag == stream_tag_of(stream.id) &&
        parts->shard_index == shard_index && parts->position >= position) {
      position = parts->position + 1;
    }
  }
  return position;
}

Result<PutResult> Engine::put_record(const StreamKey& key, const PutEntry& entry) {
  auto found = find_writable(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  if (Status s = check_record_size(entry, std::nullopt, stream.max_record_bytes()); !s.ok()) {
    return std::move(s).error();
  }
  const bool in_turn = stream.distributes_automatically();
  if (Status s = check_routing(entry, std::nullopt, in_turn); !s.ok()) return std::move(s).error();
  std::shared_lock topology(stream.topology_mu());
  ShardState* shard = in_turn ? stream.route_in_turn() : stream.route(routing_hash(entry));
  if (shard == nullptr)
    return make_error(errc::internal_failure, "No open shard owns the hash key");
  if (!limiter::is_admitted(
          shard->limiter.admit_write(entry.data.size() + entry.partition_key.size()))) {
    return limiter::shard_rate_exceeded(key.account, key.name, shard_id_of(shard->index));
  }

  storage::RecordBatch batch = store_->make_batch();
  std::lock_guard lock(shard->append_mu);
  if (stream.deleted()) return stream_not_found(key);
  const uint64_t position = next_position(shard->last_position, shard->index, stream,
                                          clock_.now_ms(), entry.sequence_number_for_ordering);
  const storage::DataKey* data_key = stream.encryption_key();
  if (Status s = batch.put_record(stream.id, shard->index, position, entry.partition_key,
                                  entry.data, data_key);
      !s.ok()) {
    return std::move(s).error();
  }
  if (Status s = store_->write(batch); !s.ok()) return std::move(s).error();
  shard->last_position = position;
  shard->last_published.store(position, std::memory_order_release);
  PutResult result;
  result.shard_index = shard->index;
  result.encrypted = data_key != nullptr;
  result.sequence_number = encode_sequence_number(stream.id, shard->index, position);
  return result;
}

Result<std::vector<PutResult>> Engine::put_records(const StreamKey& key,
                                                   std::span<const PutEntry> entries) {
  auto found = find_writable(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  const int64_t max_record = stream.max_record_bytes();
  std::size_t total = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const PutEntry& e = entries[i];
    if (Status s = check_record_size(e, i, max_record); !s.ok()) return std::move(s).error();
    total += e.data.size() + e.partition_key.size();
  }
  // 5 MiB per request, or one record's worth where the stream takes larger records.
  const auto max_total = static_cast<std::size_t>(std::max(kMaxPutRecordsBytes, max_record));
  if (total > max_total) {
    return make_error(errc::invalid_argument,
                      "Records size exceeds " + std::to_string(max_total >> 20) +
                          " MB limit: the request holds " + std::to_string(total) +
                          " bytes of data and partition keys.");
  }

  const bool in_turn = stream.distributes_automatically();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (Status s = check_routing(entries[i], i, in_turn); !s.ok()) return std::move(s).error();
  }

  std::vector<PutResult> results(entries.size());
  std::vector<uint32_t> shards_used;
  std::shared_lock topology(stream.topology_mu());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const PutEntry& e = entries[i];
    ShardState* shard = in_turn ? stream.route_in_turn() : stream.route(routing_hash(e));
    if (shard == nullptr)
      return make_error(errc::internal_failure, "No open shard owns the hash key");
    results[i].shard_index = shard->index;
    // Admission record by record, in request order, as AWS throttles PutRecords entries.
    if (!limiter::is_admitted(shard->limiter.admit_write(e.data.size() + e.partition_key.size()))) {
      results[i].error_code = "ProvisionedThroughputExceededException";
      results[i].error_message =
          limiter::shard_rate_exceeded(key.account, key.name, shard_id_of(shard->index)).message;
      continue;
    }
    shards_used.push_back(shard->index);
  }
  std::sort(shards_used.begin(), shards_used.end());
  shards_used.erase(std::unique(shards_used.begin(), shards_used.end()), shards_used.end());

  // Lock the shards in index order (no deadlock), assign positions, and write the whole request
  // as one RocksDB batch: it lands entirely or not at all.
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(shards_used.size());
  for (uint32_t index : shards_used) locks.emplace_back(stream.shard_held(index)->append_mu);
  if (stream.deleted()) return stream_not_found(key);

  const int64_t now = clock_.now_ms();
  std::vector<uint64_t> last(stream.shard_count_held(), 0);
  for (uint32_t index : shards_used) last[index] = stream.shard_held(index)->last_position;
  storage::RecordBatch batch = store_->make_batch();
  const storage::DataKey* data_key = stream.encryption_key();
  std::vector<uint64_t> positions(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (results[i].failed()) continue;
    // Positions advance in a local copy; the shards learn them only once the write succeeded.
    const uint32_t index = results[i].shard_index;
    const uint64_t position =
        next_position(last[index], index, stream, now, entries[i].sequence_number_for_ordering);
    last[index] = position;
    positions[i] = position;
    if (Status s = batch.put_record(stream.id, index, position, entries[i].partition_key,
                                    entries[i].data, data_key);
        !s.ok()) {
      return std::move(s).error();
    }
    results[i].encrypted = data_key != nullptr;
  }
  if (Status s = store_->write(batch); !s.ok()) return std::move(s).error();
  for (uint32_t index : shards_used) {
    ShardState& shard = *stream.shard_held(index);
    shard.last_position = last[index];
    shard.last_published.store(last[index], std::memory_order_release);
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (results[i].failed()) continue;
    results[i].sequence_number =
        encode_sequence_number(stream.id, results[i].shard_index, positions[i]);
  }
  return results;
}

Result<std::string> Engine::get_shard_iterator(const StreamKey& key, std::string_view shard_id,
                                               IteratorType type, std::string_view sequence_number,
                                               std::optional<int64_t> timestamp_ms) {
  auto found = find_writable(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  auto index = parse_shard_id(shard_id);
  ShardState* shard = index ? stream.shard(*index) : nullptr;
  if (shard == nullptr)
    return make_error(errc::resource_not_found, shard_missing_message(key, shard_id));
  const std::string canonical_id = shard_id_of(shard->index);
  if (!limiter::is_admitted(shard->limiter.admit_shard_iterator())) {
    return limiter::shard_rate_exceeded(key.account, key.name, canonical_id);
  }

  const bool wants_sequence =
      type == IteratorType::at_sequence_number || type == IteratorType::after_sequence_number;
  const char* type_name = type == IteratorType::at_sequence_number      ? "AT_SEQUENCE_NUMBER"
                          : type == IteratorType::after_sequence_number ? "AFTER_SEQUENCE_NUMBER"
                          : type == IteratorType::at_timestamp          ? "AT_TIMESTAMP"
                          : type == IteratorType::latest                ? "LATEST"
                                                                        : "TRIM_HORIZON";
  if (wants_sequence && sequence_number.empty()) {
    return make_error(errc::invalid_argument,
                      std::string("Must either specify (1) AT_SEQUENCE_NUMBER or "
                                  "AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
                                  "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request "
                                  "specified ") +
                          type_name + " and no StartingSequenceNumber.");
  }
  if (!wants_sequence && !sequence_number.empty()) {
    return make_error(errc::invalid_argument,
                      std::string("Must either specify (1) AT_SEQUENCE_NUMBER or "
                                  "AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) "
                                  "TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request "
                                  "specified ") +
                          type_name + " and also a StartingSequenceNumber.");
  }
  if (type == IteratorType::at_timestamp && timestamp_ms && *timestamp_ms > clock_.now_ms()) {
    return make_error(errc::invalid_argument,
                      "The timestampInMillis parameter cannot be greater than the "
                      "currentTimestampInMillis. timestampInMillis: " +
                          std::to_string(*timestamp_ms) +
                          ", currentTimestampInMillis: " + std::to_string(clock_.now_ms()));
  }
  if (type == IteratorType::at_timestamp && !timestamp_ms) {
    return make_error(errc::invalid_argument,
                      "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                      "Current request has no timestamp parameter.");
  }

  uint64_t position = 0;
  switch (type) {
    case IteratorType::trim_horizon:
      position = 0;  // clamped to the retention cut-off when read
      break;
    case IteratorType::latest:
      position = shard->last_published.load(std::memory_order_acquire) + 1;
      break;
    case IteratorType::at_timestamp:
      position = position_at_time(*timestamp_ms);
      break;
    case IteratorType::at_sequence_number:
    case IteratorType::after_sequence_number: {
      auto parts = decode_sequence_number(sequence_number);
      if (!parts || parts->stream_tag != stream_tag_of(stream.id)) {
        return make_error(errc::invalid_argument,
                          "StartingSequenceNumber " + std::string(sequence_number) +
                              " used in GetShardIterator on shard " + canonical_id + " in stream " +
                              key.name + " under account " + key.account + " is invalid.");
      }
      if (parts->shard_index != shard->index) {
        return make_error(errc::invalid_argument,
                          "Invalid StartingSequenceNumber. It encodes " +
                              shard_id_of(parts->shard_index) +
                              ", while it was used in a call to a shard with " + canonical_id);
      }
      position = parts->position + (type == IteratorType::after_sequence_number ? 1 : 0);
      break;
    }
  }
  return encode_shard_iterator({stream.id, shard->index, position, clock_.now_ms()}, iterator_key_);
}

Result<GetRecordsResult> Engine::get_records(std::string_view shard_iterator, uint32_t limit,
                                             const std::function<void(const RecordOut&)>& emit) {
  auto parts = decode_shard_iterator(shard_iterator, iterator_key_);
  if (!parts) return make_error(errc::invalid_argument, "Invalid ShardIterator.");
  const int64_t now = clock_.now_ms();
  if (now - parts->created_ms > kShardIteratorLifetimeMs) {
    return make_error(errc::expired_iterator,
                      "Iterator expired. The iterator was created at time " +
                          format_time_ms(parts->created_ms) + " while right now it is " +
                          format_time_ms(now) +
                          " which is further in the future than the tolerated delay of " +
                          std::to_string(kShardIteratorLifetimeMs) + " milliseconds.");
  }
  std::shared_ptr<Stream> stream = find_by_id(parts->stream_id);
  if (!stream || stream->deleted()) {
    return make_error(errc::resource_not_found,
                      "The stream this shard iterator belongs to does not exist any more.");
  }
  ShardState* shard = stream->shard(parts->shard_index);
  if (shard == nullptr) {
    return make_error(errc::resource_not_found,
                      shard_missing_message(stream->key, shard_id_of(parts->shard_index)));
  }

  if (!limiter::is_admitted(shard->limiter.admit_read())) {
    return limiter::get_records_rate_exceeded(stream->key.account, stream->key.name,
                                              shard_id_of(shard->index));
  }
  const uint64_t cutoff = position_at_time(now - int64_t{stream->retention_hours()} * 3'600'000);
  const uint64_t start = std::max(parts->position, cutoff);
  GetRecordsResult result;
  uint64_t next = start;
  std::size_t bytes = 0;
  bool more = false;
  RecordOut out;
  Status s =
      store_->read_records(stream->id, shard->index, start, [&](const storage::RecordView& r) {
        const std::size_t size = r.data.size() + r.partition_key.size();
        if (result.record_count == limit ||
            (result.record_count > 0 &&
             bytes + size > static_cast<std::size_t>(kMaxGetRecordsBytes))) {
          more = true;
          return false;
        }
        bytes += size;
        out.sequence_number = encode_sequence_number(stream->id, shard->index, r.position);
        out.arrival_ms = time_of_position(r.position);
        out.encrypted = r.encrypted;
        out.partition_key = r.partition_key;
        out.data = r.data;
        emit(out);
        ++result.record_count;
        next = r.position + 1;
        return true;
      });
  if (!s.ok()) return std::move(s).error();
  shard->limiter.charge_read(bytes);
  if (more && result.record_count > 0) {
    result.millis_behind_latest = std::max<int64_t>(0, now - time_of_position(next - 1));
  }
  if (!more && shard->closed.load()) {
    // The end of a closed shard: no next iterator; the children say where to go on.
    const StreamMeta meta = stream->meta();
    for (const ShardInfo* child : meta.children_of(shard->index)) {
      ChildShard c{child->index, {}, child->range};
      if (child->parent) c.parents.push_back(*child->parent);
      if (child->adjacent_parent) c.parents.push_back(*child->adjacent_parent);
      result.child_shards.push_back(std::move(c));
    }
    return result;
  }
  result.next_shard_iterator =
      encode_shard_iterator({stream->id, shard->index, next, now}, iterator_key_);
  return result;
}

}  // namespace kinesis_emulator::engine
