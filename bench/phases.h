// The benchmark phases. Each creates its own streams, measures, deletes them, and returns one
// result object (rendered by report.h).
#pragma once

#include "http_client.h"
#include "options.h"
#include "stats.h"

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace kbench {

struct PhaseContext {
  const Options& opt;
  boost::asio::io_context& ctx;
  Endpoint endpoint;
};

nlohmann::ordered_json phase_put(PhaseContext& pc, bool batch);  // put, put-records
nlohmann::ordered_json phase_drain(PhaseContext& pc);
nlohmann::ordered_json phase_mixed(PhaseContext& pc);
nlohmann::ordered_json phase_startup(PhaseContext& pc);

// ---- shared by the phases ----

// "<prefix>-<pid>-<phase>-<i>" for i < count.
std::vector<std::string> stream_names(const Options& o, const std::string& phase, int count);
// `bytes` bytes of printable filler.
std::string filler(int bytes);
// The result's common head: phase, label and the load's shape.
nlohmann::ordered_json result_head(const Options& o, const std::string& phase);
std::chrono::milliseconds request_timeout(const Options& o);

// Control-plane helpers, run to completion on the calling thread.
void create_streams(PhaseContext& pc, const std::vector<std::string>& names, int shards);
void delete_streams(PhaseContext& pc, const std::vector<std::string>& names) noexcept;
std::vector<std::string> list_shards(PhaseContext& pc, const std::string& stream);

// A phase's streams: created on construction, deleted when the phase ends, however it ends.
class PhaseStreams {
 public:
  PhaseStreams(PhaseContext& pc, const std::vector<std::string>& names, int shards)
      : pc_(pc), names_(names) {
    create_streams(pc_, names_, shards);
  }
  ~PhaseStreams() { delete_streams(pc_, names_); }
  PhaseStreams(const PhaseStreams&) = delete;
  PhaseStreams& operator=(const PhaseStreams&) = delete;

 private:
  PhaseContext& pc_;
  std::vector<std::string> names_;
};

// Loads `records` records of opt.record_bytes into `stream` with PutRecords of opt.batch over
// opt.connections connections; refused entries are sent again. Bounded by opt.phase_timeout_s.
struct LoadResult {
  std::int64_t loaded = 0;
  double seconds = 0;
  std::uint64_t requests = 0;
  std::map<std::string, std::uint64_t> errors;
};
LoadResult load_records(PhaseContext& pc, const std::string& stream, std::int64_t records,
                        Endpoint ep);

}  // namespace kbench
