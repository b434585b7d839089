#include "storage/wal_syncer.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace kinesis_emulator::storage {
namespace {

using namespace std::chrono_literals;

// A stand-in disk whose fsync takes a while and remembers how far each one reached.
struct SlowDisk {
  std::atomic<uint64_t> written{0};
  std::atomic<uint64_t> durable{0};
  std::atomic<int> syncs{0};
  std::atomic<bool> fail{false};

  Status sync() {
    const uint64_t upto = written.load();
    std::this_thread::sleep_for(20ms);
    ++syncs;
    if (fail) return make_error(errc::internal_failure, "disk on fire");
    durable = upto;
    return {};
  }
};

WalSyncer make_syncer(SlowDisk& disk) {
  return WalSyncer([&disk] { return disk.written.load(); }, [&disk] { return disk.sync(); });
}

TEST(WalSyncerTest, NothingWrittenMeansNoWaitAndNoSync) {
  SlowDisk disk;
  WalSyncer syncer = make_syncer(disk);
  bool called = false;
  syncer.after_sync([&](bool ok) { called = ok; });
  EXPECT_TRUE(called);  // at once, on this thread
  EXPECT_EQ(disk.syncs, 0);
}

TEST(WalSyncerTest, ReplyWaitsForASyncCoveringItsWrite) {
  SlowDisk disk;
  WalSyncer syncer = make_syncer(disk);
  disk.written = 5;
  std::promise<uint64_t> durable_when_called;
  syncer.after_sync([&](bool ok) {
    EXPECT_TRUE(ok);
    durable_when_called.set_value(disk.durable.load());
  });
  auto f = durable_when_called.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_GE(f.get(), 5u);
}

TEST(WalSyncerTest, ConcurrentRequestsShareSyncs) {
  SlowDisk disk;
  WalSyncer syncer = make_syncer(disk);
  constexpr int kRequests = 40;
  std::vector<std::promise<bool>> done(kRequests);
  std::vector<std::thread> requests;
  for (int i = 0; i < kRequests; ++i) {
    requests.emplace_back([&, i] {
      const uint64_t mine = ++disk.written;
      syncer.after_sync([&, i, mine](bool ok) { done[i].set_value(ok && disk.durable >= mine); });
    });
  }
  for (auto& t : requests) t.join();
  for (auto& d : done) {
    auto f = d.get_future();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(f.get());
  }
  // Each fsync takes 20 ms and all 40 requests arrive within about one of them.
  EXPECT_LT(disk.syncs, kRequests / 4);
}

TEST(WalSyncerTest, AFailedSyncFailsItsWaitersAndTheNextOneRetries) {
  SlowDisk disk;
  WalSyncer syncer = make_syncer(disk);
  disk.written = 1;
  disk.fail = true;
  std::promise<bool> first;
  syncer.after_sync([&](bool ok) { first.set_value(ok); });
  EXPECT_FALSE(first.get_future().get());
  disk.fail = false;
  std::promise<bool> second;
  syncer.after_sync([&](bool ok) { second.set_value(ok && disk.durable == 1); });
  EXPECT_TRUE(second.get_future().get());
}

}  // namespace
}  // namespace kinesis_emulator::storage
