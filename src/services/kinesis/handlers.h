#pragma once
// Internal: the Kinesis handler functions, one per operation, grouped by file.

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "protocol/dispatcher.h"

namespace kinesis_emulator::services::kinesis {

using nlohmann::json;
using protocol::Reply;
using protocol::RequestContext;

#define KE_KINESIS_HANDLER(fn) \
  Result<Reply> fn(engine::Engine& engine, const RequestContext& ctx, json& request)

// stream_handlers.cc
KE_KINESIS_HANDLER(create_stream);
KE_KINESIS_HANDLER(delete_stream);
KE_KINESIS_HANDLER(describe_stream);
KE_KINESIS_HANDLER(describe_stream_summary);
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
// resharding_handlers.cc
KE_KINESIS_HANDLER(split_shard);
KE_KINESIS_HANDLER(merge_shards);
KE_KINESIS_HANDLER(update_shard_count);
KE_KINESIS_HANDLER(update_stream_mode);

#undef KE_KINESIS_HANDLER

// The Shard structure of DescribeStream and ListShards.
json shard_json(const engine::StreamMeta& meta, const engine::ShardInfo& shard);

}  // namespace kinesis_emulator::services::kinesis
