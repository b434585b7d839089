#include "protocol/validator.h"
#include "services/kinesis/model.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/base64.h"
#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

const Operation& op(std::string_view name) {
  const Operation* found = services::kinesis::service_model().find_operation(name);
  EXPECT_NE(found, nullptr) << name;
  return *found;
}

// What validate_request answered, flattened for comparisons.
struct Outcome {
  bool ok = false;
  errc code = errc::internal_failure;
  std::string message;
};

Outcome check(std::string_view operation, json& request) {
  Status status = validate_request(op(operation), request);
  if (status.ok()) return {true, errc::internal_failure, {}};
  return {false, status.error().code, status.error().message};
}

Outcome check(std::string_view operation, std::string_view body) {
  json request = json::parse(body);
  return check(operation, request);
}

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

// --- valid requests --------------------------------------------------------------------------

TEST(ValidatorTest, ValidPutRecordPassesAndDataBecomesBinary) {
  json request =
      json::parse(R"({"StreamName":"my-stream","Data":"aGVsbG8gd29ybGQ=","PartitionKey":"pk-1"})");
  const Outcome out = check("PutRecord", request);
  ASSERT_TRUE(out.ok) << out.message;
  ASSERT_TRUE(request["Data"].is_binary());
  EXPECT_EQ(static_cast<const std::vector<std::uint8_t>&>(request["Data"].get_binary()),
            bytes_of("hello world"));
  // Everything else is untouched.
  EXPECT_EQ(request["StreamName"], "my-stream");
  EXPECT_EQ(request["PartitionKey"], "pk-1");
}

TEST(ValidatorTest, EmptyDataIsAllowed) {
  json request = json::parse(R"({"StreamName":"s","Data":"","PartitionKey":"p"})");
  ASSERT_TRUE(check("PutRecord", request).ok);
  ASSERT_TRUE(request["Data"].is_binary());
  EXPECT_TRUE(request["Data"].get_binary().empty());
}

TEST(ValidatorTest, BinaryDataFromCborIsAcceptedAsIs) {
  json request = {
      {"StreamName", "s"}, {"PartitionKey", "p"}, {"Data", json::binary({0x00, 0xFF, 0x10})}};
  const Outcome out = check("PutRecord", request);
  ASSERT_TRUE(out.ok) << out.message;
  EXPECT_EQ(static_cast<const std::vector<std::uint8_t>&>(request["Data"].get_binary()),
            (std::vector<std::uint8_t>{0x00, 0xFF, 0x10}));

  // A CBOR body decoded by nlohmann also works end to end.
  json decoded = json::from_cbor(json::to_cbor(
      json{{"StreamName", "s"}, {"PartitionKey", "p"}, {"Data", json::binary({1, 2, 3})}}));
  ASSERT_TRUE(check("PutRecord", decoded).ok);
  EXPECT_EQ(decoded["Data"].get_binary().size(), 3u);
}

TEST(ValidatorTest, ValidPutRecordsDecodesEveryRecord) {
  json request = json::parse(R"({"StreamName":"s","Records":[
      {"Data":"YQ==","PartitionKey":"1"},
      {"Data":"YmI=","PartitionKey":"2","ExplicitHashKey":"340282366920938463463374607431768211455"}
  ]})");
  const Outcome out = check("PutRecords", request);
  ASSERT_TRUE(out.ok) << out.message;
  EXPECT_EQ(
      static_cast<const std::vector<std::uint8_t>&>(request["Records"][0]["Data"].get_binary()),
      bytes_of("a"));
  EXPECT_EQ(
      static_cast<const std::vector<std::uint8_t>&>(request["Records"][1]["Data"].get_binary()),
      bytes_of("bb"));
}

TEST(ValidatorTest, UnknownMembersAreIgnoredAndNullCountsAsAbsent) {
  EXPECT_TRUE(
      check("CreateStream", R"({"StreamName":"s","Bogus":{"x":[1,2]},"ShardCount":null})").ok);
  EXPECT_TRUE(check("ListStreams", "{}").ok);
  EXPECT_TRUE(check("DeleteStream", R"({"StreamName":"s","EnforceConsumerDeletion":true})").ok);
}

