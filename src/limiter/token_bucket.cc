#include "limiter/token_bucket.h"

#include <algorithm>
#include <limits>

namespace kinesis_emulator::limiter {

TokenBucket::TokenBucket(uint64_t rate_per_s, uint64_t burst, int64_t now_ms) {
  reconfigure(rate_per_s, burst, now_ms);
}

int64_t TokenBucket::to_milli(uint64_t n) {
  return static_cast<int64_t>(std::min<uint64_t>(n, kLimit / kMilli)) * kMilli;
}

int64_t TokenBucket::needed(uint64_t n) const {
  return std::min(to_milli(n), capacity_);
}

int64_t TokenBucket::balance_at(int64_t now_ms) const {
  // A clock that stepped backwards refills nothing (refill() then re-bases on it).
  if (now_ms <= last_ms_ || balance_ >= capacity_) return balance_;
  const int64_t elapsed = now_ms - last_ms_;
  const int64_t deficit = capacity_ - balance_;
  // Compare before multiplying: elapsed may be years, rate large.
  if (elapsed > deficit / rate_) return capacity_;
  return std::min(capacity_, balance_ + elapsed * rate_);
}

void TokenBucket::refill(int64_t now_ms) {
  balance_ = balance_at(now_ms);
  last_ms_ = now_ms;
}

bool TokenBucket::try_take(uint64_t n, int64_t now_ms) {
  if (unlimited()) return true;
  refill(now_ms);
  if (balance_ < needed(n)) return false;
  balance_ = std::max(balance_ - to_milli(n), -kLimit);
  return true;
}

bool TokenBucket::can_take(uint64_t n, int64_t now_ms) const {
  return unlimited() || balance_at(now_ms) >= needed(n);
}

void TokenBucket::charge(uint64_t n, int64_t now_ms) {
  if (unlimited()) return;
  refill(now_ms);
  balance_ = std::max(balance_ - to_milli(n), -kLimit);
}

bool TokenBucket::in_debt(int64_t now_ms) const {
  return !unlimited() && balance_at(now_ms) < 0;
}

int64_t TokenBucket::ms_until_available(uint64_t n, int64_t now_ms) const {
  if (unlimited()) return 0;
  const int64_t missing = needed(n) - balance_at(now_ms);
  if (missing <= 0) return 0;
  // If the clock stepped backwards, refill restarts from now_ms: the estimate still holds.
  return (missing + rate_ - 1) / rate_;
}

double TokenBucket::tokens(int64_t now_ms) const {
  if (unlimited()) return std::numeric_limits<double>::infinity();
  return static_cast<double>(balance_at(now_ms)) / kMilli;
}

void TokenBucket::reconfigure(uint64_t rate_per_s, uint64_t burst, int64_t now_ms) {
  const bool was_unlimited = unlimited();
  if (!was_unlimited) refill(now_ms);
  rate_ = static_cast<int64_t>(std::min<uint64_t>(rate_per_s, kLimit));
  last_ms_ = now_ms;
  if (unlimited()) {
    capacity_ = balance_ = 0;
    return;
  }
  capacity_ = to_milli(std::max<uint64_t>(burst, 1));
  balance_ = was_unlimited ? capacity_ : std::min(balance_, capacity_);
}

}  // namespace kinesis_emulator::limiter
