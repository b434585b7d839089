#include "services/kinesis/kinesis_service.h"

#include "services/kinesis/handlers.h"
#include "services/kinesis/model.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

// The operations that need only the engine.
std::map<std::string, protocol::Handler> engine_handlers(engine::Engine& engine) {
  using Fn = Result<Reply> (*)(engine::Engine&, const RequestContext&, json&);
  const std::pair<const char*, Fn> table[] = {
      {"ListStreams", list_streams},
      {"ListShards", list_shards},
      {"IncreaseStreamRetentionPeriod", increase_retention},
      {"DecreaseStreamRetentionPeriod", decrease_retention},
      {"DescribeLimits", describe_limits},
      {"PutRecord", put_record},
      {"PutRecords", put_records},
      {"GetShardIterator", get_shard_iterator},
      {"GetRecords", get_records},
      {"SplitShard", split_shard},
      {"MergeShards", merge_shards},
      {"UpdateShardCount", update_shard_count},
      {"UpdateStreamMode", update_stream_mode},
      {"UpdateMaxRecordSize", update_max_record_size},
      {"UpdateStreamWarmThroughput", update_stream_warm_throughput},
      {"UpdateStreamRecordDistributionStrategy", update_stream_record_distribution_strategy},
      {"StartStreamEncryption", start_stream_encryption},
      {"StopStreamEncryption", stop_stream_encryption},
  };
  std::map<std::string, protocol::Handler> out;
  for (const auto& [name, fn] : table) {
    out[name] = [&engine, fn = fn](const RequestContext& ctx, json& request) {
      return fn(engine, ctx, request);
    };
  }
  return out;
}

std::map<std::string, protocol::Handler> handlers(engine::Engine& engine,
                                                  engine::ResourceStore& resources,
                                                  limiter::ControlPlaneLimiter* control_plane) {
  using Fn =
      Result<Reply> (*)(engine::Engine&, engine::ResourceStore&, const RequestContext&, json&);
  const std::pair<const char*, Fn> table[] = {
      {"CreateStream", create_stream},
      {"DeleteStream", delete_stream},
      {"DescribeStream", describe_stream},
      {"DescribeStreamSummary", describe_stream_summary},
      {"AddTagsToStream", add_tags_to_stream},
      {"RemoveTagsFromStream", remove_tags_from_stream},
      {"ListTagsForStream", list_tags_for_stream},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"ListTagsForResource", list_tags_for_resource},
      {"RegisterStreamConsumer", register_stream_consumer},
      {"DeregisterStreamConsumer", deregister_stream_consumer},
      {"DescribeStreamConsumer", describe_stream_consumer},
      {"ListStreamConsumers", list_stream_consumers},
      {"SubscribeToShard", subscribe_to_shard},
      {"PutResourcePolicy", put_resource_policy},
      {"GetResourcePolicy", get_resource_policy},
      {"DeleteResourcePolicy", delete_resource_policy},
      {"DescribeAccountSettings", describe_account_settings},
      {"UpdateAccountSettings", update_account_settings},
      {"EnableEnhancedMonitoring", enable_enhanced_monitoring},
      {"DisableEnhancedMonitoring", disable_enhanced_monitoring},
  };
  std::map<std::string, protocol::Handler> out = engine_handlers(engine);
  for (const auto& [name, fn] : table) {
    out[name] = [&engine, &resources, fn = fn](const RequestContext& ctx, json& request) {
      return fn(engine, resources, ctx, request);
    };
  }
  // DryRun (PutRecord, PutRecords, GetRecords, GetShardIterator, SubscribeToShard): a request
  // that names an existing stream is answered as AWS does, with nothing done.
  for (const char* name :
       {"PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "SubscribeToShard"}) {
    auto& handler = out.at(name);
    handler = [&engine, inner = std::move(handler)](const RequestContext& ctx,
                                                    json& request) -> Result<Reply> {
      const auto dry_run = request.find("DryRun");
      if (dry_run == request.end() || !dry_run->is_boolean() || !dry_run->get<bool>()) {
        return inner(ctx, request);
      }
      if (request.contains("StreamName") || request.contains("StreamARN")) {
        auto key = stream_key(ctx, request);
        if (!key.ok()) return std::move(key).error();
        if (auto view = engine.describe_stream(*key); !view.ok()) return std::move(view).error();
      }
      return make_error(errc::dry_run, "Request would have succeeded, but DryRun flag is set.");
    };
  }
  // Only wrapped when on: the wrapper reads the stream name from every request.
  if (control_plane != nullptr && control_plane->enabled()) {
    for (auto& [name, handler] : out) {
      handler = [control_plane, name = name, inner = std::move(handler)](
                    const RequestContext& ctx, json& request) -> Result<Reply> {
        // The stream a call names keys the per-stream rates (ListShards, consumers).
        std::string stream(string_member(request, "StreamName"));
        if (stream.empty()) {
          if (auto key = stream_key(ctx, request); key.ok()) stream = key->name;
        }
        if (Status s = control_plane->admit(name, ctx.account, ctx.region, stream); !s.ok()) {
          return std::move(s).error();
        }
        return inner(ctx, request);
      };
    }
  }
  return out;
}

std::map<std::string, protocol::FlatHandler> flat_handlers(engine::Engine& engine) {
  using Fn =
      Result<Reply> (*)(engine::Engine&, const RequestContext&, const protocol::FlatRequest&);
  const std::pair<const char*, Fn> table[] = {
      {"PutRecord", put_record_flat},
      {"PutRecords", put_records_flat},
  };
  std::map<std::string, protocol::FlatHandler> out;
  for (const auto& [name, fn] : table) {
    out[name] = [&engine, fn = fn](const RequestContext& ctx,
                                   const protocol::FlatRequest& request) {
      return fn(engine, ctx, request);
    };
  }
  return out;
}

}  // namespace

protocol::ErrorTable error_table() {
  return {
      {errc::resource_not_found, "ResourceNotFoundException", 400},
      {errc::resource_in_use, "ResourceInUseException", 400},
      {errc::invalid_argument, "InvalidArgumentException", 400},
      {errc::expired_iterator, "ExpiredIteratorException", 400},
      {errc::expired_next_token, "ExpiredNextTokenException", 400},
      {errc::limit_exceeded, "LimitExceededException", 400},
      {errc::provisioned_throughput_exceeded, "ProvisionedThroughputExceededException", 400},
      {errc::access_denied, "AccessDeniedException", 400},
      {errc::dry_run, "DryRunOperationException", 400},
  };
}

protocol::ServiceDefinition definition(engine::Engine& engine, engine::ResourceStore& resources,
                                       limiter::ControlPlaneLimiter* control_plane) {
  protocol::ServiceDefinition service;
  service.model = &service_model();
  service.errors = error_table();
  for (auto& [name, handler] : handlers(engine, resources, control_plane)) {
    service.operations[name].handler = std::move(handler);
  }
  for (auto& [name, flat] : flat_handlers(engine)) service.operations[name].flat = std::move(flat);
  return service;
}

}  // namespace kinesis_emulator::services::kinesis
