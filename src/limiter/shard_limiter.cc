#include "limiter/shard_limiter.h"

#include <string>

namespace kinesis_emulator::limiter {

namespace {

// Tokens a bucket of `rate_per_s` holds for `burst_ms` (without overflowing the product).
uint64_t burst_of(uint64_t rate_per_s, uint64_t burst_ms) {
  return rate_per_s / 1000 * burst_ms + rate_per_s % 1000 * burst_ms / 1000;
}

void configure(TokenBucket& bucket, uint64_t rate_per_s, uint64_t burst_ms, int64_t now_ms) {
  bucket.reconfigure(rate_per_s, burst_of(rate_per_s, burst_ms), now_ms);
}

}  // namespace

const char* to_string(Admission a) {
  switch (a) {
    case Admission::admitted:
      return "admitted";
    case Admission::bytes_exceeded:
      return "bytes_exceeded";
    case Admission::records_exceeded:
      return "records_exceeded";
    case Admission::calls_exceeded:
      return "calls_exceeded";
  }
  return "unknown";
}

ThroughputPolicy::ThroughputPolicy(const Clock& clock, ThroughputConfig config)
    : clock_(clock), config_(config), enabled_(config.enabled) {}

ShardLimiter::ShardLimiter(const ThroughputPolicy& policy, CapacityMode mode)
    : policy_(policy), mode_(mode) {
  set_mode(mode);
}

void ShardLimiter::set_mode(CapacityMode mode) {
  const ShardLimits& l = policy_.limits(mode);
  {
    std::lock_guard lock(write_mu_);
    const int64_t now = policy_.clock().now_ms();
    configure(write_bytes_, l.write_bytes_per_s, l.burst_ms, now);
    configure(write_records_, l.write_records_per_s, l.burst_ms, now);
  }
  {
    std::lock_guard lock(read_mu_);
    const int64_t now = policy_.clock().now_ms();
    configure(read_bytes_, l.read_bytes_per_s, l.burst_ms, now);
    configure(read_calls_, l.read_calls_per_s, l.burst_ms, now);
    configure(iterator_calls_, l.shard_iterator_calls_per_s, l.burst_ms, now);
  }
  mode_.store(mode, std::memory_order_relaxed);
}

Admission ShardLimiter::admit_write(uint64_t bytes, uint64_t records) {
  if (!policy_.enabled()) return Admission::admitted;
  std::lock_guard lock(write_mu_);
  const int64_t now = policy_.clock().now_ms();  // under the lock: see the header
  if (!write_records_.can_take(records, now)) return Admission::records_exceeded;
  if (!write_bytes_.try_take(bytes, now)) return Admission::bytes_exceeded;
  write_records_.try_take(records, now);  // cannot fail: checked above at the same instant
  return Admission::admitted;
}

Admission ShardLimiter::admit_read() {
  if (!policy_.enabled()) return Admission::admitted;
  std::lock_guard lock(read_mu_);
  const int64_t now = policy_.clock().now_ms();
  if (read_bytes_.in_debt(now)) return Admission::bytes_exceeded;
  if (!read_calls_.try_take(1, now)) return Admission::calls_exceeded;
  return Admission::admitted;
}

void ShardLimiter::charge_read(uint64_t bytes) {
  if (bytes == 0 || !policy_.enabled()) return;
  std::lock_guard lock(read_mu_);
  const int64_t now = policy_.clock().now_ms();
  read_bytes_.charge(bytes, now);
}

Admission ShardLimiter::admit_shard_iterator() {
  if (!policy_.enabled()) return Admission::admitted;
  std::lock_guard lock(read_mu_);
  const int64_t now = policy_.clock().now_ms();
  return iterator_calls_.try_take(1, now) ? Admission::admitted : Admission::calls_exceeded;
}

Error shard_rate_exceeded(std::string_view account, std::string_view stream,
                          std::string_view shard_id) {
  std::string m = "Rate exceeded for shard ";
  m.append(shard_id).append(" in stream ").append(stream).append(" under account ");
  m.append(account).append(".");
  return make_error(errc::provisioned_throughput_exceeded, std::move(m));
}

Error get_records_rate_exceeded(std::string_view account, std::string_view stream,
                                std::string_view shard_id) {
  std::string m = "Rate exceeded for Shard - ";
  m.append(account).append("/").append(stream).append("/").append(shard_id);
  return make_error(errc::provisioned_throughput_exceeded, std::move(m));
}

}  // namespace kinesis_emulator::limiter
