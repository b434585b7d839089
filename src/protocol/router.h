#pragma once
// The front door of every request, before any AWS service sees it: CORS for browsers (the
// preflight, and the headers every answer to a page needs), the emulator's own routes under
// /_emulator/, and everything else to the AWS dispatcher.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/dispatcher.h"
#include "protocol/response_stream.h"
#include "protocol/wire.h"

namespace kinesis_emulator::protocol {

inline constexpr std::string_view kEmulatorPathPrefix = "/_emulator/";

// One /_emulator/ route; it answers every method itself (405 for those it does not serve).
using LocalHandler = std::function<WireResponse(const WireRequest&)>;

class Router {
 public:
  explicit Router(const Dispatcher& dispatcher) : dispatcher_(dispatcher) {}

  // `path` is exact, e.g. "/_emulator/health".
  void add_local_route(std::string path, LocalHandler handler);

  // The answer now, or (with --sync, see Dispatcher::wait_until_durable) nullopt and `later`
  // called once, from any thread, with it.
  // A streaming operation writes its answer into the stream `open` gives (nullopt then too).
  std::optional<WireResponse> handle(WireRequest& request, const Respond& later,
                                     const OpenStream& open = {}) const;

  // For requests refused before they could be read whole (see Dispatcher::reject).
  WireResponse reject(const Error& error, std::string_view content_type = {}) const {
    return dispatcher_.reject(error, content_type);
  }

 private:
  WireResponse local(const WireRequest& request) const;

  const Dispatcher& dispatcher_;
  std::map<std::string, LocalHandler, std::less<>> local_routes_;
};

// A JSON answer of the emulator's own routes.
WireResponse local_json_response(unsigned status, std::string body);

}  // namespace kinesis_emulator::protocol
