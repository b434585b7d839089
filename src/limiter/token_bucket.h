#pragma once
// A token bucket in exact integer arithmetic, driven by the caller's clock readings.
//
// Tokens are kept in thousandths ("milli-tokens"), so a rate of R tokens per second refills
// exactly R milli-tokens per millisecond: no rounding, however long or short the interval.
// The bucket holds at most `burst` tokens and starts full. It is a plain value and is NOT
// synchronised: its owner (ShardLimiter, ControlPlaneLimiter) guards it with a mutex, and reads
// the clock under that mutex. A reading earlier than the previous one is taken as the clock
// having been set back: it refills nothing and refilling restarts from it (rather than stalling
// until the clock catches up), so readings must arrive in order or time would count twice.

#include <cstdint>

namespace kinesis_emulator::limiter {

class TokenBucket {
 public:
  // An unlimited bucket: every take succeeds, charges are ignored.
  TokenBucket() = default;
  // `rate_per_s` tokens per second (0 = unlimited), at most `burst` tokens (at least 1 is
  // kept), full at `now_ms`.
  TokenBucket(uint64_t rate_per_s, uint64_t burst, int64_t now_ms);

  bool unlimited() const { return rate_ == 0; }
  uint64_t rate_per_s() const { return static_cast<uint64_t>(rate_); }
  uint64_t burst() const { return static_cast<uint64_t>(capacity_ / kMilli); }

  // Takes `n` tokens if the balance allows, else takes nothing. The balance allows it when it
  // holds `n` tokens, or, for `n` above the burst, when the bucket is full: an oversized
  // request is then admitted and leaves the balance negative (never refused forever).
  bool try_take(uint64_t n, int64_t now_ms);
  // Whether try_take(n, now_ms) would succeed; changes nothing observable.
  bool can_take(uint64_t n, int64_t now_ms) const;
  // Takes `n` tokens unconditionally; the balance may go negative (a debt, repaid by refill).
  void charge(uint64_t n, int64_t now_ms);
  // True while the balance is below zero.
  bool in_debt(int64_t now_ms) const;

  // Milliseconds from `now_ms` until try_take(n) would succeed (0 if it would now); with
  // n == 0, until the debt is repaid.
  int64_t ms_until_available(uint64_t n, int64_t now_ms) const;
  // The balance in tokens (fractional, negative when in debt); for tests and diagnostics.
  double tokens(int64_t now_ms) const;

  // New rate and burst, keeping the balance (clamped to the new burst).
  void reconfigure(uint64_t rate_per_s, uint64_t burst, int64_t now_ms);

 private:
  static constexpr int64_t kMilli = 1000;
  // Balances and amounts are clamped here so that arithmetic can never overflow.
  static constexpr int64_t kLimit = INT64_C(1) << 60;

  void refill(int64_t now_ms);
  int64_t balance_at(int64_t now_ms) const;
  int64_t needed(uint64_t n) const;  // milli-tokens try_take(n) requires in the balance
  static int64_t to_milli(uint64_t n);

  int64_t rate_ = 0;      // tokens per second == milli-tokens per millisecond; 0: unlimited
  int64_t capacity_ = 0;  // milli-tokens
  int64_t balance_ = 0;   // milli-tokens; negative while in debt
  int64_t last_ms_ = 0;   // clock reading the balance is valid at
};

}  // namespace kinesis_emulator::limiter
