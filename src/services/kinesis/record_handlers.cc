// The data plane: PutRecord, PutRecords, GetShardIterator, GetRecords.
#include <algorithm>
#include <vector>

#include "protocol/base64.h"
#include "protocol/cbor_codec.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/json_writer.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace cbor = protocol::cbor;

namespace {

constexpr int64_t kGetRecordsDefaultLimit = 10000;

Result<engine::PutEntry> make_put_entry(std::string_view partition_key, std::string_view data,
                                        std::string_view sequence_number_for_ordering,
                                        std::string_view explicit_key,
                                        std::string_view path_prefix) {
  engine::PutEntry e;
  e.partition_key = partition_key;
  e.data = data;
  e.sequence_number_for_ordering = sequence_number_for_ordering;
  if (!explicit_key.empty()) {
    e.explicit_hash_key = parse_decimal_u128(explicit_key);
    if (!e.explicit_hash_key) {
      return make_error(errc::invalid_argument,
                        "Invalid " + std::string(path_prefix) +
                            "ExplicitHashKey. ExplicitHashKey must be in the range: [0, "
                            "340282366920938463463374607431768211455]. Specified value was " +
                            std::string(explicit_key));
    }
  }
  return e;
}

Result<engine::PutEntry> put_entry(const json& record, std::string_view path_prefix) {
  return make_put_entry(string_member(record, "PartitionKey"), blob_member(record, "Data"),
                        string_member(record, "SequenceNumberForOrdering"),
                        string_member(record, "ExplicitHashKey"), path_prefix);
}

// One Record of GetRecords in CBOR: Data as a byte string, the arrival time as tag 1 over epoch
// milliseconds (what the Java SDKs read; see protocol/cbor_codec.h).
void append_cbor_record(std::string& out, const engine::RecordOut& r) {
  // A record put without a partition key (AUTO streams) has none, as on AWS.
  const bool keyed = !r.partition_key.empty();
  cbor::begin_map(out, 3 + (keyed ? 1 : 0) + (r.encrypted ? 1 : 0));
  cbor::append_text(out, "SequenceNumber");
  cbor::append_text(out, r.sequence_number);
  cbor::append_text(out, "ApproximateArrivalTimestamp");
  cbor::append_timestamp_ms(out, r.arrival_ms);
  cbor::append_text(out, "Data");
  cbor::append_bytes(out, r.data);
  if (keyed) {
    cbor::append_text(out, "PartitionKey");
    cbor::append_text(out, r.partition_key);
  }
  if (r.encrypted) {
    cbor::append_text(out, "EncryptionType");
    cbor::append_text(out, "KMS");
  }
}

// PutRecord's work once the request is read, whichever way it was read.
Result<Reply> put_one(engine::Engine& engine, const RequestContext& ctx,
                      Result<engine::StreamKey> key, Result<engine::PutEntry> entry) {
  if (!key.ok()) return std::move(key).error();
  if (!entry.ok()) return std::move(entry).error();
  auto result = engine.put_record(*key, *entry);
  if (!result.ok()) return std::move(result).error();
  Reply reply;
  if (ctx.codec == protocol::Codec::cbor) {
    std::string& out = reply.encoded;
    cbor::begin_map(out, result->encrypted ? 3 : 2);
    cbor::append_text(out, "ShardId");
    cbor::append_text(out, engine::shard_id_of(result->shard_index));
    cbor::append_text(out, "SequenceNumber");
    cbor::append_text(out, result->sequence_number);
    if (result->encrypted) {
      cbor::append_text(out, "EncryptionType");
      cbor::append_text(out, "KMS");
    }
    return reply;
  }
  reply.encoded.reserve(96);
  reply.encoded.append(R"({"ShardId":")")
      .append(engine::shard_id_of(result->shard_index))
      .append(R"(","SequenceNumber":")")
      .append(result->sequence_number)
      .append(result->encrypted ? R"(","EncryptionType":"KMS"})" : "\"}");
  return reply;
}

