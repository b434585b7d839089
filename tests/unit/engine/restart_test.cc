// Durability: everything survives reopening the engine on the same directory; sequence numbers
// never go backwards; in-memory mode keeps nothing.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineRestartTest : public EngineTest {};

TEST_F(EngineRestartTest, StreamsShardsRecordsAndSequenceNumbersSurvive) {
  const StreamKey a = key("alpha");
  const StreamKey b = key("beta", "210987654321", "eu-central-1");
  create_active(a, 3);
  create_active(b, 1);
  ASSERT_TRUE(engine_->increase_retention(b, 100).ok());
  for (int i = 0; i < 30; ++i) {
    put(a, numbered("key-", i), numbered("a", i));
    if (i % 7 == 0) clock_.advance_ms(3);
  }
  const std::string binary("\0\xfe\x01", 3);
  put(b, "pk", binary);
  put(b, "pk", "");

  auto before_a = engine_->describe_stream(a);
  auto before_b = engine_->describe_stream(b);
  ASSERT_TRUE(before_a.ok() && before_b.ok());
  std::vector<std::vector<Rec>> records_a;
  for (uint32_t i = 0; i < 3; ++i) records_a.push_back(read_shard(a, i));
  const std::vector<Rec> records_b = read_shard(b, 0);

  restart();

  auto after_a = engine_->describe_stream(a);
  auto after_b = engine_->describe_stream(b);
  ASSERT_TRUE(after_a.ok()) << after_a.error().message;
  ASSERT_TRUE(after_b.ok()) << after_b.error().message;
  EXPECT_EQ(after_a->status, StreamStatus::active);
  EXPECT_EQ(after_a->arn, before_a->arn);
  EXPECT_EQ(after_a->meta.id, before_a->meta.id);
  EXPECT_EQ(after_a->meta.created_ms, before_a->meta.created_ms);
  EXPECT_EQ(after_b->meta.retention_hours, 100);
  EXPECT_EQ(after_b->arn, "arn:aws:kinesis:eu-central-1:210987654321:stream/beta");
  ASSERT_EQ(after_a->meta.shards.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    const ShardInfo& x = before_a->meta.shards[i];
    const ShardInfo& y = after_a->meta.shards[i];
    EXPECT_EQ(y.index, x.index);
    EXPECT_TRUE(y.range.start == x.range.start && y.range.end == x.range.end) << i;
    EXPECT_EQ(y.created_ms, x.created_ms);
    EXPECT_EQ(y.starting_position, x.starting_position);
    EXPECT_TRUE(y.open());
  }
  std::size_t total = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    const std::vector<Rec> again = read_shard(a, i);
    ASSERT_EQ(again.size(), records_a[i].size()) << "shard " << i;
    for (std::size_t j = 0; j < again.size(); ++j) {
      EXPECT_EQ(again[j].sequence_number, records_a[i][j].sequence_number);
      EXPECT_EQ(again[j].partition_key, records_a[i][j].partition_key);
      EXPECT_EQ(again[j].data, records_a[i][j].data);
      EXPECT_EQ(again[j].arrival_ms, records_a[i][j].arrival_ms);
    }
    total += again.size();
  }
  EXPECT_EQ(total, 30u);
  const std::vector<Rec> again_b = read_shard(b, 0);
  ASSERT_EQ(again_b.size(), 2u);
  EXPECT_EQ(again_b[0].data, binary);
  EXPECT_EQ(again_b[1].data, "");
  EXPECT_EQ(again_b[0].sequence_number, records_b[0].sequence_number);
}

TEST_F(EngineRestartTest, StreamModeSurvives) {
  create_active(key("od"), 2, StreamMode::on_demand);
  create_active(key("prov"), 1, StreamMode::provisioned);
  restart();
  auto od = engine_->describe_stream(key("od"));
  auto prov = engine_->describe_stream(key("prov"));
  ASSERT_TRUE(od.ok() && prov.ok());
  EXPECT_EQ(od->meta.mode, StreamMode::on_demand);
  EXPECT_EQ(prov->meta.mode, StreamMode::provisioned);
}

TEST_F(EngineRestartTest, PutAfterRestartGetsALargerSequenceNumber) {
  const StreamKey s = key("monotonic");
  create_active(s, 2);
  std::vector<std::string> last(2);
  for (int i = 0; i < 20; ++i) {
    const PutResult r = put(s, numbered("k", i), "d");
    last[r.shard_index] = std::max(last[r.shard_index], r.sequence_number);
  }
  restart();  // same millisecond: only the persisted high-water mark keeps order
  for (int i = 0; i < 20; ++i) {
    const PutResult r = put(s, numbered("k", i), "d");
    EXPECT_GT(r.sequence_number, last[r.shard_index]) << "shard " << r.shard_index;
  }
}

