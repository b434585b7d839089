#pragma once
// Time comes through an interface so that the engine's time-based behaviour (state delays,
// retention, iterator expiry) is testable without sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace kinesis_emulator {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// Time that moves only when told: the unit tests' clock, and the server's with --clock
// controllable (it then starts at the real time).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }
  // Moves to `ms` unless that is in the past; false (and no change) if it is. Atomic with
  // respect to concurrent moves, so two callers can never take time backwards between them.
  bool set_forward_ms(int64_t ms) {
    int64_t current = now_.load();
    while (ms >= current) {
      if (now_.compare_exchange_weak(current, ms)) return true;
    }
    return false;
  }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace kinesis_emulator
