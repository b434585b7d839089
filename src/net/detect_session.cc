#include "net/detect_session.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>

#include <string_view>

#include "net/http1_session.h"
#include "net/http2_session.h"
#include "net/streams.h"

namespace kinesis_emulator::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// A TLS record carrying a handshake message starts with this content type.
constexpr unsigned char kTlsHandshakeRecord = 0x16;

// What the first read takes; the session gets all of it.
constexpr std::size_t kFirstRead = 4096;

enum class Protocol { undecided, tls, http2, http1 };

Protocol detect(std::string_view first_bytes, bool tls_on) {
  if (first_bytes.empty()) return Protocol::undecided;
  if (tls_on && static_cast<unsigned char>(first_bytes[0]) == kTlsHandshakeRecord) {
    return Protocol::tls;
  }
  const std::size_t n = std::min(first_bytes.size(), kHttp2Preface.size());
  if (first_bytes.substr(0, n) != kHttp2Preface.substr(0, n)) return Protocol::http1;
  return n == kHttp2Preface.size() ? Protocol::http2 : Protocol::undecided;
}

class TlsHandshake : public std::enable_shared_from_this<TlsHandshake> {
 public:
  TlsHandshake(PlainStream&& stream, beast::flat_buffer&& buffer, SessionContext context)
      : stream_(std::move(stream), *context.options.tls),
        buffer_(std::move(buffer)),
        context_(context) {}

  void run() {
    stream_.async_handshake(
        asio::ssl::stream_base::server, buffer_.data(),
        beast::bind_front_handler(&TlsHandshake::on_handshake, shared_from_this()));
  }

 private:
  void on_handshake(beast::error_code ec, std::size_t used) {
    if (ec) {
      spdlog::debug("tls: handshake failed: {}", ec.message());
      return close_stream(stream_);
    }
    buffer_.consume(used);
    const unsigned char* alpn = nullptr;
    unsigned int alpn_length = 0;
    SSL_get0_alpn_selected(stream_.native_handle(), &alpn, &alpn_length);
    const std::string_view selected(reinterpret_cast<const char*>(alpn), alpn_length);
    if (selected == "h2") {
      start_http2_session(std::move(stream_), std::move(buffer_), context_);
    } else {
      start_http1_session(std::move(stream_), std::move(buffer_), context_);
    }
  }

  TlsStream stream_;
  beast::flat_buffer buffer_;
  SessionContext context_;
};

class Detector : public std::enable_shared_from_this<Detector> {
 public:
  Detector(asio::ip::tcp::socket&& socket, SessionContext context)
      : stream_(std::move(socket)), context_(context) {}

  void run() {
    // Until the protocol is known, the connection has an idle timeout's time to say it.
    stream_.expires_after(context_.options.idle_timeout);
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Detector::read_more, shared_from_this()));
  }

 private:
  void read_more() {
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            beast::bind_front_handler(&Detector::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t n) {
    if (ec) return close_stream(stream_);  // closed or timed out before saying anything
    buffer_.commit(n);
    const auto data = buffer_.data();
    const std::string_view first(static_cast<const char*>(data.data()), data.size());
    switch (detect(first, context_.options.tls != nullptr)) {
      case Protocol::undecided:
        return read_more();
      case Protocol::tls:
        return std::make_shared<TlsHandshake>(std::move(stream_), std::move(buffer_), context_)
            ->run();
      case Protocol::http2:
        return start_http2_session(std::move(stream_), std::move(buffer_), context_);
      case Protocol::http1:
        return start_http1_session(std::move(stream_), std::move(buffer_), context_);
    }
  }

  PlainStream stream_;
  beast::flat_buffer buffer_;
  SessionContext context_;
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, SessionContext context) {
  std::make_shared<Detector>(std::move(socket), context)->run();
}

}  // namespace kinesis_emulator::net
