// CBOR requests through the dispatcher to the real handlers and engine: every answer in CBOR,
// the same content as the JSON answer, timestamps as tag 1 over epoch milliseconds, errors as
// CBOR maps with the x-amzn-ErrorType header.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/base64.h"
#include "protocol/cbor_codec.h"
#include "protocol/dispatcher.h"
#include "services/kinesis/kinesis_service.h"
#include "unit/engine/engine_fixture.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc";
constexpr char kCbor[] = "application/x-amz-cbor-1.1";
constexpr char kJson[] = "application/x-amz-json-1.1";

std::string hex(std::string_view text) {
  std::string out;
  int high = -1;
  for (const char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

std::string cbor_of(const json& doc) {
  std::string out;
  cbor_encode(doc, nullptr, out);
  return out;
}

// The JSON protocol's view of a decoded CBOR answer: blobs as base64 text.
json as_json_protocol(json doc) {
  if (doc.is_binary()) {
    const auto& b = doc.get_binary();
    return base64_encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  }
  if (doc.is_structured()) {
    for (auto& element : doc) element = as_json_protocol(std::move(element));
  }
  return doc;
}

// The integer under tag 1 right after the text `key` in a CBOR body.
std::optional<std::int64_t> tagged_ms_after(const std::string& body, std::string_view key) {
  std::string needle(1, static_cast<char>(key.size() < 24 ? 0x60 + key.size() : 0x78));
  if (key.size() >= 24) needle.push_back(static_cast<char>(key.size()));
  needle.append(key);
  const auto at = body.find(needle);
  if (at == std::string::npos) return std::nullopt;
  std::size_t p = at + needle.size();
  if (p + 10 > body.size() || static_cast<unsigned char>(body[p]) != 0xC1 ||
      static_cast<unsigned char>(body[p + 1]) != 0x1B) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (std::size_t i = p + 2; i < p + 10; ++i) v = (v << 8) | static_cast<unsigned char>(body[i]);
  return static_cast<std::int64_t>(v);
}

class CborDispatcherTest : public engine::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    dispatcher_ = std::make_unique<Dispatcher>(DispatcherOptions{"us-east-1", "000000000000"});
    auto resources = engine::ResourceStore::open(*engine_, options_);
    ASSERT_TRUE(resources.ok()) << resources.error().message;
    resources_ = std::move(*resources);
    dispatcher_->add_service(kinesis_model(), services::kinesis::handlers(*engine_, *resources_));
  }

  WireResponse raw(std::string_view operation, std::string body, std::string content_type = kCbor,
                   std::string auth = kAuth) {
    target_ = "Kinesis_20131202." + std::string(operation);
    content_type_ = std::move(content_type);
    auth_ = std::move(auth);
    WireRequest req;
    req.method = "POST";
    req.target = "/";
    req.amz_target = target_;
    req.content_type = content_type_;
    req.authorization = auth_;
    req.body = std::move(body);
    return dispatcher_->handle(req);
  }

  // A CBOR call that must succeed; its answer decoded.
  json cbor_ok(std::string_view operation, const json& request) {
    last_ = raw(operation, cbor_of(request));
    EXPECT_EQ(last_.status, 200u) << operation << ": " << describe(last_);
    EXPECT_EQ(last_.content_type, kCbor) << operation;
    auto decoded = cbor_decode(last_.body);
    EXPECT_TRUE(decoded.ok()) << operation << ": " << (decoded.ok() ? "" : decoded.error().message);
    return decoded.ok() ? *decoded : json();
  }

  json json_ok(std::string_view operation, const json& request) {
    WireResponse r = raw(operation, request.dump(), kJson);
    EXPECT_EQ(r.status, 200u) << operation << ": " << r.body;
    return json::parse(r.body);
  }

  // A CBOR error answer: status, the error map, and the header.
  json cbor_error(const WireResponse& r, unsigned status, std::string_view type) {
    EXPECT_EQ(r.status, status) << describe(r);
    EXPECT_EQ(r.content_type, kCbor);
    auto it = std::find_if(r.headers.begin(), r.headers.end(),
                           [](const auto& h) { return h.first == "x-amzn-ErrorType"; });
    EXPECT_NE(it, r.headers.end());
    if (it != r.headers.end()) {
      EXPECT_EQ(it->second, type);
    }
    auto decoded = cbor_decode(r.body);
    EXPECT_TRUE(decoded.ok());
    if (!decoded.ok()) return json();
    EXPECT_EQ((*decoded)["__type"], type);
    EXPECT_TRUE((*decoded)["message"].is_string());
    return *decoded;
  }

  static std::string describe(const WireResponse& r) {
    auto decoded = cbor_decode(r.body);
    return decoded.ok() ? decoded->dump() : r.body;
  }

  void create(const std::string& name, int shards) {
    cbor_ok("CreateStream", {{"StreamName", name}, {"ShardCount", shards}});
    clock_.advance_ms(kCreateDelayMs);
  }

  std::unique_ptr<engine::ResourceStore> resources_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::string target_, content_type_, auth_;
  WireResponse last_;
};

