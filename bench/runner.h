// Running coroutines on the one io_context: blocking helpers, worker fan-out, time and request
// budgets, and pacing to a target rate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>

namespace kbench {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

inline std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}
inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d);

// Runs one coroutine to completion on the calling thread; rethrows its exception.
template <class T>
T run_blocking(asio::io_context& ctx, asio::awaitable<T> aw) {
  std::optional<T> value;
  std::exception_ptr error;
  asio::co_spawn(ctx, std::move(aw), [&](std::exception_ptr e, T v) {
    error = e;
    if (!e) value = std::move(v);
  });
  ctx.restart();
  ctx.run();
  if (error) std::rethrow_exception(error);
  return std::move(*value);
}
void run_blocking(asio::io_context& ctx, asio::awaitable<void> aw);

// Spawns make(i, executor) for i in [0, n), each on its own strand, runs the io_context on
// `threads` threads until every one has returned, and rethrows the first exception.
using WorkerFn = std::function<asio::awaitable<void>(int, asio::any_io_executor)>;
void run_workers(asio::io_context& ctx, int n, int threads, const WorkerFn& make);

// Stop conditions shared by the workers of a timed phase.
class Budget {
 public:
  Budget(double seconds, std::int64_t max_requests)
      : deadline_(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(seconds))),
        limited_(max_requests > 0),
        remaining_(max_requests) {}
  // true if one more request may be sent.
  bool take() {
    if (Clock::now() >= deadline_) return false;
    return !limited_ || remaining_.fetch_sub(1, std::memory_order_relaxed) > 0;
  }
  Clock::time_point deadline() const { return deadline_; }

 private:
  Clock::time_point deadline_;
  bool limited_;
  std::atomic<std::int64_t> remaining_;
};

// Spaces one worker's requests to `per_second` (0: no pacing). A worker that falls behind by
// more than 100 ms drops the backlog rather than bursting to catch up.
class Pacer {
 public:
  // `offset` in [0, 1) staggers workers that share a rate: the first request waits
  // offset x interval.
  explicit Pacer(double per_second, double offset = 0);
  asio::awaitable<void> wait();

 private:
  std::chrono::nanoseconds interval_{0};
  Clock::time_point next_{};
};

}  // namespace kbench
