#include "common/uint128.h"

#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace kinesis_emulator {
namespace {

constexpr uint128 kTwo64 = uint128{1} << 64;
constexpr uint128 kTen19 = uint128{10'000'000'000'000'000'000ULL};

// Digit-by-digit reference, deliberately naive.
std::string reference_decimal(uint128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

uint128 pow10(int n) {
  uint128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

TEST(CommonUint128Test, ToDecimalKnownValues) {
  EXPECT_EQ(to_decimal(0), "0");
  EXPECT_EQ(to_decimal(1), "1");
  EXPECT_EQ(to_decimal(uint128{UINT64_MAX}), "18446744073709551615");
  EXPECT_EQ(to_decimal(kTwo64), "18446744073709551616");
  EXPECT_EQ(to_decimal(kTen19), "10000000000000000000");
  EXPECT_EQ(to_decimal(kTen19 - 1), "9999999999999999999");
  EXPECT_EQ(to_decimal(uint128_max), "340282366920938463463374607431768211455");
  // Inner 19-digit chunks that are all zeros must be padded, not dropped.
  EXPECT_EQ(to_decimal(pow10(38)), "1" + std::string(38, '0'));
  EXPECT_EQ(to_decimal(pow10(38) + 7), "1" + std::string(37, '0') + "7");
  EXPECT_EQ(to_decimal(kTen19 * kTen19), "1" + std::string(38, '0'));
  EXPECT_EQ(to_decimal(kTwo64 * kTen19), "184467440737095516160000000000000000000");
}

TEST(CommonUint128Test, RoundTripsBoundaryValues) {
  const uint128 values[] = {0,         1,           uint128{UINT64_MAX}, kTwo64,
                            kTen19,    kTen19 - 1,  kTen19 + 1,          pow10(38) - 1,
                            pow10(38), uint128_max, uint128_max - 1};
  for (uint128 v : values) {
    const std::string text = to_decimal(v);
    EXPECT_EQ(text, reference_decimal(v));
    auto parsed = parse_decimal_u128(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_TRUE(*parsed == v) << text;
  }
}

TEST(CommonUint128Test, RoundTripsRandomValuesAgainstReference) {
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 2000; ++i) {
    uint128 v = (uint128{rng()} << 64) | rng();
    v >>= (i % 128);  // every magnitude
    const std::string text = to_decimal(v);
    ASSERT_EQ(text, reference_decimal(v));
    auto parsed = parse_decimal_u128(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    ASSERT_TRUE(*parsed == v) << text;
  }
}

TEST(CommonUint128Test, ParseAcceptsMaxAndLeadingZeros) {
  auto max = parse_decimal_u128("340282366920938463463374607431768211455");
  ASSERT_TRUE(max.has_value());
  EXPECT_TRUE(*max == uint128_max);
  auto seven = parse_decimal_u128("007");
  ASSERT_TRUE(seven.has_value());
  EXPECT_TRUE(*seven == 7);
}

TEST(CommonUint128Test, ParseRejectsOverflow) {
  EXPECT_FALSE(parse_decimal_u128("340282366920938463463374607431768211456").has_value());  // 2^128
  EXPECT_FALSE(parse_decimal_u128("340282366920938463463374607431768211460").has_value());
  EXPECT_FALSE(parse_decimal_u128("999999999999999999999999999999999999999").has_value());
  EXPECT_FALSE(parse_decimal_u128("1" + std::string(39, '0')).has_value());  // 10^39
  EXPECT_FALSE(parse_decimal_u128(std::string(60, '9')).has_value());
}

TEST(CommonUint128Test, ParseRejectsNonDigits) {
  for (const char* text :
       {"", "-1", "+1", "12a", "a12", " 1", "1 ", "1.0", "1e5", "0x10", "\xd9\xa1"}) {
    EXPECT_FALSE(parse_decimal_u128(text).has_value()) << '"' << text << '"';
  }
  EXPECT_FALSE(parse_decimal_u128(std::string_view("1\0"
                                                   "2",
                                                   3))
                   .has_value());
}

}  // namespace
}  // namespace kinesis_emulator
