#pragma once
// What every connection of the front end is held to, whichever protocol it speaks.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace kinesis_emulator::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  // Largest request body accepted; a larger Content-Length is refused before the body is read.
  // A 10 MiB record (UpdateMaxRecordSize's ceiling) is about 13.4 MiB in base64.
  std::size_t body_limit = 16 << 20;
  // Largest request head: HTTP/1.1's header section, HTTP/2's decoded header list.
  std::size_t header_limit = 16 << 10;
  // A connection with no complete request within this time is closed: idle keep-alive
  // connections, and slow clients trickling a request in.
  std::chrono::seconds idle_timeout{60};
  // HTTP/2: streams a client may have open at once on one connection.
  uint32_t http2_max_concurrent_streams = 128;
  // On shutdown, how long connections get to finish the requests they are carrying.
  std::chrono::milliseconds shutdown_grace{5000};
  // When set, the port also speaks TLS (net/tls_context.h), told apart by the first byte.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

}  // namespace kinesis_emulator::net
