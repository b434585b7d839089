#pragma once
// The server's configuration: one typed struct, filled from defaults, then environment
// variables (KINESIS_EMULATOR_*), then the command line.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kinesis_emulator::config {

// One entry of --initialize-streams ("name:shards[:region]", kinesis-mock's form).
struct InitialStream {
  std::string name;
  uint32_t shards = 0;
  std::string region;  // empty: --region
};

// Parses "a:2,b,c:1:eu-west-1"; an error names the entry at fault.
Result<std::vector<InitialStream>> parse_initial_streams(std::string_view text,
                                                         uint32_t default_shards);

inline constexpr uint32_t kInitialStreamDefaultShards = 4;

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 4567;
  std::string data_dir;  // empty until resolved; see default_data_dir()
  bool in_memory = false;
  bool verify_data = false;     // check every stored block's checksum at start-up
  bool sync = false;            // fsync the WAL (group-committed) before acknowledging
  int64_t idle_timeout_s = 60;  // keep-alive idle, and the most a request may take to arrive
  int64_t create_stream_ms = 500;
  int64_t delete_stream_ms = 500;
  int64_t update_stream_ms = 500;
  uint32_t shard_limit = 500;
  std::string log_level = "info";
  std::string region = "us-east-1";  // when a request carries no SigV4 credential scope
  std::string account_id = "000000000000";
  unsigned threads = 0;  // 0: one per hardware thread
  // Per-shard throughput limits (provisioned streams; on-demand shards get 50 times these).
  bool throughput_limits = true;
  uint64_t shard_write_bytes_per_sec = 1 << 20;
  uint64_t shard_write_records_per_sec = 1000;
  uint64_t shard_read_bytes_per_sec = 2 << 20;
  uint64_t shard_read_calls_per_sec = 5;
  bool control_plane_limits = false;  // AWS's per-operation call rates, opt-in
  // "system", or "controllable": emulated time that starts at the real time and then moves only
  // through POST /_emulator/clock.
  std::string clock = "system";
  // Streams created, ACTIVE, before the server accepts requests; existing ones are kept.
  std::vector<InitialStream> initial_streams;
  // Instead of serving: ask the server at host:port for its health and exit 0 if it is running
  // (the container image's HEALTHCHECK; slim images have no curl).
  bool health_check = false;
  // TLS on the same port as plain HTTP (told apart by the first bytes of a connection). Without
  // a certificate and key, a self-signed one for localhost is made once and kept (see tls_dir).
  bool tls = false;
  std::string tls_cert;  // PEM certificate chain
  std::string tls_key;   // PEM private key
  // Where the made certificate is kept: <data-dir>/tls, or with --in-memory a folder under the
  // system's temporary directory (TMPDIR), so that clients can still be pointed at it.
  std::string tls_dir;
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
