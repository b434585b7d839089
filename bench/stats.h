// Measurements: a bounded latency histogram, per-worker counters and server /proc samples.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kbench {

// Log-linear histogram of nanosecond values: exact below 128 ns, then 128 buckets per power
// of two (relative error under 0.4%). Fixed size (~60 KB) however many values are recorded.
class Histogram {
 public:
  Histogram();
  void record(std::uint64_t ns);
  void merge(const Histogram& other);
  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  double mean() const {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
  }
  // Value at quantile q in [0, 1] (bucket midpoint; the exact max for q = 1).
  std::uint64_t quantile(double q) const;
  // {"p50":..,"p99":..,"p99.9":..,"max":..,"mean":..} in milliseconds.
  nlohmann::ordered_json summary_ms() const;

 private:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSub = 1u << kSubBits;
  static std::size_t index(std::uint64_t v);
  static std::uint64_t value(std::size_t idx);
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t sum_ = 0;
};

// What one connection saw; merged after the phase (no sharing while it runs).
struct WorkerStats {
  std::uint64_t requests = 0;                   // responses or transport failures
  std::uint64_t ok = 0;                         // HTTP 200
  std::uint64_t records = 0;                    // records accepted (writes) or returned (reads)
  std::uint64_t bytes = 0;                      // payload bytes of those records (decoded data)
  std::map<std::string, std::uint64_t> errors;  // by __type (or transport error)
  Histogram latency;

  void merge(const WorkerStats& o);
  std::uint64_t error_count() const;
};

// CPU time and memory of a process, from /proc.
struct ProcSample {
  bool valid = false;
  double cpu_s = 0;  // utime + stime
  std::uint64_t vmhwm_kb = 0;
  std::uint64_t vmrss_kb = 0;
  static ProcSample take(int pid);
};

// Adds server_cpu_s, req_per_cpu_s (for `units` done in the interval), vmhwm_kb, vmrss_kb.
void add_server_stats(nlohmann::ordered_json& out, const ProcSample& before,
                      const ProcSample& after, double units,
                      const char* per_cpu_key = "req_per_cpu_s");

// CPU seconds (user + system) this process has used so far.
double own_cpu_s();

nlohmann::ordered_json errors_json(const std::map<std::string, std::uint64_t>& errors);

}  // namespace kbench
