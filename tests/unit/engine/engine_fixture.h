#pragma once
// Shared fixture for engine tests: an Engine on a temporary RocksDB directory, driven by a
// ManualClock so that state delays, retention and iterator expiry need no sleeping.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/status.h"
#include "engine/engine.h"
#include "engine/hash_key.h"
#include "engine/sequence_number.h"
#include "storage/store.h"
#include "support/temp_dir.h"

namespace kinesis_emulator::engine {

inline constexpr int64_t kStartMs = 1'700'000'000'000;
inline constexpr int64_t kHourMs = 3'600'000;

// A record as returned by get_records, copied out of the callback.
struct Rec {
  std::string sequence_number;
  int64_t arrival_ms = 0;
  std::string partition_key;
  std::string data;
};

// "prefix" + i, without the operator+ that trips GCC 12's -Wrestrict false positive.
inline std::string numbered(std::string_view prefix, int64_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

struct Page {
  std::vector<Rec> records;
  GetRecordsResult result;
};

class EngineTest : public ::testing::Test {
 protected:
  static constexpr int64_t kCreateDelayMs = 100;
  static constexpr int64_t kDeleteDelayMs = 100;

  EngineTest() : clock_(kStartMs) {
    options_.create_delay_ms = kCreateDelayMs;
    options_.delete_delay_ms = kDeleteDelayMs;
    options_.update_delay_ms = 100;
    options_.shard_limit = 500;
    // Most tests write far beyond 1 MiB/s into one shard at a frozen clock; limiter tests turn
    // the limits back on.
    options_.throughput.enabled = false;
  }

  void SetUp() override { open_engine(); }

  storage::StoreOptions store_options() const {
    storage::StoreOptions o;
    o.path = dir_.sub("data");
    o.in_memory = in_memory_;
    return o;
  }

  // Opens (or, when open, closes and reopens) the engine on the same directory.
  void open_engine() {
    engine_.reset();
    auto opened = Engine::open(store_options(), options_, clock_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    engine_ = std::move(*opened);
  }
  void restart() { open_engine(); }
  void close_engine() { engine_.reset(); }

  // The raw store on the engine's directory; the engine must be closed (RocksDB's lock).
  std::unique_ptr<storage::Store> open_store() const {
    auto store = storage::Store::open(store_options());
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  static StreamKey key(const std::string& name, const std::string& account = "123456789012",
                       const std::string& region = "us-east-1") {
    return StreamKey{account, region, name};
  }

  // Creates a stream and moves the clock past CREATING.
  void create_active(const StreamKey& k, uint32_t shards = 1,
                     StreamMode mode = StreamMode::provisioned) {
    Status s = engine_->create_stream(k, shards, mode);
    ASSERT_TRUE(s.ok()) << s.error().message;
    clock_.advance_ms(kCreateDelayMs);
    auto view = engine_->describe_stream(k);
    ASSERT_TRUE(view.ok()) << view.error().message;
    ASSERT_EQ(view->status, StreamStatus::active);
  }

  uint64_t stream_id(const StreamKey& k) {
    auto view = engine_->describe_stream(k);
    EXPECT_TRUE(view.ok());
    return view.ok() ? view->meta.id : 0;
  }

  PutResult put(const StreamKey& k, std::string_view partition_key, std::string_view data,
                std::optional<uint128> explicit_hash_key = std::nullopt,
                std::string_view ordering = {}) {
    auto r = engine_->put_record(k, PutEntry{partition_key, data, explicit_hash_key, ordering});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : PutResult{};
  }

  std::string iterator(const StreamKey& k, uint32_t shard,
                       IteratorType type = IteratorType::trim_horizon,
                       std::string_view sequence_number = {},
                       std::optional<int64_t> timestamp_ms = std::nullopt) {
    auto it =
        engine_->get_shard_iterator(k, shard_id_of(shard), type, sequence_number, timestamp_ms);
    EXPECT_TRUE(it.ok()) << it.error().message;
    return it.ok() ? *it : std::string();
  }

  Result<Page> get(std::string_view shard_iterator, uint32_t limit = 10000) {
    Page page;
    auto r = engine_->get_records(shard_iterator, limit, [&](const RecordOut& out) {
      page.records.push_back(Rec{out.sequence_number, out.arrival_ms,
                                 std::string(out.partition_key), std::string(out.data)});
    });
    if (!r.ok()) return std::move(r).error();
    page.result = *r;
    EXPECT_EQ(page.result.record_count, page.records.size());
    return page;
  }

  // Follows NextShardIterator from `start` until a page comes back empty.
  std::vector<Rec> drain(std::string shard_iterator, uint32_t limit = 10000) {
    std::vector<Rec> all;
    for (int guard = 0; guard < 100000; ++guard) {
      auto page = get(shard_iterator, limit);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok() || page->records.empty()) break;
      EXPECT_LE(page->records.size(), limit);
      all.insert(all.end(), page->records.begin(), page->records.end());
      shard_iterator = page->result.next_shard_iterator;
    }
    return all;
  }

  std::vector<Rec> read_shard(const StreamKey& k, uint32_t shard,
                              IteratorType type = IteratorType::trim_horizon) {
    return drain(iterator(k, shard, type));
  }

  // Record count as seen by the store directly (closes and reopens the engine around it).
  std::size_t stored_count(uint64_t id, uint32_t shard) {
    close_engine();
    std::size_t n = 0;
    {
      auto store = open_store();
      if (store) {
        Status s = store->read_records(id, shard, 0, [&](const storage::RecordView&) {
          ++n;
          return true;
        });
        EXPECT_TRUE(s.ok());
      }
    }
    open_engine();
    return n;
  }

  // Smallest-first, strictly increasing check on sequence number strings (all 56 digits).
  static void expect_strictly_increasing(const std::vector<std::string>& seqs) {
    for (std::size_t i = 1; i < seqs.size(); ++i) {
      EXPECT_EQ(seqs[i].size(), 56u);
      EXPECT_LT(seqs[i - 1], seqs[i]) << "at " << i;
    }
  }

  testing_support::TempDir dir_;
  ManualClock clock_;
  EngineOptions options_;
  bool in_memory_ = false;
  std::unique_ptr<Engine> engine_;
};

}  // namespace kinesis_emulator::engine
