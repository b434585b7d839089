#include "protocol/serialization_messages.h"

#include <gtest/gtest.h>

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

constexpr const char* kNumber = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
constexpr const char* kList = "Start of list found where not expected";
constexpr const char* kObject = "Start of structure or map found where not expected.";

std::string converted(const char* from, const char* to) {
  return std::string(from) + " can not be converted to " + to;
}

// The whole table: each member type against each JSON value it cannot take.
TEST(SerializationMessagesTest, TypeMismatchTable) {
  struct Row {
    ShapeType type;
    json given;
    std::string message;
  };
  const json list = json::array({1});
  const json object = json::object({{"a", 1}});
  const Row rows[] = {
      {ShapeType::string, true, converted("class java.lang.Boolean", "an String")},
      {ShapeType::string, 12, converted(kNumber, "an String")},
      {ShapeType::string, 1.5, converted(kNumber, "an String")},
      {ShapeType::string, list, kList},
      {ShapeType::string, object, kObject},
      {ShapeType::integer, false, converted("class java.lang.Boolean", "an Integer")},
      {ShapeType::integer, "12", converted("class java.lang.String", "an Integer")},
      {ShapeType::integer, list, kList},
      {ShapeType::integer, object, kObject},
      {ShapeType::long_, true, converted("class java.lang.Boolean", "an Long")},
      {ShapeType::long_, "12", converted("class java.lang.String", "an Long")},
      {ShapeType::double_, "1.5", converted("class java.lang.String", "an Double")},
      {ShapeType::boolean, 1, converted(kNumber, "an Boolean")},
      {ShapeType::boolean, "23", "'23' can not be converted to an Boolean"},
      {ShapeType::boolean, "maybe", "'MAYBE' can not be converted to an Boolean"},
      {ShapeType::boolean, list, kList},
      {ShapeType::boolean, object, kObject},
      {ShapeType::blob, true, converted("class java.lang.Boolean", "a Blob")},
      {ShapeType::blob, 3, converted(kNumber, "a Blob")},
      {ShapeType::blob, list, kList},
      {ShapeType::blob, object, kObject},
      {ShapeType::timestamp, true,
       converted("class java.lang.Boolean", "milliseconds since epoch")},
      {ShapeType::timestamp, "2020-01-01T00:00:00Z",
       converted("class java.lang.String", "milliseconds since epoch")},
      {ShapeType::timestamp, list, kList},
      {ShapeType::timestamp, object, kObject},
      {ShapeType::list, true, "Expected list or null"},
      {ShapeType::list, 1, "Expected list or null"},
      {ShapeType::list, "x", "Expected list or null"},
      {ShapeType::list, object, kObject},
      {ShapeType::map, true, "Expected map or null"},
      {ShapeType::map, 1, "Expected map or null"},
      {ShapeType::map, "x", "Expected map or null"},
      {ShapeType::map, list, kList},
      {ShapeType::structure, true, "Expected null"},
      {ShapeType::structure, 1, "Expected null"},
      {ShapeType::structure, "x", "Expected null"},
      {ShapeType::structure, list, kList},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(type_mismatch_message(row.type, row.given), row.message)
        << shape_type_name(row.type) << " given " << row.given.dump();
  }
}

TEST(SerializationMessagesTest, InvalidBlobText) {
  const std::string prefix = "' can not be converted to a Blob: ";
  EXPECT_EQ(
      invalid_blob_text_message("23456"),
      "'23456" + prefix + "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  EXPECT_EQ(invalid_blob_text_message("=+/="), "'=+/=" + prefix + "Invalid Base64 character: '='");
  EXPECT_EQ(invalid_blob_text_message("ab-d"), "'ab-d" + prefix + "Invalid Base64 character: '-'");
  EXPECT_EQ(invalid_blob_text_message("+/+="),
            "'+/+=" + prefix + "Invalid last non-pad Base64 character dectected");
}

TEST(SerializationMessagesTest, BooleanWords) {
  EXPECT_EQ(boolean_from_text("true"), true);
  EXPECT_EQ(boolean_from_text("TRUE"), true);
  EXPECT_EQ(boolean_from_text("yes"), true);
  EXPECT_EQ(boolean_from_text("1"), true);
  EXPECT_EQ(boolean_from_text("False"), false);
  EXPECT_EQ(boolean_from_text("no"), false);
  EXPECT_EQ(boolean_from_text("0"), false);
  EXPECT_EQ(boolean_from_text(""), std::nullopt);
  EXPECT_EQ(boolean_from_text("2"), std::nullopt);
  EXPECT_EQ(boolean_from_text("truthy"), std::nullopt);
}

}  // namespace
}  // namespace kinesis_emulator::protocol
