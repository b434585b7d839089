#pragma once
// The two byte streams a session runs over: plain TCP, and TLS on TCP. Sessions are templates
// over them, so that plain, TLS and h2c share one implementation.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace kinesis_emulator::net {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Closes the socket under either stream: pending reads and writes end with operation_aborted.
template <class Stream>
void close_stream(Stream& stream) {
  boost::beast::error_code ignored;
  auto& socket = boost::beast::get_lowest_layer(stream).socket();
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

}  // namespace kinesis_emulator::net
