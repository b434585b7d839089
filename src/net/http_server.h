#pragma once
// HTTP/1.1 front end: accepts loopback (or configured) connections and runs each through
// read -> dispatch -> write with keep-alive. Requests on one connection, pipelined or not, are
// answered in order. The only place that knows Beast.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "protocol/dispatcher.h"

namespace kinesis_emulator::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  // Largest request body accepted; a larger Content-Length is refused before the body is read.
  // A 10 MiB record (UpdateMaxRecordSize's ceiling) is about 13.4 MiB in base64.
  std::size_t body_limit = 16 << 20;
  std::size_t header_limit = 16 << 10;
  // A connection with no complete request within this time is closed: idle keep-alive
  // connections, and slow clients trickling a request in.
  std::chrono::seconds idle_timeout{60};
  // When set, every reply waits for it before being written (--sync: until the WAL is
  // fsynced); it calls its argument with false if that failed. Called on an I/O thread; may
  // call back on any thread.
  std::function<void(std::function<void(bool ok)>)> before_reply;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, ServerOptions options,
             const protocol::Dispatcher& dispatcher);
  ~HttpServer();

  // Binds and starts accepting; returns the bound endpoint (port 0 resolved).
  Result<boost::asio::ip::tcp::endpoint> start();
  void stop();

 private:
  class Listener;
  boost::asio::io_context& ioc_;
  ServerOptions options_;
  const protocol::Dispatcher& dispatcher_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace kinesis_emulator::net
