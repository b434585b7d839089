// put (PutRecord) and put-records (PutRecords batches): timed write load over one or more
// streams.
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"

#include <cmath>

namespace kbench {

namespace {
void append_key(std::string& out, const Options& o, int worker, std::uint64_t local,
                std::uint64_t global) {
  out.append("pk-");
  if (o.partition_keys > 0) {
    out.append(std::to_string(global % static_cast<std::uint64_t>(o.partition_keys)));
  } else {
    out.append(std::to_string(worker)).append("-").append(std::to_string(local));
  }
}

double round1(double v) {
  return std::round(v * 10) / 10;
}
}  // namespace

nlohmann::ordered_json phase_put(PhaseContext& pc, bool batch) {
  const Options& o = pc.opt;
  const std::string phase = batch ? "put-records" : "put";
  const std::vector<std::string> names = stream_names(o, batch ? "putrecords" : "put", o.streams);
  const PhaseStreams streams(pc, names, o.shards);
  nlohmann::ordered_json r = result_head(o, phase);
  const Payloads payloads(o.record_bytes, o.random_payload);
  const int per_request = batch ? o.batch : 1;
  std::atomic<std::uint64_t> seq{0};
  std::vector<WorkerStats> stats(static_cast<std::size_t>(o.connections));
  const ProcSample before = ProcSample::take(o.server_pid);
  const double client_cpu0 = own_cpu_s();
  const auto t0 = Clock::now();
  Budget budget(o.duration_s, o.requests);
  run_workers(
      pc.ctx, o.connections, o.threads,
      [&](int i, asio::any_io_executor ex) -> asio::awaitable<void> {
        Connection conn(ex, pc.endpoint, request_timeout(o));
        Pacer pacer(o.rate / o.connections, static_cast<double>(i) / o.connections);
        WorkerStats& st = stats[static_cast<std::size_t>(i)];
        std::uint64_t local = 0;
        std::string key;
        while (budget.take()) {
          co_await pacer.wait();
          const std::uint64_t g = seq.fetch_add(1, std::memory_order_relaxed);
          const std::string& stream = names[g % names.size()];
          std::string body;
          if (batch) {
            put_records_body(body, stream, o.batch, payloads,
                             g * static_cast<std::uint64_t>(o.batch), [&](std::string& out, int j) {
                               append_key(out, o, i, local++,
                                          g * static_cast<std::uint64_t>(o.batch) +
                                              static_cast<std::uint64_t>(j));
                             });
          } else {
            key.clear();
            append_key(key, o, i, local++, g);
            put_record_body(body, stream, payloads.at(g), key);
          }
          HttpResult res = co_await conn.call(batch ? "PutRecords" : "PutRecord", std::move(body));
          ++st.requests;
          if (res.status != 0) st.latency.record(res.latency_ns);
          if (res.ok()) {
            ++st.ok;
            std::int64_t failed = 0;
            if (batch && scan_number(res.body, "FailedRecordCount", failed) && failed > 0) {
              count_failed_entries(res.body, st.errors);
            }
            st.records += static_cast<std::uint64_t>(per_request - failed);
            st.bytes += static_cast<std::uint64_t>(per_request - failed) *
                        static_cast<std::uint64_t>(o.record_bytes);
          } else {
            ++st.errors[res.error_type];
            if (res.status == 0) co_await sleep_for(std::chrono::milliseconds(10));
          }
        }
      });
  const double secs = seconds_since(t0);
  const ProcSample after = ProcSample::take(o.server_pid);
  const double client_cpu = own_cpu_s() - client_cpu0;
  WorkerStats total;
  for (const auto& s : stats) total.merge(s);

  r["operation"] = batch ? "PutRecords" : "PutRecord";
  r["connections"] = o.connections;
  r["client_threads"] = o.threads;
  r["streams"] = o.streams;
  r["shards_per_stream"] = o.shards;
  r["record_bytes"] = o.record_bytes;
  r["payload"] = o.random_payload ? "random" : "text";
  if (batch) r["batch"] = o.batch;
  r["partition_keys"] = o.partition_keys > 0 ? nlohmann::ordered_json(o.partition_keys)
                                             : nlohmann::ordered_json("unique");
  if (o.rate > 0) r["target_req_per_s"] = o.rate;
  r["seconds"] = std::round(secs * 100) / 100;
  r["requests"] = total.requests;
  r["ok"] = total.ok;
  r["records"] = total.records;
  r["req_per_s"] = round1(static_cast<double>(total.ok) / secs);
  r["rec_per_s"] = round1(static_cast<double>(total.records) / secs);
  r["MBps"] = std::round(static_cast<double>(total.bytes) / secs / 1e6 * 1000) / 1000;
  r["latency_ms"] = total.latency.summary_ms();
  r["client_cpu_s"] = std::round(client_cpu * 100) / 100;
  r["errors_total"] = total.error_count();
  r["errors"] = errors_json(total.errors);
  add_server_stats(r, before, after, static_cast<double>(total.ok), "req_per_cpu_s");
  if (batch && before.valid && after.valid && after.cpu_s > before.cpu_s) {
    r["rec_per_cpu_s"] =
        std::round(static_cast<double>(total.records) / (after.cpu_s - before.cpu_s));
  }
  return r;
}

}  // namespace kbench
