#pragma once
// The server's configuration: one typed struct, filled from defaults, then environment
// variables (KINESIS_EMULATOR_*), then the command line.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "kinesis_emulator/options.h"

namespace kinesis_emulator::config {

// Parses "a:2,b,c:1:eu-west-1" (--initialize-streams, kinesis-mock's form); an error names
// the entry at fault.
Result<std::vector<InitialStream>> parse_initial_streams(std::string_view text,
                                                         uint32_t default_shards);

inline constexpr uint32_t kInitialStreamDefaultShards = 4;

struct Config {
  Config() {
    // The binary's defaults, where they differ from an embedded server's.
    server.port = 4567;
    server.in_memory = false;
  }
  // Everything the server runs with (include/kinesis_emulator/options.h). data_dir is empty
  // until resolved (see default_data_dir()); with --tls and no certificate, tls_dir is
  // <data-dir>/tls, or with --in-memory a folder under TMPDIR, so that clients can still be
  // pointed at the certificate made there.
  Options server;
  std::string log_level = "info";
  // "system", or "controllable" (server.controllable_clock): emulated time that starts at the
  // real time and then moves only through POST /_emulator/clock.
  std::string clock = "system";
  // Instead of serving: ask the server at host:port for its health and exit 0 if it is running
  // (the container image's HEALTHCHECK; slim images have no curl).
  bool health_check = false;
};

// Outcome of parsing: either a config to run with, or text to print and an exit code
// (--help, --version, or a usage error).
struct ParseOutcome {
  std::optional<Config> config;
  std::string message;
  int exit_code = 0;
};

ParseOutcome parse_command_line(int argc, const char* const* argv);

// $XDG_DATA_HOME/kinesis-emulator, else ~/.local/share/kinesis-emulator, else ./kinesis-data.
std::string default_data_dir();

}  // namespace kinesis_emulator::config
