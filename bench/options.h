// kbench command-line options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kbench {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4567;
  std::vector<std::string> phases{"put"};
  int connections = 16;
  double duration_s = 10;
  std::int64_t requests = 0;  // cap on requests per phase; 0: none
  int record_bytes = 100;
  std::int64_t partition_keys = 0;  // distinct keys; 0: a unique key per record
  int shards = 4;
  int streams = 1;
  int batch = 500;
  double rate = 0;  // target aggregate requests/s; 0: as fast as possible
  int threads = 1;
  int server_pid = 0;
  std::int64_t records = 200000;  // drain and startup
  int limit = 10000;              // GetRecords Limit
  int poll_ms = 10;               // mixed: consumer pause after a round with no records
  double request_timeout_s = 30;
  double phase_timeout_s = 900;  // bound for loops that are not timed by --duration
  bool json = false;
  bool random_payload = false;
  std::string label;
  std::string stream_prefix = "kbench";
  // startup phase
  std::string server_bin;
  std::string server_data_dir;    // default: a fresh temporary directory
  std::uint16_t server_port = 0;  // default: a free port
  std::vector<std::string> server_args;
  bool keep_data = false;
};

// Parses argv; prints help or an error and exits on failure.
Options parse_options(int argc, char** argv);

}  // namespace kbench
