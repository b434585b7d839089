#pragma once
// The connections a server has open, so that shutting down can ask each to finish: HTTP/2 sends
// GOAWAY and completes the streams it has, HTTP/1.1 closes once the answer in hand is written.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "net/server_options.h"

namespace kinesis_emulator::protocol {
class Router;
}

namespace kinesis_emulator::net {

class Connection {
 public:
  virtual ~Connection() = default;
  // Any thread; the connection finishes on its own strand.
  virtual void shut_down() = 0;
};

class ConnectionRegistry {
 public:
  uint64_t add(std::weak_ptr<Connection> connection);
  void remove(uint64_t id);
  // Asks every open connection to finish; those opened after are asked at once.
  void shut_down_all();
  std::size_t size() const;
  bool shutting_down() const;

 private:
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  bool shutting_down_ = false;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> open_;
};

// What a session needs from its server; outlives every session.
struct SessionContext {
  const ServerOptions& options;
  const protocol::Router& router;
  ConnectionRegistry& connections;
};

// Registers a connection for as long as it lives.
class ConnectionRegistration {
 public:
  ConnectionRegistration() = default;
  ConnectionRegistration(const ConnectionRegistration&) = delete;
  ConnectionRegistration& operator=(const ConnectionRegistration&) = delete;
  ~ConnectionRegistration() {
    if (registry_ != nullptr) registry_->remove(id_);
  }
  void attach(ConnectionRegistry& registry, std::weak_ptr<Connection> connection) {
    registry_ = &registry;
    id_ = registry.add(std::move(connection));
  }

 private:
  ConnectionRegistry* registry_ = nullptr;
  uint64_t id_ = 0;
};

}  // namespace kinesis_emulator::net
