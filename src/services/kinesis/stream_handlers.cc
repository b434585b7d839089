// Stream control plane: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
// ListStreams, Increase/DecreaseStreamRetentionPeriod, DescribeLimits.
#include <algorithm>

#include "engine/sequence_number.h"
#include "protocol/base64.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

using protocol::Reply;
using protocol::RequestContext;

namespace {

constexpr int64_t kDescribeStreamDefaultLimit = 100;
constexpr int64_t kListStreamsDefaultLimit = 100;
constexpr int64_t kNextTokenLifetimeMs = 300'000;

json enhanced_monitoring(engine::ResourceStore& resources, const engine::StreamView& view) {
  return json::array({{{"ShardLevelMetrics", resources.shard_level_metrics(view)}}});
}

json stream_mode_details(engine::StreamMode mode) {
  return {{"StreamMode", engine::to_string(mode)}};
}

}  // namespace

json shard_json(const engine::StreamMeta& meta, const engine::ShardInfo& shard) {
  json s = {{"ShardId", engine::shard_id_of(shard.index)},
            {"HashKeyRange",
             {{"StartingHashKey", to_decimal(shard.range.start)},
              {"EndingHashKey", to_decimal(shard.range.end)}}}};
  if (shard.parent) s["ParentShardId"] = engine::shard_id_of(*shard.parent);
  if (shard.adjacent_parent)
    s["AdjacentParentShardId"] = engine::shard_id_of(*shard.adjacent_parent);
  json range = {{"StartingSequenceNumber",
                 engine::encode_sequence_number(meta.id, shard.index, shard.starting_position)}};
  if (shard.ending_position) {
    range["EndingSequenceNumber"] =
        engine::encode_sequence_number(meta.id, shard.index, *shard.ending_position);
  }
  s["SequenceNumberRange"] = std::move(range);
  return s;
}

Result<Reply> create_stream(engine::Engine& engine, engine::ResourceStore& resources,
                            const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  engine::StreamMode mode = engine::StreamMode::provisioned;
  const auto details = request.find("StreamModeDetails");
  const bool mode_given = details != request.end() && details->is_object();
  if (mode_given && string_member(*details, "StreamMode") == "ON_DEMAND") {
    mode = engine::StreamMode::on_demand;
  }
  std::optional<int64_t> shard_count = integer_member(request, "ShardCount");
  // AWS today: neither a shard count nor a mode makes an on-demand stream.
  if (!shard_count && !mode_given) mode = engine::StreamMode::on_demand;
  if (!shard_count) {
    if (mode != engine::StreamMode::on_demand) {
      return make_error(errc::invalid_argument,
                        "ShardCount is required for a stream in PROVISIONED mode.");
    }
    shard_count = engine::kOnDemandDefaultShards;
  }
  engine::CreateStreamOptions create;
  create.max_record_kib = static_cast<int>(
      integer_member(request, "MaxRecordSizeInKiB").value_or(engine::kDefaultMaxRecordKiB));
  create.warm_throughput_mibps = integer_member(request, "WarmThroughputMiBps");
  if (string_member(request, "RecordDistributionStrategy") == "AUTO") {
    create.distribution = engine::RecordDistribution::automatic;
  }
  const engine::TagList tags = tag_map_member(request, "Tags");
  if (Status s = engine::ResourceStore::check_stream_tags(*key, tags); !s.ok()) {
    return std::move(s).error();
  }
  if (Status s = engine.create_stream(*key, static_cast<uint32_t>(*shard_count), mode, create);
      !s.ok()) {
    return std::move(s).error();
  }
  if (!tags.empty()) {
    if (Status s = resources.add_tags(engine::stream_arn(*key), tags); !s.ok()) {
      return std::move(s).error();
    }
  }
  return Reply{};
}

Result<Reply> delete_stream(engine::Engine& engine, engine::ResourceStore& resources,
                            const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  // AWS refuses to delete a stream with registered consumers unless told to take them along.
  auto view = engine.describe_stream(*key);
  if (!view.ok()) return std::move(view).error();
  const bool enforce = request.value("EnforceConsumerDeletion", false);
  if (const uint32_t consumers = resources.consumer_count(*view); consumers > 0 && !enforce) {
    return make_error(errc::resource_in_use,
                      "Stream " + key->name + " under account " + key->account + " has " +
                          std::to_string(consumers) +
                          " registered consumers; deregister them or set EnforceConsumerDeletion.");
  }
  if (Status s = engine.delete_stream(*key); !s.ok()) return std::move(s).error();
  resources.forget_stream(view->arn);
  return Reply{};
}

Result<Reply> describe_stream(engine::Engine& engine, engine::ResourceStore& resources,
                              const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  auto view = engine.describe_stream(*key);
  if (!view.ok()) return std::move(view).error();
  const int64_t limit = integer_member(request, "Limit").value_or(kDescribeStreamDefaultLimit);
  const std::string_view after = string_member(request, "ExclusiveStartShardId");

  json shards = json::array();
  bool has_more = false;
  for (const engine::ShardInfo& shard : view->meta.shards) {
    if (!after.empty() && engine::shard_id_of(shard.index) <= after) continue;
    if (static_cast<int64_t>(shards.size()) == limit) {
      has_more = true;
      break;
    }
    shards.push_back(shard_json(view->meta, shard));
  }
  Reply reply;
  reply.document = {{"StreamDescription",
                     {{"StreamName", view->meta.key.name},
                      {"StreamARN", view->arn},
                      {"StreamStatus", engine::to_string(view->status)},
                      {"StreamModeDetails", stream_mode_details(view->meta.mode)},
                      {"Shards", std::move(shards)},
                      {"HasMoreShards", has_more},
                      {"RetentionPeriodHours", view->meta.retention_hours},
                      {"StreamCreationTimestamp", epoch_seconds(view->meta.created_ms)},
                      {"EnhancedMonitoring", enhanced_monitoring(resources, *view)},
                      {"EncryptionType", view->meta.encryption_key_id.empty() ? "NONE" : "KMS"}}}};
  if (!view->meta.encryption_key_id.empty()) {
    reply.document["StreamDescription"]["KeyId"] = view->meta.encryption_key_id;
  }
  return reply;
}

