// The data plane: PutRecord, PutRecords, GetShardIterator, GetRecords.
#include <vector>

#include "protocol/base64.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/json_writer.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

constexpr int64_t kGetRecordsDefaultLimit = 10000;

Result<engine::PutEntry> put_entry(const json& record, std::string_view path_prefix) {
  engine::PutEntry e;
  e.partition_key = string_member(record, "PartitionKey");
  e.data = blob_member(record, "Data");
  e.sequence_number_for_ordering = string_member(record, "SequenceNumberForOrdering");
  const std::string_view explicit_key = string_member(record, "ExplicitHashKey");
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

}  // namespace

Result<Reply> put_record(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  auto entry = put_entry(request, "");
  if (!entry.ok()) return std::move(entry).error();
  auto result = engine.put_record(*key, *entry);
  if (!result.ok()) return std::move(result).error();
  Reply reply;
  reply.encoded.reserve(96);
  reply.encoded.append(R"({"ShardId":")")
      .append(engine::shard_id_of(result->shard_index))
      .append(R"(","SequenceNumber":")")
      .append(result->sequence_number)
      .append("\"}");
  return reply;
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
  auto results = engine.put_records(*key, entries);
  if (!results.ok()) return std::move(results).error();
  Reply reply;
  std::string& out = reply.encoded;
  out.reserve(40 + results->size() * 100);
  out.append(R"({"FailedRecordCount":0,"Records":[)");
  for (std::size_t i = 0; i < results->size(); ++i) {
    if (i != 0) out.push_back(',');
    out.append(R"({"SequenceNumber":")")
        .append((*results)[i].sequence_number)
        .append(R"(","ShardId":")")
        .append(engine::shard_id_of((*results)[i].shard_index))
        .append("\"}");
  }
  out.append("]}");
  return reply;
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

Result<Reply> get_records(engine::Engine& engine, const RequestContext&, json& request) {
  const int64_t limit = integer_member(request, "Limit").value_or(kGetRecordsDefaultLimit);
  Reply reply;
  std::string& out = reply.encoded;
  out.append(R"({"Records":[)");
  bool first = true;
  auto result = engine.get_records(
      string_member(request, "ShardIterator"), static_cast<uint32_t>(limit),
      [&](const engine::RecordOut& r) {
        if (!first) out.push_back(',');
        first = false;
        out.append(R"({"SequenceNumber":")").append(r.sequence_number);
        out.append(R"(","ApproximateArrivalTimestamp":)");
        append_epoch_seconds(out, r.arrival_ms);
        out.append(R"(,"Data":")");
        protocol::base64_encode_append(
            {reinterpret_cast<const uint8_t*>(r.data.data()), r.data.size()}, out);
        out.append(R"(","PartitionKey":)");
        append_json_string(out, r.partition_key);
        out.push_back('}');
      });
  if (!result.ok()) return std::move(result).error();
  out.append("],");
  if (!result->next_shard_iterator.empty()) {
    out.append(R"("NextShardIterator":")").append(result->next_shard_iterator).append("\",");
  }
  out.append(R"("MillisBehindLatest":)").append(std::to_string(result->millis_behind_latest));
  out.push_back('}');
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
