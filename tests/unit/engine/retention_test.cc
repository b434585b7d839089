// Retention: expired records are invisible at once and physically removed by trim_expired().
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineRetentionTest : public EngineTest {
 protected:
  errc increase_error(const StreamKey& k, int hours) {
    Status s = engine_->increase_retention(k, hours);
    EXPECT_FALSE(s.ok()) << hours;
    return s.ok() ? errc::internal_failure : s.error().code;
  }
  errc decrease_error(const StreamKey& k, int hours) {
    Status s = engine_->decrease_retention(k, hours);
    EXPECT_FALSE(s.ok()) << hours;
    return s.ok() ? errc::internal_failure : s.error().code;
  }
  int retention(const StreamKey& k) {
    auto v = engine_->describe_stream(k);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->meta.retention_hours : -1;
  }
};

TEST_F(EngineRetentionTest, RecordsPastRetentionAreInvisible) {
  const StreamKey s = key("expire");
  create_active(s);
  for (const char* d : {"a", "b", "c"}) put(s, "k", d);
  clock_.advance_ms(23 * kHourMs);
  EXPECT_EQ(read_shard(s, 0).size(), 3u);
  clock_.advance_ms(2 * kHourMs);  // 25 h after the puts
  EXPECT_TRUE(read_shard(s, 0).empty());
  // Also through an iterator pointing at the old records explicitly.
  EXPECT_TRUE(drain(iterator(s, 0, IteratorType::at_timestamp, {}, kStartMs)).empty());
  // New records are visible.
  put(s, "k", "d");
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "d");
}

TEST_F(EngineRetentionTest, TrimExpiredPhysicallyRemovesOnlyExpiredRecords) {
  const StreamKey s = key("trim");
  create_active(s, 2);
  const uint64_t id = stream_id(s);
  put(s, "k", "old-0", uint128{0});
  put(s, "k", "old-1", uint128_max);
  clock_.advance_ms(2 * kHourMs);
  put(s, "k", "young-0", uint128{0});
  clock_.advance_ms(23 * kHourMs);  // old: 25 h, young: 23 h

  ASSERT_TRUE(engine_->trim_expired().ok());
  // The store (read directly, engine closed) holds only the young record.
  EXPECT_EQ(stored_count(id, 0), 1u);
  EXPECT_EQ(stored_count(id, 1), 0u);
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "young-0");
}

TEST_F(EngineRetentionTest, StoreStillHoldsExpiredRecordsUntilTrimmed) {
  const StreamKey s = key("lazy");
  create_active(s);
  const uint64_t id = stream_id(s);
  for (int i = 0; i < 5; ++i) put(s, "k", "d");
  clock_.advance_ms(25 * kHourMs);
  EXPECT_TRUE(read_shard(s, 0).empty());
  EXPECT_EQ(stored_count(id, 0), 5u) << "invisible, but not yet removed";
  ASSERT_TRUE(engine_->trim_expired().ok());
  EXPECT_EQ(stored_count(id, 0), 0u);
  ASSERT_TRUE(engine_->trim_expired().ok());  // idempotent on an empty shard
}

TEST_F(EngineRetentionTest, RetentionBoundsAndDirectionAreValidated) {
  const StreamKey s = key("bounds");
  create_active(s);
  EXPECT_EQ(increase_error(s, 23), errc::invalid_argument);
  EXPECT_EQ(increase_error(s, 8761), errc::invalid_argument);
  EXPECT_EQ(decrease_error(s, 23), errc::invalid_argument);
  EXPECT_EQ(decrease_error(s, 8761), errc::invalid_argument);
  EXPECT_EQ(decrease_error(s, 0), errc::invalid_argument);
  EXPECT_EQ(retention(s), 24);

  ASSERT_TRUE(engine_->increase_retention(s, 48).ok());
  EXPECT_EQ(retention(s), 48);
  EXPECT_EQ(increase_error(s, 30), errc::invalid_argument);  // smaller than current
  EXPECT_EQ(decrease_error(s, 72), errc::invalid_argument);  // larger than current
  EXPECT_EQ(retention(s), 48);
  ASSERT_TRUE(engine_->increase_retention(s, 48).ok());  // equal is accepted
  ASSERT_TRUE(engine_->increase_retention(s, 8760).ok());
  ASSERT_TRUE(engine_->decrease_retention(s, 24).ok());
  EXPECT_EQ(retention(s), 24);

  EXPECT_EQ(increase_error(key("missing"), 48), errc::resource_not_found);
  EXPECT_EQ(decrease_error(key("missing"), 24), errc::resource_not_found);
  const StreamKey young = key("young");
  ASSERT_TRUE(engine_->create_stream(young, 1, StreamMode::provisioned).ok());
  EXPECT_EQ(increase_error(young, 48), errc::resource_in_use);
}

TEST_F(EngineRetentionTest, RetentionPersistsAcrossRestart) {
  const StreamKey s = key("persist");
  create_active(s);
  ASSERT_TRUE(engine_->increase_retention(s, 72).ok());
  restart();
  EXPECT_EQ(retention(s), 72);
  ASSERT_TRUE(engine_->decrease_retention(s, 30).ok());
  restart();
  EXPECT_EQ(retention(s), 30);
}

TEST_F(EngineRetentionTest, LongerRetentionKeepsRecordsThroughTrimming) {
  const StreamKey s = key("long");
  create_active(s);
  const uint64_t id = stream_id(s);
  ASSERT_TRUE(engine_->increase_retention(s, 48).ok());
  for (int i = 0; i < 3; ++i) put(s, "k", numbered("d", i));
  clock_.advance_ms(25 * kHourMs);
  ASSERT_TRUE(engine_->trim_expired().ok());
  EXPECT_EQ(read_shard(s, 0).size(), 3u);
  EXPECT_EQ(stored_count(id, 0), 3u);

  clock_.advance_ms(24 * kHourMs);  // 49 h
  EXPECT_TRUE(read_shard(s, 0).empty());
  ASSERT_TRUE(engine_->trim_expired().ok());
  EXPECT_EQ(stored_count(id, 0), 0u);
}

TEST_F(EngineRetentionTest, DecreasingRetentionHidesOlderRecords) {
  const StreamKey s = key("shrink");
  create_active(s);
  ASSERT_TRUE(engine_->increase_retention(s, 48).ok());
  put(s, "k", "d");
  clock_.advance_ms(30 * kHourMs);
  EXPECT_EQ(read_shard(s, 0).size(), 1u);
  ASSERT_TRUE(engine_->decrease_retention(s, 24).ok());
  EXPECT_TRUE(read_shard(s, 0).empty());
}

TEST_F(EngineRetentionTest, TrimExpiredForgetsDeletedStreams) {
  const StreamKey s = key("forgotten");
  create_active(s);
  const uint64_t id = stream_id(s);
  put(s, "k", "d");
  ASSERT_TRUE(engine_->delete_stream(s).ok());
  clock_.advance_ms(kDeleteDelayMs);
  ASSERT_TRUE(engine_->trim_expired().ok());
  EXPECT_FALSE(engine_->describe_stream(s).ok());
  EXPECT_EQ(stored_count(id, 0), 0u);
  create_active(s);  // the name is free again
}

}  // namespace
}  // namespace kinesis_emulator::engine
