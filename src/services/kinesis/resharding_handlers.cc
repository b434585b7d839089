// SplitShard, MergeShards, UpdateShardCount, UpdateStreamMode, UpdateMaxRecordSize,
// UpdateStreamWarmThroughput: the operations that take a stream through UPDATING.
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

Result<Reply> split_shard(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  if (Status s = engine.split_shard(*key, string_member(request, "ShardToSplit"),
                                    string_member(request, "NewStartingHashKey"));
      !s.ok()) {
    return std::move(s).error();
  }
  return Reply{};
}

Result<Reply> merge_shards(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  if (Status s = engine.merge_shards(*key, string_member(request, "ShardToMerge"),
                                     string_member(request, "AdjacentShardToMerge"));
      !s.ok()) {
    return std::move(s).error();
  }
  return Reply{};
}

Result<Reply> update_shard_count(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const int64_t target = integer_member(request, "TargetShardCount").value_or(0);
  auto current = engine.update_shard_count(*key, static_cast<uint32_t>(target));
  if (!current.ok()) return std::move(current).error();
  Reply reply;
  reply.document = {{"StreamName", key->name},
                    {"StreamARN", engine::stream_arn(*key)},
                    {"CurrentShardCount", *current},
                    {"TargetShardCount", target}};
  return reply;
}

Result<Reply> update_stream_mode(engine::Engine& engine, const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const auto& details = request["StreamModeDetails"];
  const engine::StreamMode mode = string_member(details, "StreamMode") == "ON_DEMAND"
                                      ? engine::StreamMode::on_demand
                                      : engine::StreamMode::provisioned;
  if (Status s = engine.update_stream_mode(*key, mode); !s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> update_max_record_size(engine::Engine& engine, const RequestContext& ctx,
                                     json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const auto kib = integer_member(request, "MaxRecordSizeInKiB").value_or(0);
  if (Status s = engine.update_max_record_size(*key, static_cast<int>(kib)); !s.ok()) {
    return std::move(s).error();
  }
  return Reply{};
}

Result<Reply> update_stream_record_distribution_strategy(engine::Engine& engine,
                                                         const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const auto distribution = string_member(request, "RecordDistributionStrategy") == "AUTO"
                                ? engine::RecordDistribution::automatic
                                : engine::RecordDistribution::user_partition_key;
  if (Status s = engine.update_record_distribution(*key, distribution); !s.ok()) {
    return std::move(s).error();
  }
  return Reply{};
}

Result<Reply> update_stream_warm_throughput(engine::Engine& engine, const RequestContext& ctx,
                                            json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  const int64_t target = integer_member(request, "WarmThroughputMiBps").value_or(0);
  if (Status s = engine.update_warm_throughput(*key, target); !s.ok()) {
    return std::move(s).error();
  }
  Reply reply;
  reply.document = {{"StreamARN", engine::stream_arn(*key)},
                    {"StreamName", key->name},
                    {"WarmThroughput", {{"TargetMiBps", target}, {"CurrentMiBps", target}}}};
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
