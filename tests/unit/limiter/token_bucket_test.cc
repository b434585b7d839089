// TokenBucket: exact refill arithmetic, burst, debt and its repayment, time to availability.
#include <cstdint>

#include <gtest/gtest.h>

#include "limiter/token_bucket.h"

namespace kinesis_emulator::limiter {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

TEST(LimiterTokenBucketTest, StartsFullAndRefusesBeyondTheBurst) {
  TokenBucket b(5, 5, kT0);
  EXPECT_EQ(b.rate_per_s(), 5u);
  EXPECT_EQ(b.burst(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.try_take(1, kT0)) << i;
  EXPECT_FALSE(b.try_take(1, kT0));
  EXPECT_DOUBLE_EQ(b.tokens(kT0), 0.0);
}

TEST(LimiterTokenBucketTest, RefillsContinuouslyAndExactly) {
  TokenBucket b(1000, 1000, kT0);  // one token per millisecond
  ASSERT_TRUE(b.try_take(1000, kT0));
  EXPECT_FALSE(b.try_take(1, kT0));
  EXPECT_TRUE(b.try_take(1, kT0 + 1));
  EXPECT_FALSE(b.try_take(1, kT0 + 1));
  EXPECT_TRUE(b.try_take(7, kT0 + 8));

  // 5 tokens/s is one token per 200 ms; fractions accumulate without rounding loss.
  TokenBucket slow(5, 5, kT0);
  ASSERT_TRUE(slow.try_take(5, kT0));
  EXPECT_FALSE(slow.try_take(1, kT0 + 199));
  EXPECT_TRUE(slow.try_take(1, kT0 + 200));
  for (int64_t t = kT0 + 201; t < kT0 + 400; t += 3) EXPECT_FALSE(slow.try_take(1, t));
  EXPECT_TRUE(slow.try_take(1, kT0 + 400));
}

TEST(LimiterTokenBucketTest, NeverHoldsMoreThanTheBurst) {
  TokenBucket b(1000, 10, kT0);
  ASSERT_TRUE(b.try_take(10, kT0));
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 1'000'000), 10.0);
  EXPECT_TRUE(b.try_take(10, kT0 + 1'000'000));
  EXPECT_FALSE(b.try_take(1, kT0 + 1'000'000));
}

TEST(LimiterTokenBucketTest, AFailedTakeTakesNothing) {
  TokenBucket b(10, 10, kT0);
  ASSERT_TRUE(b.try_take(6, kT0));
  EXPECT_FALSE(b.try_take(5, kT0));
  EXPECT_TRUE(b.try_take(4, kT0));
}

TEST(LimiterTokenBucketTest, OversizedRequestIsAdmittedOnlyWhenFullAndLeavesADebt) {
  TokenBucket b(100, 100, kT0);
  ASSERT_TRUE(b.try_take(1, kT0));
  EXPECT_FALSE(b.can_take(250, kT0));
  EXPECT_FALSE(b.try_take(250, kT0)) << "not full";
  EXPECT_TRUE(b.can_take(250, kT0 + 10));
  EXPECT_TRUE(b.try_take(250, kT0 + 10));
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 10), -150.0);
  EXPECT_TRUE(b.in_debt(kT0 + 10));
  // The debt (150) plus one token takes 1.51 s at 100/s.
  EXPECT_EQ(b.ms_until_available(1, kT0 + 10), 1510);
  EXPECT_FALSE(b.try_take(1, kT0 + 1519));
  EXPECT_TRUE(b.try_take(1, kT0 + 1520));
}

TEST(LimiterTokenBucketTest, ChargeGoesNegativeAndIsRepaidByRefill) {
  // The GetRecords case: 2 MiB/s, a 10 MiB read on a full bucket leaves 8 MiB of debt: 4 s.
  constexpr uint64_t kMiB = 1 << 20;
  TokenBucket b(2 * kMiB, 2 * kMiB, kT0);
  b.charge(10 * kMiB, kT0);
  EXPECT_DOUBLE_EQ(b.tokens(kT0), -8.0 * kMiB);
  EXPECT_TRUE(b.in_debt(kT0));
  EXPECT_EQ(b.ms_until_available(0, kT0), 4000);
  EXPECT_TRUE(b.in_debt(kT0 + 3999));
  EXPECT_FALSE(b.in_debt(kT0 + 4000));
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 4000), 0.0);
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 5000), 2.0 * kMiB);
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 60'000), 2.0 * kMiB);
}

