#pragma once
// Runs a short task every `interval` on the I/O pool, for housekeeping such as retention
// trimming. The task must not block (no fsync, no sleep).

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace kinesis_emulator::net {

class PeriodicTask : public std::enable_shared_from_this<PeriodicTask> {
 public:
  PeriodicTask(boost::asio::io_context& ioc, std::chrono::milliseconds interval,
               std::function<void()> task)
      : timer_(ioc), interval_(interval), task_(std::move(task)) {}

  void start() { arm(); }
  void stop() { timer_.cancel(); }

 private:
  void arm() {
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      self->task_();
      self->arm();
    });
  }

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  std::function<void()> task_;
};

}  // namespace kinesis_emulator::net