// PutRecords' answer, whichever way the request was read.
Result<Reply> put_many(const RequestContext& ctx, Result<std::vector<engine::PutResult>> results) {
  if (!results.ok()) return std::move(results).error();
  const auto failed = static_cast<int64_t>(std::count_if(
      results->begin(), results->end(), [](const engine::PutResult& r) { return r.failed(); }));
  Reply reply;
  std::string& out = reply.encoded;
  out.reserve(40 + results->size() * 100);
  // A refused entry carries ErrorCode and ErrorMessage instead of SequenceNumber and ShardId.
  const bool encrypted = std::any_of(results->begin(), results->end(),
                                     [](const engine::PutResult& r) { return r.encrypted; });
  if (ctx.codec == protocol::Codec::cbor) {
    cbor::begin_map(out, encrypted ? 3 : 2);
    if (encrypted) {
      cbor::append_text(out, "EncryptionType");
      cbor::append_text(out, "KMS");
    }
    cbor::append_text(out, "FailedRecordCount");
    cbor::append_int(out, failed);
    cbor::append_text(out, "Records");
    cbor::begin_array(out, results->size());
    for (const auto& r : *results) {
      cbor::begin_map(out, 2);
      cbor::append_text(out, r.failed() ? "ErrorCode" : "SequenceNumber");
      cbor::append_text(out, r.failed() ? r.error_code : r.sequence_number);
      cbor::append_text(out, r.failed() ? "ErrorMessage" : "ShardId");
      cbor::append_text(out, r.failed() ? r.error_message : engine::shard_id_of(r.shard_index));
    }
    return reply;
  }
  out.append(encrypted ? R"({"EncryptionType":"KMS","FailedRecordCount":)"
                       : R"({"FailedRecordCount":)")
      .append(std::to_string(failed))
      .append(R"(,"Records":[)");
  for (std::size_t i = 0; i < results->size(); ++i) {
    const engine::PutResult& r = (*results)[i];
    if (i != 0) out.push_back(',');
    if (r.failed()) {
      out.append(R"({"ErrorCode":)");
      append_json_string(out, r.error_code);
      out.append(R"(,"ErrorMessage":)");
      append_json_string(out, r.error_message);
      out.push_back('}');
      continue;
    }
    out.append(R"({"SequenceNumber":")")
        .append(r.sequence_number)
        .append(R"(","ShardId":")")
        .append(engine::shard_id_of(r.shard_index))
        .append("\"}");
  }
  out.append("]}");
  return reply;
}

}  // namespace

Result<Reply> put_record(engine::Engine& engine, const RequestContext& ctx, json& request) {
  return put_one(engine, ctx, stream_key(ctx, request), put_entry(request, ""));
}

Result<Reply> put_record_flat(engine::Engine& engine, const RequestContext& ctx,
                              const protocol::FlatRequest& request) {
  return put_one(engine, ctx,
                 stream_key(ctx, request.string("StreamName"), request.string("StreamARN")),
                 make_put_entry(request.string("PartitionKey"), request.blob(),
                                request.string("SequenceNumberForOrdering"),
                                request.string("ExplicitHashKey"), ""));
}

Result<Reply> put_records(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const json& records = request["Records"];
  std::vector<engine::PutEntry> entries;
  entries.reserve(records.size());
  for (const json& record : records) {
    auto entry = put_entry(record, "");
    if (!entry.ok()) return std::move(entry).error();
    entries.push_back(*entry);
  }
  return put_many(ctx, engine.put_records(*key, entries));
}

Result<Reply> put_records_flat(engine::Engine& engine, const RequestContext& ctx,
                               const protocol::FlatRequest& request) {
  auto key = stream_key(ctx, request.string("StreamName"), request.string("StreamARN"));
  if (!key.ok()) return std::move(key).error();
  std::vector<engine::PutEntry> entries;
  entries.reserve(request.items.size());
  for (const protocol::FlatObject& record : request.items) {
    auto entry = make_put_entry(record.string("PartitionKey"), request.blob(record), {},
                                record.string("ExplicitHashKey"), "");
    if (!entry.ok()) return std::move(entry).error();
    entries.push_back(*entry);
  }
  return put_many(ctx, engine.put_records(*key, entries));
}

