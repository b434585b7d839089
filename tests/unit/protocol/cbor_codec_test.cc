// The CBOR codec on byte-exact fixtures written by hand from RFC 8949 (appendix A has more
// examples), the way the AWS SDKs for Java (Jackson's CBORGenerator) write them.
#include "protocol/cbor_codec.h"
#include "services/kinesis/model.h"

#include <gtest/gtest.h>

#include "support/hex.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

using ::testing_support::hex;

// A short definite text string (< 24 or < 256 bytes), written independently of the codec.
std::string text(std::string_view s) {
  std::string out;
  if (s.size() < 24) {
    out.push_back(static_cast<char>(0x60 + s.size()));
  } else {
    out.push_back(static_cast<char>(0x78));
    out.push_back(static_cast<char>(s.size()));
  }
  out.append(s);
  return out;
}

json::binary_t bytes(std::vector<std::uint8_t> v) {
  return json::binary_t(std::move(v));
}

json decode_ok(const std::string& body) {
  auto r = cbor_decode(body);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : json();
}

std::string decode_error(const std::string& body) {
  auto r = cbor_decode(body);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  EXPECT_EQ(r.error().code, errc::serialization);
  return r.error().message;
}

// {"StreamName": "s1", "Data": h'010203', "PartitionKey": "pk"}, definite lengths.
const std::string kPutRecordDefinite =
    hex("A3"
        "6A 53747265616D4E616D65"      // "StreamName"
        "62 7331"                      // "s1"
        "64 44617461"                  // "Data"
        "43 010203"                    // h'010203'
        "6C 506172746974696F6E4B6579"  // "PartitionKey"
        "62 706B");                    // "pk"

TEST(CborDecode, PutRecordWithDefiniteLengths) {
  const json doc = decode_ok(kPutRecordDefinite);
  EXPECT_EQ(doc["StreamName"], "s1");
  EXPECT_EQ(doc["PartitionKey"], "pk");
  ASSERT_TRUE(doc["Data"].is_binary());
  EXPECT_EQ(doc["Data"].get_binary(), bytes({1, 2, 3}));
}

TEST(CborDecode, PutRecordAsJacksonWritesIt) {
  // Jackson's writeStartObject() opens an indefinite-length map (0xBF ... 0xFF); strings may be
  // chunked (0x7F / 0x5F ... 0xFF).
  const json doc =
      decode_ok(hex("BF"
                    "6A 53747265616D4E616D65"
                    "7F 61 73 61 31 FF"  // "s" "1" -> "s1"
                    "64 44617461"
                    "5F 41 01 42 0203 FF"  // h'01' h'0203' -> h'010203'
                    "6C 506172746974696F6E4B6579"
                    "62 706B"
                    "FF"));
  EXPECT_EQ(doc, decode_ok(kPutRecordDefinite));
}

TEST(CborDecode, PutRecordsWithIndefiniteArray) {
  const json doc =
      decode_ok(hex("BF") + text("StreamName") + hex("62 7331") + text("Records") + hex("9F A2") +
                text("Data") + hex("40") + text("PartitionKey") + hex("61 61 A2") + text("Data") +
                hex("41 FF") + text("PartitionKey") + hex("61 62 FF FF"));
  ASSERT_EQ(doc["Records"].size(), 2u);
  EXPECT_EQ(doc["Records"][0]["Data"].get_binary().size(), 0u);
  EXPECT_EQ(doc["Records"][1]["Data"].get_binary(), bytes({0xFF}));
  EXPECT_EQ(doc["Records"][1]["PartitionKey"], "b");
}

TEST(CborDecode, Tag1IsEpochMillisecondsBecomingSeconds) {
  // {"Timestamp": 1(1700000000123)} as the Java SDKs send GetShardIterator AT_TIMESTAMP:
  // 1700000000123 = 0x18BCFE5687B, an eight-byte unsigned integer.
  json doc = decode_ok(hex("A1 69 54696D657374616D70 C1 1B 0000018BCFE5687B"));
  ASSERT_TRUE(doc["Timestamp"].is_number_float());
  EXPECT_DOUBLE_EQ(doc["Timestamp"].get<double>(), 1700000000.123);
  EXPECT_EQ(std::llround(doc["Timestamp"].get<double>() * 1000), 1700000000123);

  // A float under the tag, and a negative one (before 1970).
  doc = decode_ok(hex("A1 61 74 C1 FB 4280000000000000"));  // 2^41 ms
  EXPECT_DOUBLE_EQ(doc["t"].get<double>(), 2199023255.552);
  doc = decode_ok(hex("A1 61 74 C1 39 03E7"));  // -1000 ms
  EXPECT_DOUBLE_EQ(doc["t"].get<double>(), -1.0);
}

TEST(CborDecode, OtherTagsAreIgnored) {
  // Tag 0 (date/time text) and an unassigned tag 4000 over an integer.
  json doc =
      decode_ok(hex("A2 61 61 C0 74 323031332D30332D32315432303A30343A30305A"
                    "61 62 D9 0FA0 05"));
  EXPECT_EQ(doc["a"], "2013-03-21T20:04:00Z");
  EXPECT_EQ(doc["b"], 5);
}

