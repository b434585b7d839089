#pragma once
// kinesis-emulator inside a process: a C++ test (an AWS SDK for C++ user's GoogleTest fixture,
// say) starts it on a free port, points its client at endpoint_url(), and stops it.
//
//   auto server = kinesis_emulator::Server::start({});
//   client_config.endpointOverride = server->endpoint_url();
//   ...
//   server->stop();  // or let it go out of scope
//
// Link kinesis_emulator::server (CMake). Everything the server runs on is its own threads.

#include <cstdint>
#include <memory>
#include <string>

#include "kinesis_emulator/options.h"

namespace kinesis_emulator {

class Server {
 public:
  // Opens the storage, makes the initial streams, binds and starts serving. Throws
  // std::runtime_error saying why if any of that fails.
  static std::unique_ptr<Server> start(const Options& options);

  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;
  // "http://HOST:PORT" (the same port takes https:// when Options::tls is on).
  std::string endpoint_url() const;
  // What holds the data ("in memory", or the data directory), for a start-up line.
  std::string storage_description() const;
  // The certificate in use when TLS is on (for clients to trust); empty otherwise.
  std::string tls_certificate() const;

  // Stops accepting, lets the requests in flight finish (up to a few seconds), then stops the
  // threads and closes the storage. Idempotent; safe from any thread but the server's own.
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The emulator's version, e.g. "0.3.0".
std::string version();

}  // namespace kinesis_emulator