TEST_F(CborDispatcherTest, PutRecordFromHandWrittenBytes) {
  create("s1", 1);
  // {"StreamName": "s1", "Data": h'010203', "PartitionKey": "pk"} with Jackson's indefinite map.
  WireResponse r = raw("PutRecord", hex("BF"
                                        "6A 53747265616D4E616D65 62 7331"
                                        "64 44617461 43 010203"
                                        "6C 506172746974696F6E4B6579 62 706B"
                                        "FF"));
  ASSERT_EQ(r.status, 200u) << describe(r);
  EXPECT_EQ(r.content_type, kCbor);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(static_cast<unsigned char>(r.body[0]), 0xA2);  // a definite map of two
  auto reply = cbor_decode(r.body);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["ShardId"], "shardId-000000000000");
  EXPECT_EQ((*reply)["SequenceNumber"].get<std::string>().size(), 39u);

  const json it = cbor_ok("GetShardIterator", {{"StreamName", "s1"},
                                               {"ShardId", "shardId-000000000000"},
                                               {"ShardIteratorType", "TRIM_HORIZON"}});
  const json page = cbor_ok("GetRecords", {{"ShardIterator", it["ShardIterator"]}});
  ASSERT_EQ(page["Records"].size(), 1u);
  const json& rec = page["Records"][0];
  EXPECT_EQ(rec["Data"], json::binary({1, 2, 3}));
  EXPECT_EQ(rec["PartitionKey"], "pk");
  EXPECT_EQ(rec["SequenceNumber"], (*reply)["SequenceNumber"]);
  EXPECT_EQ(tagged_ms_after(last_.body, "ApproximateArrivalTimestamp"), clock_.now_ms());
}

TEST_F(CborDispatcherTest, ReadOperationsAnswerTheSameInCborAsInJson) {
  create("s1", 2);
  json records = json::array();
  for (int i = 0; i < 6; ++i) {
    records.push_back({{"Data", json::binary({static_cast<std::uint8_t>(i), 0xFF, 0x00})},
                       {"PartitionKey", "key-" + std::to_string(i)}});
  }
  const json put = cbor_ok("PutRecords", {{"StreamName", "s1"}, {"Records", records}});
  EXPECT_EQ(put["FailedRecordCount"], 0);
  ASSERT_EQ(put["Records"].size(), 6u);
  for (const json& r : put["Records"]) {
    EXPECT_EQ(r["SequenceNumber"].get<std::string>().size(), 39u);
    EXPECT_EQ(r["ShardId"].get<std::string>().rfind("shardId-", 0), 0u);
  }

  const json iterator_request = {{"StreamName", "s1"},
                                 {"ShardId", put["Records"][0]["ShardId"]},
                                 {"ShardIteratorType", "TRIM_HORIZON"}};
  const std::vector<std::pair<std::string, json>> calls = {
      {"DescribeStream", {{"StreamName", "s1"}}},
      {"DescribeStreamSummary", {{"StreamName", "s1"}}},
      {"ListStreams", json::object()},
      {"ListShards", {{"StreamName", "s1"}}},
      {"DescribeLimits", json::object()},
      {"GetShardIterator", iterator_request},
  };
  for (const auto& [operation, request] : calls) {
    SCOPED_TRACE(operation);
    EXPECT_EQ(as_json_protocol(cbor_ok(operation, request)), json_ok(operation, request));
  }
  const json shard_iterator = cbor_ok("GetShardIterator", iterator_request)["ShardIterator"];
  const json get = {{"ShardIterator", shard_iterator}, {"Limit", 2}};
  const json in_cbor = cbor_ok("GetRecords", get);
  EXPECT_EQ(as_json_protocol(in_cbor), json_ok("GetRecords", get));
  EXPECT_EQ(in_cbor["Records"].size(), 2u);
  EXPECT_TRUE(in_cbor["NextShardIterator"].is_string());

  // Timestamps on the wire: tag 1 over integer epoch milliseconds.
  cbor_ok("DescribeStreamSummary", {{"StreamName", "s1"}});
  EXPECT_EQ(tagged_ms_after(last_.body, "StreamCreationTimestamp"), engine::kStartMs);
  cbor_ok("GetRecords", get);
  EXPECT_EQ(tagged_ms_after(last_.body, "ApproximateArrivalTimestamp"),
            engine::kStartMs + kCreateDelayMs);
}

TEST_F(CborDispatcherTest, WriteOperationsAnswerInCbor) {
  create("s1", 1);
  EXPECT_EQ(cbor_ok("IncreaseStreamRetentionPeriod",
                    {{"StreamName", "s1"}, {"RetentionPeriodHours", 48}}),
            json::object());
  EXPECT_EQ(last_.body, hex("A0"));
  clock_.advance_ms(1000);
  EXPECT_EQ(cbor_ok("DecreaseStreamRetentionPeriod",
                    {{"StreamName", "s1"}, {"RetentionPeriodHours", 24}}),
            json::object());
  clock_.advance_ms(1000);
  const json put = cbor_ok("PutRecord", {{"StreamName", "s1"},
                                         {"Data", json::binary({})},
                                         {"PartitionKey", "k"},
                                         {"ExplicitHashKey", "0"}});
  EXPECT_EQ(put["ShardId"], "shardId-000000000000");
  EXPECT_EQ(cbor_ok("DeleteStream", {{"StreamName", "s1"}}), json::object());
}

