// Stream states (CREATING, ACTIVE, DELETING, gone), re-creation and the shard limit.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineLifecycleTest : public EngineTest {
 protected:
  StreamStatus status(const StreamKey& k) {
    auto v = engine_->describe_stream(k);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() ? v->status : StreamStatus::active;
  }
  errc describe_error(const StreamKey& k) {
    auto v = engine_->describe_stream(k);
    EXPECT_FALSE(v.ok());
    return v.ok() ? errc::internal_failure : v.error().code;
  }
  errc put_error(const StreamKey& k) {
    auto r = engine_->put_record(k, PutEntry{"k", "d", std::nullopt, {}});
    EXPECT_FALSE(r.ok());
    return r.ok() ? errc::internal_failure : r.error().code;
  }
};

TEST_F(EngineLifecycleTest, CreatingUntilTheDelayPassesThenActive) {
  const StreamKey s = key("creating");
  ASSERT_TRUE(engine_->create_stream(s, 2, StreamMode::provisioned).ok());
  EXPECT_EQ(status(s), StreamStatus::creating);
  EXPECT_EQ(put_error(s), errc::resource_not_found);
  const PutEntry entries[] = {{"k", "d", std::nullopt, {}}};
  auto batch = engine_->put_records(s, entries);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, errc::resource_not_found);
  auto it = engine_->get_shard_iterator(s, shard_id_of(0), IteratorType::trim_horizon, {}, {});
  EXPECT_FALSE(it.ok());

  clock_.advance_ms(kCreateDelayMs - 1);
  EXPECT_EQ(status(s), StreamStatus::creating);
  EXPECT_EQ(put_error(s), errc::resource_not_found);
  clock_.advance_ms(1);
  EXPECT_EQ(status(s), StreamStatus::active);
  put(s, "k", "d");
  EXPECT_EQ(read_shard(s, 0).size() + read_shard(s, 1).size(), 1u);
}

TEST_F(EngineLifecycleTest, DescribeReportsShardsArnAndDefaults) {
  const StreamKey s = key("described");
  create_active(s, 3);
  auto v = engine_->describe_stream(s);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->arn, "arn:aws:kinesis:us-east-1:123456789012:stream/described");
  EXPECT_EQ(v->meta.retention_hours, 24);
  EXPECT_EQ(v->meta.mode, StreamMode::provisioned);
  EXPECT_EQ(v->meta.created_ms, kStartMs);
  ASSERT_EQ(v->meta.shards.size(), 3u);
  EXPECT_EQ(v->open_shard_count(), 3u);
  const auto ranges = split_hash_space(3);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(v->meta.shards[i].index, i);
    EXPECT_TRUE(v->meta.shards[i].range.start == ranges[i].start);
    EXPECT_TRUE(v->meta.shards[i].range.end == ranges[i].end);
    EXPECT_TRUE(v->meta.shards[i].open());
  }
}

TEST_F(EngineLifecycleTest, DeletingUntilTheDelayPassesThenNotFound) {
  const StreamKey s = key("deleting");
  create_active(s);
  put(s, "k", "d");
  ASSERT_TRUE(engine_->delete_stream(s).ok());
  EXPECT_EQ(status(s), StreamStatus::deleting);
  EXPECT_EQ(put_error(s), errc::resource_not_found);
  // Deleting twice is refused while DELETING.
  Status again = engine_->delete_stream(s);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::resource_in_use);
  EXPECT_EQ(engine_->list_streams("123456789012", "us-east-1").size(), 1u);

  clock_.advance_ms(kDeleteDelayMs - 1);
  EXPECT_EQ(status(s), StreamStatus::deleting);
  clock_.advance_ms(1);
  EXPECT_EQ(describe_error(s), errc::resource_not_found);
  EXPECT_TRUE(engine_->list_streams("123456789012", "us-east-1").empty());
  Status gone = engine_->delete_stream(s);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, errc::resource_not_found);
}

TEST_F(EngineLifecycleTest, DeleteWhileCreatingIsResourceInUse) {
  const StreamKey s = key("young");
  ASSERT_TRUE(engine_->create_stream(s, 1, StreamMode::provisioned).ok());
  Status st = engine_->delete_stream(s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::resource_in_use);
}

TEST_F(EngineLifecycleTest, CreatingAnExistingNameIsResourceInUse) {
  const StreamKey s = key("dup");
  create_active(s);
  Status st = engine_->create_stream(s, 1, StreamMode::provisioned);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::resource_in_use);
  // The same name in another account or region is a different stream.
  EXPECT_TRUE(engine_->create_stream(key("dup", "000000000000"), 1, StreamMode::provisioned).ok());
  EXPECT_TRUE(
      engine_->create_stream(key("dup", "123456789012", "eu-west-1"), 1, StreamMode::provisioned)
          .ok());
  EXPECT_EQ(engine_->list_streams("123456789012", "us-east-1").size(), 1u);
}

