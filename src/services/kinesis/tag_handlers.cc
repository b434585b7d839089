// Tags: AddTagsToStream, RemoveTagsFromStream, ListTagsForStream (streams by name or ARN) and
// TagResource, UntagResource, ListTagsForResource (streams or consumers by ARN). One tag store,
// keyed by the resource's ARN, serves both families.
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

std::vector<std::string> string_list_member(const json& request, std::string_view name) {
  std::vector<std::string> out;
  auto it = request.find(name);
  if (it == request.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

json tags_json(const engine::TagList& tags) {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{"Key", k}, {"Value", v}});
  return out;
}

}  // namespace

engine::TagList tag_map_member(const json& request, std::string_view name) {
  engine::TagList out;
  auto it = request.find(name);
  if (it == request.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) {
    out.emplace_back(k, v.is_string() ? v.get<std::string>() : std::string());
  }
  return out;
}

Result<Reply> add_tags_to_stream(engine::Engine&, engine::ResourceStore& resources,
                                 const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  Status s = resources.add_tags(engine::stream_arn(*key), tag_map_member(request, "Tags"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> remove_tags_from_stream(engine::Engine&, engine::ResourceStore& resources,
                                      const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  Status s =
      resources.remove_tags(engine::stream_arn(*key), string_list_member(request, "TagKeys"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> list_tags_for_stream(engine::Engine&, engine::ResourceStore& resources,
                                   const RequestContext& ctx, json& request) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  auto tags = resources.list_tags(engine::stream_arn(*key));
  if (!tags.ok()) return std::move(tags).error();
  const int64_t limit =
      integer_member(request, "Limit").value_or(static_cast<int64_t>(engine::kMaxTagsPerResource));
  const std::string_view after = string_member(request, "ExclusiveStartTagKey");
  engine::TagList page;
  bool has_more = false;
  for (auto& tag : *tags) {
    if (!after.empty() && tag.first <= after) continue;
    if (static_cast<int64_t>(page.size()) == limit) {
      has_more = true;
      break;
    }
    page.push_back(std::move(tag));
  }
  Reply reply;
  reply.document = {{"Tags", tags_json(page)}, {"HasMoreTags", has_more}};
  return reply;
}

Result<Reply> tag_resource(engine::Engine&, engine::ResourceStore& resources, const RequestContext&,
                           json& request) {
  Status s =
      resources.add_tags(string_member(request, "ResourceARN"), tag_map_member(request, "Tags"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> untag_resource(engine::Engine&, engine::ResourceStore& resources,
                             const RequestContext&, json& request) {
  Status s = resources.remove_tags(string_member(request, "ResourceARN"),
                                   string_list_member(request, "TagKeys"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> list_tags_for_resource(engine::Engine&, engine::ResourceStore& resources,
                                     const RequestContext&, json& request) {
  auto tags = resources.list_tags(string_member(request, "ResourceARN"));
  if (!tags.ok()) return std::move(tags).error();
  Reply reply;
  reply.document = {{"Tags", tags_json(*tags)}};
  return reply;
}

}  // namespace kinesis_emulator::services::kinesis
