// PutRecord / PutRecords: routing, sequence numbers, size limits, atomicity.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EnginePutTest : public EngineTest {};

uint32_t owning_shard(const std::vector<HashRange>& ranges, uint128 hash) {
  for (uint32_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].contains(hash)) return i;
  }
  ADD_FAILURE() << "no range holds the hash";
  return UINT32_MAX;
}

TEST_F(EnginePutTest, PartitionKeyRoutesToTheShardWhoseRangeHoldsItsMd5) {
  const StreamKey s = key("routing");
  create_active(s, 4);
  const auto ranges = split_hash_space(4);
  std::set<uint32_t> used;
  std::vector<std::vector<std::string>> expected(4);
  for (int i = 0; i < 64; ++i) {
    const std::string pk = numbered("key-", i);
    const PutResult r = put(s, pk, numbered("data-", i));
    const uint32_t want = owning_shard(ranges, partition_key_hash(pk));
    EXPECT_EQ(r.shard_index, want) << pk;
    auto parts = decode_sequence_number(r.sequence_number);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->shard_index, want) << pk;
    used.insert(want);
    expected[want].push_back(pk);
  }
  EXPECT_EQ(used.size(), 4u) << "64 keys should reach all 4 shards";
  for (uint32_t shard = 0; shard < 4; ++shard) {
    std::vector<std::string> got;
    for (const Rec& r : read_shard(s, shard)) got.push_back(r.partition_key);
    EXPECT_EQ(got, expected[shard]) << "shard " << shard;
  }
}

TEST_F(EnginePutTest, ExplicitHashKeyOverridesThePartitionKey) {
  const StreamKey s = key("explicit");
  create_active(s, 4);
  const auto ranges = split_hash_space(4);
  // "a" hashes into shard 0 (16955... < 2^126); force it elsewhere and vice versa.
  ASSERT_EQ(owning_shard(ranges, partition_key_hash("a")), 0u);
  EXPECT_EQ(put(s, "a", "x", uint128_max).shard_index, 3u);
  EXPECT_EQ(put(s, "a", "x", uint128{0}).shard_index, 0u);
  EXPECT_EQ(put(s, "a", "x", ranges[0].end).shard_index, 0u);
  EXPECT_EQ(put(s, "a", "x", ranges[1].start).shard_index, 1u);
  EXPECT_EQ(put(s, "a", "x", ranges[2].end).shard_index, 2u);
  EXPECT_EQ(put(s, "a", "x", ranges[3].start).shard_index, 3u);
  EXPECT_EQ(read_shard(s, 3).size(), 2u);
  EXPECT_EQ(read_shard(s, 1).size(), 1u);

  // PutRecords honours it per entry too.
  const PutEntry entries[] = {{"a", "1", uint128_max, {}}, {"a", "2", std::nullopt, {}}};
  auto r = engine_->put_records(s, entries);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].shard_index, 3u);
  EXPECT_EQ((*r)[1].shard_index, 0u);
}

TEST_F(EnginePutTest, SequenceNumbersStrictlyIncreaseWithinOneMillisecond) {
  const StreamKey s = key("same-ms");
  create_active(s, 1);
  std::vector<std::string> seqs;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 50; ++i) seqs.push_back(put(s, numbered("pk", i), "d").sequence_number);
    std::vector<std::string> keys;
    for (int i = 0; i < 100; ++i) keys.push_back(numbered("batch", i));
    std::vector<PutEntry> entries;
    for (const auto& k : keys) entries.push_back({k, "d", std::nullopt, {}});
    auto r = engine_->put_records(s, entries);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->size(), entries.size());
    for (const PutResult& p : *r) seqs.push_back(p.sequence_number);
  }
  ASSERT_EQ(seqs.size(), 750u);
  expect_strictly_increasing(seqs);
  // All of them in the same millisecond: positions differ only in the counter.
  for (const std::string& seq : seqs) {
    auto parts = decode_sequence_number(seq);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(time_of_position(parts->position), clock_.now_ms());
  }
  // And reading returns them in exactly that order.
  std::vector<std::string> read;
  for (const Rec& r : read_shard(s, 0)) read.push_back(r.sequence_number);
  EXPECT_EQ(read, seqs);
}

