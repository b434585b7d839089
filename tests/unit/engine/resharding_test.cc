// Resharding: lineage, closed shards' ending sequence numbers, ChildShards at a closed shard's
// end, routing to the children, UPDATING, and AWS's scaling rules.
#include <set>

#include "engine/topology.h"
#include "engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineReshardingTest : public EngineTest {
 protected:
  StreamMeta meta_of(const StreamKey& k) {
    auto view = engine_->describe_stream(k);
    EXPECT_TRUE(view.ok());
    return view.ok() ? view->meta : StreamMeta{};
  }
  void pass_updating() { clock_.advance_ms(options_.update_delay_ms); }

  // Reads a shard to its end: records, then the page that carries ChildShards.
  std::vector<Rec> read_to_end(const StreamKey& k, uint32_t shard, GetRecordsResult* last) {
    std::vector<Rec> all;
    std::string it = iterator(k, shard);
    for (int guard = 0; guard < 1000 && !it.empty(); ++guard) {
      auto page = get(it, 2);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      all.insert(all.end(), page->records.begin(), page->records.end());
      *last = page->result;
      it = page->result.next_shard_iterator;
    }
    return all;
  }

  static void expect_open_ranges_cover_key_space(const StreamMeta& meta) {
    std::vector<HashRange> open;
    for (const ShardInfo& s : meta.shards) {
      if (s.open()) open.push_back(s.range);
    }
    std::sort(open.begin(), open.end(),
              [](const HashRange& a, const HashRange& b) { return a.start < b.start; });
    ASSERT_FALSE(open.empty());
    EXPECT_EQ(open.front().start, 0u);
    EXPECT_TRUE(open.back().end == uint128_max);
    for (std::size_t i = 1; i < open.size(); ++i) {
      EXPECT_TRUE(open[i - 1].end + 1 == open[i].start) << "gap or overlap at " << i;
    }
  }
};

TEST_F(EngineReshardingTest, SplitClosesParentAndRoutesToChildren) {
  const StreamKey s = key("split");
  create_active(s, 1);
  const PutResult before = put(s, "a", "old");
  const uint128 middle = uint128{1} << 127;
  ASSERT_TRUE(engine_->split_shard(s, "shardId-000000000000", to_decimal(middle)).ok());

  StreamMeta m = meta_of(s);
  ASSERT_EQ(m.shards.size(), 3u);
  EXPECT_FALSE(m.shards[0].open());
  EXPECT_EQ(*m.shards[0].ending_position, decode_sequence_number(before.sequence_number)->position);
  EXPECT_EQ(m.shards[1].parent, 0u);
  EXPECT_EQ(m.shards[2].parent, 0u);
  EXPECT_FALSE(m.shards[1].adjacent_parent.has_value());
  EXPECT_TRUE(m.shards[1].range.end + 1 == middle);
  EXPECT_TRUE(m.shards[2].range.start == middle);
  expect_open_ranges_cover_key_space(m);

  EXPECT_EQ(put(s, "x", "new", uint128{0}).shard_index, 1u);
  EXPECT_EQ(put(s, "x", "new", uint128_max).shard_index, 2u);

  // The parent stays readable to its end, then names its children.
  GetRecordsResult last;
  const auto records = read_to_end(s, 0, &last);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "old");
  EXPECT_TRUE(last.next_shard_iterator.empty());
  ASSERT_EQ(last.child_shards.size(), 2u);
  EXPECT_EQ(last.child_shards[0].index, 1u);
  EXPECT_EQ(last.child_shards[0].parents, std::vector<uint32_t>{0});
}

TEST_F(EngineReshardingTest, StreamIsUpdatingThenActiveAndRefusesReshardMeanwhile) {
  const StreamKey s = key("updating");
  create_active(s, 2);
  ASSERT_TRUE(engine_->merge_shards(s, "shardId-000000000000", "shardId-000000000001").ok());
  EXPECT_EQ(engine_->describe_stream(s)->status, StreamStatus::updating);
  // Writes and reads go on while UPDATING.
  EXPECT_EQ(put(s, "k", "during").shard_index, 2u);
  Status again = engine_->split_shard(s, "shardId-000000000002", "5");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::resource_in_use);
  pass_updating();
  EXPECT_EQ(engine_->describe_stream(s)->status, StreamStatus::active);
  EXPECT_TRUE(engine_->split_shard(s, "shardId-000000000002", "5").ok());
}

