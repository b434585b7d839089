#include "net/http_wire.h"

#include <cstdio>

namespace kinesis_emulator::net {

namespace http = boost::beast::http;

protocol::WireRequest wire_request(http::request<http::string_body>& req) {
  protocol::WireRequest wire;
  wire.method = view(req.method_string());
  wire.target = view(req.target());
  // One pass over the fields picks out what the protocol layer reads on every request (Beast's
  // lookups by name would each walk the list again). The first of a repeated field wins.
  wire.headers.reserve(16);
  auto first = [](std::string_view& slot, std::string_view value) {
    if (slot.empty()) slot = value;
  };
  for (const auto& field : req) {
    const std::string_view name = view(field.name_string());
    const std::string_view value = view(field.value());
    wire.headers.push_back({name, value});
    switch (field.name()) {
      case http::field::content_type:
        first(wire.content_type, value);
        break;
      case http::field::authorization:
        first(wire.authorization, value);
        break;
      case http::field::date:
        first(wire.date, value);
        break;
      case http::field::origin:
        first(wire.origin, value);
        break;
      case http::field::unknown:
        if (boost::beast::iequals(name, "X-Amz-Target")) {
          first(wire.amz_target, value);
        } else if (boost::beast::iequals(name, "X-Amz-Date")) {
          first(wire.x_amz_date, value);
        }
        break;
      default:
        break;
    }
  }
  wire.body = std::move(req.body());
  return wire;
}

namespace {

// The status line and the headers every answer has, without the line ending of the last.
void append_status_and_headers(std::string& out, const protocol::WireResponse& response,
                               unsigned version) {
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  out.append(std::to_string(response.status));
  out.push_back(' ');
  const auto reason = http::obsolete_reason(static_cast<http::status>(response.status));
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: kinesis-emulator");
  if (!response.content_type.empty()) {
    out.append("\r\nContent-Type: ");
    out.append(response.content_type);
  }
  out.append("\r\nx-amzn-RequestId: ");
  out.append(response.request_id);
  for (const auto& [name, value] : response.headers) {
    out.append("\r\n").append(name).append(": ").append(value);
  }
}

}  // namespace

// Written by hand: Beast's serializer cost about as much as the rest of a PutRecord (callgrind,
// docs/PERFORMANCE.md) for a fixed, tiny header set.
void append_response_head(std::string& out, const protocol::WireResponse& response, bool keep_alive,
                          unsigned version) {
  append_status_and_headers(out, response, version);
  out.append("\r\nContent-Length: ");
  out.append(std::to_string(response.body.size()));
  // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes them unless told.
  if (version == 10 && keep_alive) out.append("\r\nConnection: keep-alive");
  if (version != 10 && !keep_alive) out.append("\r\nConnection: close");
  out.append("\r\n\r\n");
}

void append_chunked_head(std::string& out, const protocol::WireResponse& response,
                         bool keep_alive) {
  append_status_and_headers(out, response, 11);
  out.append("\r\nTransfer-Encoding: chunked");
  if (!keep_alive) out.append("\r\nConnection: close");
  out.append("\r\n\r\n");
}

void append_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;  // an empty chunk would end the body
  char size[17];
  const int n = std::snprintf(size, sizeof size, "%zx", data.size());
  out.append(size, static_cast<std::size_t>(n)).append("\r\n").append(data).append("\r\n");
}

void append_last_chunk(std::string& out) {
  out.append("0\r\n\r\n");
}

}  // namespace kinesis_emulator::net