TEST(CborDecode, NumbersFromRfc8949AppendixA) {
  EXPECT_EQ(decode_ok(hex("00")), 0);
  EXPECT_EQ(decode_ok(hex("17")), 23);
  EXPECT_EQ(decode_ok(hex("1818")), 24);
  EXPECT_EQ(decode_ok(hex("1903E8")), 1000);
  EXPECT_EQ(decode_ok(hex("1A000F4240")), 1000000);
  EXPECT_EQ(decode_ok(hex("1B000000E8D4A51000")), 1000000000000u);
  EXPECT_EQ(decode_ok(hex("1BFFFFFFFFFFFFFFFF")), 18446744073709551615u);
  EXPECT_EQ(decode_ok(hex("20")), -1);
  EXPECT_EQ(decode_ok(hex("3863")), -100);
  EXPECT_EQ(decode_ok(hex("3903E7")), -1000);
  EXPECT_EQ(decode_ok(hex("3B7FFFFFFFFFFFFFFF")), std::numeric_limits<std::int64_t>::min());
  EXPECT_DOUBLE_EQ(decode_ok(hex("F93C00")).get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(decode_ok(hex("F93E00")).get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(decode_ok(hex("F90001")).get<double>(), 5.960464477539063e-8);
  EXPECT_DOUBLE_EQ(decode_ok(hex("F9C400")).get<double>(), -4.0);
  EXPECT_TRUE(std::isinf(decode_ok(hex("F97C00")).get<double>()));
  EXPECT_TRUE(std::isnan(decode_ok(hex("F97E00")).get<double>()));
  EXPECT_DOUBLE_EQ(decode_ok(hex("FA47C35000")).get<double>(), 100000.0);
  EXPECT_DOUBLE_EQ(decode_ok(hex("FB3FF199999999999A")).get<double>(), 1.1);
  EXPECT_EQ(decode_ok(hex("F4")), false);
  EXPECT_EQ(decode_ok(hex("F5")), true);
  EXPECT_TRUE(decode_ok(hex("F6")).is_null());
  EXPECT_TRUE(decode_ok(hex("F7")).is_null());  // undefined
}

TEST(CborDecode, RepeatedKeyKeepsTheLastValue) {
  EXPECT_EQ(decode_ok(hex("A2 61 61 01 61 61 02")), (json{{"a", 2}}));
}

TEST(CborDecode, MalformedInputIsASerializationErrorNeverACrash) {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"empty", ""},
      {"truncated map", hex("A3 6A 53747265616D4E616D65 62 73")},
      {"truncated head", hex("19 03")},
      {"truncated indefinite map", hex("BF 61 61 01")},
      {"truncated indefinite string", hex("7F 61 61")},
      {"length beyond the body", hex("5A 00010000 00")},
      {"64-bit length", hex("5B FFFFFFFFFFFFFFFF")},
      {"array count beyond the body", hex("9B 00000000FFFFFFFF 00")},
      {"map count beyond the body", hex("BA FFFFFFFF 61 61 01")},
      {"trailing bytes", hex("A0 00")},
      {"reserved additional information", hex("1C")},
      {"indefinite integer", hex("1F")},
      {"indefinite tag", hex("DF 00")},
      {"stray break", hex("FF")},
      {"break inside a definite map", hex("A1 61 61 FF")},
      {"integer map key", hex("A1 01 02")},
      {"byte string map key", hex("A1 41 61 02")},
      {"invalid UTF-8", hex("A1 61 61 62 C328")},
      {"overlong UTF-8", hex("62 C0AF")},
      {"surrogate in UTF-8", hex("63 EDA080")},
      {"wrong chunk type", hex("7F 41 61 FF")},
      {"nested indefinite chunk", hex("5F 5F 41 01 FF FF")},
      {"tag 1 over text", hex("A1 61 74 C1 61 78")},
      {"tag 1 over a map", hex("C1 A0")},
      {"tag 1 over nothing", hex("C1")},
      {"unassigned simple value", hex("F0")},
      {"two-byte simple value", hex("F8 20")},
      {"negative integer below INT64_MIN", hex("3B 8000000000000000")},
  };
  for (const auto& [name, body] : cases) {
    SCOPED_TRACE(name);
    const std::string message = decode_error(body);
    EXPECT_EQ(message.rfind("The request body is not valid CBOR: ", 0), 0u) << message;
  }
}

TEST(CborDecode, DeepNestingIsRefusedWithoutRecursingFurther) {
  std::string body(100000, static_cast<char>(0x81));  // [[[[...
  body.push_back(0);
  EXPECT_NE(decode_error(body).find("nesting too deep"), std::string::npos);
  std::string ok(60, static_cast<char>(0x81));
  ok.push_back(0);
  EXPECT_TRUE(cbor_decode(ok).ok());
}

