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

ParseOutcome parse_command_line(int argc, const char* const* argv) {
  Config c;
  CLI::App app{"kinesis-emulator: a local Amazon Kinesis Data Streams server", "kinesis-emulator"};
  app.get_formatter()->column_width(36);
  app.set_version_flag("--version", std::string("kinesis-emulator ") + KE_VERSION);
  app.add_option("--host", c.host, "Address to listen on")
      ->envname("KINESIS_EMULATOR_HOST")
      ->capture_default_str();
  app.add_option("--port", c.port, "TCP port (0 picks a free one)")
      ->envname("KINESIS_EMULATOR_PORT")
      ->capture_default_str();
  auto* data_dir = app.add_option("--data-dir", c.data_dir,
                                  "Where streams are stored [default: " + default_data_dir() + "]")
                       ->envname("KINESIS_EMULATOR_DATA_DIR");
  app.add_flag("--in-memory", c.in_memory, "Keep everything in memory; nothing survives exit")
      ->envname("KINESIS_EMULATOR_IN_MEMORY")
      ->excludes(data_dir);
  app.add_flag("--sync", c.sync,
               "Acknowledge writes only once fsynced (power-loss durability); concurrent "
               "requests share one fsync")
      ->envname("KINESIS_EMULATOR_SYNC");
  app.add_flag("--verify-data", c.verify_data,
               "At start-up, read all stored data to check its checksums (slower with more data)")
      ->envname("KINESIS_EMULATOR_VERIFY_DATA");
  app.add_option("--idle-timeout", c.idle_timeout_s,
                 "Seconds a connection may wait for, or take to send, a whole request")
      ->envname("KINESIS_EMULATOR_IDLE_TIMEOUT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--create-stream-ms", c.create_stream_ms, "Time a stream stays CREATING")
      ->envname("KINESIS_EMULATOR_CREATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--delete-stream-ms", c.delete_stream_ms, "Time a stream stays DELETING")
      ->envname("KINESIS_EMULATOR_DELETE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--update-stream-ms", c.update_stream_ms, "Time a stream stays UPDATING")
      ->envname("KINESIS_EMULATOR_UPDATE_STREAM_MS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--shard-limit", c.shard_limit, "Open shards allowed per account and region")
      ->envname("KINESIS_EMULATOR_SHARD_LIMIT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error or off")
      ->envname("KINESIS_EMULATOR_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--region", c.region, "Region of requests that carry no SigV4 credential scope")
      ->envname("KINESIS_EMULATOR_REGION")
      ->capture_default_str();
  app.add_option("--account-id", c.account_id, "AWS account id used in ARNs and messages")
      ->envname("KINESIS_EMULATOR_ACCOUNT_ID")
      ->check([](const std::string& v) {
        return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("must be 12 digits");
      })
      ->capture_default_str();
  app.add_option("--threads", c.threads, "I/O threads (0: one per CPU)")
      ->envname("KINESIS_EMULATOR_THREADS")
      ->capture_default_str();

  const auto on_off = CLI::IsMember({"on", "off"});
  std::string throughput = c.throughput_limits ? "on" : "off";
  app.add_option("--throughput-limits", throughput,
                 "Per-shard limits (1 MiB/s and 1,000 records/s in, 2 MiB/s and 5 reads/s out)")
      ->envname("KINESIS_EMULATOR_THROUGHPUT_LIMITS")
      ->check(on_off)
      ->capture_default_str();
  app.add_option("--shard-write-bytes-per-sec", c.shard_write_bytes_per_sec,
                 "Write limit per shard, bytes of data and keys")
      ->envname("KINESIS_EMULATOR_SHARD_WRITE_BYTES_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-write-records-per-sec", c.shard_write_records_per_sec,
                 "Write limit per shard, records")
      ->envname("KINESIS_EMULATOR_SHARD_WRITE_RECORDS_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-read-bytes-per-sec", c.shard_read_bytes_per_sec,
                 "Read limit per shard, bytes")
      ->envname("KINESIS_EMULATOR_SHARD_READ_BYTES_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--shard-read-calls-per-sec", c.shard_read_calls_per_sec,
                 "GetRecords calls per shard per second")
      ->envname("KINESIS_EMULATOR_SHARD_READ_CALLS_PER_SEC")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  std::string control_plane = c.control_plane_limits ? "on" : "off";
  app.add_option("--control-plane-limits", control_plane,
                 "AWS's per-operation call rates (CreateStream 5/s, DescribeStream 10/s, ...)")
      ->envname("KINESIS_EMULATOR_CONTROL_PLANE_LIMITS")
      ->check(on_off)
      ->capture_default_str();

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
  if (!c.in_memory && c.data_dir.empty()) c.data_dir = default_data_dir();
  c.throughput_limits = throughput == "on";
  c.control_plane_limits = control_plane == "on";
  outcome.config = std::move(c);
  return outcome;
}

}  // namespace kinesis_emulator::config
