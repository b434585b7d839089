#pragma once
// What the protocol layer needs from an HTTP request and gives back, free of any HTTP library.

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis_emulator::protocol {

struct Header {
  std::string_view name;
  std::string_view value;
};

struct WireRequest {
  std::string_view method;         // "POST"
  std::string_view target;         // request-target, e.g. "/" or "/?X-Amz-Credential=..."
  std::string_view amz_target;     // X-Amz-Target header
  std::string_view content_type;   // Content-Type header
  std::string_view authorization;  // Authorization header
  std::string_view x_amz_date;     // X-Amz-Date header
  std::string_view date;           // Date header
  std::string_view origin;         // Origin header (a page in a browser)
  std::vector<Header> headers;     // all of them, those above included, in arrival order
  // How the request came: "http/1.1", "http/1.1+tls", "h2c" or "h2+tls". For the request log
  // only: no handler may answer differently because of it.
  std::string_view transport;
  std::string body;

  // The first header of that name (any case); empty if there is none.
  std::string_view header(std::string_view name) const {
    for (const Header& h : headers) {
      if (h.name.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; same && i < name.size(); ++i) {
        same = ascii_lower(h.name[i]) == ascii_lower(name[i]);
      }
      if (same) return h.value;
    }
    return {};
  }
  // The request-target up to any query.
  std::string_view path() const { return target.substr(0, target.find('?')); }
  // What follows '?', or empty.
  std::string_view query() const {
    const auto q = target.find('?');
    return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  }

 private:
  static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
};

struct WireResponse {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  std::string request_id;
  // Further headers, e.g. x-amzn-ErrorType on errors answered in CBOR.
  std::vector<std::pair<std::string, std::string>> headers;
  // An answer to HEAD: the head says how long the body would be, and the body is not sent.
  bool omit_body = false;
};

// An answer given later, from any thread (see Router::handle).
using Respond = std::function<void(WireResponse)>;

}  // namespace kinesis_emulator::protocol
