#pragma once
// Control-plane call rates (opt-in, off by default): a token bucket per operation and account
// and region (or per stream, for the operations AWS limits per stream), answering
// LimitExceededException.
//
// Default rates are AWS's documented quotas, from the Kinesis Data Streams API Reference
// (each operation's page, e.g.
// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStream.html: "This
// operation has a limit of 10 transactions per second per account"; the same sentences are in
// models/kinesis-2013-12-02.json) and https://docs.aws.amazon.com/streams/latest/dev/
// service-sizes-and-limits.html. Operations without a documented rate are not limited.
// AWS's quotas are per account per region, so the bucket key includes the region.
// Each bucket holds one second of its rate and starts full.
//
// Not modelled here: UpdateShardCount's "ten scalings per rolling 24 hours per stream" and
// StartStreamEncryption's "25 key changes per rolling 24 hours" are counts, not rates; they
// belong to the engine.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "limiter/token_bucket.h"

namespace kinesis_emulator::limiter {

enum class RateScope {
  account,  // one bucket per (account, region)
  stream,   // one bucket per (account, region, stream)
};

struct OperationRate {
  std::string operation;  // the model's operation name, e.g. "CreateStream"
  uint64_t per_second = 0;
  RateScope scope = RateScope::account;
};

// AWS's documented rates, see the top of this file.
std::vector<OperationRate> default_control_plane_rates();

struct ControlPlaneConfig {
  bool enabled = false;
  // Later entries for the same operation replace earlier ones; per_second 0 removes a limit.
  std::vector<OperationRate> rates = default_control_plane_rates();
};

class ControlPlaneLimiter {
 public:
  explicit ControlPlaneLimiter(const Clock& clock, ControlPlaneConfig config = {});
  ControlPlaneLimiter(const ControlPlaneLimiter&) = delete;
  ControlPlaneLimiter& operator=(const ControlPlaneLimiter&) = delete;
  ~ControlPlaneLimiter();

  // Admits one call of `operation` by `account` in `region`. `stream` is the stream's name as
  // the caller resolved it (empty if the call names none): it keys the per-stream operations
  // and appears in the message. Returns errc::limit_exceeded with AWS's wording when refused;
  // always ok when disabled or for an operation without a rate.
  Status admit(std::string_view operation, std::string_view account, std::string_view region,
               std::string_view stream = {});

  bool enabled() const;
  void set_enabled(bool on);
  // The rate in force for `operation` (per_second 0 if none).
  OperationRate rate_of(std::string_view operation) const;
  // How many buckets `operation` holds (idle ones are dropped when there are many).
  std::size_t bucket_count(std::string_view operation) const;

 private:
  struct Slot;

  const Clock& clock_;
  std::atomic<bool> enabled_;
  // Built in the constructor and never changed: looked up without a lock.
  std::map<std::string, std::unique_ptr<Slot>, std::less<>> slots_;
};

}  // namespace kinesis_emulator::limiter
