#include "services/admin/admin_routes.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <memory>

namespace kinesis_emulator::services::admin {

using nlohmann::json;
using protocol::local_json_response;
using protocol::WireRequest;
using protocol::WireResponse;

namespace {

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

WireResponse error(unsigned status, std::string_view code, std::string message) {
  return local_json_response(status, dump({{"error", code}, {"message", std::move(message)}}));
}

WireResponse method_not_allowed(const WireRequest& request, std::string_view allowed) {
  WireResponse r = error(405, "MethodNotAllowed",
                         std::string(request.method) + " is not served on " +
                             std::string(request.path()) + "; use " + std::string(allowed));
  r.headers.emplace_back("Allow", std::string(allowed));
  return r;
}

WireResponse health(const AdminOptions& options, const WireRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return method_not_allowed(request, "GET, HEAD");
  }
  json services = json::object();
  for (const std::string& name : options.services) services[name] = "running";
  WireResponse r = local_json_response(200, dump({{"status", "running"},
                                                  {"version", options.version},
                                                  {"clock", options.clock_mode},
                                                  {"services", std::move(services)}}));
  r.omit_body = request.method == "HEAD";
  return r;
}

// A whole number that fits int64, or nullopt (JSON numbers may also be floats or huge).
std::optional<int64_t> whole_number(const json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  return std::nullopt;
}

WireResponse move_clock(const AdminOptions& options, const WireRequest& request) {
  ManualClock& clock = *options.clock;
  const json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return error(400, "InvalidRequest",
                 R"(The body must be a JSON object: {"advance_ms": N} or {"set_ms": EPOCH_MS}.)");
  }
  const bool advance = body.contains("advance_ms");
  const bool set = body.contains("set_ms");
  if (advance == set) {
    return error(400, "InvalidRequest",
                 R"(Give exactly one of "advance_ms" (milliseconds to move forward) and "set_ms" )"
                 R"((the new time, in milliseconds since the epoch).)");
  }
  const std::optional<int64_t> n = whole_number(body.at(advance ? "advance_ms" : "set_ms"));
  if (!n) {
    return error(400, "InvalidRequest",
                 std::string(advance ? "advance_ms" : "set_ms") +
                     " must be a whole number of milliseconds.");
  }
  const int64_t before = clock.now_ms();
  if (advance) {
    if (*n < 0) {
      return error(400, "InvalidRequest",
                   "advance_ms must not be negative: the emulated clock never goes backwards.");
    }
    if (*n > std::numeric_limits<int64_t>::max() - before) {
      return error(400, "InvalidRequest", "advance_ms would move the clock past year 292277026.");
    }
    clock.advance_ms(*n);
  } else if (!clock.set_forward_ms(*n)) {
    return error(400, "InvalidRequest",
                 "set_ms " + std::to_string(*n) + " is before the emulated time " +
                     std::to_string(clock.now_ms()) + ": the clock never goes backwards.");
  }
  if (options.after_clock_moved) options.after_clock_moved();
  return local_json_response(200, dump({{"now_ms", clock.now_ms()}, {"previous_ms", before}}));
}

WireResponse clock_route(const AdminOptions& options, const WireRequest& request) {
  if (request.method != "GET" && request.method != "POST") {
    return method_not_allowed(request, "GET, POST");
  }
  if (options.clock == nullptr) {
    return error(400, "ClockNotControllable",
                 "The server runs on the system clock. Start it with --clock controllable (or "
                 "KINESIS_EMULATOR_CLOCK=controllable) to read and move the emulated time here.");
  }
  if (request.method == "GET") {
    return local_json_response(200, dump({{"now_ms", options.clock->now_ms()}}));
  }
  return move_clock(options, request);
}

}  // namespace

void add_admin_routes(protocol::Router& router, AdminOptions options) {
  auto shared = std::make_shared<const AdminOptions>(std::move(options));
  router.add_local_route("/_emulator/health",
                         [shared](const WireRequest& r) { return health(*shared, r); });
  router.add_local_route("/_emulator/clock",
                         [shared](const WireRequest& r) { return clock_route(*shared, r); });
}

}  // namespace kinesis_emulator::services::admin