TEST_F(EngineLifecycleTest, RecreateWhileDeletingIsRefusedAfterwardsStartsEmpty) {
  const StreamKey s = key("phoenix");
  create_active(s);
  const std::string old_seq = put(s, "k", "old").sequence_number;
  const std::string old_it = iterator(s, 0);
  ASSERT_TRUE(engine_->delete_stream(s).ok());

  Status early = engine_->create_stream(s, 1, StreamMode::provisioned);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, errc::resource_in_use);

  clock_.advance_ms(kDeleteDelayMs);
  create_active(s);
  EXPECT_TRUE(read_shard(s, 0).empty());
  // Neither the old iterator nor the old sequence number reach the new stream.
  auto r = get(old_it);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::resource_not_found);
  auto it = engine_->get_shard_iterator(s, shard_id_of(0), IteratorType::at_sequence_number,
                                        old_seq, std::nullopt);
  ASSERT_FALSE(it.ok());
  EXPECT_EQ(it.error().code, errc::invalid_argument);

  put(s, "k", "new");
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "new");
}

TEST_F(EngineLifecycleTest, ShardCountMustBePositive) {
  Status st = engine_->create_stream(key("zero"), 0, StreamMode::provisioned);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::invalid_argument);
  EXPECT_EQ(describe_error(key("zero")), errc::resource_not_found);
}

TEST_F(EngineLifecycleTest, ShardLimitExceededReportsTheCurrentCount) {
  options_.shard_limit = 10;
  restart();
  create_active(key("six"), 6);
  Status st = engine_->create_stream(key("five"), 5, StreamMode::provisioned);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::limit_exceeded);
  EXPECT_NE(st.error().message.find("Current shard count for the account: 6."), std::string::npos)
      << st.error().message;
  EXPECT_NE(st.error().message.find("Limit: 10."), std::string::npos) << st.error().message;
  EXPECT_EQ(describe_error(key("five")), errc::resource_not_found);

  // Exactly at the limit is fine; the limit is per account and region.
  EXPECT_TRUE(engine_->create_stream(key("four"), 4, StreamMode::provisioned).ok());
  EXPECT_TRUE(
      engine_->create_stream(key("other", "999999999999"), 10, StreamMode::provisioned).ok());
  Status one_more = engine_->create_stream(key("one"), 1, StreamMode::provisioned);
  ASSERT_FALSE(one_more.ok());
  EXPECT_NE(one_more.error().message.find("Current shard count for the account: 10."),
            std::string::npos)
      << one_more.error().message;

  AccountLimits limits = engine_->describe_limits("123456789012", "us-east-1");
  EXPECT_EQ(limits.shard_limit, 10u);
  EXPECT_EQ(limits.open_shard_count, 10u);

  // Once a deleted stream is gone its shards no longer count.
  clock_.advance_ms(kCreateDelayMs);
  ASSERT_TRUE(engine_->delete_stream(key("six")).ok());
  clock_.advance_ms(kDeleteDelayMs);
  EXPECT_TRUE(engine_->create_stream(key("five"), 5, StreamMode::provisioned).ok());
}

TEST_F(EngineLifecycleTest, OnDemandStreamLimit) {
  options_.on_demand_stream_limit = 1;
  restart();
  create_active(key("od-1"), kOnDemandDefaultShards, StreamMode::on_demand);
  Status st = engine_->create_stream(key("od-2"), kOnDemandDefaultShards, StreamMode::on_demand);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::limit_exceeded);
  EXPECT_NE(st.error().message.find("Current on-demand stream count: 1."), std::string::npos)
      << st.error().message;
  // Provisioned streams are not limited by it.
  EXPECT_TRUE(engine_->create_stream(key("prov"), 1, StreamMode::provisioned).ok());
  AccountLimits limits = engine_->describe_limits("123456789012", "us-east-1");
  EXPECT_EQ(limits.on_demand_stream_count, 1u);
  EXPECT_EQ(limits.on_demand_stream_count_limit, 1u);
  EXPECT_EQ(limits.open_shard_count, kOnDemandDefaultShards + 1);
}

TEST_F(EngineLifecycleTest, ListStreamsIsSortedAndScopedToAccountAndRegion) {
  create_active(key("b"));
  create_active(key("a"));
  create_active(key("c", "111111111111"));
  create_active(key("d", "123456789012", "eu-west-1"));
  auto streams = engine_->list_streams("123456789012", "us-east-1");
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].meta.key.name, "a");
  EXPECT_EQ(streams[1].meta.key.name, "b");
}

}  // namespace
}  // namespace kinesis_emulator::engine