TEST(ValidatorTest, IntegralFloatIsNormalisedToInteger) {
  json request = json::parse(R"({"StreamName":"s","ShardCount":2.0})");
  ASSERT_TRUE(check("CreateStream", request).ok);
  ASSERT_TRUE(request["ShardCount"].is_number_integer());
  EXPECT_EQ(request["ShardCount"].get<int>(), 2);
}

TEST(ValidatorTest, ValidTagsMap) {
  EXPECT_TRUE(check("CreateStream", R"({"StreamName":"s","Tags":{"env":"test","empty":""}})").ok);
}

// --- constraint violations -------------------------------------------------------------------

TEST(ValidatorTest, MissingRequiredMember) {
  const Outcome out = check("GetShardIterator", R"({"StreamName":"s","ShardId":"shardId-0"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value null at 'shardIteratorType' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ValidatorTest, ExplicitNullForRequiredMember) {
  const Outcome out = check("CreateStream", R"({"StreamName":null})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value null at 'streamName' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ValidatorTest, TwoMissingRequiredMembersInModelOrder) {
  const Outcome out = check("GetShardIterator", R"({"StreamName":"s"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "2 validation errors detected: Value null at 'shardId' failed to satisfy constraint: "
            "Member must not be null; Value null at 'shardIteratorType' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ValidatorTest, StreamNameTooLong) {
  const std::string name(129, 'a');
  const Outcome out = check("CreateStream", R"({"StreamName":")" + name + R"(","ShardCount":1})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message, "1 validation error detected: Value '" + name +
                             "' at 'streamName' failed to satisfy constraint: Member must have "
                             "length less than or equal to 128");
  // 128 is fine.
  EXPECT_TRUE(check("CreateStream", R"({"StreamName":")" + std::string(128, 'a') + R"("})").ok);
}

TEST(ValidatorTest, EmptyStreamNameReportsOnlyTheMinimumLength) {
  const Outcome out = check("DescribeStream", R"({"StreamName":""})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '' at 'streamName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(ValidatorTest, StreamNamePattern) {
  const Outcome out = check("DescribeStreamSummary", R"({"StreamName":"a b"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

TEST(ValidatorTest, HashKeyPattern) {
  const Outcome out = check(
      "PutRecord", R"({"StreamName":"s","Data":"","PartitionKey":"p","ExplicitHashKey":"0123"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '0123' at 'explicitHashKey' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
}

TEST(ValidatorTest, StreamArnPatternUsesTheMemberNameAsWritten) {
  const Outcome out = check("DescribeStreamSummary", R"({"StreamARN":"arn:aws:kinesis:x"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value 'arn:aws:kinesis:x' at 'streamARN' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+");
  EXPECT_TRUE(check("DescribeStreamSummary",
                    R"({"StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s1"})")
                  .ok);
}

TEST(ValidatorTest, EnumViolation) {
  const Outcome out = check("GetShardIterator",
                            R"({"StreamName":"s","ShardId":"shardId-000000000000",
                                "ShardIteratorType":"OLDEST"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value 'OLDEST' at 'shardIteratorType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, "
            "AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
}

TEST(ValidatorTest, LimitAboveMaximum) {
  const Outcome out = check("GetRecords", R"({"ShardIterator":"AAAA","Limit":10001})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 10000");
  EXPECT_TRUE(check("GetRecords", R"({"ShardIterator":"AAAA","Limit":10000})").ok);
}

TEST(ValidatorTest, ListShardsMaxResultsBelowMinimum) {
  const Outcome out = check("ListShards", R"({"StreamName":"s","MaxResults":0})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
}

TEST(ValidatorTest, TwoErrorsAtOnce) {
  const Outcome out = check("CreateStream", R"({"ShardCount":0,"StreamName":"a b"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "2 validation errors detected: Value 'a b' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
            "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value "
            "greater than or equal to 1");
}

TEST(ValidatorTest, NestedListMemberPath) {
  const Outcome out = check("PutRecords", R"({"StreamName":"s","Records":[
      {"Data":"YQ==","PartitionKey":""},
      {"PartitionKey":"k"}
  ]})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "2 validation errors detected: Value '' at 'records.1.member.partitionKey' failed to "
            "satisfy constraint: Member must have length greater than or equal to 1; Value null "
            "at 'records.2.member.data' failed to satisfy constraint: Member must not be "
            "null");
}

TEST(ValidatorTest, EmptyRecordsList) {
  const Outcome out = check("PutRecords", R"({"StreamName":"s","Records":[]})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");
}

TEST(ValidatorTest, TooManyRecordsPrecedesElementErrors) {
  json request = {{"StreamName", "s"}, {"Records", json::array()}};
  for (int i = 0; i < 501; ++i) {
    request["Records"].push_back({{"Data", "YQ=="}, {"PartitionKey", "p"}});
  }
  request["Records"][3]["PartitionKey"] = std::string(257, 'k');
  const Outcome out = check("PutRecords", request);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message.rfind("2 validation errors detected: Value '[{Data=java.nio.HeapByteBuffer"
                              "[pos=0 lim=1 cap=1], PartitionKey=p}, ",
                              0),
            0u)
      << out.message.substr(0, 200);
  const std::string tail =
      "' at 'records' failed to satisfy constraint: Member must have length less than or equal "
      "to 500; Value '" +
      std::string(257, 'k') +
      "' at 'records.4.member.partitionKey' failed to satisfy constraint: Member must have "
      "length less than or equal to 256";
  ASSERT_GE(out.message.size(), tail.size());
  EXPECT_EQ(out.message.substr(out.message.size() - tail.size()), tail);
}

TEST(ValidatorTest, ShardFilterNestedStructurePath) {
  const Outcome out = check("ListShards", R"({"StreamName":"s","ShardFilter":{"ShardId":"x"}})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ValidatorTest, BlobOverMaximum) {
  const std::string data(10485761, 'x');
  json request = {{"StreamName", "s"}, {"PartitionKey", "p"}, {"Data", base64_encode(data)}};
  const Outcome out = check("PutRecord", request);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 "
            "cap=10485761]' at 'data' failed to satisfy constraint: Member must have length less "
            "than or equal to 10485760");

  json at_limit = {
      {"StreamName", "s"}, {"PartitionKey", "p"}, {"Data", base64_encode(data.substr(1))}};
  EXPECT_TRUE(check("PutRecord", at_limit).ok);
}

TEST(ValidatorTest, PartitionKeyLengthCountsCharactersNotBytes) {
  // 256 two-byte characters are 256 characters (512 bytes): allowed.
  std::string key;
  for (int i = 0; i < 256; ++i) key += "\xc3\xa9";
  json request = {{"StreamName", "s"}, {"PartitionKey", key}, {"Data", ""}};
  EXPECT_TRUE(check("PutRecord", request).ok);
  request["PartitionKey"] = key + "\xc3\xa9";
  const Outcome out = check("PutRecord", request);
  ASSERT_FALSE(out.ok);
  EXPECT_NE(out.message.find("Member must have length less than or equal to 256"),
            std::string::npos);
}

TEST(ValidatorTest, TagMapConstraints) {
  Outcome out = check("CreateStream", R"({"StreamName":"s","Tags":{}})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1");

  const std::string long_value(257, 'v');
  out = check("CreateStream", R"({"StreamName":"s","Tags":{"env":")" + long_value + R"("}})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message, "1 validation error detected: Value '" + long_value +
                             "' at 'tags.env.member' failed to satisfy constraint: Member must "
                             "have length less than or equal to 256");

  out = check("CreateStream", R"({"StreamName":"s","Tags":{"":"v"}})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '' at 'tags' failed to satisfy constraint: Map "
            "keys must satisfy constraint: [Member must have length greater than or equal to 1]");
}

TEST(ValidatorTest, EnumListElementPath) {
  const Outcome out = check("EnableEnhancedMonitoring",
                            R"({"StreamName":"s","ShardLevelMetrics":["IncomingBytes","Bogus"]})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value 'Bogus' at 'shardLevelMetrics.2.member' failed to "
            "satisfy constraint: Member must satisfy enum value set: [IncomingBytes, "
            "IncomingRecords, OutgoingBytes, OutgoingRecords, WriteProvisionedThroughputExceeded, "
            "ReadProvisionedThroughputExceeded, IteratorAgeMilliseconds, ALL]");
}

TEST(ValidatorTest, ListOfStringsPrintsLikeJava) {
  const Outcome out = check("EnableEnhancedMonitoring", R"({"StreamName":"s","ShardLevelMetrics":
      ["IncomingBytes","IncomingRecords","OutgoingBytes","OutgoingRecords",
       "IncomingBytes","IncomingRecords","OutgoingBytes","OutgoingRecords"]})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '[IncomingBytes, IncomingRecords, OutgoingBytes, "
            "OutgoingRecords, IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords]' at "
            "'shardLevelMetrics' failed to satisfy constraint: Member must have length less than "
            "or equal to 7");
}

// --- serialization errors --------------------------------------------------------------------

TEST(ValidatorTest, BodyMustBeAnObject) {
  for (const char* body : {"[]", "\"x\"", "1", "null", "true"}) {
    const Outcome out = check("ListStreams", body);
    ASSERT_FALSE(out.ok) << body;
    EXPECT_EQ(out.code, errc::serialization) << body;
  }
}

// AWS's words for each (member type, JSON value) pair; the whole table is in
// serialization_messages_test.cc, these go through the walk.
TEST(ValidatorTest, TypeMismatchesAreSerializationErrors) {
  struct Case {
    const char* operation;
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {"CreateStream", R"({"StreamName":"s","ShardCount":"1"})",
       "class java.lang.String can not be converted to an Integer"},
      {"CreateStream", R"({"StreamName":"s","ShardCount":true})",
       "class java.lang.Boolean can not be converted to an Integer"},
      {"CreateStream", R"({"StreamName":5})",
       "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
       "String"},
      {"CreateStream", R"({"StreamName":true})",
       "class java.lang.Boolean can not be converted to an String"},
      {"CreateStream", R"({"StreamName":{"a":1}})",
       "Start of structure or map found where not expected."},
      {"CreateStream", R"({"StreamName":["a"]})", "Start of list found where not expected"},
      {"CreateStream", R"({"StreamName":"s","Tags":["a"]})",
       "Start of list found where not expected"},
      {"CreateStream", R"({"StreamName":"s","Tags":"a"})", "Expected map or null"},
      {"CreateStream", R"({"StreamName":"s","Tags":{"k":1}})",
       "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
       "String"},
      {"CreateStream", R"({"StreamName":"s","StreamModeDetails":"ON_DEMAND"})", "Expected null"},
      {"CreateStream", R"({"StreamName":"s","StreamModeDetails":[]})",
       "Start of list found where not expected"},
      {"DeleteStream", R"({"StreamName":"s","EnforceConsumerDeletion":"maybe"})",
       "'MAYBE' can not be converted to an Boolean"},
      {"DeleteStream", R"({"StreamName":"s","EnforceConsumerDeletion":1})",
       "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
       "Boolean"},
      {"PutRecords", R"({"Records":{"Data":"YQ==","PartitionKey":"p"}})",
       "Start of structure or map found where not expected."},
      {"PutRecords", R"({"Records":"x"})", "Expected list or null"},
      {"PutRecords", R"({"Records":["x"]})", "Expected null"},
      {"PutRecords",
       R"({"Records":[{"Data":"YQ==","PartitionKey":"p"},{"Data":1,"PartitionKey":"p"}]})",
       "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a "
       "Blob"},
      {"PutRecord", R"({"Data":true,"PartitionKey":"p"})",
       "class java.lang.Boolean can not be converted to a Blob"},
      {"GetShardIterator", R"({"ShardId":"s","ShardIteratorType":"AT_TIMESTAMP","Timestamp":[1]})",
       "Start of list found where not expected"},
      {"GetShardIterator",
       R"({"ShardId":"s","ShardIteratorType":"AT_TIMESTAMP","Timestamp":"2016-04-04T19:58:46Z"})",
       "class java.lang.String can not be converted to milliseconds since epoch"},
      {"GetShardIterator",
       R"({"ShardId":"s","ShardIteratorType":"AT_TIMESTAMP","Timestamp":false})",
       "class java.lang.Boolean can not be converted to milliseconds since epoch"},
      {"CreateStream", R"({"StreamName":"s","ShardCount":4294967296})",
       "Numeric value out of range for member 'ShardCount': expected integer"},
  };
  for (const Case& c : cases) {
    const Outcome out = check(c.operation, c.body);
    ASSERT_FALSE(out.ok) << c.body;
    EXPECT_EQ(out.code, errc::serialization) << c.body;
    EXPECT_EQ(out.message, c.message) << c.body;
  }
}

TEST(ValidatorTest, FractionsAreTruncatedForIntegers) {
  json request = {{"StreamName", "s"}, {"ShardCount", 3.7}};
  EXPECT_TRUE(check("CreateStream", request).ok);
  EXPECT_EQ(request["ShardCount"], 3);
  json zero = {{"StreamName", "s"}, {"ShardCount", 0.5}};
  const Outcome out = check("CreateStream", zero);
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::validation);
  EXPECT_EQ(out.message,
            "1 validation error detected: Value '0' at 'shardCount' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
}

TEST(ValidatorTest, BooleanWordsAreRead) {
  for (const auto& [text, value] :
       {std::pair{"true", true}, {"FALSE", false}, {"1", true}, {"no", false}, {"Yes", true}}) {
    json request = {{"StreamName", "s"}, {"EnforceConsumerDeletion", text}};
    ASSERT_TRUE(check("DeleteStream", request).ok) << text;
    EXPECT_EQ(request["EnforceConsumerDeletion"], value) << text;
  }
}

TEST(ValidatorTest, SerializationErrorWinsOverConstraintViolations) {
  const Outcome out = check("CreateStream", R"({"StreamName":"a b","ShardCount":"x"})");
  ASSERT_FALSE(out.ok);
  EXPECT_EQ(out.code, errc::serialization);
  EXPECT_EQ(out.message, "class java.lang.String can not be converted to an Integer");
}

TEST(ValidatorTest, InvalidBase64) {
  struct Case {
    const char* data;
    const char* message;
  };
  for (const Case& c : {
           Case{"YQ",
                "'YQ' can not be converted to a Blob: Base64 encoded length is expected a "
                "multiple of 4 bytes but found: 2"},
           Case{"not base64!!",
                "'not base64!!' can not be converted to a Blob: Invalid Base64 "
                "character: ' '"},
           Case{"YQ==YQ==",
                "'YQ==YQ==' can not be converted to a Blob: Invalid Base64 "
                "character: '='"},
           Case{"YR==",
                "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 "
                "character dectected"},
       }) {
    json request = {{"StreamName", "s"}, {"PartitionKey", "p"}, {"Data", c.data}};
    const Outcome out = check("PutRecord", request);
    ASSERT_FALSE(out.ok) << c.data;
    EXPECT_EQ(out.code, errc::serialization) << c.data;
    EXPECT_EQ(out.message, c.message) << c.data;
  }
}

TEST(ValidatorTest, AtMostTenViolationsAreReported) {
  json records = json::array();
  for (int i = 0; i < 12; ++i) records.push_back({{"Data", "YQ=="}, {"PartitionKey", ""}});
  json request = {{"StreamName", "s"}, {"Records", records}};
  const Outcome out = check("PutRecords", request);
  ASSERT_FALSE(out.ok);
  EXPECT_TRUE(out.message.starts_with("10 validation errors detected: ")) << out.message;
  EXPECT_EQ(out.message.find("records.11.member"), std::string::npos);
}

// --- timestamps ------------------------------------------------------------------------------

double timestamp_after(std::string_view operation, json request, const json::json_pointer& at) {
  const Outcome out = check(operation, request);
  EXPECT_TRUE(out.ok) << out.message;
  EXPECT_TRUE(request[at].is_number_float()) << request[at].dump();
  return request[at].get<double>();
}

json iterator_request(json timestamp) {
  return {{"StreamName", "s"},
          {"ShardId", "shardId-000000000000"},
          {"ShardIteratorType", "AT_TIMESTAMP"},
          {"Timestamp", std::move(timestamp)}};
}

TEST(ValidatorTest, TimestampAsNumber) {
  const json::json_pointer at("/Timestamp");
  EXPECT_DOUBLE_EQ(timestamp_after("GetShardIterator", iterator_request(1459799926.480), at),
                   1459799926.480);
  EXPECT_DOUBLE_EQ(timestamp_after("GetShardIterator", iterator_request(1459799926), at),
                   1459799926.0);
}

TEST(ValidatorTest, NestedTimestampInShardFilter) {
  json request = {{"StreamName", "s"},
                  {"ShardFilter", {{"Type", "AT_TIMESTAMP"}, {"Timestamp", 86400}}}};
  EXPECT_DOUBLE_EQ(
      timestamp_after("ListShards", request, json::json_pointer("/ShardFilter/Timestamp")),
      86400.0);
}

}  // namespace
}  // namespace kinesis_emulator::protocol