TEST_F(EnginePutTest, SequenceNumbersIncreasePerShardAcrossShards) {
  const StreamKey s = key("per-shard");
  create_active(s, 3);
  std::vector<std::vector<std::string>> per_shard(3);
  for (int i = 0; i < 90; ++i) {
    const PutResult r = put(s, numbered("k", i), "d");
    per_shard[r.shard_index].push_back(r.sequence_number);
    if (i % 10 == 0) clock_.advance_ms(1);
  }
  for (const auto& seqs : per_shard) {
    EXPECT_FALSE(seqs.empty());
    expect_strictly_increasing(seqs);
  }
}

TEST_F(EnginePutTest, SequenceNumberForOrderingFromTheFutureForcesALargerPosition) {
  const StreamKey s = key("ordering");
  create_active(s, 1);
  const PutResult first = put(s, "pk", "1");
  auto parts = decode_sequence_number(first.sequence_number);
  ASSERT_TRUE(parts.has_value());
  // A sequence number of this stream and shard, one minute ahead.
  const uint64_t future_position = parts->position + position_at_time(60'000);
  const std::string future = encode_sequence_number(parts->stream_tag, 0, future_position);

  const PutResult forced = put(s, "pk", "2", std::nullopt, future);
  auto forced_parts = decode_sequence_number(forced.sequence_number);
  ASSERT_TRUE(forced_parts.has_value());
  EXPECT_GT(forced_parts->position, future_position);
  EXPECT_GT(forced.sequence_number, future);

  // Later records keep increasing from there.
  const PutResult after = put(s, "pk", "3");
  EXPECT_GT(after.sequence_number, forced.sequence_number);

  // A past SequenceNumberForOrdering changes nothing but still yields a larger number.
  const PutResult past = put(s, "pk", "4", std::nullopt, first.sequence_number);
  EXPECT_GT(past.sequence_number, after.sequence_number);

  // PutRecords honours it too.
  const std::string future2 =
      encode_sequence_number(parts->stream_tag, 0, future_position + position_at_time(60'000));
  const PutEntry entries[] = {{"pk", "5", std::nullopt, future2}, {"pk", "6", std::nullopt, {}}};
  auto r = engine_->put_records(s, entries);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT((*r)[0].sequence_number, future2);
  EXPECT_GT((*r)[1].sequence_number, (*r)[0].sequence_number);

  std::vector<std::string> data;
  for (const Rec& rec : read_shard(s, 0)) data.push_back(rec.data);
  EXPECT_EQ(data, (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
}

TEST_F(EnginePutTest, PutRecordsLandsEveryRecordAndAnswersInRequestOrder) {
  const StreamKey s = key("batch");
  create_active(s, 3);
  const auto ranges = split_hash_space(3);
  // Shards 2, 0, 1, 0, 2, 1, 1 by explicit hash key, so request order differs from shard order.
  const uint32_t targets[] = {2, 0, 1, 0, 2, 1, 1};
  std::vector<std::string> data;
  for (int i = 0; i < 7; ++i) data.push_back(numbered("record-", i));
  std::vector<PutEntry> entries;
  for (std::size_t i = 0; i < 7; ++i) {
    entries.push_back({"pk", data[i], ranges[targets[i]].start + static_cast<uint128>(i), {}});
  }
  auto r = engine_->put_records(s, entries);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 7u);
  std::vector<std::vector<std::string>> expected(3);
  std::vector<std::vector<std::string>> expected_seq(3);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ((*r)[i].shard_index, targets[i]) << i;
    auto parts = decode_sequence_number((*r)[i].sequence_number);
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->shard_index, targets[i]);
    expected[targets[i]].push_back(data[i]);
    expected_seq[targets[i]].push_back((*r)[i].sequence_number);
  }
  for (uint32_t shard = 0; shard < 3; ++shard) {
    std::vector<std::string> got, got_seq;
    for (const Rec& rec : read_shard(s, shard)) {
      got.push_back(rec.data);
      got_seq.push_back(rec.sequence_number);
    }
    EXPECT_EQ(got, expected[shard]) << "shard " << shard;
    EXPECT_EQ(got_seq, expected_seq[shard]) << "shard " << shard;
  }
}

TEST_F(EnginePutTest, OversizedRecordIsRejected) {
  const StreamKey s = key("oversized");
  create_active(s, 1);
  const std::string too_big(static_cast<std::size_t>(kMaxRecordBytes), 'x');  // + key "k"
  auto r = engine_->put_record(s, PutEntry{"k", too_big, std::nullopt, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_TRUE(read_shard(s, 0).empty());
}

TEST_F(EnginePutTest, PutRecordsWithOneOversizedRecordWritesNothing) {
  const StreamKey s = key("oversized-batch");
  create_active(s, 2);
  const std::string too_big(static_cast<std::size_t>(kMaxRecordBytes) - 1, 'x');  // + "pk" = +1
  const PutEntry entries[] = {{"a", "small", std::nullopt, {}},
                              {"b", "small", uint128_max, {}},
                              {"pk", too_big, std::nullopt, {}},
                              {"c", "small", std::nullopt, {}}};
  auto r = engine_->put_records(s, entries);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_TRUE(read_shard(s, 0).empty());
  EXPECT_TRUE(read_shard(s, 1).empty());
}

TEST_F(EnginePutTest, PutRecordsOverFiveMebibytesIsRejectedAndWritesNothing) {
  const StreamKey s = key("too-much");
  create_active(s, 1);
  const std::string mib(static_cast<std::size_t>(kMaxRecordBytes) - 1, 'y');  // + 1-byte key
  std::vector<PutEntry> entries(6, PutEntry{"k", mib, std::nullopt, {}});
  auto r = engine_->put_records(s, entries);  // 6 MiB in total
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_TRUE(read_shard(s, 0).empty());

  // Exactly 5 MiB is allowed.
  entries.resize(5);
  auto ok = engine_->put_records(s, entries);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(read_shard(s, 0).size(), 5u);
}

TEST_F(EnginePutTest, RecordOfExactlyOneMebibyteIsAcceptedAndReadable) {
  const StreamKey s = key("one-mib");
  create_active(s, 1);
  std::string data(static_cast<std::size_t>(kMaxRecordBytes) - 3, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 % 251);
  put(s, "key", data);
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].partition_key, "key");
  EXPECT_TRUE(records[0].data == data);
}

TEST_F(EnginePutTest, EmptyDataAndBinaryBytesRoundTrip) {
  const StreamKey s = key("binary");
  create_active(s, 1);
  const std::string binary("\0\x01\xff\x80zero\0", 9);
  put(s, "k1", "");
  put(s, "k2", binary);
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].data, "");
  EXPECT_EQ(records[1].data, binary);
  EXPECT_EQ(records[1].partition_key, "k2");
}

TEST_F(EnginePutTest, PutToAMissingStreamIsResourceNotFound) {
  auto r = engine_->put_record(key("nope"), PutEntry{"k", "d", std::nullopt, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::resource_not_found);
  const PutEntry entries[] = {{"k", "d", std::nullopt, {}}};
  auto rs = engine_->put_records(key("nope"), entries);
  ASSERT_FALSE(rs.ok());
  EXPECT_EQ(rs.error().code, errc::resource_not_found);
}

TEST_F(EnginePutTest, ArrivalTimeIsTheClockAtPut) {
  const StreamKey s = key("arrival");
  create_active(s, 1);
  const int64_t t1 = clock_.now_ms();
  put(s, "k", "1");
  clock_.advance_ms(1234);
  put(s, "k", "2");
  auto records = read_shard(s, 0);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].arrival_ms, t1);
  EXPECT_EQ(records[1].arrival_ms, t1 + 1234);
}

}  // namespace
}  // namespace kinesis_emulator::engine
