#include "options.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace kbench {

Options parse_options(int argc, char** argv) {
  Options o;
  CLI::App app{"kbench: load generator for Kinesis Data Streams compatible servers", "kbench"};
  app.get_formatter()->column_width(34);
  std::string phases = "put";
  app.add_option("--host", o.host, "Server address")->capture_default_str();
  app.add_option("--port", o.port, "Server port")->capture_default_str();
  app.add_option("--phase", phases,
                 "Comma-separated phases: put, put-records, drain, mixed, startup")
      ->capture_default_str();
  app.add_option("--connections", o.connections, "Concurrent keep-alive connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "Seconds of load per timed phase")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  app.add_option("--requests", o.requests,
                 "Stop a timed phase after this many requests (0: no cap)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--record-bytes", o.record_bytes, "Bytes of data per record")
      ->check(CLI::Range(1, 1024 * 1024))
      ->capture_default_str();
  app.add_option("--partition-keys", o.partition_keys,
                 "Distinct partition keys (0: a unique key per record)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--shards", o.shards, "Shards per stream")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--streams", o.streams, "Streams; requests are spread over them")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--batch", o.batch, "Records per PutRecords request")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  app.add_option("--rate", o.rate, "Target aggregate requests/s of the load (0: unpaced)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--threads", o.threads, "Client I/O threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--server-pid", o.server_pid,
                 "Server process id: adds its CPU seconds and memory to each phase");
  app.add_option("--records", o.records, "Records to load in the drain and startup phases")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--limit", o.limit, "GetRecords Limit")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--poll-ms", o.poll_ms, "mixed: consumer pause after a round that read nothing")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  app.add_option("--request-timeout", o.request_timeout_s, "Seconds before a request is abandoned")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--phase-timeout", o.phase_timeout_s,
                 "Bound in seconds for loops not timed by --duration (loading, draining, waits)")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app.add_flag("--json", o.json,
               "Print one JSON line per phase on stdout (the human-readable block goes to stderr)");
  app.add_flag("--random-payload", o.random_payload,
               "Random record data (1024 distinct payloads) instead of compressible text");
  app.add_option("--label", o.label, "Tag added to every result");
  app.add_option("--stream-prefix", o.stream_prefix, "Prefix of the streams kbench creates")
      ->capture_default_str();
  app.add_option("--server-bin", o.server_bin, "startup: server binary to spawn");
  app.add_option("--server-data-dir", o.server_data_dir,
                 "startup: data directory for the spawned server (default: a temporary one)");
  app.add_option("--server-port", o.server_port,
                 "startup: port for the spawned server (default: a free one)");
  app.add_option("--server-arg", o.server_args,
                 "startup: extra argument for the spawned server (repeatable; --server-arg=--flag)")
      ->allow_extra_args(false);
  app.add_flag("--keep-data", o.keep_data, "startup: keep the spawned server's data directory");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e));
  }
  o.phases.clear();
  std::size_t start = 0;
  while (start <= phases.size()) {
    std::size_t comma = phases.find(',', start);
    if (comma == std::string::npos) comma = phases.size();
    if (comma > start) o.phases.push_back(phases.substr(start, comma - start));
    start = comma + 1;
  }
  for (const std::string& p : o.phases) {
    if (p != "put" && p != "put-records" && p != "drain" && p != "mixed" && p != "startup") {
      std::cerr << "kbench: unknown phase '" << p << "'\n";
      std::exit(2);
    }
    if (p == "startup" && o.server_bin.empty()) {
      std::cerr << "kbench: the startup phase needs --server-bin\n";
      std::exit(2);
    }
    if (p == "mixed" && o.record_bytes < 8) {
      std::cerr << "kbench: mixed needs --record-bytes >= 8 (records carry a timestamp)\n";
      std::exit(2);
    }
  }
  if (o.phases.empty()) {
    std::cerr << "kbench: no phase given\n";
    std::exit(2);
  }
  return o;
}

}  // namespace kbench
