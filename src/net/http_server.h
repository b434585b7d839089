#pragma once
// The front end: accepts connections on one port and hands each to the session its first bytes
// ask for (net/detect_session.h): HTTP/1.1, HTTP/2 with prior knowledge, or TLS with ALPN.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>

#include "common/status.h"
#include "net/connection.h"
#include "net/server_options.h"
#include "protocol/router.h"

namespace kinesis_emulator::net {

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, ServerOptions options, const protocol::Router& router);
  ~HttpServer();

  // Binds and starts accepting; returns the bound endpoint (port 0 resolved).
  Result<boost::asio::ip::tcp::endpoint> start();
  // Stops accepting and asks every connection to finish what it carries (HTTP/2: GOAWAY);
  // calls `done` once all have closed or options.shutdown_grace has passed.
  void shut_down(std::function<void()> done);
  std::size_t open_connections() const { return connections_.size(); }

 private:
  class Listener;
  boost::asio::io_context& ioc_;
  ServerOptions options_;
  const protocol::Router& router_;
  ConnectionRegistry connections_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace kinesis_emulator::net
