// libFuzzer target: raw bytes off a connection, parsed as the server parses them and handed to
// the real dispatcher (see harness.h), then answered as the server answers.
//
// Mirrors net/http1_session.cc: a Beast request_parser<string_body> with the server's body
// and header limits (net::ServerOptions' defaults), several requests per connection (keep-alive,
// pipelining), a body_limit error answered 413 and any other parse error answered once before
// the connection is dropped; each answer's head is built by the server's own net/http_wire.cc.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.h"
#include "net/http_server.h"
#include "net/http_wire.h"

using namespace kinesis_emulator;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

void write(const protocol::WireResponse& wire, bool keep_alive, unsigned version) {
  std::string head;
  net::append_response_head(head, wire, keep_alive, version);
  if (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Harness& harness = fuzz::Harness::get();
  harness.next_input();
  static const net::ServerOptions options;

  std::size_t pos = 0;
  for (int n = 0; n < 8; ++n) {  // requests on this connection
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    beast::error_code ec;
    // As http::async_read: feed what there is; with nothing more to read, end of stream.
    while (!parser.is_done()) {
      if (pos < size) {
        const std::size_t used = parser.put(asio::buffer(data + pos, size - pos), ec);
        pos += used;
        if (ec == http::error::need_more) ec = {};
        if (ec) break;
        if (used > 0) continue;
      }
      // No more bytes, or none the parser can take without more: the peer closed.
      if (parser.got_some()) {
        parser.put_eof(ec);
      } else {
        ec = http::error::end_of_stream;
      }
      if (!ec && !parser.is_done()) __builtin_trap();  // put_eof must finish or fail
      break;
    }

    if (ec == http::error::end_of_stream) return 0;  // connection closed
    if (ec) {
      const std::string_view content_type = net::view(parser.get()[http::field::content_type]);
      const errc code =
          ec == http::error::body_limit ? errc::request_entity_too_large : errc::serialization;
      write(
          harness.dispatcher().reject(make_error(code, "rejected: " + ec.message()), content_type),
          false, 11);
      return 0;  // the server drops the connection after this answer
    }

    http::request<http::string_body>& req = parser.get();
    protocol::WireRequest wire = net::wire_request(req);
    const bool cbor = wire.content_type.find("cbor") != std::string_view::npos;
    wire.body = harness.substitute(std::move(wire.body), cbor);
    protocol::WireResponse response = harness.handle(wire);
    if (response.status < 200 || response.status > 599) __builtin_trap();
    const bool keep_alive = req.keep_alive();
    write(std::move(response), keep_alive, req.version());
    if (!keep_alive) return 0;
  }
  return 0;
}
