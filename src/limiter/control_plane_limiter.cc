#include "limiter/control_plane_limiter.h"

namespace kinesis_emulator::limiter {

// One operation's buckets. Control-plane rates are low, so one mutex per operation is plenty.
struct ControlPlaneLimiter::Slot {
  OperationRate rate;
  std::mutex mu;
  std::unordered_map<std::string, TokenBucket> buckets;  // guarded by mu
};

namespace {

// Buckets of accounts or streams gone quiet are dropped once there are this many: a full
// bucket is indistinguishable from a new one.
constexpr std::size_t kSweepAbove = 4096;

std::string bucket_key(const OperationRate& rate, std::string_view account, std::string_view region,
                       std::string_view stream) {
  std::string key;
  key.reserve(account.size() + region.size() + stream.size() + 2);
  key.append(account).append(1, '\n').append(region);
  if (rate.scope == RateScope::stream) key.append(1, '\n').append(stream);
  return key;
}

}  // namespace

std::vector<OperationRate> default_control_plane_rates() {
  using enum RateScope;
  return {
      // Per account (and region).
      {"AddTagsToStream", 5, account},
      {"CreateStream", 5, account},
      {"DeleteStream", 5, account},
      {"DescribeAccountSettings", 5, account},
      {"DescribeLimits", 1, account},
      {"DescribeStream", 10, account},
      {"DescribeStreamSummary", 20, account},
      {"ListStreams", 5, account},
      {"ListTagsForStream", 5, account},
      {"MergeShards", 5, account},
      {"RegisterStreamConsumer", 5, account},
      {"RemoveTagsFromStream", 5, account},
      {"SplitShard", 5, account},
      {"UpdateAccountSettings", 5, account},
      {"UpdateShardCount", 10, account},  // "Make over 10 TPS" -> LimitExceededException
      {"UpdateStreamWarmThroughput", 5, account},
      // Per stream.
      {"DeregisterStreamConsumer", 5, stream},
      {"DescribeStreamConsumer", 20, stream},
      {"ListShards", 1000, stream},
      {"ListStreamConsumers", 5, stream},
  };
}

ControlPlaneLimiter::ControlPlaneLimiter(const Clock& clock, ControlPlaneConfig config)
    : clock_(clock), enabled_(config.enabled) {
  for (OperationRate& r : config.rates) {
    if (r.per_second == 0) {
      slots_.erase(r.operation);
      continue;
    }
    auto& slot = slots_[r.operation];
    if (!slot) slot = std::make_unique<Slot>();
    slot->rate = std::move(r);
  }
}

ControlPlaneLimiter::~ControlPlaneLimiter() = default;

bool ControlPlaneLimiter::enabled() const {
  return enabled_.load(std::memory_order_relaxed);
}

void ControlPlaneLimiter::set_enabled(bool on) {
  enabled_.store(on, std::memory_order_relaxed);
}

OperationRate ControlPlaneLimiter::rate_of(std::string_view operation) const {
  auto it = slots_.find(operation);
  if (it == slots_.end()) return OperationRate{std::string(operation), 0, RateScope::account};
  return it->second->rate;
}

std::size_t ControlPlaneLimiter::bucket_count(std::string_view operation) const {
  auto it = slots_.find(operation);
  if (it == slots_.end()) return 0;
  std::lock_guard lock(it->second->mu);
  return it->second->buckets.size();
}

Status ControlPlaneLimiter::admit(std::string_view operation, std::string_view account,
                                  std::string_view region, std::string_view stream) {
  if (!enabled()) return {};
  auto it = slots_.find(operation);
  if (it == slots_.end()) return {};
  Slot& slot = *it->second;
  std::string key = bucket_key(slot.rate, account, region, stream);
  {
    std::lock_guard lock(slot.mu);
    const int64_t now = clock_.now_ms();  // under the lock, so buckets see time in order
    auto found = slot.buckets.find(key);
    if (found == slot.buckets.end()) {
      if (slot.buckets.size() >= kSweepAbove) {
        std::erase_if(slot.buckets, [&](const auto& entry) {
          return entry.second.can_take(entry.second.burst(), now);
        });
      }
      found =
          slot.buckets.try_emplace(std::move(key), slot.rate.per_second, slot.rate.per_second, now)
              .first;
    }
    if (found->second.try_take(1, now)) return {};
  }
  std::string m = "Rate exceeded for ";
  if (!stream.empty()) m.append("stream ").append(stream).append(" under ");
  m.append("account ").append(account).append(".");
  return make_error(errc::limit_exceeded, std::move(m));
}

}  // namespace kinesis_emulator::limiter
