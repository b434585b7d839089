// The per-record size limit: a blob over it is AWS's validation error of that member; a blob
// within it whose partition key pushes the record over is an invalid argument.
#include "engine_fixture.h"

namespace kinesis_emulator::engine {
namespace {

class EngineRecordSizeTest : public EngineTest {};

TEST_F(EngineRecordSizeTest, BlobOverTheLimitIsAValidationErrorOfData) {
  const StreamKey s = key("blob-over");
  create_active(s, 1);
  const std::string too_big(static_cast<std::size_t>(kMaxRecordBytes) + 1, 'x');
  auto r = engine_->put_record(s, PutEntry{"k", too_big, std::nullopt, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::validation);
  EXPECT_EQ(r.error().message,
            "1 validation error detected: Value at 'data' failed to satisfy constraint: Member "
            "must have length less than or equal to 1048576");
  EXPECT_TRUE(read_shard(s, 0).empty());
}

TEST_F(EngineRecordSizeTest, PutRecordsNamesTheOffendingEntry) {
  const StreamKey s = key("blob-over-batch");
  create_active(s, 1);
  const std::string too_big(static_cast<std::size_t>(kMaxRecordBytes) + 1, 'x');
  const PutEntry entries[] = {{"a", "small", std::nullopt, {}},
                              {"b", "small", std::nullopt, {}},
                              {"c", too_big, std::nullopt, {}}};
  auto r = engine_->put_records(s, entries);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::validation);
  EXPECT_NE(r.error().message.find("'records.3.member.data'"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(read_shard(s, 0).empty());
}

TEST_F(EngineRecordSizeTest, ExactlyTheLimitIncludingTheKeyIsAccepted) {
  const StreamKey s = key("exact");
  create_active(s, 1);
  const std::string data(static_cast<std::size_t>(kMaxRecordBytes) - 3, 'x');
  ASSERT_TRUE(engine_->put_record(s, PutEntry{"key", data, std::nullopt, {}}).ok());
  auto r = engine_->put_record(s, PutEntry{"keys", data, std::nullopt, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  ASSERT_EQ(read_shard(s, 0).size(), 1u);
  EXPECT_EQ(read_shard(s, 0)[0].data.size(), data.size());
}

}  // namespace
}  // namespace kinesis_emulator::engine
