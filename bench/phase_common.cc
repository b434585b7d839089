// Helpers shared by the phases: names, result heads, control-plane calls.
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"

#include <unistd.h>

#include <iostream>

namespace kbench {

std::vector<std::string> stream_names(const Options& o, const std::string& phase, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    names.push_back(o.stream_prefix + "-" + std::to_string(getpid()) + "-" + phase + "-" +
                    std::to_string(i));
  }
  return names;
}

std::string filler(int bytes) {
  std::string s;
  s.reserve(static_cast<std::size_t>(bytes));
  for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>('a' + i % 26));
  return s;
}

nlohmann::ordered_json result_head(const Options& o, const std::string& phase) {
  nlohmann::ordered_json r;
  r["phase"] = phase;
  if (!o.label.empty()) r["label"] = o.label;
  return r;
}

std::chrono::milliseconds request_timeout(const Options& o) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(o.request_timeout_s * 1000));
}

void create_streams(PhaseContext& pc, const std::vector<std::string>& names, int shards) {
  Connection conn(pc.ctx.get_executor(), pc.endpoint, request_timeout(pc.opt));
  Admin admin{conn};
  try {
    run_blocking(pc.ctx, admin.create_streams(names, shards));
  } catch (...) {
    delete_streams(pc, names);  // the ones already created
    throw;
  }
}

void delete_streams(PhaseContext& pc, const std::vector<std::string>& names) noexcept {
  try {
    Connection conn(pc.ctx.get_executor(), pc.endpoint, request_timeout(pc.opt));
    Admin admin{conn, std::chrono::seconds(30)};
    run_blocking(pc.ctx, admin.delete_streams(names));
  } catch (const std::exception& e) {
    std::cerr << "kbench: warning: deleting streams: " << e.what() << '\n';
  }
}

std::vector<std::string> list_shards(PhaseContext& pc, const std::string& stream) {
  Connection conn(pc.ctx.get_executor(), pc.endpoint, request_timeout(pc.opt));
  Admin admin{conn};
  return run_blocking(pc.ctx, admin.list_shards(stream));
}

}  // namespace kbench
