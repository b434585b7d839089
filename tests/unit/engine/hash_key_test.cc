#include "engine/hash_key.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/uint128.h"

namespace kinesis_emulator::engine {
namespace {

// Expected values: int.from_bytes(hashlib.md5(key.encode()).digest(), "big") in python3.
TEST(EngineHashKeyTest, PartitionKeyHashIsMd5ReadBigEndian) {
  struct Case {
    std::string key;
    const char* expected;
  };
  const Case cases[] = {
      {"", "281949768489412648962353822266799178366"},
      {"a", "16955237001963240173058271559858726497"},
      {"hello", "123957004363873451094272536567338222994"},
      {"partition-key", "171922231538597478840392253176536055210"},
      {"shard-routing-0", "155817947225761956663648295667514826979"},
      {"\xc3\xa9t\xc3\xa9", "295999419373203071729176520050689792210"},  // "été" in UTF-8
  };
  for (const Case& c : cases) {
    EXPECT_EQ(to_decimal(partition_key_hash(c.key)), c.expected) << "key '" << c.key << "'";
  }
}

TEST(EngineHashKeyTest, HashDependsOnEveryByte) {
  EXPECT_FALSE(partition_key_hash("key") == partition_key_hash("key "));
  EXPECT_FALSE(partition_key_hash(std::string_view("a\0b", 3)) ==
               partition_key_hash(std::string_view("a\0c", 3)));
}

void check_split(uint32_t count) {
  SCOPED_TRACE(::testing::Message() << "count " << count);
  const std::vector<HashRange> ranges = split_hash_space(count);
  ASSERT_EQ(ranges.size(), count);
  EXPECT_TRUE(ranges.front().start == 0);
  EXPECT_TRUE(ranges.back().end == uint128_max);
  for (uint32_t i = 0; i < count; ++i) {
    EXPECT_TRUE(ranges[i].start <= ranges[i].end) << i;
    if (i > 0) {
      EXPECT_TRUE(ranges[i].start == ranges[i - 1].end + 1) << "gap or overlap at " << i;
    }
  }
  if (count == 1) return;
  // Every range but the last is floor(2^128 / count) wide; the last absorbs the remainder.
  const uint128 width = ranges[0].end - ranges[0].start + 1;
  for (uint32_t i = 0; i + 1 < count; ++i) {
    EXPECT_TRUE(ranges[i].end - ranges[i].start + 1 == width) << "width of range " << i;
  }
  const uint128 last = ranges.back().end - ranges.back().start + 1;
  EXPECT_TRUE(last >= width);
  EXPECT_TRUE(last - width < count) << "remainder must be less than count";
}

TEST(EngineHashKeyTest, SplitHashSpaceIsContiguousAndEven) {
  for (uint32_t count : {1u, 2u, 3u, 4u, 7u, 10u, 500u}) check_split(count);
}

TEST(EngineHashKeyTest, SplitHashSpaceKnownBoundaries) {
  // Second range starts at floor(2^128 / count) (python3: 2**128 // count).
  EXPECT_EQ(to_decimal(split_hash_space(2)[1].start), "170141183460469231731687303715884105728");
  EXPECT_EQ(to_decimal(split_hash_space(3)[1].start), "113427455640312821154458202477256070485");
  EXPECT_EQ(to_decimal(split_hash_space(4)[1].start), "85070591730234615865843651857942052864");
  EXPECT_EQ(to_decimal(split_hash_space(7)[1].start), "48611766702991209066196372490252601636");

  const auto four = split_hash_space(4);
  EXPECT_EQ(to_decimal(four[0].end), "85070591730234615865843651857942052863");
  EXPECT_EQ(to_decimal(four[2].start), "170141183460469231731687303715884105728");
  EXPECT_EQ(to_decimal(four[3].start), "255211775190703847597530955573826158592");
  EXPECT_EQ(to_decimal(four[3].end), "340282366920938463463374607431768211455");

  const auto one = split_hash_space(1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0].start == 0 && one[0].end == uint128_max);
}

TEST(EngineHashKeyTest, SplitHashSpaceOfZeroIsEmpty) {
  EXPECT_TRUE(split_hash_space(0).empty());
}

TEST(EngineHashKeyTest, RangeContainsIsInclusive) {
  const HashRange r{10, 20};
  EXPECT_FALSE(r.contains(9));
  EXPECT_TRUE(r.contains(10));
  EXPECT_TRUE(r.contains(20));
  EXPECT_FALSE(r.contains(21));
  const HashRange all{0, uint128_max};
  EXPECT_TRUE(all.contains(0));
  EXPECT_TRUE(all.contains(uint128_max));
}

}  // namespace
}  // namespace kinesis_emulator::engine
