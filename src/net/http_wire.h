#pragma once
// What a connection does with a request and an answer that needs no socket: the WireRequest of a
// parsed Beast request, and the head of a response. Shared by the server's sessions and the HTTP
// fuzz target, so that the fuzzer exercises exactly what the server runs.

#include <boost/beast/http.hpp>

#include <string>
#include <string_view>

#include "protocol/wire.h"

namespace kinesis_emulator::net {

inline std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

// Views into `req`'s headers (valid while `req` lives); the body is moved out of it.
protocol::WireRequest wire_request(
    boost::beast::http::request<boost::beast::http::string_body>& req);

// Status line and headers, up to and including the blank line, for `response`'s body.
void append_response_head(std::string& out, const protocol::WireResponse& response, bool keep_alive,
                          unsigned version);

// A streaming answer over HTTP/1.1 (event streams): the head with Transfer-Encoding: chunked
// (`response`'s body is not part of it), then one chunk per piece, then the last chunk.
void append_chunked_head(std::string& out, const protocol::WireResponse& response, bool keep_alive);
void append_chunk(std::string& out, std::string_view data);
void append_last_chunk(std::string& out);

}  // namespace kinesis_emulator::net
