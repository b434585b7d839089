#include "runner.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <mutex>
#include <thread>
#include <vector>

namespace kbench {

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor,
                       std::chrono::duration_cast<asio::steady_timer::duration>(d));
  co_await t.async_wait(asio::use_awaitable);
}

void run_blocking(asio::io_context& ctx, asio::awaitable<void> aw) {
  std::exception_ptr error;
  asio::co_spawn(ctx, std::move(aw), [&](std::exception_ptr e) { error = e; });
  ctx.restart();
  ctx.run();
  if (error) std::rethrow_exception(error);
}

void run_workers(asio::io_context& ctx, int n, int threads, const WorkerFn& make) {
  std::mutex mu;
  std::exception_ptr first;
  for (int i = 0; i < n; ++i) {
    asio::any_io_executor strand = asio::make_strand(ctx);
    asio::co_spawn(strand, make(i, strand), [&](std::exception_ptr e) {
      if (!e) return;
      std::lock_guard lock(mu);
      if (!first) first = e;
    });
  }
  ctx.restart();
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back([&ctx] { ctx.run(); });
  ctx.run();
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

Pacer::Pacer(double per_second, double offset) {
  if (per_second > 0) {
    interval_ = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_second));
    next_ = Clock::now() + std::chrono::nanoseconds(static_cast<std::int64_t>(
                               offset * static_cast<double>(interval_.count())));
  }
}

asio::awaitable<void> Pacer::wait() {
  if (interval_.count() == 0) co_return;
  const auto now = Clock::now();
  if (next_ + std::chrono::milliseconds(100) < now) next_ = now;
  if (next_ > now) co_await sleep_for(next_ - now);
  next_ += interval_;
}

}  // namespace kbench
