#include "net/connection.h"

#include <vector>

namespace kinesis_emulator::net {

uint64_t ConnectionRegistry::add(std::weak_ptr<Connection> connection) {
  std::shared_ptr<Connection> late;
  uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    open_.emplace(id, connection);
    if (shutting_down_) late = connection.lock();
  }
  if (late) late->shut_down();
  return id;
}

void ConnectionRegistry::remove(uint64_t id) {
  std::lock_guard lock(mu_);
  open_.erase(id);
}

void ConnectionRegistry::shut_down_all() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    for (auto& [id, weak] : open_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  // Outside the lock: a connection may finish, and remove itself, right away.
  for (auto& c : live) c->shut_down();
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

bool ConnectionRegistry::shutting_down() const {
  std::lock_guard lock(mu_);
  return shutting_down_;
}

}  // namespace kinesis_emulator::net
