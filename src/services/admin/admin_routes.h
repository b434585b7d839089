#pragma once
// The emulator's own routes, beside the AWS APIs on the same port:
//   GET|HEAD /_emulator/health   {"status":"running","version":...,"services":{...}}
//   GET      /_emulator/clock    {"now_ms":...}             (--clock controllable)
//   POST     /_emulator/clock    {"advance_ms":N} | {"set_ms":EPOCH_MS}

#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "protocol/router.h"

namespace kinesis_emulator::services::admin {

struct AdminOptions {
  std::string version;
  std::vector<std::string> services;  // each reported "running", e.g. {"kinesis"}
  // The controllable clock, or null when the server runs on the system clock.
  ManualClock* clock = nullptr;
  std::string clock_mode = "system";
  // Called after the clock moved (on the request's thread), so that what waits on time, such
  // as retention trimming, catches up at once instead of at its next periodic run.
  std::function<void()> after_clock_moved;
};

void add_admin_routes(protocol::Router& router, AdminOptions options);

}  // namespace kinesis_emulator::services::admin
