#include "protocol/flat_request.h"
#include "services/kinesis/model.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/service_model.h"
#include "protocol/validator.h"

namespace kinesis_emulator::protocol {
namespace {

const Operation& op(std::string_view name) {
  const Operation* found = services::kinesis::service_model().find_operation(name);
  EXPECT_NE(found, nullptr) << name;
  return *found;
}

bool fast_path_takes(std::string_view operation, std::string_view body) {
  auto flat = FlatRequest::parse(body);
  return flat && flat_request_is_valid(op(operation), *flat);
}

bool general_path_accepts(std::string_view operation, std::string_view body) {
  nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
  if (request.is_discarded()) return false;
  return validate_request(op(operation), request).ok();
}

TEST(FlatRequest, ReadsStringsAndIntegersInPlace) {
  auto flat = FlatRequest::parse(R"( { "A" : "x y", "B":42 ,"C":"" } )");
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->string("A"), "x y");
  EXPECT_EQ(flat->integer("B"), 42);
  EXPECT_EQ(flat->string("B"), "");  // a number is not a string
  EXPECT_EQ(flat->integer("A"), std::nullopt);
  EXPECT_NE(flat->find("C"), nullptr);
  EXPECT_EQ(flat->find("D"), nullptr);
  EXPECT_TRUE(FlatRequest::parse("{}"));
}

TEST(FlatRequest, LeavesEverythingElseToTheGeneralPath) {
  for (const char* body : {
           "",
           "[]",
           "{",
           R"({"A":"x")",
           R"({"A":"x",})",
           R"({"A":"x"} trailing)",
           R"({"A":"a\"b"})",          // escape
           R"({"A":"caf\u00e9"})",     // escape
           "{\"A\":\"caf\xc3\xa9\"}",  // non-ASCII
           "{\"A\":\"tab\there\"}",    // control character
           R"({"A":null})",
           R"({"A":true})",
           R"({"A":1.5})",
           R"({"A":1e3})",
           R"({"A":-1})",
           R"({"A":007})",
           R"({"A":1234567890123456789})",  // 19 digits
           R"({"A":{"B":"c"}})",
           R"({"A":["b"]})",
           R"({"A":[{"B":"c"}],"D":[{"E":"f"}]})",  // a second list
           R"({"A":[{"B":[{"C":"d"}]}]})",          // a list inside a list
           R"({"A":[{"B":"c"},]})",
           R"({"A":"x","A":"y"})",  // duplicate names
           R"({"1":"","2":"","3":"","4":"","5":"","6":"","7":"","8":"","9":""})",
       }) {
    EXPECT_FALSE(FlatRequest::parse(body)) << body;
  }
}

TEST(FlatRequest, TakesTheUsualPutRecordAndDecodesItsData) {
  const std::string body =
      R"({"StreamName":"orders","Data":"aGVsbG8=","PartitionKey":"pk-1","ExplicitHashKey":"12"})";
  auto flat = FlatRequest::parse(body);
  ASSERT_TRUE(flat);
  ASSERT_TRUE(flat_request_is_valid(op("PutRecord"), *flat));
  EXPECT_EQ(flat->blob(), "hello");
  EXPECT_EQ(flat->string("ExplicitHashKey"), "12");
}

TEST(FlatRequest, RefusesWhatTheModelRefuses) {
  for (const char* body : {
           R"({"StreamName":"s","PartitionKey":"k"})",                  // Data missing
           R"({"StreamName":"s","Data":"aGk","PartitionKey":"k"})",     // bad base64
           R"({"StreamName":"s","Data":"aGk=","PartitionKey":""})",     // too short
           R"({"StreamName":"s t","Data":"aGk=","PartitionKey":"k"})",  // pattern
           R"({"StreamName":"s","Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"01"})",
           R"({"StreamName":"s","Data":"aGk=","PartitionKey":"k","SequenceNumberForOrdering":"x"})",
           R"({"StreamName":"s","Data":12,"PartitionKey":"k"})",  // wrong kind
           R"({"StreamName":7,"Data":"aGk=","PartitionKey":"k"})",
       }) {
    EXPECT_FALSE(fast_path_takes("PutRecord", body)) << body;
  }
  // The model no longer requires a partition key (AUTO streams take records without one); the
  // engine asks for it on USER_PARTITION_KEY streams, whichever path read the request.
  EXPECT_TRUE(fast_path_takes("PutRecord", R"({"StreamName":"s","Data":"aGk="})"));
  // Integers are checked against their ranges too (GetRecords' Limit is 1..10000).
  EXPECT_TRUE(fast_path_takes("GetRecords", R"({"ShardIterator":"abc","Limit":10000})"));
  EXPECT_FALSE(fast_path_takes("GetRecords", R"({"ShardIterator":"abc","Limit":10001})"));
  EXPECT_FALSE(fast_path_takes("GetRecords", R"({"ShardIterator":"abc","Limit":0})"));
  // Members the fast path does not read at all send the request down the general path.
  EXPECT_FALSE(fast_path_takes(
      "GetShardIterator",
      R"({"StreamName":"s","ShardId":"a","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1})"));
}

