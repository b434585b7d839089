// drain: load N records into one shard, then time reading them all back with
// GetShardIterator(TRIM_HORIZON) + GetRecords(Limit) until the shard is exhausted.
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"

#include <boost/asio/this_coro.hpp>

#include <cmath>

namespace kbench {

namespace {
std::uint64_t decoded_size(std::string_view b64) {
  std::uint64_t n = b64.size() / 4 * 3;
  if (!b64.empty() && b64.back() == '=') --n;
  if (b64.size() > 1 && b64[b64.size() - 2] == '=') --n;
  return n;
}
}  // namespace

nlohmann::ordered_json phase_drain(PhaseContext& pc) {
  const Options& o = pc.opt;
  const std::vector<std::string> names = stream_names(o, "drain", 1);
  const std::string& stream = names[0];
  const PhaseStreams streams(pc, names, 1);
  nlohmann::ordered_json r = result_head(o, "drain");
  const LoadResult load = load_records(pc, stream, o.records, pc.endpoint);
  const std::string shard = list_shards(pc, stream).at(0);

  WorkerStats st;
  std::uint64_t got = 0, calls = 0;
  bool order_ok = true, exhausted = false;
  const ProcSample before = ProcSample::take(o.server_pid);
  const double client_cpu0 = own_cpu_s();
  const auto t0 = Clock::now();
  run_blocking(pc.ctx, [&]() -> asio::awaitable<void> {
    Connection conn(co_await asio::this_coro::executor, pc.endpoint, request_timeout(o));
    Admin admin{conn};
    std::string it = co_await admin.shard_iterator(stream, shard, "TRIM_HORIZON");
    std::string last_seq;
    const auto give_up = t0 + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.phase_timeout_s));
    int consecutive_errors = 0;
    while (!it.empty() && got < static_cast<std::uint64_t>(load.loaded) && Clock::now() < give_up &&
           calls < 10'000'000) {
      nlohmann::json req = {{"ShardIterator", it}, {"Limit", o.limit}};
      HttpResult res = co_await conn.call("GetRecords", req.dump());
      ++calls;
      ++st.requests;
      if (res.status != 0) st.latency.record(res.latency_ns);
      if (!res.ok()) {
        ++st.errors[res.error_type];
        if (++consecutive_errors > 100 || res.error_type == "ExpiredIteratorException") break;
        co_await sleep_for(std::chrono::milliseconds(
            res.error_type == "ProvisionedThroughputExceededException" ? 200 : 20));
        continue;
      }
      consecutive_errors = 0;
      ++st.ok;
      const std::size_t n =
          scan_records(res.body, [&](std::string_view seq, std::string_view data) {
            if (!last_seq.empty() && !seq_less(last_seq, seq)) order_ok = false;
            last_seq.assign(seq);
            st.bytes += decoded_size(data);
          });
      got += n;
      std::string_view next;
      it = scan_string(res.body, "NextShardIterator", next) ? std::string(next) : std::string();
      std::int64_t behind = -1;
      scan_number(res.body, "MillisBehindLatest", behind);
      if (n == 0 && behind == 0) {
        exhausted = true;
        break;
      }
    }
  }());
  const double secs = seconds_since(t0);
  const ProcSample after = ProcSample::take(o.server_pid);
  const double client_cpu = own_cpu_s() - client_cpu0;
  r["shards"] = 1;
  r["record_bytes"] = o.record_bytes;
  r["payload"] = o.random_payload ? "random" : "text";
  r["limit"] = o.limit;
  r["records_asked"] = o.records;
  r["loaded"] = load.loaded;
  r["load_seconds"] = std::round(load.seconds * 100) / 100;
  r["load_rec_per_s"] = std::round(static_cast<double>(load.loaded) / load.seconds);
  r["load_connections"] = o.connections;
  r["load_errors"] = errors_json(load.errors);
  r["read_records"] = got;
  r["read_calls"] = calls;
  r["read_seconds"] = std::round(secs * 1000) / 1000;
  r["read_rec_per_s"] = std::round(static_cast<double>(got) / secs);
  r["read_MBps"] = std::round(static_cast<double>(st.bytes) / secs / 1e6 * 100) / 100;
  r["getrecords_latency_ms"] = st.latency.summary_ms();
  r["complete"] = got == static_cast<std::uint64_t>(load.loaded) && load.loaded == o.records;
  r["order_ok"] = order_ok;
  r["ended_by"] = exhausted ? "empty response"
                            : (got >= static_cast<std::uint64_t>(load.loaded) ? "all records read"
                                                                              : "bound or errors");
  r["client_cpu_s"] = std::round(client_cpu * 100) / 100;
  r["errors_total"] = st.error_count();
  r["errors"] = errors_json(st.errors);
  add_server_stats(r, before, after, static_cast<double>(got), "rec_per_cpu_s");
  return r;
}

}  // namespace kbench