TEST_F(EngineRestartTest, SequenceNumbersStayMonotonicAfterEverythingWasTrimmed) {
  const StreamKey s = key("trimmed");
  create_active(s);
  const uint64_t id = stream_id(s);
  std::string newest;
  for (int i = 0; i < 5; ++i) newest = put(s, "k", "d").sequence_number;
  clock_.advance_ms(25 * kHourMs);
  ASSERT_TRUE(engine_->trim_expired().ok());
  ASSERT_EQ(stored_count(id, 0), 0u) << "precondition: no record left to derive order from";
  restart();

  // With the wall clock moved on, a put is trivially later...
  const std::string later = put(s, "k", "after").sequence_number;
  EXPECT_GT(later, newest);

  // ...so also check the case where the clock went backwards to the original time: the
  // high-water mark, not the clock, must keep sequence numbers increasing.
  clock_.advance_ms(25 * kHourMs);
  ASSERT_TRUE(engine_->trim_expired().ok());
  ASSERT_EQ(stored_count(id, 0), 0u);
  restart();
  clock_.set_ms(kStartMs + kCreateDelayMs);
  const std::string skewed = put(s, "k", "skewed").sequence_number;
  EXPECT_GT(skewed, newest);
  EXPECT_GT(skewed, later);
}

TEST_F(EngineRestartTest, ShardIteratorsSurviveRestart) {
  const StreamKey s = key("iter");
  create_active(s);
  put(s, "k", "a");
  put(s, "k", "b");
  auto page = get(iterator(s, 0), 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  restart();
  auto rest = get(page->result.next_shard_iterator);
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  ASSERT_EQ(rest->records.size(), 1u);
  EXPECT_EQ(rest->records[0].data, "b");
}

TEST_F(EngineRestartTest, LatestAfterRestartExcludesEarlierRecords) {
  const StreamKey s = key("latest");
  create_active(s);
  put(s, "k", "before");
  restart();
  const std::string it = iterator(s, 0, IteratorType::latest);
  put(s, "k", "after");
  auto records = drain(it);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].data, "after");
}

TEST_F(EngineRestartTest, StreamIdsAreNotReusedAfterRestart) {
  const StreamKey old_stream = key("old");
  create_active(old_stream);
  const uint64_t old_id = stream_id(old_stream);
  const std::string old_seq = put(old_stream, "k", "d").sequence_number;
  ASSERT_TRUE(engine_->delete_stream(old_stream).ok());
  clock_.advance_ms(kDeleteDelayMs);
  restart();
  const StreamKey fresh = key("fresh");
  create_active(fresh);
  EXPECT_GT(stream_id(fresh), old_id);
  // The old sequence number does not pass for one of the new stream.
  auto it = engine_->get_shard_iterator(fresh, shard_id_of(0), IteratorType::at_sequence_number,
                                        old_seq, std::nullopt);
  ASSERT_FALSE(it.ok());
  EXPECT_EQ(it.error().code, errc::invalid_argument);
}

TEST_F(EngineRestartTest, DeletedStreamStaysDeletedAndItsRecordsAreGone) {
  const StreamKey s = key("deleted");
  create_active(s);
  const uint64_t id = stream_id(s);
  put(s, "k", "d");
  ASSERT_TRUE(engine_->delete_stream(s).ok());
  clock_.advance_ms(kDeleteDelayMs);
  restart();
  auto v = engine_->describe_stream(s);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, errc::resource_not_found);
  EXPECT_EQ(stored_count(id, 0), 0u);
}

TEST_F(EngineRestartTest, CreatingStateIsMeasuredFromTheOriginalCreation) {
  const StreamKey s = key("slow");
  ASSERT_TRUE(engine_->create_stream(s, 1, StreamMode::provisioned).ok());
  clock_.advance_ms(kCreateDelayMs / 2);
  restart();
  auto v = engine_->describe_stream(s);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, StreamStatus::creating);
  clock_.advance_ms(kCreateDelayMs / 2);
  v = engine_->describe_stream(s);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->status, StreamStatus::active);
}

TEST_F(EngineRestartTest, InMemoryModeKeepsNothingAfterReopen) {
  in_memory_ = true;
  restart();
  EXPECT_EQ(engine_->storage_description(), "in-memory");
  const StreamKey s = key("volatile");
  create_active(s);
  put(s, "k", "d");
  EXPECT_EQ(read_shard(s, 0).size(), 1u);
  restart();
  auto v = engine_->describe_stream(s);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, errc::resource_not_found);
  EXPECT_TRUE(engine_->list_streams("123456789012", "us-east-1").empty());
  create_active(s);  // and the name can be used again from scratch
  EXPECT_TRUE(read_shard(s, 0).empty());
}

}  // namespace
}  // namespace kinesis_emulator::engine
