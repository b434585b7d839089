// RecordDistributionStrategy: USER_PARTITION_KEY routes by the key's hash; AUTO spreads records
// over the open shards and ignores the key and ExplicitHashKey.
#include <map>
#include <string>

#include "engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class RecordDistributionTest : public EngineTest {
 protected:
  void create_on_demand_auto(const StreamKey& k) {
    CreateStreamOptions create;
    create.distribution = RecordDistribution::automatic;
    Status s = engine_->create_stream(k, 4, StreamMode::on_demand, create);
    ASSERT_TRUE(s.ok()) << s.error().message;
    clock_.advance_ms(kCreateDelayMs);
  }

  RecordDistribution distribution(const StreamKey& k) {
    auto view = engine_->describe_stream(k);
    EXPECT_TRUE(view.ok());
    return view.ok() ? view->meta.distribution : RecordDistribution::user_partition_key;
  }
};

TEST_F(RecordDistributionTest, NewStreamsRouteByPartitionKey) {
  create_active(key("s"), 4, StreamMode::on_demand);
  EXPECT_EQ(distribution(key("s")), RecordDistribution::user_partition_key);
  std::map<uint32_t, int> per_shard;
  for (int i = 0; i < 40; ++i) ++per_shard[put(key("s"), "same-key", "x").shard_index];
  EXPECT_EQ(per_shard.size(), 1u);
}

TEST_F(RecordDistributionTest, AutoSpreadsEvenlyAndIgnoresKeysAndExplicitHashKeys) {
  create_on_demand_auto(key("s"));
  std::map<uint32_t, int> per_shard;
  for (int i = 0; i < 40; ++i) {
    ++per_shard[put(key("s"), "same-key", "x", uint128{0}).shard_index];
  }
  ASSERT_EQ(per_shard.size(), 4u);
  for (const auto& [shard, n] : per_shard) EXPECT_EQ(n, 10) << "shard " << shard;

  std::vector<PutEntry> batch(8, PutEntry{"k", "y", uint128{0}, {}});
  auto results = engine_->put_records(key("s"), batch);
  ASSERT_TRUE(results.ok()) << results.error().message;
  std::map<uint32_t, int> batch_shards;
  for (const PutResult& r : *results) ++batch_shards[r.shard_index];
  EXPECT_EQ(batch_shards.size(), 4u);
}

TEST_F(RecordDistributionTest, AutoTakesRecordsWithoutAPartitionKeyAndReadsThemBackWithout) {
  create_on_demand_auto(key("s"));
  const PutResult put_result = put(key("s"), "", "no key");
  const auto records = read_shard(key("s"), put_result.shard_index);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].partition_key, "");
  EXPECT_EQ(records[0].data, "no key");
}

TEST_F(RecordDistributionTest, AutoRefusesSequenceNumberForOrdering) {
  create_on_demand_auto(key("s"));
  const std::string first = put(key("s"), "k", "a").sequence_number;
  auto r = engine_->put_record(key("s"), PutEntry{"k", "b", std::nullopt, first});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
}

TEST_F(RecordDistributionTest, UserPartitionKeyStreamsNeedAPartitionKey) {
  create_active(key("s"), 2);
  auto one = engine_->put_record(key("s"), PutEntry{"", "a", std::nullopt, {}});
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().code, errc::invalid_argument);
  std::vector<PutEntry> batch{PutEntry{"k", "a", std::nullopt, {}},
                              PutEntry{"", "b", std::nullopt, {}}};
  auto many = engine_->put_records(key("s"), batch);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, errc::invalid_argument);
  EXPECT_TRUE(read_shard(key("s"), 0).empty());
  EXPECT_TRUE(read_shard(key("s"), 1).empty());
}

TEST_F(RecordDistributionTest, AutoIsOnlyForOnDemandStreams) {
  CreateStreamOptions create;
  create.distribution = RecordDistribution::automatic;
  Status s = engine_->create_stream(key("p"), 2, StreamMode::provisioned, create);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, errc::invalid_argument);
  EXPECT_FALSE(engine_->describe_stream(key("p")).ok());

  create_active(key("q"), 2);
  s = engine_->update_record_distribution(key("q"), RecordDistribution::automatic);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, errc::invalid_argument);
  EXPECT_EQ(distribution(key("q")), RecordDistribution::user_partition_key);
  EXPECT_TRUE(
      engine_->update_record_distribution(key("q"), RecordDistribution::user_partition_key).ok());
}

TEST_F(RecordDistributionTest, SwitchingTakesEffectAtOnceWithoutUpdating) {
  create_active(key("s"), 4, StreamMode::on_demand);
  ASSERT_TRUE(engine_->update_record_distribution(key("s"), RecordDistribution::automatic).ok());
  auto view = engine_->describe_stream(key("s"));
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->status, StreamStatus::active);
  EXPECT_EQ(view->meta.distribution, RecordDistribution::automatic);
  std::map<uint32_t, int> per_shard;
  for (int i = 0; i < 8; ++i) ++per_shard[put(key("s"), "same-key", "x").shard_index];
  EXPECT_EQ(per_shard.size(), 4u);

  ASSERT_TRUE(
      engine_->update_record_distribution(key("s"), RecordDistribution::user_partition_key).ok());
  per_shard.clear();
  for (int i = 0; i < 8; ++i) ++per_shard[put(key("s"), "same-key", "x").shard_index];
  EXPECT_EQ(per_shard.size(), 1u);
}

TEST_F(RecordDistributionTest, AnAutoStreamCannotBecomeProvisionedUntilSwitchedBack) {
  create_on_demand_auto(key("s"));
  Status s = engine_->update_stream_mode(key("s"), StreamMode::provisioned);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, errc::invalid_argument);
  ASSERT_TRUE(
      engine_->update_record_distribution(key("s"), RecordDistribution::user_partition_key).ok());
  EXPECT_TRUE(engine_->update_stream_mode(key("s"), StreamMode::provisioned).ok());
}

TEST_F(RecordDistributionTest, TheStrategySurvivesARestart) {
  create_on_demand_auto(key("s"));
  restart();
  EXPECT_EQ(distribution(key("s")), RecordDistribution::automatic);
  std::map<uint32_t, int> per_shard;
  for (int i = 0; i < 8; ++i) ++per_shard[put(key("s"), "same-key", "x").shard_index];
  EXPECT_EQ(per_shard.size(), 4u);
}

}  // namespace
}  // namespace kinesis_emulator::engine
