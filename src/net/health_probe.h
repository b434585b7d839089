#pragma once
// The client side of GET /_emulator/health, for `kinesis-emulator --health-check`: a container
// HEALTHCHECK or a CI wait loop needs no curl or wget in the image.

#include <cstdint>
#include <string>

namespace kinesis_emulator::net {

struct HealthProbeResult {
  bool running = false;  // 200 and "status":"running"
  std::string detail;    // the body, or why there is none
};

// `host` as the server's --host: a wildcard address (0.0.0.0, ::) is asked on loopback. Gives
// up after `timeout_ms` in all.
HealthProbeResult probe_health(const std::string& host, uint16_t port, int timeout_ms = 3000);

}  // namespace kinesis_emulator::net
