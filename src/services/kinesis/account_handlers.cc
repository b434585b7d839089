// Settings: DescribeAccountSettings and UpdateAccountSettings (the minimum throughput billing
// commitment, per account and region), and the per-stream enhanced monitoring settings
// (EnableEnhancedMonitoring, DisableEnhancedMonitoring). Settings are stored and reported; no
// billing or CloudWatch metrics exist behind them.
#include <algorithm>

#include "protocol/service_model.h"
#include "services/kinesis/handlers.h"
#include "services/kinesis/model.h"
#include "services/kinesis/request_fields.h"

namespace kinesis_emulator::services::kinesis {

namespace {

json commitment_json(const engine::BillingCommitment& c) {
  json out = {{"Status", engine::to_string(c.status)}};
  if (c.started_ms) out["StartedAt"] = epoch_seconds(*c.started_ms);
  if (c.ended_ms) out["EndedAt"] = epoch_seconds(*c.ended_ms);
  if (c.earliest_allowed_end_ms)
    out["EarliestAllowedEndAt"] = epoch_seconds(*c.earliest_allowed_end_ms);
  return out;
}

// Every shard-level metric name of the model ("ALL" excluded).
const std::vector<std::string>& all_metric_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    if (const protocol::Shape* shape =
            services::kinesis::service_model().find_shape("MetricsName")) {
      for (const std::string& v : shape->enum_values) {
        if (v != "ALL") out.push_back(v);
      }
    }
    return out;
  }();
  return names;
}

Result<Reply> change_monitoring(engine::ResourceStore& resources, const RequestContext& ctx,
                                const json& request, bool enable) {
  auto key = stream_key(ctx, request);
  if (!key.ok()) return std::move(key).error();
  std::vector<std::string> metrics;
  if (auto it = request.find("ShardLevelMetrics"); it != request.end() && it->is_array()) {
    for (const json& m : *it) {
      if (!m.is_string()) continue;
      if (m.get_ref<const std::string&>() == "ALL") {
        const auto& all = all_metric_names();
        metrics.insert(metrics.end(), all.begin(), all.end());
      } else {
        metrics.push_back(m.get<std::string>());
      }
    }
  }
  auto change =
      enable ? resources.enable_metrics(*key, metrics) : resources.disable_metrics(*key, metrics);
  if (!change.ok()) return std::move(change).error();
  Reply reply;
  reply.document = {{"StreamName", change->stream_name},
                    {"StreamARN", change->stream_arn},
                    {"CurrentShardLevelMetrics", change->current},
                    {"DesiredShardLevelMetrics", change->desired}};
  return reply;
}

}  // namespace

Result<Reply> describe_account_settings(engine::Engine&, engine::ResourceStore& resources,
                                        const RequestContext& ctx, json&) {
  Reply reply;
  reply.document = {{"MinimumThroughputBillingCommitment",
                     commitment_json(resources.billing_commitment(ctx.account, ctx.region))}};
  return reply;
}

Result<Reply> update_account_settings(engine::Engine&, engine::ResourceStore& resources,
                                      const RequestContext& ctx, json& request) {
  std::string_view status;
  if (auto it = request.find("MinimumThroughputBillingCommitment");
      it != request.end() && it->is_object()) {
    status = string_member(*it, "Status");
  }
  auto commitment =
      resources.update_billing_commitment(ctx.account, ctx.region, status == "ENABLED");
  if (!commitment.ok()) return std::move(commitment).error();
  Reply reply;
  reply.document = {{"MinimumThroughputBillingCommitment", commitment_json(*commitment)}};
  return reply;
}

Result<Reply> enable_enhanced_monitoring(engine::Engine&, engine::ResourceStore& resources,
                                         const RequestContext& ctx, json& request) {
  return change_monitoring(resources, ctx, request, true);
}

Result<Reply> disable_enhanced_monitoring(engine::Engine&, engine::ResourceStore& resources,
                                          const RequestContext& ctx, json& request) {
  return change_monitoring(resources, ctx, request, false);
}

}  // namespace kinesis_emulator::services::kinesis
