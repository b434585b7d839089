// The per-shard limiter as the engine applies it: whole-call refusals for PutRecord and
// GetRecords, per-entry refusals for PutRecords, recovery as the clock moves on.
#include "engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineThroughputTest : public EngineTest {
 protected:
  void SetUp() override {
    options_.throughput.enabled = true;
    open_engine();
  }
};

TEST_F(EngineThroughputTest, PutRecordBeyondOneThousandRecordsPerSecondIsRefused) {
  const StreamKey s = key("records-per-s");
  create_active(s, 1);
  int admitted = 0;
  Error last{errc::internal_failure, ""};
  for (int i = 0; i < 1100; ++i) {
    auto r = engine_->put_record(s, PutEntry{"k", "x", std::nullopt, {}});
    if (r.ok()) {
      ++admitted;
    } else {
      last = r.error();
    }
  }
  EXPECT_EQ(admitted, 1000);
  EXPECT_EQ(last.code, errc::provisioned_throughput_exceeded);
  EXPECT_EQ(last.message,
            "Rate exceeded for shard shardId-000000000000 in stream records-per-s under account "
            "123456789012.");
  EXPECT_EQ(read_shard(s, 0).size(), 1000u);  // refused records were not written
  clock_.advance_ms(1000);
  EXPECT_TRUE(engine_->put_record(s, PutEntry{"k", "x", std::nullopt, {}}).ok());
}

TEST_F(EngineThroughputTest, PutRecordsRefusesEntriesNotTheRequest) {
  const StreamKey s = key("entries");
  create_active(s, 2);
  // 600 KiB for shard 0 twice: the second does not fit in 1 MiB; shard 1 is unaffected.
  const std::string big(600 * 1024, 'b');
  const PutEntry entries[] = {{"a", big, uint128{0}, {}},
                              {"b", "small", uint128_max, {}},
                              {"c", big, uint128{0}, {}},
                              {"d", "tiny", uint128{0}, {}}};
  auto r = engine_->put_records(s, entries);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_FALSE((*r)[0].failed());
  EXPECT_FALSE((*r)[1].failed());
  EXPECT_TRUE((*r)[2].failed());
  EXPECT_EQ((*r)[2].error_code, "ProvisionedThroughputExceededException");
  EXPECT_TRUE((*r)[2].sequence_number.empty());
  EXPECT_FALSE((*r)[3].failed());  // a later, smaller entry still fits
  const auto shard0 = read_shard(s, 0);
  ASSERT_EQ(shard0.size(), 2u);
  EXPECT_EQ(shard0[0].partition_key, "a");
  EXPECT_EQ(shard0[1].partition_key, "d");
  EXPECT_EQ(shard0[1].sequence_number, (*r)[3].sequence_number);
  EXPECT_EQ(read_shard(s, 1).size(), 1u);
}

TEST_F(EngineThroughputTest, GetRecordsAllowsFiveCallsPerSecondPerShard) {
  const StreamKey s = key("reads");
  create_active(s, 1);
  put(s, "k", "v");
  clock_.advance_ms(1000);
  std::string it = iterator(s, 0);
  int ok = 0;
  Error last{errc::internal_failure, ""};
  for (int i = 0; i < 8; ++i) {
    auto page = get(it);
    if (page.ok()) {
      ++ok;
      it = page->result.next_shard_iterator;
    } else {
      last = page.error();
    }
  }
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(last.code, errc::provisioned_throughput_exceeded);
  clock_.advance_ms(200);
  EXPECT_TRUE(get(it).ok());
}

TEST_F(EngineThroughputTest, OnDemandShardsHaveLargerLimits) {
  const StreamKey s = key("on-demand");
  create_active(s, 4, StreamMode::on_demand);
  for (int i = 0; i < 5000; ++i) {
    auto r = engine_->put_record(s, PutEntry{"k", "x", std::nullopt, {}});
    ASSERT_TRUE(r.ok()) << i << ": " << r.error().message;
  }
}

}  // namespace
}  // namespace kinesis_emulator::engine