TEST_F(CborDispatcherTest, AtTimestampTakesTag1Milliseconds) {
  create("s1", 1);
  cbor_ok("PutRecord", {{"StreamName", "s1"}, {"Data", json::binary({1})}, {"PartitionKey", "k"}});
  clock_.advance_ms(5000);
  const std::int64_t second_ms = clock_.now_ms();
  cbor_ok("PutRecord", {{"StreamName", "s1"}, {"Data", json::binary({2})}, {"PartitionKey", "k"}});
  clock_.advance_ms(5000);

  // {"StreamName": "s1", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_TIMESTAMP",
  //  "Timestamp": 1(second_ms)}, as the Java SDKs write it.
  std::string body = cbor_of({{"StreamName", "s1"},
                              {"ShardId", "shardId-000000000000"},
                              {"ShardIteratorType", "AT_TIMESTAMP"}});
  body[0] = static_cast<char>(0xA4);  // one more pair
  body += hex("69 54696D657374616D70 C1 1B");
  for (int shift = 56; shift >= 0; shift -= 8) {
    body.push_back(static_cast<char>((static_cast<std::uint64_t>(second_ms) >> shift) & 0xFF));
  }
  WireResponse r = raw("GetShardIterator", body);
  ASSERT_EQ(r.status, 200u) << describe(r);
  const json page =
      cbor_ok("GetRecords", {{"ShardIterator", (*cbor_decode(r.body))["ShardIterator"]}});
  ASSERT_EQ(page["Records"].size(), 1u);
  EXPECT_EQ(page["Records"][0]["Data"], json::binary({2}));
}

TEST_F(CborDispatcherTest, EngineAndValidationErrorsAreCborMaps) {
  json e = cbor_error(raw("DescribeStream", cbor_of({{"StreamName", "missing"}})), 400,
                      "ResourceNotFoundException");
  EXPECT_NE(e["message"].get<std::string>().find("missing"), std::string::npos);

  e = cbor_error(raw("DescribeStream", cbor_of({{"StreamName", "a b"}})), 400,
                 "ValidationException");
  EXPECT_EQ(e["message"],
            "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");

  // A blob as a number: a type error.
  cbor_error(raw("PutRecord", cbor_of({{"StreamName", "s"}, {"Data", 5}, {"PartitionKey", "k"}})),
             400, "SerializationException");
  cbor_error(raw("DescribeLimits", "", kCbor, ""), 403, "MissingAuthenticationTokenException");
  cbor_error(raw("Frobnicate", cbor_of(json::object())), 400, "UnknownOperationException");
}

TEST_F(CborDispatcherTest, MalformedCborIsSerializationExceptionInCbor) {
  const std::vector<std::pair<const char*, std::string>> bodies = {
      {"truncated", hex("A1 6A 53747265616D4E616D65 62 73")},
      {"array at the top", hex("81 A0")},
      {"text at the top", hex("61 78")},
      {"tag 1 over text", hex("A1 69 54696D657374616D70 C1 61 78")},
      {"reserved tag encoding", hex("A1 61 61 DC 00")},
      {"trailing bytes", hex("A0 A0")},
  };
  for (const auto& [name, body] : bodies) {
    SCOPED_TRACE(name);
    cbor_error(raw("DescribeStream", body), 400, "SerializationException");
  }
  // Nothing broke: the next call works.
  create("after", 1);
}

TEST_F(CborDispatcherTest, ContentTypeIsMatchedCaseInsensitively) {
  WireResponse r = raw("DescribeLimits", hex("BF FF"), "Application/X-Amz-CBOR-1.1; charset=x");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, kCbor);
  EXPECT_TRUE(cbor_decode(r.body).ok());
}

TEST_F(CborDispatcherTest, JsonIsUnchanged) {
  WireResponse r = raw("DescribeStream", R"({"StreamName":"missing"})", kJson);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.content_type, kJson);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(json::parse(r.body)["__type"], "ResourceNotFoundException");
}

TEST_F(CborDispatcherTest, RejectionsFollowTheRequestsContentType) {
  const Error too_large = make_error(errc::request_entity_too_large, "too large");
  WireResponse r = dispatcher_->reject(too_large, kCbor);
  cbor_error(r, 413, "RequestEntityTooLargeException");
  r = dispatcher_->reject(too_large);
  EXPECT_EQ(r.content_type, kJson);
  EXPECT_EQ(json::parse(r.body)["__type"], "RequestEntityTooLargeException");
}

}  // namespace
}  // namespace kinesis_emulator::protocol