TEST_F(EngineReshardingTest, MergeRecordsLineageAndRejectsNonAdjacent) {
  const StreamKey s = key("merge");
  create_active(s, 3);
  Status bad = engine_->merge_shards(s, "shardId-000000000000", "shardId-000000000002");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
  EXPECT_NE(bad.error().message.find("not an adjacent pair"), std::string::npos);
  bad = engine_->merge_shards(s, "shardId-000000000001", "shardId-000000000001");
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
  bad = engine_->merge_shards(s, "shardId-000000000001", "shardId-000000000009");
  EXPECT_EQ(bad.error().code, errc::resource_not_found);

  // Either order of an adjacent pair works.
  ASSERT_TRUE(engine_->merge_shards(s, "shardId-000000000002", "shardId-000000000001").ok());
  StreamMeta m = meta_of(s);
  ASSERT_EQ(m.shards.size(), 4u);
  EXPECT_EQ(m.shards[3].parent, 2u);
  EXPECT_EQ(m.shards[3].adjacent_parent, 1u);
  EXPECT_TRUE(m.shards[3].range.start == m.shards[1].range.start);
  EXPECT_TRUE(m.shards[3].range.end == uint128_max);
  expect_open_ranges_cover_key_space(m);

  pass_updating();
  bad = engine_->merge_shards(s, "shardId-000000000001", "shardId-000000000000");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::resource_in_use);  // closed already
}

TEST_F(EngineReshardingTest, SplitRejectsKeysOutsideTheShard) {
  const StreamKey s = key("split-bounds");
  create_active(s, 2);
  const StreamMeta m = meta_of(s);
  for (const uint128 bad : {m.shards[1].range.start, m.shards[0].range.start}) {
    Status st = engine_->split_shard(s, "shardId-000000000001", to_decimal(bad));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, errc::invalid_argument);
  }
  EXPECT_EQ(meta_of(s).shards.size(), 2u);  // nothing changed
  // The shard's own end is a valid split point (the upper child holds one key).
  EXPECT_TRUE(engine_->split_shard(s, "shardId-000000000001", to_decimal(uint128_max)).ok());
}

TEST_F(EngineReshardingTest, SplitRespectsTheShardLimitAndChangesNothing) {
  options_.shard_limit = 2;
  open_engine();
  const StreamKey s = key("limit");
  create_active(s, 2);
  Status st = engine_->split_shard(s, "shardId-000000000000", "12345");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::limit_exceeded);
  EXPECT_NE(st.error().message.find("Current shard count for the account: 2"), std::string::npos);
  EXPECT_EQ(meta_of(s).shards.size(), 2u);
  EXPECT_EQ(engine_->describe_stream(s)->status, StreamStatus::active);
}

TEST_F(EngineReshardingTest, UniformScalingUpAndDownKeepsLineageTwoParentsAtMost) {
  const StreamKey s = key("scale");
  create_active(s, 5);
  auto current = engine_->update_shard_count(s, 3);
  ASSERT_TRUE(current.ok()) << current.error().message;
  EXPECT_EQ(*current, 5u);
  StreamMeta m = meta_of(s);
  EXPECT_EQ(m.open_shard_count(), 3u);
  expect_open_ranges_cover_key_space(m);
  const auto wanted = split_hash_space(3);
  std::vector<HashRange> open;
  for (const ShardInfo& info : m.shards) {
    if (info.open()) open.push_back(info.range);
    // Every shard other than the originals descends from shards that exist.
    if (info.parent) {
      EXPECT_LT(*info.parent, info.index);
    }
    if (info.adjacent_parent) {
      EXPECT_LT(*info.adjacent_parent, info.index);
    }
  }
  ASSERT_EQ(open.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(open[i].start == wanted[i].start && open[i].end == wanted[i].end) << i;
  }

  pass_updating();
  ASSERT_TRUE(engine_->update_shard_count(s, 6).ok());
  EXPECT_EQ(meta_of(s).open_shard_count(), 6u);
  expect_open_ranges_cover_key_space(meta_of(s));
}

