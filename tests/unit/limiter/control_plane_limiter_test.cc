// ControlPlaneLimiter: opt-in per-operation call rates per account, region or stream.
#include <string>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "limiter/control_plane_limiter.h"

namespace kinesis_emulator::limiter {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr const char* kAccount = "123456789012";
constexpr const char* kRegion = "us-east-1";

ControlPlaneConfig enabled_config() {
  ControlPlaneConfig c;
  c.enabled = true;
  return c;
}

class LimiterControlPlaneTest : public ::testing::Test {
 protected:
  int admitted_in_a_row(ControlPlaneLimiter& l, const char* op, const char* stream = "",
                        const char* account = kAccount, const char* region = kRegion) {
    int n = 0;
    while (n < 100'000 && l.admit(op, account, region, stream).ok()) ++n;
    return n;
  }

  ManualClock clock_{kT0};
};

TEST_F(LimiterControlPlaneTest, OffByDefault) {
  ControlPlaneLimiter l(clock_);
  EXPECT_FALSE(l.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(l.admit("CreateStream", kAccount, kRegion).ok());
}

TEST_F(LimiterControlPlaneTest, DefaultRatesAreAwsQuotas) {
  ControlPlaneLimiter l(clock_);
  auto rate = [&](const char* op) { return l.rate_of(op).per_second; };
  EXPECT_EQ(rate("CreateStream"), 5u);
  EXPECT_EQ(rate("DeleteStream"), 5u);
  EXPECT_EQ(rate("DescribeStream"), 10u);
  EXPECT_EQ(rate("DescribeStreamSummary"), 20u);
  EXPECT_EQ(rate("DescribeLimits"), 1u);
  EXPECT_EQ(rate("ListStreams"), 5u);
  EXPECT_EQ(rate("ListShards"), 1000u);
  EXPECT_EQ(l.rate_of("ListShards").scope, RateScope::stream);
  EXPECT_EQ(rate("SplitShard"), 5u);
  EXPECT_EQ(rate("MergeShards"), 5u);
  EXPECT_EQ(rate("UpdateShardCount"), 10u);
  EXPECT_EQ(rate("PutRecord"), 0u) << "data plane: the shard limiter's business";
  EXPECT_EQ(rate("GetRecords"), 0u);
}

TEST_F(LimiterControlPlaneTest, CreateStreamFivePerSecondPerAccount) {
  ControlPlaneLimiter l(clock_, enabled_config());
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream"), 5);
  const Status refused = l.admit("CreateStream", kAccount, kRegion, "s1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::limit_exceeded);
  clock_.advance_ms(199);
  EXPECT_FALSE(l.admit("CreateStream", kAccount, kRegion).ok());
  clock_.advance_ms(1);
  EXPECT_TRUE(l.admit("CreateStream", kAccount, kRegion).ok());
  EXPECT_FALSE(l.admit("CreateStream", kAccount, kRegion).ok());
  clock_.advance_ms(10'000);
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream"), 5) << "burst is one second";
}

TEST_F(LimiterControlPlaneTest, OperationsAccountsAndRegionsHaveSeparateBuckets) {
  ControlPlaneLimiter l(clock_, enabled_config());
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream"), 5);
  EXPECT_EQ(admitted_in_a_row(l, "DeleteStream"), 5);
  EXPECT_EQ(admitted_in_a_row(l, "DescribeStream", "a"), 10);
  EXPECT_EQ(admitted_in_a_row(l, "DescribeStream", "b"), 0) << "per account, not per stream";
  EXPECT_EQ(admitted_in_a_row(l, "DescribeStreamSummary"), 20);
  EXPECT_EQ(admitted_in_a_row(l, "DescribeLimits"), 1);
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream", "", "210987654321"), 5);
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream", "", kAccount, "eu-west-1"), 5);
}

TEST_F(LimiterControlPlaneTest, ListShardsIsPerStream) {
  ControlPlaneLimiter l(clock_, enabled_config());
  EXPECT_EQ(admitted_in_a_row(l, "ListShards", "a"), 1000);
  EXPECT_EQ(admitted_in_a_row(l, "ListShards", "b"), 1000);
  clock_.advance_ms(1);
  EXPECT_EQ(admitted_in_a_row(l, "ListShards", "a"), 1);
}

TEST_F(LimiterControlPlaneTest, UnlimitedOperationsAlwaysPass) {
  ControlPlaneLimiter l(clock_, enabled_config());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(l.admit("PutRecord", kAccount, kRegion, "s").ok());
    ASSERT_TRUE(l.admit("NoSuchOperation", kAccount, kRegion).ok());
  }
}

TEST_F(LimiterControlPlaneTest, Messages) {
  ControlPlaneLimiter l(clock_, enabled_config());
  ASSERT_EQ(admitted_in_a_row(l, "DescribeStream", "orders"), 10);
  const Status s = l.admit("DescribeStream", kAccount, kRegion, "orders");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "Rate exceeded for stream orders under account 123456789012.");
  ASSERT_EQ(admitted_in_a_row(l, "ListStreams"), 5);
  const Status a = l.admit("ListStreams", kAccount, kRegion);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message, "Rate exceeded for account 123456789012.");
}

TEST_F(LimiterControlPlaneTest, RatesCanBeOverriddenAddedAndRemoved) {
  ControlPlaneConfig c = enabled_config();
  c.rates.push_back({"CreateStream", 2, RateScope::account});
  c.rates.push_back({"DescribeStream", 0, RateScope::account});
  c.rates.push_back({"IncreaseStreamRetentionPeriod", 3, RateScope::stream});
  ControlPlaneLimiter l(clock_, c);
  EXPECT_EQ(admitted_in_a_row(l, "CreateStream"), 2);
  EXPECT_EQ(admitted_in_a_row(l, "DescribeStream"), 100'000) << "limit removed";
  EXPECT_EQ(admitted_in_a_row(l, "IncreaseStreamRetentionPeriod", "a"), 3);
  EXPECT_EQ(admitted_in_a_row(l, "IncreaseStreamRetentionPeriod", "b"), 3);
}

TEST_F(LimiterControlPlaneTest, SwitchAtRunTime) {
  ControlPlaneLimiter l(clock_);
  l.set_enabled(true);
  EXPECT_EQ(admitted_in_a_row(l, "SplitShard"), 5);
  l.set_enabled(false);
  EXPECT_TRUE(l.admit("SplitShard", kAccount, kRegion).ok());
}

TEST_F(LimiterControlPlaneTest, IdleBucketsAreSweptButLiveOnesKept) {
  ControlPlaneLimiter l(clock_, enabled_config());
  const char* op = "ListStreamConsumers";
  for (int i = 0; i < 5'000; ++i) {
    ASSERT_TRUE(l.admit(op, kAccount, kRegion, "old" + std::to_string(i)).ok());
  }
  EXPECT_EQ(l.bucket_count(op), 5'000u);
  clock_.advance_ms(1'000);  // every "old" bucket is full again: as good as new
  ASSERT_EQ(admitted_in_a_row(l, op, "hot"), 5);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(l.admit(op, kAccount, kRegion, "new" + std::to_string(i)).ok());
  }
  EXPECT_EQ(l.bucket_count(op), 101u) << "old buckets swept, hot and new kept";
  EXPECT_FALSE(l.admit(op, kAccount, kRegion, "hot").ok());
}

}  // namespace
}  // namespace kinesis_emulator::limiter
