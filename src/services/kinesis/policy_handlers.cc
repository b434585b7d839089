// Resource policies of streams and consumers: PutResourcePolicy, GetResourcePolicy,
// DeleteResourcePolicy. Policies are stored and returned as given; they are not enforced.
#include "services/kinesis/handlers.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

Result<Reply> put_resource_policy(engine::Engine&, engine::ResourceStore& resources,
                                  const RequestContext&, json& request) {
  Status s =
      resources.put_policy(string_member(request, "ResourceARN"), string_member(request, "Policy"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

Result<Reply> get_resource_policy(engine::Engine&, engine::ResourceStore& resources,
                                  const RequestContext&, json& request) {
  auto policy = resources.get_policy(string_member(request, "ResourceARN"));
  if (!policy.ok()) return std::move(policy).error();
  Reply reply;
  // A resource without a policy answers an empty policy document, not an error.
  reply.document = {{"Policy", policy->value_or("{}")}};
  return reply;
}

Result<Reply> delete_resource_policy(engine::Engine&, engine::ResourceStore& resources,
                                     const RequestContext&, json& request) {
  Status s = resources.delete_policy(string_member(request, "ResourceARN"));
  if (!s.ok()) return std::move(s).error();
  return Reply{};
}

}  // namespace kinesis_emulator::services::kinesis
