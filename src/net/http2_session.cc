#include "net/http2_session.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>

#include <array>
#include <type_traits>

#include "net/http2_connection.h"
#include "protocol/router.h"

namespace kinesis_emulator::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// Frames are gathered into writes of about this size.
constexpr std::size_t kWriteChunk = 64 * 1024;
// After a final GOAWAY, how long the peer gets to read it before the socket closes.
constexpr std::chrono::seconds kGoawayLinger{1};

template <class Stream>
class Http2Session : public Connection, public std::enable_shared_from_this<Http2Session<Stream>> {
 public:
  Http2Session(Stream&& stream, beast::flat_buffer&& buffer, SessionContext context)
      : stream_(std::move(stream)),
        initial_(std::move(buffer)),
        context_(context),
        idle_timer_(stream_.get_executor()),
        h2_(context.options, context.router,
            [this](int32_t id, protocol::WireRequest& request) { handle(id, request); }) {}

  void run() {
    registration_.attach(context_.connections, this->weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

  void shut_down() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->closed_) return;
      self->h2_.go_away();
      self->flush();
    });
  }

 private:
  void start() {
    // The idle timer below replaces the stream's own deadlines (one per read would cut a
    // connection that is busy answering).
    beast::get_lowest_layer(stream_).expires_never();
    arm_idle_timer();
    const auto data = initial_.data();
    const bool ok = h2_.receive(static_cast<const uint8_t*>(data.data()), data.size());
    initial_.consume(initial_.size());
    flush();
    if (ok) read();
  }

  void read() {
    if (closed_ || reading_) return;
    reading_ = true;
    stream_.async_read_some(
        asio::buffer(read_buffer_),
        beast::bind_front_handler(&Http2Session::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t n) {
    reading_ = false;
    if (ec) return close();
    const bool ok = h2_.receive(read_buffer_.data(), n);
    flush();
    if (ok) read();
  }

  // Each request is answered on the connection's strand, now or (with --sync) once durable.
  void handle(int32_t id, protocol::WireRequest& request) {
    request.transport = std::is_same_v<Stream, TlsStream> ? "h2+tls" : "h2c";
    std::optional<protocol::WireResponse> response = context_.router.handle(
        request, [weak = this->weak_from_this(), id](protocol::WireResponse late) {
          auto self = weak.lock();
          if (!self) return;
          asio::post(self->stream_.get_executor(), [self, id, late = std::move(late)]() mutable {
            if (self->closed_) return;
            self->h2_.respond(id, std::move(late));
            self->flush();
          });
        });
    if (response) h2_.respond(id, std::move(*response));
  }

  void flush() {
    if (closed_ || writing_) return;
    out_.clear();
    if (!h2_.take_output(out_, kWriteChunk) && out_.empty()) return close();
    if (out_.empty()) {
      if (h2_.finished()) close();
      return;
    }
    writing_ = true;
    asio::async_write(stream_, asio::buffer(out_),
                      beast::bind_front_handler(&Http2Session::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return close();
    if (out_.capacity() > 4 * kWriteChunk) std::string().swap(out_);
    flush();
    read();
  }

  // Closes a connection on which, for a whole idle timeout, no request arrived and no answer
  // moved: idle keep-alive connections, slow or stuck peers (a window never opened).
  void arm_idle_timer() {
    idle_timer_.expires_after(context_.options.idle_timeout);
    idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (self->h2_.take_activity()) return self->arm_idle_timer();
      spdlog::debug("http2: idle connection closed");
      self->h2_.terminate(0);
      self->flush();
      self->idle_timer_.expires_after(kGoawayLinger);
      self->idle_timer_.async_wait([self](beast::error_code) { self->close(); });
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    idle_timer_.cancel();
    close_stream(stream_);
  }

  Stream stream_;
  beast::flat_buffer initial_;
  SessionContext context_;
  ConnectionRegistration registration_;
  asio::steady_timer idle_timer_;
  Http2Connection h2_;
  std::array<uint8_t, 16 * 1024> read_buffer_{};
  std::string out_;
  bool reading_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

template <class Stream>
void start(Stream&& stream, beast::flat_buffer&& buffer, SessionContext context) {
  std::make_shared<Http2Session<Stream>>(std::move(stream), std::move(buffer), context)->run();
}

}  // namespace

void start_http2_session(PlainStream stream, beast::flat_buffer buffer, SessionContext context) {
  start(std::move(stream), std::move(buffer), context);
}

void start_http2_session(TlsStream stream, beast::flat_buffer buffer, SessionContext context) {
  start(std::move(stream), std::move(buffer), context);
}

}  // namespace kinesis_emulator::net