Result<Reply> describe_stream_summary(engine::Engine& engine, engine::ResourceStore& resources,
                                      const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  auto view = engine.describe_stream(*key);
  if (!view.ok()) return std::move(view).error();
  Reply reply;
  reply.document = {{"StreamDescriptionSummary",
                     {{"StreamName", view->meta.key.name},
                      {"StreamARN", view->arn},
                      {"StreamStatus", engine::to_string(view->status)},
                      {"StreamModeDetails", stream_mode_details(view->meta.mode)},
                      {"RetentionPeriodHours", view->meta.retention_hours},
                      {"StreamCreationTimestamp", epoch_seconds(view->meta.created_ms)},
                      {"EnhancedMonitoring", enhanced_monitoring(resources, *view)},
                      {"EncryptionType", view->meta.encryption_key_id.empty() ? "NONE" : "KMS"},
                      {"OpenShardCount", view->open_shard_count()},
                      {"ConsumerCount", resources.consumer_count(*view)}}}};
  json& summary = reply.document["StreamDescriptionSummary"];
  if (!view->meta.encryption_key_id.empty()) summary["KeyId"] = view->meta.encryption_key_id;
  summary["MaxRecordSizeInKiB"] = view->meta.max_record_kib;
  summary["RecordDistributionStrategy"] = engine::to_string(view->meta.distribution);
  if (view->meta.warm_throughput_mibps) {
    summary["WarmThroughput"] = {{"TargetMiBps", *view->meta.warm_throughput_mibps},
                                 {"CurrentMiBps", *view->meta.warm_throughput_mibps}};
  }
  return reply;
}

Result<Reply> list_streams(engine::Engine& engine, const RequestContext& ctx, json& request) {
  const int64_t limit = integer_member(request, "Limit").value_or(kListStreamsDefaultLimit);
  std::string after(string_member(request, "ExclusiveStartStreamName"));
  const std::string_view token = string_member(request, "NextToken");
  if (!token.empty()) {
    if (!after.empty()) {
      return make_error(errc::invalid_argument,
                        "NextToken and ExclusiveStartStreamName cannot be provided together.");
    }
    // NextToken: base64 of "<issued ms>/<last stream name>".
    auto decoded = protocol::base64_decode(token);
    std::string text = decoded.ok() ? std::string(decoded->begin(), decoded->end()) : "";
    const auto slash = text.find('/');
    if (slash == std::string::npos || slash == 0) {
      return make_error(errc::invalid_argument, "Invalid NextToken.");
    }
    int64_t issued = 0;
    try {
      issued = std::stoll(text.substr(0, slash));
    } catch (const std::exception&) {
      return make_error(errc::invalid_argument, "Invalid NextToken.");
    }
    if (engine.clock().now_ms() - issued > kNextTokenLifetimeMs) {
      return make_error(errc::expired_next_token, "The NextToken has expired.");
    }
    after = text.substr(slash + 1);
  }

  json names = json::array();
  json summaries = json::array();
  bool has_more = false;
  for (const engine::StreamView& v : engine.list_streams(ctx.account, ctx.region)) {
    if (!after.empty() && v.meta.key.name <= after) continue;
    if (static_cast<int64_t>(names.size()) == limit) {
      has_more = true;
      break;
    }
    names.push_back(v.meta.key.name);
    summaries.push_back({{"StreamName", v.meta.key.name},
                         {"StreamARN", v.arn},
                         {"StreamStatus", engine::to_string(v.status)},
                         {"StreamModeDetails", stream_mode_details(v.meta.mode)},
                         {"StreamCreationTimestamp", epoch_seconds(v.meta.created_ms)}});
  }
  Reply reply;
  reply.document = {{"StreamNames", names}, {"HasMoreStreams", has_more}};
  if (has_more && !names.empty()) {
    reply.document["NextToken"] = protocol::base64_encode(std::to_string(engine.clock().now_ms()) +
                                                          "/" + names.back().get<std::string>());
  }
  reply.document["StreamSummaries"] = std::move(summaries);
  return reply;
}

namespace {
Result<Reply> change_retention(engine::Engine& engine, const RequestContext& ctx, json& request,
                               bool increase) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  // The model bounds nothing here; clamp so a huge value still gets the "too long" message.
  const int hours = static_cast<int>(std::clamp<int64_t>(
      integer_member(request, "RetentionPeriodHours").value_or(0), -1, 1 << 30));
  Status s =
      increase ? engine.increase_retention(*key, hours) : engine.decrease_retention(*key, hours);
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}
}  // namespace

Result<Reply> increase_retention(engine::Engine& engine, const RequestContext& ctx, json& request) {
  return change_retention(engine, ctx, request, true);
}

Result<Reply> decrease_retention(engine::Engine& engine, const RequestContext& ctx, json& request) {
  return change_retention(engine, ctx, request, false);
}

Result<Reply> describe_limits(engine::Engine& engine, const RequestContext& ctx, json&) {
  const engine::AccountLimits limits = engine.describe_limits(ctx.account, ctx.region);
  Reply reply;
  reply.document = {{"ShardLimit", limits.shard_limit},
                    {"OpenShardCount", limits.open_shard_count},
                    {"OnDemandStreamCount", limits.on_demand_stream_count},
                    {"OnDemandStreamCountLimit", limits.on_demand_stream_count_limit}};
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
