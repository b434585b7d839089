#pragma once
// One port, three ways in: a new connection's first bytes say whether it is TLS (a handshake
// record, when TLS is on), HTTP/2 with prior knowledge (the client connection preface) or
// HTTP/1.1, and it is handed to the session that speaks it. Over TLS, ALPN decides between h2
// and http/1.1.

#include <boost/asio/ip/tcp.hpp>

#include "net/connection.h"

namespace kinesis_emulator::net {

void start_session(boost::asio::ip::tcp::socket socket, SessionContext context);

}  // namespace kinesis_emulator::net
