// mixed: producers (PutRecord) and consumers (GetRecords on every shard) at the same time.
// Each record carries the producer's send time, so consumers measure end-to-end lag.
#include "kinesis_api.h"
#include "phases.h"
#include "runner.h"

#include <boost/asio/this_coro.hpp>

#include <cmath>
#include <cstring>

namespace kbench {

namespace {
struct ShardCursor {
  std::string stream;
  std::string shard;
  std::string iterator;
};

double round1(double v) {
  return std::round(v * 10) / 10;
}
}  // namespace

nlohmann::ordered_json phase_mixed(PhaseContext& pc) {
  const Options& o = pc.opt;
  const std::vector<std::string> names = stream_names(o, "mixed", o.streams);
  const PhaseStreams streams(pc, names, o.shards);
  nlohmann::ordered_json r = result_head(o, "mixed");
  const int producers = std::max(1, o.connections / 2);
  const int consumers = std::max(1, o.connections - producers);
  // Every shard, with a LATEST iterator taken before any record is written.
  std::vector<ShardCursor> cursors;
  {
    Connection conn(pc.ctx.get_executor(), pc.endpoint, request_timeout(o));
    Admin admin{conn};
    run_blocking(pc.ctx, [&]() -> asio::awaitable<void> {
      for (const auto& s : names) {
        // (No co_await inside a range-for initializer or a braced list: GCC 12 miscompiles
        // the temporaries' lifetimes there.)
        std::vector<std::string> ids = co_await admin.list_shards(s);
        for (const auto& id : ids) {
          std::string it = co_await admin.shard_iterator(s, id, "LATEST");
          cursors.push_back(ShardCursor{s, id, std::move(it)});
        }
      }
    }());
  }
  std::vector<WorkerStats> put_stats(static_cast<std::size_t>(producers));
  std::vector<WorkerStats> get_stats(static_cast<std::size_t>(consumers));
  std::vector<Histogram> lag(static_cast<std::size_t>(consumers));
  std::atomic<std::uint64_t> produced{0}, consumed{0}, seq{0};
  std::atomic<int> producers_left{producers};
  std::atomic<std::uint64_t> producers_done_ns{0};
  std::atomic<std::uint64_t> consumers_done_ns{0};
  const std::string fill = filler(o.record_bytes);
  const auto tail = std::chrono::seconds(5);

  const ProcSample before = ProcSample::take(o.server_pid);
  const double client_cpu0 = own_cpu_s();
  const auto t0 = Clock::now();
  const auto hard_stop = t0 + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(o.duration_s + o.phase_timeout_s));
  Budget budget(o.duration_s, o.requests);
  run_workers(
      pc.ctx, producers + consumers, o.threads,
      [&](int w, asio::any_io_executor ex) -> asio::awaitable<void> {
        Connection conn(ex, pc.endpoint, request_timeout(o));
        if (w < producers) {
          WorkerStats& st = put_stats[static_cast<std::size_t>(w)];
          Pacer pacer(o.rate / producers, static_cast<double>(w) / producers);
          std::string data = fill, key;
          std::uint64_t local = 0;
          while (budget.take()) {
            co_await pacer.wait();
            const std::uint64_t g = seq.fetch_add(1, std::memory_order_relaxed);
            const std::uint64_t sent = now_ns();
            std::memcpy(data.data(), &sent, sizeof sent);
            key = "pk-";
            if (o.partition_keys > 0) {
              key.append(std::to_string(g % static_cast<std::uint64_t>(o.partition_keys)));
            } else {
              key.append(std::to_string(w)).append("-").append(std::to_string(local++));
            }
            std::string body;
            put_record_body(body, names[g % names.size()], base64(data), key);
            HttpResult res = co_await conn.call("PutRecord", std::move(body));
            ++st.requests;
            if (res.status != 0) st.latency.record(res.latency_ns);
            if (res.ok()) {
              ++st.ok;
              ++st.records;
              st.bytes += static_cast<std::uint64_t>(o.record_bytes);
              produced.fetch_add(1);
            } else {
              ++st.errors["PutRecord:" + res.error_type];
              if (res.status == 0) co_await sleep_for(std::chrono::milliseconds(10));
            }
          }
          if (producers_left.fetch_sub(1) == 1) producers_done_ns.store(now_ns());
          co_return;
        }
        const int c = w - producers;
        WorkerStats& st = get_stats[static_cast<std::size_t>(c)];
        Histogram& lag_hist = lag[static_cast<std::size_t>(c)];
        std::vector<ShardCursor*> mine;
        for (std::size_t i = static_cast<std::size_t>(c); i < cursors.size();
             i += static_cast<std::size_t>(consumers)) {
          mine.push_back(&cursors[i]);
        }
        while (Clock::now() < hard_stop && !mine.empty()) {
          if (producers_left.load() == 0) {
            if (consumed.load() >= produced.load()) break;
            if (now_ns() > producers_done_ns.load() +
                               static_cast<std::uint64_t>(std::chrono::nanoseconds(tail).count())) {
              break;
            }
          }
          std::uint64_t round = 0;
          for (ShardCursor* cur : mine) {
            if (cur->iterator.empty()) continue;
            nlohmann::json req = {{"ShardIterator", cur->iterator}, {"Limit", o.limit}};
            HttpResult res = co_await conn.call("GetRecords", req.dump());
            ++st.requests;
            if (res.status != 0) st.latency.record(res.latency_ns);
            if (!res.ok()) {
              ++st.errors["GetRecords:" + res.error_type];
              continue;
            }
            ++st.ok;
            const std::uint64_t received = now_ns();
            const std::size_t n =
                scan_records(res.body, [&](std::string_view, std::string_view data) {
                  const std::string head = base64_prefix(data, 8);
                  if (head.size() == 8) {
                    std::uint64_t sent = 0;
                    std::memcpy(&sent, head.data(), sizeof sent);
                    lag_hist.record(received > sent ? received - sent : 0);
                  }
                });
            st.records += n;
            st.bytes += n * static_cast<std::uint64_t>(o.record_bytes);
            round += n;
            consumed.fetch_add(n);
            std::string_view next;
            cur->iterator = scan_string(res.body, "NextShardIterator", next) ? std::string(next)
                                                                             : std::string();
          }
          if (round == 0 && o.poll_ms > 0) co_await sleep_for(std::chrono::milliseconds(o.poll_ms));
        }
        std::uint64_t prev = consumers_done_ns.load();
        const std::uint64_t done = now_ns();
        while (prev < done && !consumers_done_ns.compare_exchange_weak(prev, done)) {
        }
      });
  const ProcSample after = ProcSample::take(o.server_pid);
  const double client_cpu = own_cpu_s() - client_cpu0;
  WorkerStats puts, gets;
  Histogram lags;
  for (const auto& s : put_stats) puts.merge(s);
  for (const auto& s : get_stats) gets.merge(s);
  for (const auto& h : lag) lags.merge(h);
  const std::uint64_t start_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t0.time_since_epoch()).count());
  const double put_secs = static_cast<double>(producers_done_ns.load() - start_ns) / 1e9;
  const double get_secs = static_cast<double>(consumers_done_ns.load() - start_ns) / 1e9;
  std::map<std::string, std::uint64_t> errors = puts.errors;
  for (const auto& [k, v] : gets.errors) errors[k] += v;

  r["producers"] = producers;
  r["consumers"] = consumers;
  r["client_threads"] = o.threads;
  r["streams"] = o.streams;
  r["shards_per_stream"] = o.shards;
  r["record_bytes"] = o.record_bytes;
  r["poll_ms"] = o.poll_ms;
  if (o.rate > 0) r["target_req_per_s"] = o.rate;
  r["put_seconds"] = std::round(put_secs * 100) / 100;
  r["put_requests"] = puts.requests;
  r["put_req_per_s"] = round1(static_cast<double>(puts.ok) / put_secs);
  r["put_MBps"] = std::round(static_cast<double>(puts.bytes) / put_secs / 1e6 * 1000) / 1000;
  r["put_latency_ms"] = puts.latency.summary_ms();
  r["get_seconds"] = std::round(get_secs * 100) / 100;
  r["get_calls"] = gets.requests;
  r["get_calls_per_s"] = round1(static_cast<double>(gets.requests) / get_secs);
  r["get_rec_per_s"] = round1(static_cast<double>(gets.records) / get_secs);
  r["get_latency_ms"] = gets.latency.summary_ms();
  r["lag_ms"] = lags.summary_ms();
  r["produced"] = produced.load();
  r["consumed"] = consumed.load();
  r["complete"] = consumed.load() == produced.load();
  r["client_cpu_s"] = std::round(client_cpu * 100) / 100;
  r["errors_total"] = puts.error_count() + gets.error_count();
  r["errors"] = errors_json(errors);
  add_server_stats(r, before, after, static_cast<double>(puts.requests + gets.requests),
                   "req_per_cpu_s");
  return r;
}

}  // namespace kbench
