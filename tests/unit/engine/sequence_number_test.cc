#include "engine/sequence_number.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/uint128.h"

namespace kinesis_emulator::engine {
namespace {

TEST(EngineSequenceNumberTest, RoundTrips) {
  struct Case {
    uint64_t stream_id;
    uint32_t shard;
    uint64_t position;
  };
  const Case cases[] = {
      {1, 0, 0},
      {1, 0, 1},
      {2, 3, position_at_time(1'700'000'000'000) + 17},
      {0x0fffffff, UINT32_MAX, UINT64_MAX},
      {12345, 499, 0x8000000000000000ULL},
  };
  for (const Case& c : cases) {
    const std::string text = encode_sequence_number(c.stream_id, c.shard, c.position);
    auto parts = decode_sequence_number(text);
    ASSERT_TRUE(parts.has_value()) << text;
    EXPECT_EQ(parts->stream_tag, stream_tag_of(c.stream_id)) << text;
    EXPECT_EQ(parts->shard_index, c.shard) << text;
    EXPECT_EQ(parts->position, c.position) << text;
  }
}

TEST(EngineSequenceNumberTest, StreamTagKeepsLow28Bits) {
  EXPECT_EQ(stream_tag_of(0x1234'5678'9abc'def0ULL), 0x0abc'def0u);
  auto parts = decode_sequence_number(encode_sequence_number(0x1'0000'0005ULL, 2, 9));
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->stream_tag, 5u);
}

TEST(EngineSequenceNumberTest, EveryEncodingHas56Digits) {
  const uint64_t positions[] = {0, 1, 1u << 22, position_at_time(1'700'000'000'000), UINT64_MAX};
  for (uint64_t stream : {uint64_t{0}, uint64_t{1}, uint64_t{0x0fffffff}}) {
    for (uint32_t shard : {0u, 1u, UINT32_MAX}) {
      for (uint64_t position : positions) {
        const std::string text = encode_sequence_number(stream, shard, position);
        EXPECT_EQ(text.size(), 56u) << text;
        EXPECT_TRUE(text.starts_with("49")) << text;
        EXPECT_TRUE(std::all_of(text.begin(), text.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) << text;
      }
    }
  }
}

TEST(EngineSequenceNumberTest, StringOrderMatchesPositionOrder) {
  std::vector<uint64_t> positions = {0,
                                     1,
                                     2,
                                     9,
                                     10,
                                     99,
                                     100,
                                     1u << 22,
                                     (1u << 22) + 1,
                                     position_at_time(1'700'000'000'000),
                                     position_at_time(1'700'000'000'001) - 1,
                                     UINT64_MAX - 1,
                                     UINT64_MAX};
  std::sort(positions.begin(), positions.end());
  for (std::size_t i = 1; i < positions.size(); ++i) {
    const std::string a = encode_sequence_number(7, 1, positions[i - 1]);
    const std::string b = encode_sequence_number(7, 1, positions[i]);
    EXPECT_LT(a, b) << positions[i - 1] << " vs " << positions[i];
  }
}

TEST(EngineSequenceNumberTest, PositionTimeConversions) {
  const int64_t ms = 1'700'000'000'123;
  EXPECT_EQ(time_of_position(position_at_time(ms)), ms);
  EXPECT_EQ(time_of_position(position_at_time(ms) + kPositionCounterMask), ms);
  EXPECT_EQ(time_of_position(position_at_time(ms) + kPositionCounterMask + 1), ms + 1);
  EXPECT_EQ(position_at_time(0), 0u);
  EXPECT_EQ(position_at_time(-5), 0u);
  EXPECT_LT(position_at_time(ms), position_at_time(ms + 1));
}

// Numbers issued before the 56-digit form: the 128-bit part alone.
TEST(EngineSequenceNumberTest, LegacyThirtyNineDigitNumbersStillDecode) {
  const std::string text =
      encode_sequence_number(12345, 7, position_at_time(1'700'000'000'000) + 3);
  const std::string legacy = text.substr(kSequenceNumberDigits - kLegacySequenceNumberDigits);
  ASSERT_EQ(legacy.size(), 39u);
  auto parts = decode_sequence_number(legacy);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->stream_tag, 12345u);
  EXPECT_EQ(parts->shard_index, 7u);
  EXPECT_EQ(parts->position, position_at_time(1'700'000'000'000) + 3);
}

TEST(EngineSequenceNumberTest, DecodeChecksThePrefixAgainstTheValue) {
  const std::string text = encode_sequence_number(5, 2, 99);
  ASSERT_TRUE(decode_sequence_number(text).has_value());
  // Another shard's prefix in front of this shard's value.
  const std::string other = encode_sequence_number(5, 3, 99);
  EXPECT_FALSE(decode_sequence_number(other.substr(0, 17) + text.substr(17)).has_value());
  std::string changed = text;
  changed[1] = '8';  // "48..."
  EXPECT_FALSE(decode_sequence_number(changed).has_value());
  changed = text;
  changed[5] = 'x';
  EXPECT_FALSE(decode_sequence_number(changed).has_value());
}

TEST(EngineSequenceNumberTest, DecodeRejectsGarbage) {
  for (const char* text :
       {"", "abc", "-1", "1.5", " 49590338271490256608559692538361571095921575989136588898",
        "4959033827149025660855969253836157109x"}) {
    EXPECT_FALSE(decode_sequence_number(text).has_value()) << '"' << text << '"';
  }
}

TEST(EngineSequenceNumberTest, DecodeRejectsTooShortAndTooLong) {
  EXPECT_FALSE(decode_sequence_number("0").has_value());
  EXPECT_FALSE(decode_sequence_number("12345").has_value());
  const std::string valid = encode_sequence_number(1, 0, 42);
  ASSERT_TRUE(decode_sequence_number(valid).has_value());
  EXPECT_FALSE(decode_sequence_number(valid.substr(1)).has_value());
  EXPECT_FALSE(decode_sequence_number(valid.substr(0, 55)).has_value());
  EXPECT_FALSE(decode_sequence_number(valid.substr(0, 38)).has_value());
  EXPECT_FALSE(decode_sequence_number(valid + "0").has_value());
  EXPECT_FALSE(decode_sequence_number("0" + valid).has_value());
}

TEST(EngineSequenceNumberTest, DecodeRejectsMissingMarkerBits) {
  const uint128 top = uint128{1} << 127;
  // Top bit set, version 0.
  EXPECT_FALSE(decode_sequence_number(to_decimal(top | 42)).has_value());
  // Top bit set, version 2 and 7.
  EXPECT_FALSE(decode_sequence_number(to_decimal(top | (uint128{2} << 124) | 42)).has_value());
  EXPECT_FALSE(decode_sequence_number(to_decimal(uint128_max)).has_value());
  // Version 1 but top bit clear.
  EXPECT_FALSE(decode_sequence_number(to_decimal((uint128{1} << 124) | 42)).has_value());
  // Overflowing 2^128.
  EXPECT_FALSE(decode_sequence_number("340282366920938463463374607431768211456").has_value());
  // And the well-formed value for contrast.
  EXPECT_TRUE(decode_sequence_number(to_decimal(top | (uint128{1} << 124) | 42)).has_value());
}

}  // namespace
}  // namespace kinesis_emulator::engine
