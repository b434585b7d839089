// One HTTP/1.1 keep-alive connection speaking the Kinesis JSON 1.1 wire format, as the AWS SDK
// sends it (POST /, X-Amz-Target, a SigV4-shaped Authorization header). Not thread-safe: one
// call at a time, from one coroutine.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kbench {

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4567;
};

struct HttpResult {
  unsigned status = 0;  // 0: the request failed below HTTP (connect, reset, timeout)
  std::string body;
  std::string error_type;        // empty for 200; else the __type, or "transport:..."/"HTTP nnn"
  std::uint64_t latency_ns = 0;  // from writing the request to the whole response read
  bool ok() const { return status == 200; }
};

class Connection {
 public:
  Connection(boost::asio::any_io_executor ex, Endpoint endpoint, std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends Kinesis_20131202.<operation> with a JSON body. Never throws for HTTP or transport
  // failures (they come back in the result, and the next call reconnects).
  boost::asio::awaitable<HttpResult> call(std::string_view operation, std::string body);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kbench
