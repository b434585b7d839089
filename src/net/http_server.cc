#include "net/http_server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>

#include "net/detect_session.h"

namespace kinesis_emulator::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// How often shutting down looks whether every connection has closed.
constexpr std::chrono::milliseconds kDrainPoll{20};

void wait_for_drain(std::shared_ptr<asio::steady_timer> timer, const ConnectionRegistry& open,
                    std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  if (open.size() == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (open.size() != 0)
      spdlog::debug("shutdown: {} connections cut at the deadline", open.size());
    return done();
  }
  timer->expires_after(kDrainPoll);
  timer->async_wait([timer, &open, deadline, done = std::move(done)](boost::system::error_code) {
    wait_for_drain(timer, open, deadline, done);
  });
}

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<HttpServer::Listener> {
 public:
  Listener(asio::io_context& ioc, SessionContext context)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)), context_(context) {}

  Result<tcp::endpoint> open() {
    const ServerOptions& options = context_.options;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) return make_error(errc::internal_failure, "invalid --host " + options.host);
    const tcp::endpoint endpoint(address, options.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return make_error(errc::internal_failure, "cannot listen on " + options.host + ":" +
                                                    std::to_string(options.port) + ": " +
                                                    ec.message());
    }
    return acceptor_.local_endpoint();
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), boost::beast::bind_front_handler(
                                                        &Listener::on_accept, shared_from_this()));
  }

  void stop() {
    asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      spdlog::warn("http: accept failed: {}", ec.message());
    } else {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      start_session(std::move(socket), context_);
    }
    if (acceptor_.is_open()) accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  SessionContext context_;
};

HttpServer::HttpServer(asio::io_context& ioc, ServerOptions options, const protocol::Router& router)
    : ioc_(ioc), options_(std::move(options)), router_(router) {}

HttpServer::~HttpServer() = default;

Result<tcp::endpoint> HttpServer::start() {
  listener_ = std::make_shared<Listener>(ioc_, SessionContext{options_, router_, connections_});
  auto endpoint = listener_->open();
  if (endpoint.ok()) listener_->accept();
  return endpoint;
}

void HttpServer::shut_down(std::function<void()> done) {
  if (listener_) listener_->stop();
  connections_.shut_down_all();
  wait_for_drain(std::make_shared<asio::steady_timer>(ioc_), connections_,
                 std::chrono::steady_clock::now() + options_.shutdown_grace, std::move(done));
}

}  // namespace kinesis_emulator::net