TEST(LimiterTokenBucketTest, ChargesAccumulate) {
  TokenBucket b(10, 10, kT0);
  b.charge(15, kT0);
  b.charge(15, kT0);
  EXPECT_DOUBLE_EQ(b.tokens(kT0), -20.0);
  EXPECT_EQ(b.ms_until_available(0, kT0), 2000);
  EXPECT_EQ(b.ms_until_available(10, kT0), 3000);
}

TEST(LimiterTokenBucketTest, TimeUntilAvailable) {
  TokenBucket b(4, 4, kT0);
  EXPECT_EQ(b.ms_until_available(4, kT0), 0);
  ASSERT_TRUE(b.try_take(4, kT0));
  EXPECT_EQ(b.ms_until_available(1, kT0), 250);
  EXPECT_EQ(b.ms_until_available(1, kT0 + 100), 150);
  EXPECT_EQ(b.ms_until_available(2, kT0), 500);
  EXPECT_EQ(b.ms_until_available(100, kT0), 1000) << "oversized: until full";
  // 3 tokens/s: one token takes 333.33 ms, so the answer rounds up.
  TokenBucket c(3, 3, kT0);
  ASSERT_TRUE(c.try_take(3, kT0));
  EXPECT_EQ(c.ms_until_available(1, kT0), 334);
  EXPECT_FALSE(c.try_take(1, kT0 + 333));
  EXPECT_TRUE(c.try_take(1, kT0 + 334));
}

TEST(LimiterTokenBucketTest, ZeroRateIsUnlimited) {
  TokenBucket b(0, 0, kT0);
  EXPECT_TRUE(b.unlimited());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(b.try_take(1'000'000, kT0));
  b.charge(UINT64_MAX, kT0);
  EXPECT_FALSE(b.in_debt(kT0));
  EXPECT_EQ(b.ms_until_available(UINT64_MAX, kT0), 0);
  EXPECT_TRUE(TokenBucket().unlimited());
}

TEST(LimiterTokenBucketTest, BurstIsAtLeastOneToken) {
  TokenBucket b(5, 0, kT0);
  EXPECT_EQ(b.burst(), 1u);
  EXPECT_TRUE(b.try_take(1, kT0));
  EXPECT_FALSE(b.try_take(1, kT0 + 199));
  EXPECT_TRUE(b.try_take(1, kT0 + 200));
}

TEST(LimiterTokenBucketTest, ClockSteppingBackwardsRefillsNothingAndDoesNotStall) {
  TokenBucket b(10, 10, kT0);
  ASSERT_TRUE(b.try_take(10, kT0));
  EXPECT_FALSE(b.try_take(1, kT0 - 3'600'000)) << "no refill from a step back";
  // Refill resumes from the earlier reading rather than waiting an hour.
  EXPECT_TRUE(b.try_take(1, kT0 - 3'600'000 + 100));
}

TEST(LimiterTokenBucketTest, HugeIntervalsAndAmountsDoNotOverflow) {
  TokenBucket b(UINT64_MAX, UINT64_MAX, 0);
  EXPECT_TRUE(b.try_take(UINT64_MAX, 0));
  EXPECT_TRUE(b.try_take(1, INT64_MAX));
  TokenBucket c(1, 1, 0);
  for (int i = 0; i < 10; ++i) c.charge(UINT64_MAX, 0);
  EXPECT_TRUE(c.in_debt(0));
  EXPECT_GT(c.ms_until_available(0, 0), 0);
  EXPECT_FALSE(c.in_debt(INT64_MAX));
}

TEST(LimiterTokenBucketTest, ReconfigureKeepsTheBalanceWithinTheNewBurst) {
  TokenBucket b(100, 100, kT0);
  ASSERT_TRUE(b.try_take(40, kT0));
  b.reconfigure(1000, 1000, kT0);
  EXPECT_DOUBLE_EQ(b.tokens(kT0), 60.0);
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 10), 70.0) << "new rate applies from now";
  b.reconfigure(10, 10, kT0 + 10);
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 10), 10.0);
  b.reconfigure(0, 0, kT0 + 10);
  EXPECT_TRUE(b.unlimited());
  b.reconfigure(10, 10, kT0 + 10);
  EXPECT_DOUBLE_EQ(b.tokens(kT0 + 10), 10.0) << "from unlimited: starts full";
}

}  // namespace
}  // namespace kinesis_emulator::limiter
