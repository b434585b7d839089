// Enhanced fan-out consumers: RegisterStreamConsumer, DeregisterStreamConsumer,
// DescribeStreamConsumer, ListStreamConsumers; and SubscribeToShard, which needs an HTTP/2 event
// stream and is refused with a clear message for now.
#include <cstdlib>

#include "protocol/base64.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

constexpr int64_t kListConsumersDefaultLimit = 100;
constexpr int64_t kNextTokenLifetimeMs = 300'000;

json consumer_json(const engine::ConsumerView& c) {
  return {{"ConsumerName", c.name},
          {"ConsumerARN", c.arn},
          {"ConsumerStatus", engine::to_string(c.status)},
          {"ConsumerCreationTimestamp", epoch_seconds(c.created_ms)}};
}

// DescribeStreamConsumer and DeregisterStreamConsumer name the consumer by ConsumerARN, or by
// StreamARN and ConsumerName.
template <class ByArn, class ByName>
Result<engine::ConsumerView> resolve_consumer(const RequestContext& ctx, const json& request,
                                              ByArn by_arn, ByName by_name) {
  const std::string_view arn = string_member(request, "ConsumerARN");
  const std::string_view stream = string_member(request, "StreamARN");
  const std::string_view name = string_member(request, "ConsumerName");
  if (!arn.empty()) {
    if (!stream.empty() && !arn.starts_with(std::string(stream) + "/consumer/")) {
      return make_error(errc::invalid_argument, "ConsumerARN " + std::string(arn) +
                                                    " is not a consumer of stream " +
                                                    std::string(stream) + ".");
    }
    return by_arn(arn);
  }
  if (stream.empty() || name.empty()) {
    return make_error(errc::invalid_argument,
                      "ConsumerARN or both ConsumerName and StreamARN are required for this "
                      "request.");
  }
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  return by_name(*key, name);
}

}  // namespace

Result<Reply> register_stream_consumer(engine::Engine&, engine::ResourceStore& resources,
                                       const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  auto consumer = resources.register_consumer(*key, string_member(request, "ConsumerName"),
                                              tag_map_member(request, "Tags"));
  if (!consumer.ok()) return std::move(consumer).error();
  Reply reply;
  reply.document = {{"Consumer", consumer_json(*consumer)}};
  return reply;
}

Result<Reply> deregister_stream_consumer(engine::Engine&, engine::ResourceStore& resources,
                                         const RequestContext& ctx, json& request) {
  auto consumer = resolve_consumer(
      ctx, request, [&](std::string_view arn) { return resources.deregister_consumer(arn); },
      [&](const engine::StreamKey& key, std::string_view name) {
        return resources.deregister_consumer(key, name);
      });
  if (!consumer.ok()) return std::move(consumer).error();
  return Reply{};
}

Result<Reply> describe_stream_consumer(engine::Engine&, engine::ResourceStore& resources,
                                       const RequestContext& ctx, json& request) {
  auto consumer = resolve_consumer(
      ctx, request, [&](std::string_view arn) { return resources.describe_consumer(arn); },
      [&](const engine::StreamKey& key, std::string_view name) {
        return resources.describe_consumer(key, name);
      });
  if (!consumer.ok()) return std::move(consumer).error();
  json description = consumer_json(*consumer);
  description["StreamARN"] = consumer->stream_arn;
  Reply reply;
  reply.document = {{"ConsumerDescription", std::move(description)}};
  return reply;
}

Result<Reply> list_stream_consumers(engine::Engine& engine, engine::ResourceStore& resources,
                                    const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  if (auto created = timestamp_ms_member(request, "StreamCreationTimestamp")) {
    // Tells apart streams that had the same name: a different creation time is another stream.
    auto view = engine.describe_stream(*key);
    if (!view.ok()) return std::move(view).error();
    if (std::llabs(view->meta.created_ms - *created) >= 1000) {
      return make_error(errc::resource_not_found, "Stream " + key->name + " under account " +
                                                      key->account +
                                                      " with the given creation time not found.");
    }
  }
  const int64_t limit = integer_member(request, "MaxResults").value_or(kListConsumersDefaultLimit);
  std::string after;
  if (const std::string_view token = string_member(request, "NextToken"); !token.empty()) {
    // NextToken: base64 of "<issued ms>/<last consumer name>".
    auto decoded = protocol::base64_decode(token);
    const std::string text = decoded.ok() ? std::string(decoded->begin(), decoded->end()) : "";
    const auto slash = text.find('/');
    char* end = nullptr;
    const long long issued = slash == std::string::npos ? 0 : std::strtoll(text.c_str(), &end, 10);
    if (slash == std::string::npos || slash == 0 || end != text.c_str() + slash ||
        slash + 1 == text.size()) {
      return make_error(errc::invalid_argument, "Invalid NextToken.");
    }
    if (engine.clock().now_ms() - issued > kNextTokenLifetimeMs) {
      return make_error(errc::expired_next_token, "The NextToken has expired.");
    }
    after = text.substr(slash + 1);
  }
  auto consumers = resources.list_consumers(*key);
  if (!consumers.ok()) return std::move(consumers).error();
  json out = json::array();
  std::string last;
  bool has_more = false;
  for (const engine::ConsumerView& c : *consumers) {
    if (!after.empty() && c.name <= after) continue;
    if (static_cast<int64_t>(out.size()) == limit) {
      has_more = true;
      break;
    }
    out.push_back(consumer_json(c));
    last = c.name;
  }
  Reply reply;
  reply.document = {{"Consumers", std::move(out)}};
  if (has_more) {
    reply.document["NextToken"] =
        protocol::base64_encode(std::to_string(engine.clock().now_ms()) + "/" + last);
  }
  return reply;
}

Result<Reply> subscribe_to_shard(engine::Engine&, engine::ResourceStore& resources,
                                 const RequestContext&, json& request) {
  auto consumer = resources.describe_consumer(string_member(request, "ConsumerARN"));
  if (!consumer.ok()) return std::move(consumer).error();
  return make_error(errc::invalid_argument,
                    "SubscribeToShard (HTTP/2 event stream) is not supported by kinesis-emulator "
                    "yet; read with GetShardIterator and GetRecords instead.");
}

}  // namespace kinesis_emulator::services::kinesis
