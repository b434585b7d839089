#include "net/http1_session.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <optional>
#include <type_traits>

#include "net/http_wire.h"
#include "protocol/router.h"

namespace kinesis_emulator::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Buffers larger than this are freed after use rather than kept for the next request.
constexpr std::size_t kKeptBufferBytes = 64 * 1024;

template <class Stream>
class Http1Session : public Connection, public std::enable_shared_from_this<Http1Session<Stream>> {
 public:
  Http1Session(Stream&& stream, beast::flat_buffer&& buffer, SessionContext context)
      : stream_(std::move(stream)), buffer_(std::move(buffer)), context_(context) {}

  void run() {
    registration_.attach(context_.connections, this->weak_from_this());
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Http1Session::read_request,
                                                                     this->shared_from_this()));
  }

  // Between requests the connection closes now; otherwise once the answer in hand is written.
  void shut_down() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      const bool between_requests =
          self->reading_ && self->buffer_.size() == 0 && !self->parser_->got_some();
      if (between_requests) self->close();
    });
  }

 private:
  const ServerOptions& options() const { return context_.options; }

  void read_request() {
    if (closing_ && buffer_.size() == 0) return close();
    parser_.emplace();
    parser_->body_limit(options().body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(options().header_limit));
    beast::get_lowest_layer(stream_).expires_after(options().idle_timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Http1Session::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    reading_ = false;
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::ssl::error::stream_truncated || ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return send_rejection(errc::request_entity_too_large,
                            "The request body exceeds the limit of " +
                                std::to_string(options().body_limit) + " bytes.");
    }
    if (ec == http::error::header_limit) {
      return send_rejection(errc::serialization,
                            "The request's headers exceed the limit of " +
                                std::to_string(options().header_limit) + " bytes.",
                            431);
    }
    if (ec) {
      // Malformed HTTP: answer once, then drop the connection (its framing is lost).
      spdlog::debug("http: bad request: {}", ec.message());
      return send_rejection(errc::serialization, "Malformed HTTP request: " + ec.message());
    }

    http::request<http::string_body>& req = parser_->get();
    protocol::WireRequest wire = wire_request(req);
    wire.transport = std::is_same_v<Stream, TlsStream> ? "http/1.1+tls" : "http/1.1";
    keep_alive_ = req.keep_alive() && !closing_;
    version_ = req.version();
    if (!answer_later_) {
      // Made once: one request at a time, so the answer's framing waits in the members above.
      answer_later_ = [weak = this->weak_from_this()](protocol::WireResponse response) {
        auto self = weak.lock();
        if (!self) return;
        asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->waiting_.reset();
          self->send(std::move(response), self->keep_alive_ && !self->closing_, self->version_);
        });
      };
    }
    std::optional<protocol::WireResponse> response = context_.router.handle(wire, answer_later_);
    if (!response) {
      // Nothing else holds the session while its answer waits (no read or write is pending).
      // Set here, not before the call, to keep two atomic operations off every request: a late
      // answer that came already holds the session in its posted handler, which runs on this
      // strand after us and clears this.
      waiting_ = this->shared_from_this();
      return;
    }
    send(std::move(*response), keep_alive_, version_);
  }

  void send_rejection(errc code, std::string message, unsigned status = 0) {
    // Answer in the request's codec (CBOR or JSON) if its Content-Type was read before the
    // failure (a too-large Content-Length fails as soon as that field is read).
    std::string_view content_type;
    if (parser_) content_type = view(parser_->get()[http::field::content_type]);
    protocol::WireResponse response =
        context_.router.reject(make_error(code, std::move(message)), content_type);
    if (status != 0) response.status = status;  // 431: no AWS error type has it
    send(std::move(response), false, 11);
  }

  // The head (net/http_wire.cc) and the body leave in one gather write.
  void send(protocol::WireResponse wire, bool keep_alive, unsigned version) {
    out_.clear();
    append_response_head(out_, wire, keep_alive, version);
    body_ = std::move(wire.body);
    if (wire.omit_body) body_.clear();
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_), asio::buffer(body_)};
    beast::get_lowest_layer(stream_).expires_after(options().idle_timeout);
    asio::async_write(
        stream_, buffers,
        beast::bind_front_handler(&Http1Session::on_write, this->shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    // A large answer (GetRecords) should not pin its buffer for the life of the connection.
    if (body_.capacity() > kKeptBufferBytes) std::string().swap(body_);
    if (ec || !keep_alive) return close();
    read_request();
  }

  void close() { close_stream(stream_); }

  Stream stream_;
  beast::flat_buffer buffer_;
  SessionContext context_;
  ConnectionRegistration registration_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;   // the head of the response being written
  std::string body_;  // and its body
  bool reading_ = false;
  bool closing_ = false;
  // The request being answered: how to frame its answer, and the way for a late one.
  bool keep_alive_ = false;
  unsigned version_ = 11;
  protocol::Respond answer_later_;
  std::shared_ptr<Http1Session> waiting_;  // set while an answer waits (--sync)
};

template <class Stream>
void start(Stream&& stream, beast::flat_buffer&& buffer, SessionContext context) {
  std::make_shared<Http1Session<Stream>>(std::move(stream), std::move(buffer), context)->run();
}

}  // namespace

void start_http1_session(PlainStream stream, beast::flat_buffer buffer, SessionContext context) {
  start(std::move(stream), std::move(buffer), context);
}

void start_http1_session(TlsStream stream, beast::flat_buffer buffer, SessionContext context) {
  start(std::move(stream), std::move(buffer), context);
}

}  // namespace kinesis_emulator::net