TEST(CborDecode, ErrorNamesTheByteOffset) {
  EXPECT_EQ(decode_error(hex("A1 01 02")),
            "The request body is not valid CBOR: a map key that is not a text string at byte 1");
}

// --- encoding ------------------------------------------------------------------------------

TEST(CborWriter, HeadsUseTheShortestForm) {
  std::string out;
  cbor::append_int(out, 0);
  cbor::append_int(out, 23);
  cbor::append_int(out, 24);
  cbor::append_int(out, 255);
  cbor::append_int(out, 256);
  cbor::append_int(out, 65536);
  cbor::append_int(out, 4294967296);
  cbor::append_int(out, -1);
  cbor::append_int(out, -1000);
  cbor::append_int(out, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(out, hex("00 17 1818 18FF 190100 1A00010000 1B0000000100000000 20 3903E7"
                     "3B7FFFFFFFFFFFFFFF"));
}

TEST(CborWriter, TimestampIsTag1OverIntegerMilliseconds) {
  std::string out;
  cbor::append_timestamp_ms(out, 1700000000123);
  EXPECT_EQ(out, hex("C1 1B 0000018BCFE5687B"));
}

const Shape* output_of(const char* operation) {
  const Operation* op = services::kinesis::service_model().find_operation(operation);
  EXPECT_NE(op, nullptr) << operation;
  return op != nullptr ? op->output : nullptr;
}

TEST(CborEncode, GetRecordsDocumentFollowsTheOutputShape) {
  const json doc = {{"Records",
                     {{{"SequenceNumber", "1"},
                       {"ApproximateArrivalTimestamp", 1700000000.123},
                       {"Data", json::binary({1, 2})},
                       {"PartitionKey", "p"}}}},
                    {"MillisBehindLatest", 0}};
  std::string out;
  cbor_encode(doc, output_of("GetRecords"), out);
  // nlohmann keeps object keys sorted.
  EXPECT_EQ(out, hex("A2") + text("MillisBehindLatest") + hex("00") + text("Records") +
                     hex("81 A4") + text("ApproximateArrivalTimestamp") +
                     hex("C1 1B 0000018BCFE5687B") + text("Data") + hex("42 0102") +
                     text("PartitionKey") + text("p") + text("SequenceNumber") + text("1"));
}

TEST(CborEncode, BlobFromBase64TextAndIntegersWrittenAsFloats) {
  // A handler may leave a blob as base64 text, or a long as 5.0: the model says what they are.
  const json doc = {{"Records", {{{"Data", "AQI="}}}}, {"MillisBehindLatest", 5.0}};
  std::string out;
  cbor_encode(doc, output_of("GetRecords"), out);
  EXPECT_EQ(out, hex("A2") + text("MillisBehindLatest") + hex("05") + text("Records") +
                     hex("81 A1") + text("Data") + hex("42 0102"));
}

TEST(CborEncode, NestedTimestampsBooleansAndUnknownMembers) {
  const json doc = {{"StreamDescriptionSummary",
                     {{"StreamCreationTimestamp", 1700000000.5},
                      {"RetentionPeriodHours", 24},
                      {"Unmodelled", 1.5}}},
                    {"Flag", true},
                    {"Gone", nullptr}};
  std::string out;
  cbor_encode(doc, output_of("DescribeStreamSummary"), out);
  EXPECT_EQ(out, hex("A2") + text("Flag") + hex("F5") + text("StreamDescriptionSummary") +
                     hex("A3") + text("RetentionPeriodHours") + hex("18 18") +
                     text("StreamCreationTimestamp") + hex("C1 1B 0000018BCFE569F4") +
                     text("Unmodelled") + hex("FB 3FF8000000000000"));
}

TEST(CborEncode, WithoutShapeByTheDocumentsTypes) {
  const json doc = {{"a", json::array({1, -2, "x", json::binary({9})})}, {"b", 0.5}};
  std::string out;
  cbor_encode(doc, nullptr, out);
  EXPECT_EQ(out, hex("A2 61 61 84 01 21 61 78 41 09 61 62 FB 3FE0000000000000"));
}

TEST(CborEncode, RoundTripsThroughTheDecoder) {
  const json doc = {{"Shards", json::array({{{"ShardId", "shardId-000000000000"},
                                             {"HashKeyRange",
                                              {{"StartingHashKey", "0"},
                                               {"EndingHashKey",
                                                "340282366920938463463374607431"
                                                "768211455"}}}}})},
                    {"NextToken", "t\xC3\xA9"}};
  std::string out;
  cbor_encode(doc, output_of("ListShards"), out);
  EXPECT_EQ(decode_ok(out), doc);
}

TEST(CborErrorBody, TypeAndMessage) {
  EXPECT_EQ(cbor_error_body(make_error(errc::resource_not_found, "Stream x not found."),
                            "ResourceNotFoundException"),
            hex("A2") + text("__type") + text("ResourceNotFoundException") + text("message") +
                text("Stream x not found."));
}

}  // namespace
}  // namespace kinesis_emulator::protocol
