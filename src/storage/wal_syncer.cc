#include "storage/wal_syncer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace kinesis_emulator::storage {

WalSyncer::WalSyncer(std::function<uint64_t()> written, std::function<Status()> sync)
    : written_(std::move(written)),
      sync_(std::move(sync)),
      synced_(written_()),  // what was there at start-up was recovered from disk
      thread_([this] { run(); }) {}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalSyncer::after_sync(std::function<void(bool)> done) {
  const uint64_t ticket = written_();
  if (ticket <= synced_.load(std::memory_order_acquire)) return done(true);
  {
    std::lock_guard lock(mu_);
    waiting_.push_back({ticket, std::move(done)});
  }
  wake_.notify_one();
}

void WalSyncer::run() {
  std::vector<Waiter> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, nothing left
    // Everything written by now is covered by the sync that follows, including the writes of
    // requests that will ask while it runs: those are answered by the next round.
    const uint64_t target = written_();
    lock.unlock();
    const Status s = sync_();
    syncs_.fetch_add(1, std::memory_order_relaxed);
    if (s.ok()) {
      synced_.store(target, std::memory_order_release);
    } else {
      spdlog::error("storage: WAL sync failed: {}; the requests waiting for it are failed",
                    s.error().message);
    }
    lock.lock();
    // Waiters whose writes the sync covered; later ones wait for the next round.
    auto covered = std::partition(waiting_.begin(), waiting_.end(),
                                  [&](const Waiter& w) { return w.ticket > target; });
    batch.assign(std::make_move_iterator(covered), std::make_move_iterator(waiting_.end()));
    waiting_.erase(covered, waiting_.end());
    lock.unlock();
    for (Waiter& w : batch) w.done(s.ok());
    batch.clear();
    lock.lock();
  }
}

}  // namespace kinesis_emulator::storage
