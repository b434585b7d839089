// GetRecords: limits, iterator chaining, MillisBehindLatest, expiry, large records.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/shard_iterator.h"
#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineGetRecordsTest : public EngineTest {};

TEST_F(EngineGetRecordsTest, LimitIsRespectedAndChainingReadsEverythingOnceInOrder) {
  const StreamKey s = key("chain");
  create_active(s);
  std::vector<std::string> seqs;
  for (int i = 0; i < 10; ++i) {
    seqs.push_back(put(s, "k", numbered("d", i)).sequence_number);
    if (i % 3 == 0) clock_.advance_ms(1);
  }
  std::string it = iterator(s, 0);
  std::vector<std::size_t> page_sizes;
  std::vector<std::string> got;
  for (int guard = 0; guard < 20; ++guard) {
    auto page = get(it, 3);
    ASSERT_TRUE(page.ok()) << page.error().message;
    page_sizes.push_back(page->records.size());
    for (const Rec& r : page->records) got.push_back(r.sequence_number);
    ASSERT_FALSE(page->result.next_shard_iterator.empty());
    it = page->result.next_shard_iterator;
    if (page->records.empty()) break;
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 3, 1, 0}));
  EXPECT_EQ(got, seqs);
  // Limit 1 walks one record at a time.
  auto one = drain(iterator(s, 0), 1);
  ASSERT_EQ(one.size(), 10u);
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].data, numbered("d", i));
}

TEST_F(EngineGetRecordsTest, NextIteratorPicksUpRecordsWrittenLater) {
  const StreamKey s = key("tail");
  create_active(s);
  put(s, "k", "a");
  auto first = get(iterator(s, 0));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->records.size(), 1u);
  put(s, "k", "b");  // same millisecond as "a"
  auto second = get(first->result.next_shard_iterator);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->records.size(), 1u);
  EXPECT_EQ(second->records[0].data, "b");
}

TEST_F(EngineGetRecordsTest, MillisBehindLatest) {
  const StreamKey s = key("behind");
  create_active(s);
  for (int i = 0; i < 4; ++i) put(s, "k", "d");
  auto caught_up = get(iterator(s, 0));
  ASSERT_TRUE(caught_up.ok());
  EXPECT_EQ(caught_up->records.size(), 4u);
  EXPECT_EQ(caught_up->result.millis_behind_latest, 0);

  clock_.advance_ms(5000);
  auto partial = get(iterator(s, 0), 2);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->records.size(), 2u);
  EXPECT_GT(partial->result.millis_behind_latest, 0);
  EXPECT_LE(partial->result.millis_behind_latest, 5000);

  auto rest = get(partial->result.next_shard_iterator);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->records.size(), 2u);
  EXPECT_EQ(rest->result.millis_behind_latest, 0);
}

TEST_F(EngineGetRecordsTest, IteratorExpiresAfterFiveMinutes) {
  const StreamKey s = key("expiry");
  create_active(s);
  put(s, "k", "a");
  const std::string it = iterator(s, 0);
  clock_.advance_ms(kShardIteratorLifetimeMs);
  auto still_ok = get(it);
  ASSERT_TRUE(still_ok.ok()) << "exactly 5 minutes old is still valid";
  clock_.advance_ms(1);
  auto expired = get(it);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, errc::expired_iterator);
  // The NextShardIterator handed out later has its own lifetime.
  auto fresh = get(still_ok->result.next_shard_iterator);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  clock_.advance_ms(kShardIteratorLifetimeMs + 1);
  auto stale = get(still_ok->result.next_shard_iterator);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, errc::expired_iterator);
}

TEST_F(EngineGetRecordsTest, GarbageIteratorIsInvalidArgument) {
  const StreamKey s = key("garbage");
  create_active(s);
  const std::string good = iterator(s, 0);
  std::string flipped = good;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  for (const std::string& bad :
       {std::string(), std::string("not-an-iterator"), flipped, good.substr(1), good + "00"}) {
    auto r = get(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, errc::invalid_argument) << bad;
  }
  // A well-formed iterator signed with another key (another data directory).
  auto forged = get(encode_shard_iterator({1, 0, 0, clock_.now_ms()}, std::string(32, 'k')));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code, errc::invalid_argument);
}

TEST_F(EngineGetRecordsTest, RecordOfExactlyOneMebibyteIsReadable) {
  const StreamKey s = key("big");
  create_active(s);
  const std::string pk = "partition";
  const std::string data(static_cast<std::size_t>(kMaxRecordBytes) - pk.size(), 'q');
  put(s, pk, data);
  put(s, pk, "small");
  auto page = get(iterator(s, 0), 10);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->records[0].data.size(), data.size());
  EXPECT_TRUE(page->records[0].data == data);
  EXPECT_EQ(page->records[1].data, "small");
}

TEST_F(EngineGetRecordsTest, ResponsesStopNearTenMebibytes) {
  const StreamKey s = key("ten-mib");
  create_active(s);
  const std::string data(static_cast<std::size_t>(kMaxRecordBytes) - 1, 'z');
  for (int i = 0; i < 12; ++i) put(s, "k", data);
  auto page = get(iterator(s, 0), 10000);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->records.size(), 10u);  // 10 x 1 MiB fits exactly, the 11th would not
  auto rest = get(page->result.next_shard_iterator, 10000);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->records.size(), 2u);
}

TEST_F(EngineGetRecordsTest, IteratorOfADeletedStreamIsResourceNotFound) {
  const StreamKey s = key("deleted");
  create_active(s);
  put(s, "k", "a");
  const std::string it = iterator(s, 0);
  ASSERT_TRUE(engine_->delete_stream(s).ok());
  auto r = get(it);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::resource_not_found);
}

}  // namespace
}  // namespace kinesis_emulator::engine