TEST(FlatRequest, ReadsPutRecordsEntriesAndDecodesEachBlob) {
  const std::string body =
      R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"a"},)"
      R"({"Data":"","PartitionKey":"b","ExplicitHashKey":"7"},{"PartitionKey":"c","Data":"eHl6"}]})";
  auto flat = FlatRequest::parse(body);
  ASSERT_TRUE(flat);
  ASSERT_TRUE(flat_request_is_valid(op("PutRecords"), *flat));
  ASSERT_EQ(flat->items.size(), 3u);
  EXPECT_EQ(flat->blob(flat->items[0]), "hi");
  EXPECT_EQ(flat->blob(flat->items[1]), "");
  EXPECT_EQ(flat->blob(flat->items[2]), "xyz");
  EXPECT_EQ(flat->items[1].string("ExplicitHashKey"), "7");
  EXPECT_EQ(flat->items[2].string("PartitionKey"), "c");

  for (const char* refused : {
           R"({"StreamName":"s","Records":[]})",  // fewer than 1
           R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"a","Data":"aGk="}]})",
           R"({"StreamName":"s","Records":"x"})",
       }) {
    EXPECT_FALSE(fast_path_takes("PutRecords", refused)) << refused;
  }
  EXPECT_TRUE(fast_path_takes("PutRecords", R"({"StreamName":"s","Records":[{"Data":"aGk="}]})"));
  std::string five_hundred_and_one = R"({"StreamName":"s","Records":[)";
  for (int i = 0; i < 501; ++i) {
    five_hundred_and_one += std::string(i ? "," : "") + R"({"Data":"","PartitionKey":"k"})";
  }
  five_hundred_and_one += "]}";
  EXPECT_FALSE(fast_path_takes("PutRecords", five_hundred_and_one));
}

// The property the dispatcher relies on: whatever the fast path takes, the general path accepts.
// Random edits of valid bodies hit the edges (lengths, patterns, base64, kinds) many times over.
TEST(FlatRequest, TakesNothingTheGeneralPathWouldRefuse) {
  const std::vector<std::string> seeds = {
      R"({"StreamName":"orders","Data":"aGVsbG8=","PartitionKey":"pk-1"})",
      R"({"StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s","Data":"","PartitionKey":"k","ExplicitHashKey":"340282366920938463463374607431768211455"})",
      R"({"StreamName":"a","Data":"AAAA","PartitionKey":"k","SequenceNumberForOrdering":"49590338271490256608559692538361571095921575989136588898"})",
      R"({"StreamName":"orders","Records":[{"Data":"aGk=","PartitionKey":"a"},{"Data":"","PartitionKey":"b","ExplicitHashKey":"99"}]})",
  };
  const std::string alphabet = "aZ09=+/\"{}:,. -_\\x";
  std::mt19937 rng(20261127);
  int taken = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string body = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body.erase(at, 1);
          break;
        case 1:
          body.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          body[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    for (const char* operation : {"PutRecord", "PutRecords"}) {
      if (fast_path_takes(operation, body)) {
        ++taken;
        EXPECT_TRUE(general_path_accepts(operation, body)) << operation << " " << body;
      }
    }
  }
  EXPECT_GT(taken, 100);  // the edits left enough bodies valid for the check to mean something
}

}  // namespace
}  // namespace kinesis_emulator::protocol
