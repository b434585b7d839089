#pragma once
// How to run an embedded kinesis-emulator (see server.h). Standard types only: nothing of the
// emulator's internals, Asio, RocksDB or nlohmann appears here. The defaults suit a test: a
// free loopback port, in memory, AWS's limits and state delays.

#include <cstdint>
#include <string>
#include <vector>

namespace kinesis_emulator {

struct InitialStream {
  std::string name;
  uint32_t shards = 4;
  std::string region;  // empty: Options::region
};

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;      // 0: a free port, see Server::port()
  bool in_memory = true;  // false: data_dir holds the streams across restarts
  std::string data_dir;
  bool verify_data = false;  // read every stored block at start-up to check its checksum
  bool sync = false;         // acknowledge writes only once the write-ahead log is fsynced

  // How long streams stay CREATING, DELETING and UPDATING.
  int64_t create_stream_ms = 500;
  int64_t delete_stream_ms = 500;
  int64_t update_stream_ms = 500;
  uint32_t shard_limit = 500;  // open shards per account and region

  std::string region = "us-east-1";  // for requests whose signature names none
  std::string account_id = "000000000000";
  unsigned threads = 0;  // I/O threads; 0: one per hardware thread
  int64_t idle_timeout_s = 60;

  // AWS's per-shard throughput limits, on by default as on AWS.
  bool throughput_limits = true;
  uint64_t shard_write_bytes_per_sec = 1 << 20;
  uint64_t shard_write_records_per_sec = 1000;
  uint64_t shard_read_bytes_per_sec = 2 << 20;
  uint64_t shard_read_calls_per_sec = 5;
  bool control_plane_limits = false;  // AWS's per-operation call rates, opt-in

  // Emulated time that moves only when told (POST /_emulator/clock), instead of the system's.
  bool controllable_clock = false;
  // Made, ACTIVE, before the first request is served.
  std::vector<InitialStream> initial_streams;

  // TLS on the same port. Without a certificate and key, a self-signed one for localhost is
  // made in tls_dir (or <data_dir>/tls) and kept there.
  bool tls = false;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_dir;
};

}  // namespace kinesis_emulator
