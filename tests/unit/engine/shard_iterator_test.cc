#include "engine/shard_iterator.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace kinesis_emulator::engine {
namespace {

const std::string kKey(32, '\x5a');

bool same(const ShardIteratorParts& a, const ShardIteratorParts& b) {
  return a.stream_id == b.stream_id && a.shard_index == b.shard_index && a.position == b.position &&
         a.created_ms == b.created_ms;
}

TEST(EngineShardIteratorTest, RoundTrips) {
  const ShardIteratorParts cases[] = {
      {1, 0, 0, 1'700'000'000'000},
      {7, 3, 123456789, 1'700'000'123'456},
      {UINT64_MAX, UINT32_MAX, UINT64_MAX, INT64_MAX},
      {0, 0, 0, 0},
  };
  for (const ShardIteratorParts& p : cases) {
    const std::string text = encode_shard_iterator(p, kKey);
    auto decoded = decode_shard_iterator(text, kKey);
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_TRUE(same(*decoded, p)) << text;
  }
}

TEST(EngineShardIteratorTest, DifferentPartsGiveDifferentText) {
  const ShardIteratorParts base{5, 1, 1000, 1'700'000'000'000};
  const std::string text = encode_shard_iterator(base, kKey);
  ShardIteratorParts p = base;
  p.position += 1;
  EXPECT_NE(encode_shard_iterator(p, kKey), text);
  p = base;
  p.shard_index += 1;
  EXPECT_NE(encode_shard_iterator(p, kKey), text);
  p = base;
  p.created_ms += 1;
  EXPECT_NE(encode_shard_iterator(p, kKey), text);
  EXPECT_EQ(encode_shard_iterator(base, kKey), text);  // deterministic
}

TEST(EngineShardIteratorTest, EveryFlippedDigitIsRejected) {
  const std::string text = encode_shard_iterator({3, 2, 987654321, 1'700'000'000'000}, kKey);
  ASSERT_TRUE(decode_shard_iterator(text, kKey).has_value());
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string mangled = text;
    mangled[i] = mangled[i] == '0' ? '1' : '0';
    EXPECT_FALSE(decode_shard_iterator(mangled, kKey).has_value()) << "digit " << i;
  }
}

TEST(EngineShardIteratorTest, WrongLengthIsRejected) {
  const std::string text = encode_shard_iterator({3, 2, 1, 1'700'000'000'000}, kKey);
  EXPECT_FALSE(decode_shard_iterator("", kKey).has_value());
  EXPECT_FALSE(decode_shard_iterator(text.substr(0, text.size() - 1), kKey).has_value());
  EXPECT_FALSE(decode_shard_iterator(text.substr(0, text.size() - 2), kKey).has_value());
  EXPECT_FALSE(decode_shard_iterator(text + "0", kKey).has_value());
  EXPECT_FALSE(decode_shard_iterator(text + "00", kKey).has_value());
  EXPECT_FALSE(decode_shard_iterator(text + text, kKey).has_value());
}

TEST(EngineShardIteratorTest, NonHexIsRejected) {
  const std::string text = encode_shard_iterator({3, 2, 1, 1'700'000'000'000}, kKey);
  for (char bad : {'g', 'z', ' ', '-', '\0'}) {
    std::string mangled = text;
    mangled[5] = bad;
    EXPECT_FALSE(decode_shard_iterator(mangled, kKey).has_value()) << int(bad);
  }
}

TEST(EngineShardIteratorTest, WrongKeyIsRejected) {
  const std::string text = encode_shard_iterator({3, 2, 1, 1'700'000'000'000}, kKey);
  std::string other = kKey;
  other.back() = '\x5b';
  EXPECT_FALSE(decode_shard_iterator(text, other).has_value());
  EXPECT_FALSE(decode_shard_iterator(text, "").has_value());
  EXPECT_TRUE(decode_shard_iterator(text, kKey).has_value());
}

}  // namespace
}  // namespace kinesis_emulator::engine
