// Bulk loading with PutRecords (the drain and startup phases' setup).
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"

#include <mutex>

namespace kbench {

LoadResult load_records(PhaseContext& pc, const std::string& stream, std::int64_t records,
                        Endpoint ep) {
  const Options& o = pc.opt;
  const Payloads payloads(o.record_bytes, o.random_payload);
  std::atomic<std::int64_t> unclaimed{records};  // records no request has taken yet
  std::atomic<std::int64_t> loaded{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> key_seq{0};
  std::mutex mu;
  LoadResult result;
  const auto t0 = Clock::now();
  const auto give_up = t0 + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(o.phase_timeout_s));
  run_workers(pc.ctx, o.connections, o.threads,
              [&](int, asio::any_io_executor ex) -> asio::awaitable<void> {
                Connection conn(ex, ep, request_timeout(o));
                std::map<std::string, std::uint64_t> errors;
                int consecutive_failures = 0;
                while (Clock::now() < give_up) {
                  std::int64_t take = unclaimed.load();
                  do {
                    if (take <= 0) break;
                  } while (!unclaimed.compare_exchange_weak(
                      take, take - std::min<std::int64_t>(take, o.batch)));
                  if (take <= 0) break;
                  const int n = static_cast<int>(std::min<std::int64_t>(take, o.batch));
                  const std::uint64_t k0 = key_seq.fetch_add(static_cast<std::uint64_t>(n));
                  std::string body;
                  put_records_body(body, stream, n, payloads, k0, [&](std::string& out, int i) {
                    out.append("k").append(std::to_string(k0 + static_cast<std::uint64_t>(i)));
                  });
                  HttpResult r = co_await conn.call("PutRecords", std::move(body));
                  requests.fetch_add(1);
                  std::int64_t failed = n;
                  if (r.ok()) {
                    failed = 0;
                    scan_number(r.body, "FailedRecordCount", failed);
                    if (failed > 0) count_failed_entries(r.body, errors);
                  } else {
                    ++errors[r.error_type];
                  }
                  loaded.fetch_add(n - failed);
                  if (failed > 0) {
                    unclaimed.fetch_add(failed);  // send them again
                    if (++consecutive_failures > 1000) break;
                    co_await sleep_for(std::chrono::milliseconds(r.status == 0 ? 100 : 20));
                  } else {
                    consecutive_failures = 0;
                  }
                }
                std::lock_guard lock(mu);
                for (const auto& [k, v] : errors) result.errors[k] += v;
              });
  result.loaded = loaded.load();
  result.seconds = seconds_since(t0);
  result.requests = requests.load();
  return result;
}

}  // namespace kbench
