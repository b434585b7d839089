#include "storage/store.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/key_codec.h"
#include "support/temp_dir.h"

namespace kinesis_emulator::storage {
namespace {

struct Stored {
  uint64_t position;
  std::string key;
  std::string data;
  bool operator==(const Stored&) const = default;
};

void PrintTo(const Stored& s, std::ostream* os) {
  *os << "{" << s.position << ", " << s.key << ", " << s.data << "}";
}

class StorageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  StoreOptions options() const {
    StoreOptions o;
    o.path = dir_.sub("db");
    return o;
  }
  void open() {
    store_.reset();
    auto s = Store::open(options());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  void write(const std::vector<std::tuple<uint64_t, uint32_t, uint64_t, std::string>>& records) {
    RecordBatch batch = store_->make_batch();
    for (const auto& [stream, shard, position, data] : records) {
      ASSERT_TRUE(batch.put_record(stream, shard, position, "pk-" + data, data).ok());
    }
    EXPECT_EQ(batch.count(), records.size());
    Status s = store_->write(batch);
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::vector<Stored> read(uint64_t stream, uint32_t shard, uint64_t from = 0,
                           std::size_t max = SIZE_MAX) {
    std::vector<Stored> out;
    Status s = store_->read_records(stream, shard, from, [&](const RecordView& r) {
      out.push_back({r.position, std::string(r.partition_key), std::string(r.data)});
      return out.size() < max;
    });
    EXPECT_TRUE(s.ok());
    return out;
  }

  std::vector<uint64_t> positions(uint64_t stream, uint32_t shard, uint64_t from = 0) {
    std::vector<uint64_t> out;
    for (const Stored& s : read(stream, shard, from)) out.push_back(s.position);
    return out;
  }

  std::optional<uint64_t> first(uint64_t stream, uint32_t shard) {
    auto r = store_->first_position(stream, shard);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }
  std::optional<uint64_t> last(uint64_t stream, uint32_t shard) {
    auto r = store_->last_position(stream, shard);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  // Streams 1 and 2, shards 0 and 1, written out of order.
  void write_fixture() {
    write({{1, 1, 300, "s1-sh1-300"},
           {2, 0, 50, "s2-sh0-50"},
           {1, 0, 200, "s1-sh0-200"},
           {1, 0, 100, "s1-sh0-100"},
           {1, 1, 100, "s1-sh1-100"},
           {2, 0, 5000, "s2-sh0-5000"},
           {1, 0, 1ULL << 40, "s1-sh0-big"},
           {1, 0, 150, "s1-sh0-150"},
           {0, 0, 7, "s0-sh0-7"}});
  }

  using P = std::vector<uint64_t>;
  testing_support::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StorageStoreTest, ReadRecordsIsOrderedAndIsolatedByShardAndStream) {
  write_fixture();
  const std::vector<Stored> s1sh0 = read(1, 0);
  ASSERT_EQ(s1sh0.size(), 4u);
  EXPECT_EQ(s1sh0[0], (Stored{100, "pk-s1-sh0-100", "s1-sh0-100"}));
  EXPECT_EQ(s1sh0[1], (Stored{150, "pk-s1-sh0-150", "s1-sh0-150"}));
  EXPECT_EQ(s1sh0[2], (Stored{200, "pk-s1-sh0-200", "s1-sh0-200"}));
  EXPECT_EQ(s1sh0[3], (Stored{1ULL << 40, "pk-s1-sh0-big", "s1-sh0-big"}));
  EXPECT_EQ(positions(1, 1), (P{100, 300}));
  EXPECT_EQ(positions(2, 0), (P{50, 5000}));
  EXPECT_EQ(positions(0, 0), (P{7}));
  EXPECT_TRUE(positions(2, 1).empty());
  EXPECT_TRUE(positions(3, 0).empty());
  EXPECT_TRUE(positions(1, 2).empty());
}

TEST_F(StorageStoreTest, ReadRecordsFromAPositionAndStoppingEarly) {
  write_fixture();
  EXPECT_EQ(positions(1, 0, 150), (P{150, 200, 1ULL << 40}));
  EXPECT_EQ(positions(1, 0, 151), (P{200, 1ULL << 40}));
  EXPECT_EQ(positions(1, 0, (1ULL << 40) + 1), P{});
  EXPECT_EQ(positions(1, 0, UINT64_MAX), P{});
  const auto two = read(1, 0, 0, 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].position, 150u);
  // Reading the last shard of stream 1 from far along never runs into stream 2.
  EXPECT_EQ(positions(1, 1, 301), P{});
}

TEST_F(StorageStoreTest, FirstAndLastPosition) {
  EXPECT_EQ(first(1, 0), std::nullopt);
  EXPECT_EQ(last(1, 0), std::nullopt);
  write_fixture();
  EXPECT_EQ(first(1, 0), 100u);
  EXPECT_EQ(last(1, 0), 1ULL << 40);
  EXPECT_EQ(first(1, 1), 100u);
  EXPECT_EQ(last(1, 1), 300u);  // not stream 2's records that follow in key order
  EXPECT_EQ(first(2, 0), 50u);
  EXPECT_EQ(last(2, 0), 5000u);
  EXPECT_EQ(last(0, 0), 7u);  // not stream 1's records
  EXPECT_EQ(first(2, 1), std::nullopt);
  EXPECT_EQ(last(2, 1), std::nullopt);
  EXPECT_EQ(last(1, 5), std::nullopt);
}

TEST_F(StorageStoreTest, DeleteRecordsBeforeIsExclusiveAndShardLocal) {
  write_fixture();
  ASSERT_TRUE(store_->delete_records_before(1, 0, 200).ok());
  EXPECT_EQ(positions(1, 0), (P{200, 1ULL << 40}));
  EXPECT_EQ(first(1, 0), 200u);
  EXPECT_EQ(positions(1, 1), (P{100, 300}));  // other shard untouched
  EXPECT_EQ(positions(2, 0), (P{50, 5000}));  // other stream untouched
  EXPECT_EQ(positions(0, 0), (P{7}));
  ASSERT_TRUE(store_->delete_records_before(1, 0, UINT64_MAX).ok());
  EXPECT_TRUE(positions(1, 0).empty());
  EXPECT_EQ(last(1, 0), std::nullopt);
  ASSERT_TRUE(store_->delete_records_before(1, 1, 0).ok());  // empty range: no-op
  EXPECT_EQ(positions(1, 1), (P{100, 300}));
}

TEST_F(StorageStoreTest, DeleteStreamRecordsRemovesOnlyThatStream) {
  write_fixture();
  ASSERT_TRUE(store_->delete_stream_records(1).ok());
  EXPECT_TRUE(positions(1, 0).empty());
  EXPECT_TRUE(positions(1, 1).empty());
  EXPECT_EQ(positions(2, 0), (P{50, 5000}));
  EXPECT_EQ(positions(0, 0), (P{7}));
  // Survives reopening (range deletes are persisted, not just hidden).
  open();
  EXPECT_TRUE(positions(1, 0).empty());
  EXPECT_EQ(positions(2, 0), (P{50, 5000}));
}

TEST_F(StorageStoreTest, RecordsAndMetadataSurviveReopen) {
  write_fixture();
  ASSERT_TRUE(store_->put_meta("some/key", "value").ok());
  RecordBatch batch = store_->make_batch();
  batch.set_high_water(1, 0, 12345);
  batch.put_meta("other", "x");
  batch.delete_meta("some/key");
  batch.put_meta("some/key2", std::string("\0bin", 4));
  ASSERT_TRUE(store_->write(batch).ok());
  open();
  EXPECT_EQ(positions(1, 0), (P{100, 150, 200, 1ULL << 40}));
  auto hwm = store_->get_meta(Store::high_water_key(1, 0));
  ASSERT_TRUE(hwm.ok());
  ASSERT_TRUE(hwm->has_value());
  ASSERT_EQ((*hwm)->size(), 8u);
  EXPECT_EQ(get_u64_be((*hwm)->data()), 12345u);
  auto deleted = store_->get_meta("some/key");
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(deleted->has_value());
  auto bin = store_->get_meta("some/key2");
  ASSERT_TRUE(bin.ok() && bin->has_value());
  EXPECT_EQ(**bin, std::string("\0bin", 4));
}

TEST_F(StorageStoreTest, ForEachMetaVisitsOnlyThePrefixInOrder) {
  ASSERT_TRUE(store_->put_meta("stream/b", "2").ok());
  ASSERT_TRUE(store_->put_meta("stream/a", "1").ok());
  ASSERT_TRUE(store_->put_meta("streams", "no").ok());
  ASSERT_TRUE(store_->put_meta("strea", "no").ok());
  ASSERT_TRUE(store_->put_meta("stream/c", "3").ok());
  std::vector<std::pair<std::string, std::string>> seen;
  Status s = store_->for_each_meta(
      "stream/", [&](std::string_view k, std::string_view v) { seen.emplace_back(k, v); });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"stream/a", "1"}, {"stream/b", "2"}, {"stream/c", "3"}}));
}

