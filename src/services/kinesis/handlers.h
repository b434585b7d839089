#pragma once
// Internal: the Kinesis handler functions, one per operation, grouped by file.

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/resource_store.h"
#include "protocol/dispatcher.h"

namespace kinesis_emulator::services::kinesis {

using nlohmann::json;
using protocol::Reply;
using protocol::RequestContext;

#define KE_KINESIS_HANDLER(fn) \
  Result<Reply> fn(engine::Engine& engine, const RequestContext& ctx, json& request)

// stream_handlers.cc
KE_KINESIS_HANDLER(list_streams);
KE_KINESIS_HANDLER(increase_retention);
KE_KINESIS_HANDLER(decrease_retention);
KE_KINESIS_HANDLER(describe_limits);
// shard_handlers.cc
KE_KINESIS_HANDLER(list_shards);
// record_handlers.cc
KE_KINESIS_HANDLER(put_record);
KE_KINESIS_HANDLER(put_records);
KE_KINESIS_HANDLER(get_shard_iterator);
KE_KINESIS_HANDLER(get_records);
// The fast paths of PutRecord and PutRecords (protocol/flat_request.h).
Result<Reply> put_record_flat(engine::Engine& engine, const RequestContext& ctx,
                              const protocol::FlatRequest& request);
Result<Reply> put_records_flat(engine::Engine& engine, const RequestContext& ctx,
                               const protocol::FlatRequest& request);
// resharding_handlers.cc
KE_KINESIS_HANDLER(split_shard);
KE_KINESIS_HANDLER(merge_shards);
KE_KINESIS_HANDLER(update_shard_count);
KE_KINESIS_HANDLER(update_stream_mode);
KE_KINESIS_HANDLER(update_max_record_size);
KE_KINESIS_HANDLER(update_stream_warm_throughput);
KE_KINESIS_HANDLER(update_stream_record_distribution_strategy);
// encryption_handlers.cc
KE_KINESIS_HANDLER(start_stream_encryption);
KE_KINESIS_HANDLER(stop_stream_encryption);

#undef KE_KINESIS_HANDLER

// Handlers that also need the ResourceStore (tags, consumers, policies, settings).
#define KE_KINESIS_RESOURCE_HANDLER(fn)                                      \
  Result<Reply> fn(engine::Engine& engine, engine::ResourceStore& resources, \
                   const RequestContext& ctx, json& request)

// tag_handlers.cc
// stream_handlers.cc, the ones that also report or clean up resources
KE_KINESIS_RESOURCE_HANDLER(create_stream);
KE_KINESIS_RESOURCE_HANDLER(delete_stream);
KE_KINESIS_RESOURCE_HANDLER(describe_stream);
KE_KINESIS_RESOURCE_HANDLER(describe_stream_summary);
KE_KINESIS_RESOURCE_HANDLER(add_tags_to_stream);
KE_KINESIS_RESOURCE_HANDLER(remove_tags_from_stream);
KE_KINESIS_RESOURCE_HANDLER(list_tags_for_stream);
KE_KINESIS_RESOURCE_HANDLER(tag_resource);
KE_KINESIS_RESOURCE_HANDLER(untag_resource);
KE_KINESIS_RESOURCE_HANDLER(list_tags_for_resource);
// consumer_handlers.cc
KE_KINESIS_RESOURCE_HANDLER(register_stream_consumer);
KE_KINESIS_RESOURCE_HANDLER(deregister_stream_consumer);
KE_KINESIS_RESOURCE_HANDLER(describe_stream_consumer);
KE_KINESIS_RESOURCE_HANDLER(list_stream_consumers);
KE_KINESIS_RESOURCE_HANDLER(subscribe_to_shard);
// policy_handlers.cc
KE_KINESIS_RESOURCE_HANDLER(put_resource_policy);
KE_KINESIS_RESOURCE_HANDLER(get_resource_policy);
KE_KINESIS_RESOURCE_HANDLER(delete_resource_policy);
// account_handlers.cc (account settings, and the per-stream enhanced monitoring settings)
KE_KINESIS_RESOURCE_HANDLER(describe_account_settings);
KE_KINESIS_RESOURCE_HANDLER(update_account_settings);
KE_KINESIS_RESOURCE_HANDLER(enable_enhanced_monitoring);
KE_KINESIS_RESOURCE_HANDLER(disable_enhanced_monitoring);

#undef KE_KINESIS_RESOURCE_HANDLER

// A TagMap member ({"key": "value", ...}) as a TagList; empty when absent (tag_handlers.cc).
engine::TagList tag_map_member(const json& request, std::string_view name);

// The Shard structure of DescribeStream and ListShards.
json shard_json(const engine::StreamMeta& meta, const engine::ShardInfo& shard);

}  // namespace kinesis_emulator::services::kinesis
