// GetShardIterator: every iterator type and its error cases.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineIteratorTest : public EngineTest {
 protected:
  std::vector<std::string> data_of(const std::vector<Rec>& records) {
    std::vector<std::string> out;
    for (const Rec& r : records) out.push_back(r.data);
    return out;
  }
  std::vector<std::string> read_from(const StreamKey& k, IteratorType type,
                                     std::string_view seq = {},
                                     std::optional<int64_t> ts = std::nullopt) {
    return data_of(drain(iterator(k, 0, type, seq, ts)));
  }
  Error iterator_error(const StreamKey& k, std::string_view shard_id, IteratorType type,
                       std::string_view seq = {}, std::optional<int64_t> ts = std::nullopt) {
    auto it = engine_->get_shard_iterator(k, shard_id, type, seq, ts);
    EXPECT_FALSE(it.ok());
    return it.ok() ? Error{errc::internal_failure, "unexpectedly ok"} : it.error();
  }
  using V = std::vector<std::string>;
};

TEST_F(EngineIteratorTest, TrimHorizonSeesEverything) {
  const StreamKey s = key("trim");
  create_active(s);
  EXPECT_TRUE(read_from(s, IteratorType::trim_horizon).empty());
  for (const char* d : {"a", "b", "c"}) put(s, "k", d);
  EXPECT_EQ(read_from(s, IteratorType::trim_horizon), (V{"a", "b", "c"}));
}

TEST_F(EngineIteratorTest, LatestSeesOnlyLaterRecords) {
  const StreamKey s = key("latest");
  create_active(s);
  const std::string empty_latest = iterator(s, 0, IteratorType::latest);
  put(s, "k", "a");
  put(s, "k", "b");
  const std::string latest = iterator(s, 0, IteratorType::latest);
  auto before = get(latest);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->records.empty());
  // Same millisecond: LATEST must still exclude a and b and include c and d.
  put(s, "k", "c");
  put(s, "k", "d");
  EXPECT_EQ(data_of(drain(latest)), (V{"c", "d"}));
  EXPECT_EQ(data_of(drain(before->result.next_shard_iterator)), (V{"c", "d"}));
  // LATEST taken on an empty shard sees the first record.
  EXPECT_EQ(data_of(drain(empty_latest)), (V{"a", "b", "c", "d"}));
}

TEST_F(EngineIteratorTest, AtAndAfterSequenceNumber) {
  const StreamKey s = key("at-seq");
  create_active(s);
  std::vector<std::string> seqs;
  for (const char* d : {"a", "b", "c", "d", "e"}) {
    seqs.push_back(put(s, "k", d).sequence_number);
    clock_.advance_ms(1);
  }
  EXPECT_EQ(read_from(s, IteratorType::at_sequence_number, seqs[2]), (V{"c", "d", "e"}));
  EXPECT_EQ(read_from(s, IteratorType::after_sequence_number, seqs[2]), (V{"d", "e"}));
  EXPECT_EQ(read_from(s, IteratorType::at_sequence_number, seqs[0]), (V{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(read_from(s, IteratorType::after_sequence_number, seqs[4]), V{});
  EXPECT_EQ(read_from(s, IteratorType::at_sequence_number, seqs[4]), V{"e"});
  auto records = drain(iterator(s, 0, IteratorType::at_sequence_number, seqs[1]));
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records[0].sequence_number, seqs[1]);
}

TEST_F(EngineIteratorTest, AtTimestamp) {
  const StreamKey s = key("at-ts");
  create_active(s);
  const int64_t t0 = clock_.now_ms();
  put(s, "k", "a");
  clock_.advance_ms(1000);
  put(s, "k", "b");
  put(s, "k", "c");
  clock_.advance_ms(1000);
  put(s, "k", "d");
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 - 5000), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 + 1), (V{"b", "c", "d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 + 1000), (V{"b", "c", "d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 + 1001), (V{"d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 + 2000), (V{"d"}));
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, 0), (V{"a", "b", "c", "d"}));
  // Now is allowed (nothing yet); a timestamp in the future is refused, as AWS does.
  clock_.advance_ms(1);
  EXPECT_EQ(read_from(s, IteratorType::at_timestamp, {}, t0 + 2001), V{});
  auto future = engine_->get_shard_iterator(s, shard_id_of(0), IteratorType::at_timestamp, {},
                                            clock_.now_ms() + 1);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().code, errc::invalid_argument);
  EXPECT_NE(future.error().message.find("cannot be greater than the currentTimestampInMillis"),
            std::string::npos);
}

