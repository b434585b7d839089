#include "config/config.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <sstream>

#ifndef KE_VERSION
#define KE_VERSION "0.0.0"
#endif

namespace kinesis_emulator::config {

std::string default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/kinesis-emulator";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.local/share/kinesis-emulator";
  }
  return "./kinesis-data";
}

namespace {

bool valid_stream_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  return name.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
         std::string_view::npos;
}

bool valid_region(std::string_view region) {
  return !region.empty() && region.size() <= 32 &&
         region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") ==
             std::string_view::npos;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

Result<std::vector<InitialStream>> parse_initial_streams(std::string_view text,
                                                         uint32_t default_shards) {
  std::vector<InitialStream> streams;
  if (text.find_first_not_of(" ") == std::string_view::npos) return streams;
  for (std::string_view entry : split(text, ',')) {
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    const std::vector<std::string_view> fields = split(entry, ':');
    auto bad = [&](std::string_view why) {
      return make_error(errc::invalid_argument, "--initialize-streams: '" + std::string(entry) +
                                                    "': " + std::string(why) +
                                                    " (expected name[:shards[:region]])");
    };
    if (fields.size() > 3) return bad("too many fields");
    InitialStream stream;
    stream.name = fields[0];
    if (!valid_stream_name(stream.name)) {
      return bad("a stream name is 1 to 128 of a-z, A-Z, 0-9, '_', '.' and '-'");
    }
    stream.shards = default_shards;
    if (fields.size() > 1 && !fields[1].empty()) {
      const std::string_view n = fields[1];
      if (n.size() > 6 || n.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoul(std::string(n)) == 0) {
        return bad("the shard count must be a whole number from 1");
      }
      stream.shards = static_cast<uint32_t>(std::stoul(std::string(n)));
    }
    if (fields.size() > 2 && !fields[2].empty()) {
      if (!valid_region(fields[2])) return bad("not a region name");
      stream.region = fields[2];
    }
    streams.push_back(std::move(stream));
  }
  return streams;
}

ParseOutcome parse_command_line(int argc, const char* const* argv) {
  Config c;
  CLI::App app{"kinesis-emulator: a local Amazon Kinesis Data Streams server", "kinesis-emulator"};
  app.get_formatter()->column_width(36);
  app.set_version_flag("--version", std::string("kinesis-emulator ") + KE_VERSION);
  app.add_option("--host", c.server.host, "Address to listen on")
      ->envname("KINESIS_EMULATOR_HOST")
      ->capture_default_str();
  app.add_option("--port", c.server.port, "TCP port (0 picks a free one)")
      ->envname("KINESIS_EMULATOR_PORT")
      ->capture_default_str();
  auto* data_dir = app.add_option("--data-dir", c.server.data_dir,
                                  "Where streams are stored [default: " + default_data_dir() + "]")
                       ->envname("KINESIS_EMULATOR_DATA_DIR");
  app.add_flag("--in-memory", c.server.in_memory,
               "Keep everything in memory; nothing survives exit")
      ->envname("KINESIS_EMULATOR_IN_MEMORY")
      ->excludes(data_dir);
  app.add_flag("--sync", c.server.sync,
               "Acknowledge writes only once fsynced (power-loss durability); concurrent "
               "requests share one fsync")
      ->envname("KINESIS_EMULATOR_SYNC");
  app.add_flag("--verify-data", c.server.verify_data,
               "At start-up, read all stored data to check its checksums (slower with more data)")
      ->envname("KINESIS_EMULATOR_VERIFY_DATA");
  app.add_option("--idle-timeout", c.server.idle_timeout_s,
                 "Seconds a connection may wait for, or take to send, a whole request")
      ->envname("KINESIS_EMULATOR_IDLE_TIMEOUT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--create-stream-ms", c.server.create_stream_ms, "Time a stream stays CREATING")
      ->envname("KINESIS_EMULATOR_CREATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--delete-stream-ms", c.server.delete_stream_ms, "Time a stream stays DELETING")
      ->envname("KINESIS_EMULATOR_DELETE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--update-stream-ms", c.server.update_stream_ms, "Time a stream stays UPDATING")
      ->envname("KINESIS_EMULATOR_UPDATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--shard-limit", c.server.shard_limit,
                 "Open shards allowed per account and region")
      ->envname("KINESIS_EMULATOR_SHARD_LIMIT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error or off")
      ->envname("KINESIS_EMULATOR_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--region", c.server.region,
                 "Region of requests that carry no SigV4 credential scope")
      ->envname("KINESIS_EMULATOR_REGION")
      ->capture_default_str();
  app.add_option("--account-id", c.server.account_id, "AWS account id used in ARNs and messages")
      ->envname("KINESIS_EMULATOR_ACCOUNT_ID")
      ->check([](const std::string& v) {
        return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("must be 12 digits");
      })
      ->capture_default_str();
  app.add_option("--threads", c.server.threads, "I/O threads (0: one per CPU)")
      ->envname("KINESIS_EMULATOR_THREADS")
      ->capture_default_str();

  const auto on_off = CLI::IsMember({"on", "off"});
  std::string throughput = c.server.throughput_limits ? "on" : "off";
  app.add_option("--throughput-limits", throughput,
                 "Per-shard limits (1 MiB/s and 1,000 records/s in, 2 MiB/s and 5 reads/s out)")
      ->envname("KINESIS_EMULATOR_THROUGHPUT_LIMITS")
      ->check(on_off)
      ->capture_default_str();
  app.add_option("--shard-write-bytes-per-sec", c.server.shard_write_bytes_per_sec,
                 "Write limit per shard, bytes of data and keys")
      ->envname("KINESIS_EMULATOR_SHARD_WRITE_BYTES_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-write-records-per-sec", c.server.shard_write_records_per_sec,
                 "Write limit per shard, records")
      ->envname("KINESIS_EMULATOR_SHARD_WRITE_RECORDS_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-read-bytes-per-sec", c.server.shard_read_bytes_per_sec,
                 "Read limit per shard, bytes")
      ->envname("KINESIS_EMULATOR_SHARD_READ_BYTES_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-read-calls-per-sec", c.server.shard_read_calls_per_sec,
                 "GetRecords calls per shard per second")
      ->envname("KINESIS_EMULATOR_SHARD_READ_CALLS_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  std::string control_plane = c.server.control_plane_limits ? "on" : "off";
  app.add_option("--control-plane-limits", control_plane,
                 "AWS's per-operation call rates (CreateStream 5/s, DescribeStream 10/s, ...)")
      ->envname("KINESIS_EMULATOR_CONTROL_PLANE_LIMITS")
      ->check(on_off)
      ->capture_default_str();

  app.add_option("--clock", c.clock,
                 "system, or controllable: time starts now and moves only through POST "
                 "/_emulator/clock (for tests)")
      ->envname("KINESIS_EMULATOR_CLOCK")
      ->check(CLI::IsMember({"system", "controllable"}))
      ->capture_default_str();
  std::string initial_streams;
  auto* initialize = app.add_option("--initialize-streams", initial_streams,
                                    "Streams to create at start-up, ACTIVE at once: "
                                    "name[:shards[:region]],... (shards default to 4; existing "
                                    "streams are kept). Env INITIALIZE_STREAMS works too")
                         ->envname("KINESIS_EMULATOR_INITIALIZE_STREAMS");
  app.add_flag("--health-check", c.health_check,
               "Ask the server on --host/--port for its health and exit 0 if it is running (for "
               "container HEALTHCHECKs)");
  app.add_flag("--tls", c.server.tls,
               "Also serve TLS (HTTP/2 or HTTP/1.1 by ALPN) on the same port; without "
               "--tls-cert/--tls-key a self-signed localhost certificate is made and kept")
      ->envname("KINESIS_EMULATOR_TLS");
  auto* tls_cert =
      app.add_option("--tls-cert", c.server.tls_cert, "PEM certificate (chain) for --tls")
          ->envname("KINESIS_EMULATOR_TLS_CERT")
          ->check(CLI::ExistingFile);
  auto* tls_key = app.add_option("--tls-key", c.server.tls_key, "PEM private key for --tls-cert")
                      ->envname("KINESIS_EMULATOR_TLS_KEY")
                      ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);

  ParseOutcome outcome;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    outcome.exit_code = app.exit(e, out, err);
    outcome.message = out.str() + err.str();
    return outcome;
  }
  if (!c.server.in_memory && c.server.data_dir.empty()) c.server.data_dir = default_data_dir();
  if (!c.server.tls_cert.empty()) c.server.tls = true;
  if (c.server.tls && c.server.tls_cert.empty()) {
    if (!c.server.in_memory) {
      c.server.tls_dir = c.server.data_dir + "/tls";
    } else {
      const char* tmp = std::getenv("TMPDIR");
      c.server.tls_dir =
          std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kinesis-emulator-tls";
    }
  }
  c.server.throughput_limits = throughput == "on";
  c.server.control_plane_limits = control_plane == "on";
  // kinesis-mock's variable, so that a compose file moves over unchanged.
  if (initialize->count() == 0) {
    if (const char* env = std::getenv("INITIALIZE_STREAMS"); env != nullptr) initial_streams = env;
  }
  auto streams = parse_initial_streams(initial_streams, kInitialStreamDefaultShards);
  if (!streams.ok()) {
    outcome.message = streams.error().message + "\n";
    outcome.exit_code = 2;
    return outcome;
  }
  c.server.initial_streams = std::move(*streams);
  c.server.controllable_clock = c.clock == "controllable";
  outcome.config = std::move(c);
  return outcome;
}

}  // namespace kinesis_emulator::config