Result<Reply> get_shard_iterator(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const std::string_view type_name = string_member(request, "ShardIteratorType");
  engine::IteratorType type = engine::IteratorType::trim_horizon;
  if (type_name == "LATEST") type = engine::IteratorType::latest;
  if (type_name == "AT_SEQUENCE_NUMBER") type = engine::IteratorType::at_sequence_number;
  if (type_name == "AFTER_SEQUENCE_NUMBER") type = engine::IteratorType::after_sequence_number;
  if (type_name == "AT_TIMESTAMP") type = engine::IteratorType::at_timestamp;
  auto iterator = engine.get_shard_iterator(*key, string_member(request, "ShardId"), type,
                                            string_member(request, "StartingSequenceNumber"),
                                            timestamp_ms_member(request, "Timestamp"));
  if (!iterator.ok()) return std::move(iterator).error();
  Reply reply;
  reply.document = {{"ShardIterator", std::move(*iterator)}};
  return reply;
}

// ChildShards of a GetRecords answer at the end of a closed shard.
static json child_shards_json(const engine::GetRecordsResult& result) {
  json out = json::array();
  for (const engine::ChildShard& c : result.child_shards) {
    json parents = json::array();
    for (uint32_t p : c.parents) parents.push_back(engine::shard_id_of(p));
    out.push_back({{"ShardId", engine::shard_id_of(c.index)},
                   {"ParentShards", std::move(parents)},
                   {"HashKeyRange",
                    {{"StartingHashKey", to_decimal(c.range.start)},
                     {"EndingHashKey", to_decimal(c.range.end)}}}});
  }
  return out;
}

Result<Reply> get_records(engine::Engine& engine, const RequestContext& ctx, json& request) {
  const int64_t limit = integer_member(request, "Limit").value_or(kGetRecordsDefaultLimit);
  const bool in_cbor = ctx.codec == protocol::Codec::cbor;
  Reply reply;
  std::string& out = reply.encoded;
  if (in_cbor) {
    // Indefinite lengths, as the SDKs' own Jackson writes: the count is known only at the end.
    cbor::begin_indefinite_map(out);
    cbor::append_text(out, "Records");
    cbor::begin_indefinite_array(out);
  } else {
    out.append(R"({"Records":[)");
  }
  bool first = true;
  std::string_view iterator = string_member(request, "ShardIterator");
  // AWS takes an iterator still wrapped in the double quotes of a JSON string (a shell script's
  // `--shard-iterator "$(aws ... --query ShardIterator)"` without --output text sends those).
  if (iterator.size() >= 2 && iterator.front() == '"' && iterator.back() == '"') {
    iterator = iterator.substr(1, iterator.size() - 2);
  }
  auto result =
      engine.get_records(iterator, static_cast<uint32_t>(limit), [&](const engine::RecordOut& r) {
        if (in_cbor) return append_cbor_record(out, r);
        if (!first) out.push_back(',');
        first = false;
        out.append(R"({"SequenceNumber":")").append(r.sequence_number);
        out.append(R"(","ApproximateArrivalTimestamp":)");
        append_epoch_seconds(out, r.arrival_ms);
        out.append(R"(,"Data":")");
        protocol::base64_encode_append(
            {reinterpret_cast<const uint8_t*>(r.data.data()), r.data.size()}, out);
        out.push_back('"');
        if (!r.partition_key.empty()) {
          out.append(R"(,"PartitionKey":)");
          append_json_string(out, r.partition_key);
        }
        if (r.encrypted) out.append(R"(,"EncryptionType":"KMS")");
        out.push_back('}');
      });
  if (!result.ok()) return std::move(result).error();
  json children;
  if (!result->child_shards.empty()) children = child_shards_json(*result);
  if (in_cbor) {
    cbor::end_indefinite(out);  // Records
    if (!children.is_null()) {
      cbor::append_text(out, "ChildShards");
      const std::vector<std::uint8_t> bytes = json::to_cbor(children);
      out.append(bytes.begin(), bytes.end());
    }
    if (!result->next_shard_iterator.empty()) {
      cbor::append_text(out, "NextShardIterator");
      cbor::append_text(out, result->next_shard_iterator);
    }
    cbor::append_text(out, "MillisBehindLatest");
    cbor::append_int(out, result->millis_behind_latest);
    cbor::end_indefinite(out);
    return reply;
  }
  out.append("],");
  if (!children.is_null()) out.append(R"("ChildShards":)").append(children.dump()).push_back(',');
  if (!result->next_shard_iterator.empty()) {
    out.append(R"("NextShardIterator":")").append(result->next_shard_iterator).append("\",");
  }
  out.append(R"("MillisBehindLatest":)").append(std::to_string(result->millis_behind_latest));
  out.push_back('}');
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