TEST_F(EngineIteratorTest, SequenceNumberFromAnotherShardIsInvalid) {
  const StreamKey s = key("two-shards");
  create_active(s, 2);
  const PutResult on1 = put(s, "k", "x", uint128_max);
  ASSERT_EQ(on1.shard_index, 1u);
  for (IteratorType t : {IteratorType::at_sequence_number, IteratorType::after_sequence_number}) {
    const Error e = iterator_error(s, shard_id_of(0), t, on1.sequence_number);
    EXPECT_EQ(e.code, errc::invalid_argument) << e.message;
  }
  // The right shard accepts it.
  EXPECT_FALSE(iterator(s, 1, IteratorType::at_sequence_number, on1.sequence_number).empty());
}

TEST_F(EngineIteratorTest, SequenceNumberFromAnotherStreamIsInvalid) {
  const StreamKey a = key("stream-a");
  const StreamKey b = key("stream-b");
  create_active(a);
  create_active(b);
  const PutResult on_a = put(a, "k", "x");
  put(b, "k", "y");
  const Error e =
      iterator_error(b, shard_id_of(0), IteratorType::at_sequence_number, on_a.sequence_number);
  EXPECT_EQ(e.code, errc::invalid_argument) << e.message;
  const Error e2 =
      iterator_error(b, shard_id_of(0), IteratorType::after_sequence_number, on_a.sequence_number);
  EXPECT_EQ(e2.code, errc::invalid_argument) << e2.message;
}

TEST_F(EngineIteratorTest, MalformedOrMisplacedSequenceNumberIsInvalid) {
  const StreamKey s = key("args");
  create_active(s);
  const std::string seq = put(s, "k", "x").sequence_number;
  const std::string sid = shard_id_of(0);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::at_sequence_number).code, errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::after_sequence_number).code,
            errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::at_sequence_number, "garbage").code,
            errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::at_sequence_number, "12345").code,
            errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::trim_horizon, seq).code, errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::latest, seq).code, errc::invalid_argument);
  EXPECT_EQ(iterator_error(s, sid, IteratorType::at_timestamp).code, errc::invalid_argument);
}

TEST_F(EngineIteratorTest, UnknownShardOrStreamIsResourceNotFound) {
  const StreamKey s = key("shards");
  create_active(s, 2);
  EXPECT_EQ(iterator_error(s, shard_id_of(2), IteratorType::trim_horizon).code,
            errc::resource_not_found);
  EXPECT_EQ(iterator_error(s, "shardId-000000000099", IteratorType::latest).code,
            errc::resource_not_found);
  EXPECT_EQ(iterator_error(s, "not-a-shard", IteratorType::trim_horizon).code,
            errc::resource_not_found);
  EXPECT_EQ(iterator_error(key("missing"), shard_id_of(0), IteratorType::trim_horizon).code,
            errc::resource_not_found);
  // A bare index is accepted, as AWS does.
  auto bare = engine_->get_shard_iterator(s, "1", IteratorType::trim_horizon, {}, std::nullopt);
  EXPECT_TRUE(bare.ok());
}

TEST_F(EngineIteratorTest, ParseShardId) {
  EXPECT_EQ(Engine::parse_shard_id("shardId-000000000000"), 0u);
  EXPECT_EQ(Engine::parse_shard_id("shardId-000000000017"), 17u);
  EXPECT_EQ(Engine::parse_shard_id("5"), 5u);
  EXPECT_EQ(Engine::parse_shard_id("4294967295"), UINT32_MAX);
  EXPECT_FALSE(Engine::parse_shard_id("4294967296").has_value());
  EXPECT_FALSE(Engine::parse_shard_id("").has_value());
  EXPECT_FALSE(Engine::parse_shard_id("shardId-").has_value());
  EXPECT_FALSE(Engine::parse_shard_id("shardId-00000000000x").has_value());
  EXPECT_FALSE(Engine::parse_shard_id("-1").has_value());
  EXPECT_FALSE(Engine::parse_shard_id("shardid-000000000001").has_value());
  EXPECT_EQ(shard_id_of(7), "shardId-000000000007");
}

}  // namespace
}  // namespace kinesis_emulator::engine