TEST_F(StorageStoreTest, HighWaterKeysAreDistinctPerStreamAndShard) {
  EXPECT_NE(Store::high_water_key(1, 0), Store::high_water_key(1, 1));
  EXPECT_NE(Store::high_water_key(1, 0), Store::high_water_key(2, 0));
  EXPECT_EQ(Store::high_water_key(1, 0).rfind("hwm/", 0), 0u);
}

TEST_F(StorageStoreTest, FreshStoreRecordsFormatOne) {
  auto format = store_->get_meta("format");
  ASSERT_TRUE(format.ok());
  ASSERT_TRUE(format->has_value());
  EXPECT_EQ(**format, "1");
  EXPECT_EQ(store_->description(), dir_.sub("db"));
}

TEST_F(StorageStoreTest, RefusesADirectoryOfAnotherFormat) {
  ASSERT_TRUE(store_->put_meta("format", "2").ok());
  store_.reset();
  auto reopened = Store::open(options());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, errc::internal_failure);
  const std::string& message = reopened.error().message;
  EXPECT_NE(message.find("format 2"), std::string::npos) << message;
  EXPECT_NE(message.find("format 1"), std::string::npos) << message;
  EXPECT_NE(message.find(dir_.sub("db")), std::string::npos) << message;
}

TEST_F(StorageStoreTest, InMemoryStoreKeepsNothingAcrossInstances) {
  StoreOptions o;
  o.in_memory = true;
  {
    auto mem = Store::open(o);
    ASSERT_TRUE(mem.ok()) << mem.error().message;
    EXPECT_EQ((*mem)->description(), "in-memory");
    RecordBatch batch = (*mem)->make_batch();
    ASSERT_TRUE(batch.put_record(1, 0, 10, "k", "d").ok());
    ASSERT_TRUE((*mem)->write(batch).ok());
    auto l = (*mem)->last_position(1, 0);
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(*l, 10u);
  }
  auto again = Store::open(o);
  ASSERT_TRUE(again.ok());
  auto l = (*again)->last_position(1, 0);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, std::nullopt);
}

}  // namespace
}  // namespace kinesis_emulator::storage
