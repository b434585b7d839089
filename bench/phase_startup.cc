// startup: spawn the server on an empty data directory and time its first ListStreams answer;
// fill it with N records; stop it (SIGTERM) and time the restart to its first answer and to its
// first GetRecords from TRIM_HORIZON.
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"
#include "server_process.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

namespace kbench {

namespace fs = std::filesystem;

namespace {

std::uint16_t free_port(asio::io_context& ctx) {
  asio::ip::tcp::acceptor a(ctx, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

double ms(double s) {
  return std::round(s * 1e4) / 10;
}

// Polls ListStreams every 2 ms until it answers 200; returns seconds since t0.
double wait_ready(PhaseContext& pc, const Endpoint& ep, ServerProcess& proc, Clock::time_point t0,
                  const std::string& log) {
  const auto give_up = t0 + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(pc.opt.phase_timeout_s));
  while (true) {
    bool ok = run_blocking(pc.ctx, [&]() -> asio::awaitable<bool> {
      Connection conn(co_await asio::this_coro::executor, ep, std::chrono::milliseconds(2000));
      HttpResult r = co_await conn.call("ListStreams", "{}");
      co_return r.ok();
    }());
    if (ok) return seconds_since(t0);
    std::string how;
    if (proc.exited(&how)) {
      throw std::runtime_error("server exited (" + how + ") before answering; log tail:\n" +
                               tail_of_file(log, 2000));
    }
    if (Clock::now() > give_up)
      throw std::runtime_error("server did not answer within --phase-timeout");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

nlohmann::ordered_json phase_startup(PhaseContext& pc) {
  const Options& o = pc.opt;
  char tmpl[] = "/tmp/kbench-startup-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  const fs::path root = tmpl;
  const fs::path data = o.server_data_dir.empty() ? root / "data" : fs::path(o.server_data_dir);
  fs::create_directories(data);
  const std::string log = (root / "server.log").string();
  Endpoint ep{"127.0.0.1", o.server_port ? o.server_port : free_port(pc.ctx)};
  std::vector<std::string> args{
      "--host",      "127.0.0.1",           "--port", std::to_string(ep.port), "--data-dir",
      data.string(), "--throughput-limits", "off",    "--log-level",           "warn"};
  args.insert(args.end(), o.server_args.begin(), o.server_args.end());
  PhaseContext spc{o, pc.ctx, ep};
  const std::string stream = stream_names(o, "startup", 1)[0];
  nlohmann::ordered_json r = result_head(o, "startup");
  r["server"] = o.server_bin;
  r["data_dir"] = data.string();
  r["shards"] = o.shards;
  r["record_bytes"] = o.record_bytes;
  r["payload"] = o.random_payload ? "random" : "text";
  auto cleanup = [&] {
    if (!o.keep_data) {
      std::error_code ec;
      if (o.server_data_dir.empty()) {
        fs::remove_all(root, ec);
      } else {
        fs::remove(log, ec);
        fs::remove(root, ec);
      }
    }
  };
  try {
    {  // 1. empty data directory
      auto t0 = Clock::now();
      ServerProcess proc(o.server_bin, args, log);
      const double ready = wait_ready(spc, ep, proc, t0, log);
      const ProcSample at_ready = ProcSample::take(proc.pid());
      r["first_start_ms"] = ms(ready);
      r["first_start_cpu_s"] = at_ready.cpu_s;

      // 2. fill
      create_streams(spc, {stream}, o.shards);
      const LoadResult load = load_records(spc, stream, o.records, ep);
      r["records"] = load.loaded;
      r["fill_seconds"] = std::round(load.seconds * 100) / 100;
      r["fill_rec_per_s"] = std::round(static_cast<double>(load.loaded) / load.seconds);
      r["fill_errors"] = errors_json(load.errors);
      const ProcSample filled = ProcSample::take(proc.pid());
      r["fill_server_cpu_s"] = std::round((filled.cpu_s - at_ready.cpu_s) * 100) / 100;
      r["fill_server_vmhwm_kb"] = filled.vmhwm_kb;

      // 3. stop
      std::string how;
      r["shutdown_ms"] = ms(proc.stop(o.phase_timeout_s, &how));
      r["shutdown"] = how;
      r["data_dir_MB"] = std::round(static_cast<double>(dir_bytes(data)) / 1e5) / 10;
    }
    {  // 4. restart on the filled directory
      auto t0 = Clock::now();
      ServerProcess proc(o.server_bin, args, log);
      const double ready = wait_ready(spc, ep, proc, t0, log);
      const ProcSample at_ready = ProcSample::take(proc.pid());
      r["restart_ms"] = ms(ready);
      r["restart_cpu_s"] = at_ready.cpu_s;
      r["restart_vmrss_kb"] = at_ready.vmrss_kb;
      // First record read back after the restart.
      std::int64_t first_read_records = 0;
      std::string status;
      run_blocking(pc.ctx, [&]() -> asio::awaitable<void> {
        Connection conn(co_await asio::this_coro::executor, ep, request_timeout(o));
        Admin admin{conn};
        nlohmann::json b = {{"StreamName", stream}};
        HttpResult d = co_await admin.call_ok("DescribeStreamSummary", b.dump());
        std::string_view st;
        if (scan_string(d.body, "StreamStatus", st)) status = st;
        const auto shards = co_await admin.list_shards(stream);
        for (const auto& shard : shards) {
          std::string it = co_await admin.shard_iterator(stream, shard, "TRIM_HORIZON");
          nlohmann::json g = {{"ShardIterator", it}, {"Limit", 1}};
          HttpResult res = co_await admin.call_ok("GetRecords", g.dump());
          first_read_records = static_cast<std::int64_t>(scan_records(res.body, [](auto, auto) {}));
          if (first_read_records > 0) break;
        }
      }());
      r["restart_first_read_ms"] = ms(seconds_since(t0));
      r["restart_stream_status"] = status;
      r["restart_first_read_ok"] = first_read_records > 0;
      const ProcSample later = ProcSample::take(proc.pid());
      r["restart_vmhwm_kb"] = later.vmhwm_kb;
      delete_streams(spc, {stream});
      std::string how;
      proc.stop(o.phase_timeout_s, &how);
    }
  } catch (...) {
    cleanup();
    throw;
  }
  cleanup();
  return r;
}

}  // namespace kbench
