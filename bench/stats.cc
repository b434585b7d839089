#include "stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <sstream>

namespace kbench {

Histogram::Histogram() : counts_(index(~std::uint64_t{0}) + 1, 0) {}

std::size_t Histogram::index(std::uint64_t v) {
  if (v < kSub) return static_cast<std::size_t>(v);
  const int e = 63 - std::countl_zero(v);  // >= kSubBits
  const int shift = e - kSubBits;
  const std::uint64_t sub = (v >> shift) - kSub;
  return static_cast<std::size_t>(kSub + static_cast<std::uint64_t>(shift) * kSub + sub);
}

std::uint64_t Histogram::value(std::size_t idx) {
  if (idx < kSub) return idx;
  const std::uint64_t shift = (idx - kSub) / kSub;
  const std::uint64_t sub = (idx - kSub) % kSub;
  const std::uint64_t lower = (kSub + sub) << shift;
  return lower + ((std::uint64_t{1} << shift) >> 1);
}

void Histogram::record(std::uint64_t ns) {
  ++counts_[index(ns)];
  ++count_;
  sum_ += ns;
  max_ = std::max(max_, ns);
}

void Histogram::merge(const Histogram& o) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
}

std::uint64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(value(i), max_);
  }
  return max_;
}

namespace {
double ms(std::uint64_t ns) {
  return std::round(static_cast<double>(ns) / 1e3) / 1e3;
}
}  // namespace

nlohmann::ordered_json Histogram::summary_ms() const {
  nlohmann::ordered_json j;
  j["p50"] = ms(quantile(0.50));
  j["p99"] = ms(quantile(0.99));
  j["p99.9"] = ms(quantile(0.999));
  j["max"] = ms(max_);
  j["mean"] = ms(static_cast<std::uint64_t>(mean()));
  return j;
}

void WorkerStats::merge(const WorkerStats& o) {
  requests += o.requests;
  ok += o.ok;
  records += o.records;
  bytes += o.bytes;
  for (const auto& [k, v] : o.errors) errors[k] += v;
  latency.merge(o.latency);
}

std::uint64_t WorkerStats::error_count() const {
  std::uint64_t n = 0;
  for (const auto& [k, v] : errors) n += v;
  return n;
}

ProcSample ProcSample::take(int pid) {
  ProcSample s;
  if (pid <= 0) return s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return s;
  // Fields after the parenthesised command name (which may contain spaces): state is field 3,
  // utime field 14, stime field 15.
  const std::size_t paren = line.rfind(')');
  if (paren == std::string::npos) return s;
  std::istringstream rest(line.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) s.vmhwm_kb = std::stoull(line.substr(6));
    if (line.rfind("VmRSS:", 0) == 0) s.vmrss_kb = std::stoull(line.substr(6));
  }
  s.valid = true;
  return s;
}

void add_server_stats(nlohmann::ordered_json& out, const ProcSample& before,
                      const ProcSample& after, double units, const char* per_cpu_key) {
  if (!before.valid || !after.valid) return;
  const double cpu = after.cpu_s - before.cpu_s;
  out["server_cpu_s"] = std::round(cpu * 100) / 100;
  out[per_cpu_key] = cpu > 0 ? std::round(units / cpu) : 0.0;
  out["server_vmhwm_kb"] = after.vmhwm_kb;
  out["server_vmrss_kb"] = after.vmrss_kb;
}

double own_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

nlohmann::ordered_json errors_json(const std::map<std::string, std::uint64_t>& errors) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : errors) j[k] = v;
  return j;
}

}  // namespace kbench
