#pragma once
// Per-shard data-plane throughput limits: what makes a shard answer
// ProvisionedThroughputExceededException.
//
// Model (a token bucket per limit, refilled continuously; see token_bucket.h):
// - Writes: a bytes bucket (a record counts its data plus its partition key) and a records
//   bucket. A record is admitted only if both buckets can pay for it, and then both pay: all or
//   nothing, one record at a time, so PutRecords admits its records in request order.
// - Reads: a GetRecords call is admitted if the calls bucket has a token and the bytes bucket is
//   not in debt. The bytes the call returns are charged afterwards and may drive the bytes
//   bucket negative; calls are then refused until it has refilled to zero. That is AWS's
//   behaviour: one 10 MiB read from a 2 MiB/s shard makes the shard refuse reads for ~4-5 s.
// - GetShardIterator: a calls bucket of its own (AWS: five per second per open shard).
// - Burst: every bucket holds `burst_ms` worth of its rate (default one second) and starts full,
//   so an idle shard takes one second's worth at once, and a client that retries with back-off
//   sustains the rate itself. A single record larger than the burst is admitted when the
//   bucket is full, leaving it in debt, so nothing is refused forever.
//
// Cost on the hot path: one relaxed atomic load (the global switch), one clock reading and one
// uncontended per-shard mutex (writes and reads have separate mutexes). No global lock. The
// clock is read under the mutex: readings taken outside it could reach the bucket out of order,
// and the bucket takes a reading older than its last as a clock step back (it re-bases on it,
// so that a wall clock set back does not stall refills), which would refill twice.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "limiter/token_bucket.h"

namespace kinesis_emulator::limiter {

inline constexpr uint64_t kMiB = uint64_t{1} << 20;

// Rates per shard; 0 means unlimited.
struct ShardLimits {
  // Provisioned mode, per shard, as documented at
  // https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html and in the
  // API Reference (PutRecord, GetRecords, GetShardIterator).
  uint64_t write_bytes_per_s = kMiB;
  uint64_t write_records_per_s = 1000;
  uint64_t read_bytes_per_s = 2 * kMiB;
  uint64_t read_calls_per_s = 5;
  uint64_t shard_iterator_calls_per_s = 5;
  // Each bucket holds this much of its rate (at least one token).
  uint64_t burst_ms = 1000;

  static constexpr ShardLimits provisioned() { return {}; }
  // On-demand streams scale to 200 MiB/s and 200,000 records/s of writes and 400 MiB/s of reads
  // per stream by default (outside the three largest regions; same page as above). The
  // emulator gives an on-demand stream 4 shards, so each shard gets a quarter: 50 MiB/s,
  // 50,000 records/s, 100 MiB/s. That is 50 times a provisioned shard (one emulator shard stands
  // in for the 50 AWS shards that would carry that share), so the call rates are scaled by the
  // same factor: 250 GetRecords/s and 250 GetShardIterator/s.
  static constexpr ShardLimits on_demand() {
    constexpr uint64_t k = 50;
    ShardLimits l;
    l.write_bytes_per_s *= k;
    l.write_records_per_s *= k;
    l.read_bytes_per_s *= k;
    l.read_calls_per_s *= k;
    l.shard_iterator_calls_per_s *= k;
    return l;
  }
};

enum class CapacityMode { provisioned, on_demand };

struct ThroughputConfig {
  bool enabled = true;  // the global switch; off: every admission succeeds
  ShardLimits provisioned = ShardLimits::provisioned();
  ShardLimits on_demand = ShardLimits::on_demand();
};

// What an admission decided, and which limit refused it.
enum class Admission : uint8_t {
  admitted,
  bytes_exceeded,    // writes: not enough byte tokens; reads: byte bucket in debt
  records_exceeded,  // writes only
  calls_exceeded,    // GetRecords / GetShardIterator call rate
};
constexpr bool is_admitted(Admission a) {
  return a == Admission::admitted;
}
const char* to_string(Admission a);

// Shared by every shard of an engine: the clock, the limits and the global switch. Must outlive
// the ShardLimiters made from it.
class ThroughputPolicy {
 public:
  explicit ThroughputPolicy(const Clock& clock, ThroughputConfig config = {});
  ThroughputPolicy(const ThroughputPolicy&) = delete;
  ThroughputPolicy& operator=(const ThroughputPolicy&) = delete;

  const Clock& clock() const { return clock_; }
  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }
  // Takes effect immediately for every shard. Buckets left alone while off are full when
  // turned back on.
  void set_enabled(bool on) { enabled_.store(on, std::memory_order_relaxed); }
  const ShardLimits& limits(CapacityMode mode) const {
    return mode == CapacityMode::on_demand ? config_.on_demand : config_.provisioned;
  }

 private:
  const Clock& clock_;
  const ThroughputConfig config_;
  std::atomic<bool> enabled_;
};

// One per shard. Thread-safe; all methods may be called concurrently.
class ShardLimiter {
 public:
  ShardLimiter(const ThroughputPolicy& policy, CapacityMode mode);
  ShardLimiter(const ShardLimiter&) = delete;
  ShardLimiter& operator=(const ShardLimiter&) = delete;

  // Admits one write of `bytes` (data + partition key) and `records` records, all or nothing.
  [[nodiscard]] Admission admit_write(uint64_t bytes, uint64_t records = 1);

  // Admits one GetRecords call (takes a call token). Charge what it returned with charge_read.
  [[nodiscard]] Admission admit_read();
  // Charges the bytes an admitted GetRecords returned; may leave the byte bucket in debt.
  void charge_read(uint64_t bytes);

  // Admits one GetShardIterator call on this shard.
  [[nodiscard]] Admission admit_shard_iterator();

  // Switches to the other mode's limits (UpdateStreamMode), keeping current balances.
  void set_mode(CapacityMode mode);
  CapacityMode mode() const { return mode_.load(std::memory_order_relaxed); }

 private:
  const ThroughputPolicy& policy_;
  std::atomic<CapacityMode> mode_;

  std::mutex write_mu_;
  TokenBucket write_bytes_;    // guarded by write_mu_
  TokenBucket write_records_;  // guarded by write_mu_

  std::mutex read_mu_;
  TokenBucket read_bytes_;      // guarded by read_mu_
  TokenBucket read_calls_;      // guarded by read_mu_
  TokenBucket iterator_calls_;  // guarded by read_mu_
};

// AWS's messages, as SDK and KCL logs show them.
// PutRecord, PutRecords (per record), GetShardIterator:
//   "Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012."
Error shard_rate_exceeded(std::string_view account, std::string_view stream,
                          std::string_view shard_id);
// GetRecords: "Rate exceeded for Shard - 123456789012/s/shardId-000000000000"
Error get_records_rate_exceeded(std::string_view account, std::string_view stream,
                                std::string_view shard_id);

}  // namespace kinesis_emulator::limiter
