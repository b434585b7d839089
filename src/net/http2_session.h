#pragma once
// HTTP/2 over a plain stream (h2c with prior knowledge) or TLS (ALPN "h2"): the socket side of
// net/http2_connection.h.

#include <boost/beast/core/flat_buffer.hpp>

#include "net/connection.h"
#include "net/streams.h"

namespace kinesis_emulator::net {

// `buffer` holds bytes already read from the stream (the connection preface, for h2c).
void start_http2_session(PlainStream stream, boost::beast::flat_buffer buffer,
                         SessionContext context);
void start_http2_session(TlsStream stream, boost::beast::flat_buffer buffer,
                         SessionContext context);

}  // namespace kinesis_emulator::net