TEST_F(EngineReshardingTest, UpdateShardCountEnforcesDoubleHalfAndTenPerDay) {
  const StreamKey s = key("rules");
  create_active(s, 4);
  auto r = engine_->update_shard_count(s, 9);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  r = engine_->update_shard_count(s, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);

  for (int i = 0; i < 10; ++i) {
    auto ok = engine_->update_shard_count(s, i % 2 == 0 ? 5 : 4);
    ASSERT_TRUE(ok.ok()) << i << ": " << ok.error().message;
    pass_updating();
  }
  r = engine_->update_shard_count(s, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::limit_exceeded);
  clock_.advance_ms(24 * kHourMs);
  EXPECT_TRUE(engine_->update_shard_count(s, 5).ok());
}

TEST_F(EngineReshardingTest, ReshardingSurvivesRestart) {
  const StreamKey s = key("restart");
  create_active(s, 1);
  put(s, "a", "before");
  ASSERT_TRUE(engine_->split_shard(s, "0", to_decimal(uint128{1} << 127)).ok());
  const PutResult after = put(s, "z", "after", uint128_max);
  restart();
  StreamMeta m = meta_of(s);
  ASSERT_EQ(m.shards.size(), 3u);
  EXPECT_FALSE(m.shards[0].open());
  EXPECT_TRUE(m.shards[0].closed_ms.has_value());
  EXPECT_EQ(put(s, "z", "later", uint128_max).shard_index, 2u);
  const auto child = read_shard(s, 2);
  ASSERT_EQ(child.size(), 2u);
  EXPECT_EQ(child[0].sequence_number, after.sequence_number);
  GetRecordsResult last;
  EXPECT_EQ(read_to_end(s, 0, &last).size(), 1u);
  EXPECT_EQ(last.child_shards.size(), 2u);
}

TEST_F(EngineReshardingTest, UpdateStreamModeShowsUpdatingAndBlocksSplits) {
  const StreamKey s = key("mode");
  create_active(s, 2);
  ASSERT_TRUE(engine_->update_stream_mode(s, StreamMode::on_demand).ok());
  EXPECT_EQ(engine_->describe_stream(s)->meta.mode, StreamMode::on_demand);
  EXPECT_EQ(engine_->describe_stream(s)->status, StreamStatus::updating);
  pass_updating();
  Status st = engine_->split_shard(s, "0", "5");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::invalid_argument);
  restart();
  EXPECT_EQ(engine_->describe_stream(s)->meta.mode, StreamMode::on_demand);
}

TEST(TopologyDraft, UniformScalingFromUnevenShards) {
  StreamMeta m;
  m.shards.resize(1);
  m.shards[0].range = {0, uint128_max};
  draft_split(m, 0, uint128{7}, 1);         // tiny lower shard, big upper shard
  draft_split(m, 2, uint128{1} << 126, 1);  // upper split again
  draft_uniform_scaling(m, 2, 2);
  std::vector<HashRange> open;
  for (const ShardInfo& s : m.shards) {
    if (s.open()) open.push_back(s.range);
    EXPECT_TRUE(!s.adjacent_parent || s.parent) << "adjacent parent without parent";
  }
  ASSERT_EQ(open.size(), 2u);
  std::sort(open.begin(), open.end(),
            [](const HashRange& a, const HashRange& b) { return a.start < b.start; });
  const auto wanted = split_hash_space(2);
  EXPECT_TRUE(open[0].start == wanted[0].start && open[0].end == wanted[0].end);
  EXPECT_TRUE(open[1].start == wanted[1].start && open[1].end == wanted[1].end);
}

}  // namespace
}  // namespace kinesis_emulator::engine
