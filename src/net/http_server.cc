#include "net/http_server.h"
#include "net/http_wire.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <optional>

namespace kinesis_emulator::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

// Buffers larger than this are freed after use rather than kept for the next request.
constexpr std::size_t kKeptBufferBytes = 64 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options,
          const protocol::Dispatcher& dispatcher)
      : stream_(std::move(socket)), options_(options), dispatcher_(dispatcher) {}

  void run() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read_request, shared_from_this()));
  }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    stream_.expires_after(options_.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return send_rejection(errc::request_entity_too_large,
                            "The request body exceeds the limit of " +
                                std::to_string(options_.body_limit) + " bytes.");
    }
    if (ec) {
      // Malformed HTTP: answer once, then drop the connection (its framing is lost).
      spdlog::debug("http: bad request: {}", ec.message());
      return send_rejection(errc::serialization, "Malformed HTTP request: " + ec.message());
    }

    http::request<http::string_body>& req = parser_->get();
    protocol::WireRequest wire = wire_request(req);
    protocol::WireResponse response = dispatcher_.handle(wire);
    if (options_.before_reply) {
      return options_.before_reply([self = shared_from_this(), response = std::move(response),
                                    keep_alive = req.keep_alive(), version = req.version(),
                                    content_type = std::string(wire.content_type)](bool ok) {
        asio::post(self->stream_.get_executor(), [=]() mutable {
          if (!ok) {
            response = self->dispatcher_.reject(
                make_error(errc::internal_failure,
                           "The request was carried out but could not be made durable."),
                content_type);
          }
          self->send(std::move(response), keep_alive, version);
        });
      });
    }
    send(std::move(response), req.keep_alive(), req.version());
  }

  void send_rejection(errc code, std::string message) {
    // Answer in the request's codec (CBOR or JSON) if its Content-Type was read before the
    // failure (a too-large Content-Length fails as soon as that field is read).
    std::string_view content_type;
    if (parser_) content_type = view(parser_->get()[http::field::content_type]);
    send(dispatcher_.reject(make_error(code, std::move(message)), content_type), false, 11);
  }

  // The head (net/http_wire.cc) and the body leave in one gather write.
  void send(protocol::WireResponse wire, bool keep_alive, unsigned version) {
    out_.clear();
    append_response_head(out_, wire, keep_alive, version);
    body_ = std::move(wire.body);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_), asio::buffer(body_)};
    asio::async_write(
        stream_, buffers,
        beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    // A large answer (GetRecords) should not pin its buffer for the life of the connection.
    if (body_.capacity() > kKeptBufferBytes) std::string().swap(body_);
    if (ec || !keep_alive) return close();
    read_request();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const ServerOptions& options_;
  const protocol::Dispatcher& dispatcher_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;   // the head of the response being written
  std::string body_;  // and its body
};

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<HttpServer::Listener> {
 public:
  Listener(asio::io_context& ioc, const ServerOptions& options,
           const protocol::Dispatcher& dispatcher)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)), options_(options), dispatcher_(dispatcher) {}

  Result<tcp::endpoint> open() {
    beast::error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return make_error(errc::internal_failure, "invalid --host " + options_.host);
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return make_error(errc::internal_failure, "cannot listen on " + options_.host + ":" +
                                                    std::to_string(options_.port) + ": " +
                                                    ec.message());
    }
    return acceptor_.local_endpoint();
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void stop() {
    asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      spdlog::warn("http: accept failed: {}", ec.message());
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), options_, dispatcher_)->run();
    }
    if (acceptor_.is_open()) accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  const ServerOptions& options_;
  const protocol::Dispatcher& dispatcher_;
};

HttpServer::HttpServer(asio::io_context& ioc, ServerOptions options,
                       const protocol::Dispatcher& dispatcher)
    : ioc_(ioc), options_(std::move(options)), dispatcher_(dispatcher) {}

HttpServer::~HttpServer() = default;

Result<tcp::endpoint> HttpServer::start() {
  listener_ = std::make_shared<Listener>(ioc_, options_, dispatcher_);
  auto endpoint = listener_->open();
  if (endpoint.ok()) listener_->accept();
  return endpoint;
}

void HttpServer::stop() {
  if (listener_) listener_->stop();
}

}  // namespace kinesis_emulator::net
