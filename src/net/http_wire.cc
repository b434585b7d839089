#include "net/http_wire.h"

namespace kinesis_emulator::net {

namespace http = boost::beast::http;

namespace {
std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}
}  // namespace

protocol::WireRequest wire_request(http::request<http::string_body>& req) {
  protocol::WireRequest wire;
  wire.method = view(req.method_string());
  wire.target = view(req.target());
  wire.amz_target = view(req["X-Amz-Target"]);
  wire.content_type = view(req[http::field::content_type]);
  wire.authorization = view(req[http::field::authorization]);
  wire.body = std::move(req.body());
  return wire;
}

// Written by hand: Beast's serializer cost about as much as the rest of a PutRecord (callgrind,
// docs/PERFORMANCE.md) for a fixed, tiny header set.
void append_response_head(std::string& out, const protocol::WireResponse& response, bool keep_alive,
                          unsigned version) {
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(response.status));
  out.push_back(' ');
  const auto reason = http::obsolete_reason(static_cast<http::status>(response.status));
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: kinesis-emulator\r\nContent-Type: ");
  out.append(response.content_type);
  out.append("\r\nx-amzn-RequestId: ");
  out.append(response.request_id);
  for (const auto& [name, value] : response.headers) {
    out.append("\r\n").append(name).append(": ").append(value);
  }
  out.append("\r\nContent-Length: ");
  out.append(std::to_string(response.body.size()));
  // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes them unless told.
  if (version == 10 && keep_alive) out.append("\r\nConnection: keep-alive");
  if (version != 10 && !keep_alive) out.append("\r\nConnection: close");
  out.append("\r\n\r\n");
}

}  // namespace kinesis_emulator::net
