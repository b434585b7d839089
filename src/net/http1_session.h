#pragma once
// HTTP/1.1 over a plain or TLS stream: read -> route -> write with keep-alive; requests on one
// connection, pipelined or not, are answered in order.

#include <boost/beast/core/flat_buffer.hpp>

#include "net/connection.h"
#include "net/streams.h"

namespace kinesis_emulator::net {

// `buffer` holds bytes already read from the stream (by protocol detection).
void start_http1_session(PlainStream stream, boost::beast::flat_buffer buffer,
                         SessionContext context);
void start_http1_session(TlsStream stream, boost::beast::flat_buffer buffer,
                         SessionContext context);

}  // namespace kinesis_emulator::net
