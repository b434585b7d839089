#pragma once
// --sync: power-loss durability with group commit. Writes go to RocksDB's WAL as usual (a
// write() into the page cache); before a reply leaves, the server asks the syncer to call it
// back once an fsync of the WAL covers everything written so far. One fsync thus covers every
// request that finished writing while the previous fsync ran, however many connections there
// are. The fsync runs on the syncer's own thread, so the I/O threads never wait on the disk.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"

namespace kinesis_emulator::storage {

class WalSyncer {
 public:
  // `written` tells how far writes have gone (Store::last_write, RocksDB's latest sequence
  // number); `sync` makes everything written so far durable (Store::sync_wal).
  WalSyncer(std::function<uint64_t()> written, std::function<Status()> sync);
  ~WalSyncer();  // completes what is pending, then stops
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Calls `done(true)` once a sync has covered every write that returned before this call, or
  // `done(false)` if that sync failed. Runs `done` on the syncer's thread (or at once, on the
  // caller's, when nothing is unsynced): it must only hand work back to its own executor.
  void after_sync(std::function<void(bool synced)> done);

  uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }

 private:
  struct Waiter {
    uint64_t ticket;
    std::function<void(bool)> done;
  };
  void run();

  std::function<uint64_t()> written_;
  std::function<Status()> sync_;
  std::atomic<uint64_t> synced_;
  std::atomic<uint64_t> syncs_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Waiter> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kinesis_emulator::storage
