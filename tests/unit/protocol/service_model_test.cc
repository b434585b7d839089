#include "protocol/service_model.h"
#include "services/kinesis/model.h"

#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kinesis_emulator::protocol {
namespace {

std::vector<std::string> member_names(const Shape& shape) {
  std::vector<std::string> out;
  for (const Member& m : shape.members) out.push_back(m.name);
  return out;
}

const Member* find_member(const Shape& shape, std::string_view name) {
  for (const Member& m : shape.members) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

TEST(ServiceModelTest, EmbeddedKinesisModelHasMetadataAndAllOperations) {
  const ServiceModel& model = services::kinesis::service_model();
  EXPECT_EQ(model.target_prefix(), "Kinesis_20131202");
  EXPECT_EQ(model.api_version(), "2013-12-02");
  const auto ops = model.operations();
  EXPECT_EQ(ops.size(), 45u);
  for (const char* name :
       {"AddTagsToStream", "CreateStream", "DeleteStream", "DescribeStream",
        "DescribeStreamSummary", "GetRecords", "GetShardIterator", "ListShards", "ListStreams",
        "MergeShards", "PutRecord", "PutRecords", "SplitShard", "SubscribeToShard",
        "RegisterStreamConsumer", "UpdateShardCount", "UpdateStreamMode"}) {
    const Operation* op = model.find_operation(name);
    ASSERT_NE(op, nullptr) << name;
    EXPECT_EQ(op->name, name);
    ASSERT_NE(op->input, nullptr) << name;
    EXPECT_EQ(op->input->type, ShapeType::structure) << name;
  }
  EXPECT_EQ(model.find_operation("NoSuchOperation"), nullptr);
  EXPECT_EQ(model.find_operation("putRecord"), nullptr);
}

TEST(ServiceModelTest, ParsesOnceAndReturnsTheSameInstance) {
  EXPECT_EQ(&services::kinesis::service_model(), &services::kinesis::service_model());
}

TEST(ServiceModelTest, OperationsAreSortedAndResolveInputsAndOutputs) {
  const ServiceModel& model = services::kinesis::service_model();
  const auto ops = model.operations();
  for (std::size_t i = 1; i < ops.size(); ++i) EXPECT_LT(ops[i - 1]->name, ops[i]->name);

  const Operation* put = model.find_operation("PutRecord");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->input->name, "PutRecordInput");
  ASSERT_NE(put->output, nullptr);
  EXPECT_EQ(put->output->name, "PutRecordOutput");

  const Operation* create = model.find_operation("CreateStream");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->input->name, "CreateStreamInput");
  EXPECT_EQ(create->output, nullptr);  // CreateStream returns an empty body
}

TEST(ServiceModelTest, StructureMembersKeepModelOrderAndRequiredFlags) {
  const Shape* input = services::kinesis::service_model().find_shape("PutRecordInput");
  ASSERT_NE(input, nullptr);
  EXPECT_EQ(input->type, ShapeType::structure);
  EXPECT_EQ(
      member_names(*input),
      (std::vector<std::string>{"StreamName", "Data", "PartitionKey", "ExplicitHashKey",
                                "SequenceNumberForOrdering", "StreamARN", "StreamId", "DryRun"}));
  EXPECT_FALSE(find_member(*input, "StreamName")->required);
  EXPECT_TRUE(find_member(*input, "Data")->required);
  EXPECT_FALSE(find_member(*input, "PartitionKey")->required);  // not for AUTO streams

  const Member* data = find_member(*input, "Data");
  ASSERT_NE(data->shape, nullptr);
  EXPECT_EQ(data->shape->name, "Data");
  EXPECT_EQ(data->shape->type, ShapeType::blob);
  EXPECT_EQ(data->shape->min, 0);
  EXPECT_EQ(data->shape->max, 10485760);
}

TEST(ServiceModelTest, StringShapeConstraints) {
  const Shape* name = services::kinesis::service_model().find_shape("StreamName");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->type, ShapeType::string);
  EXPECT_EQ(name->min, 1);
  EXPECT_EQ(name->max, 128);
  EXPECT_EQ(name->pattern_text, "[a-zA-Z0-9_.-]+");
  EXPECT_TRUE(name->pattern.has_value());
  EXPECT_TRUE(name->matches_pattern("my-stream_1.0"));
  EXPECT_FALSE(name->matches_pattern("a b"));
  EXPECT_FALSE(name->matches_pattern(""));
  EXPECT_FALSE(name->matches_pattern("stream/1"));

  const Shape* type = services::kinesis::service_model().find_shape("ShardIteratorType");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->enum_values,
            (std::vector<std::string>{"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON",
                                      "LATEST", "AT_TIMESTAMP"}));
  EXPECT_FALSE(type->pattern.has_value());
  EXPECT_TRUE(type->matches_pattern("anything"));

  const Shape* limit = services::kinesis::service_model().find_shape("GetRecordsInputLimit");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->type, ShapeType::integer);
  EXPECT_EQ(limit->min, 1);
  EXPECT_EQ(limit->max, 10000);

  const Shape* retention = services::kinesis::service_model().find_shape("RetentionPeriodHours");
  ASSERT_NE(retention, nullptr);
  EXPECT_FALSE(retention->min.has_value());
  EXPECT_FALSE(retention->max.has_value());
}

TEST(ServiceModelTest, ContainersResolveTheirElementShapes) {
  const ServiceModel& model = services::kinesis::service_model();
  const Shape* entries = model.find_shape("PutRecordsRequestEntryList");
  ASSERT_NE(entries, nullptr);
  EXPECT_EQ(entries->type, ShapeType::list);
  EXPECT_EQ(entries->min, 1);
  EXPECT_EQ(entries->max, 500);
  ASSERT_NE(entries->member, nullptr);
  EXPECT_EQ(entries->member, model.find_shape("PutRecordsRequestEntry"));

  const Shape* tags = model.find_shape("TagMap");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->type, ShapeType::map);
  EXPECT_EQ(tags->key, model.find_shape("TagKey"));
  EXPECT_EQ(tags->value, model.find_shape("TagValue"));

  const Shape* filter = model.find_shape("ShardFilter");
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(member_names(*filter), (std::vector<std::string>{"Type", "ShardId", "Timestamp"}));
  EXPECT_EQ(filter->members[2].shape->type, ShapeType::timestamp);

  EXPECT_EQ(model.find_shape("MillisBehindLatest")->type, ShapeType::long_);
  EXPECT_EQ(model.find_shape("BooleanObject")->type, ShapeType::boolean);
  EXPECT_EQ(model.find_shape("NoSuchShape"), nullptr);
}

TEST(ServiceModelTest, AlternationPatternsAreAnchoredAsAWhole) {
  const Shape* hash_key = services::kinesis::service_model().find_shape("HashKey");
  ASSERT_NE(hash_key, nullptr);
  EXPECT_EQ(hash_key->pattern_text, "0|([1-9]\\d{0,38})");
  EXPECT_TRUE(hash_key->matches_pattern("0"));
  EXPECT_TRUE(hash_key->matches_pattern("340282366920938463463374607431768211455"));    // 39 digits
  EXPECT_FALSE(hash_key->matches_pattern("3402823669209384634633746074317682114550"));  // 40
  EXPECT_FALSE(hash_key->matches_pattern("01"));
  EXPECT_FALSE(hash_key->matches_pattern("0x"));
  EXPECT_FALSE(hash_key->matches_pattern("12a"));
  EXPECT_FALSE(hash_key->matches_pattern(""));
}

TEST(ServiceModelTest, ArnPatternsMatchRealArns) {
  const ServiceModel& model = services::kinesis::service_model();
  const Shape* stream_arn = model.find_shape("StreamARN");
  ASSERT_NE(stream_arn, nullptr);
  EXPECT_FALSE(stream_arn->simple_pattern.has_value());  // a real regex
  EXPECT_TRUE(stream_arn->matches_pattern("arn:aws:kinesis:us-east-1:123456789012:stream/s1"));
  EXPECT_TRUE(stream_arn->matches_pattern("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s1"));
  EXPECT_FALSE(stream_arn->matches_pattern("arn:aws:kinesis:us-east-1:12345:stream/s1"));
  EXPECT_FALSE(stream_arn->matches_pattern("arn:aws:kinesis:us-east-1:123456789012:stream/a b"));
  EXPECT_FALSE(stream_arn->matches_pattern("xarn:aws:kinesis:us-east-1:123456789012:stream/s"));

  const Shape* consumer_arn = model.find_shape("ConsumerARN");
  ASSERT_NE(consumer_arn, nullptr);
  EXPECT_TRUE(consumer_arn->matches_pattern(
      "arn:aws:kinesis:us-east-1:123456789012:stream/s1/consumer/c1:1616044553"));
  EXPECT_FALSE(consumer_arn->matches_pattern(
      "arn:aws:kinesis:us-east-1:123456789012:stream/s1/consumer/c1"));
}

// The hand-written matchers must agree with std::regex on the model's own patterns.
TEST(ServiceModelTest, SimplePatternsAgreeWithTheRegex) {
  const char* samples[] = {"",    "0",    "00",   "01",       "1",        "10", "9",
                           "a",   "a-b",  "a b",  "A.z_9",    "-",        ".",  "é",
                           "a/b", "a\\b", "a\nb", "12345678", "1234567a", "[",  "]",
                           "^",   "a+",   "abc-", "1e5",      "-1",       "+1"};
  std::vector<std::string> inputs(std::begin(samples), std::end(samples));
  inputs.push_back(std::string(39, '9'));
  inputs.push_back("1" + std::string(38, '0'));
  inputs.push_back("1" + std::string(39, '0'));
  inputs.push_back("1" + std::string(128, '7'));
  inputs.push_back("1" + std::string(129, '7'));
  int checked_shapes = 0;
  for (const char* name : {"StreamName", "ShardId", "ConsumerName", "HashKey", "SequenceNumber"}) {
    const Shape* shape = services::kinesis::service_model().find_shape(name);
    ASSERT_NE(shape, nullptr) << name;
    ASSERT_TRUE(shape->simple_pattern.has_value()) << name;
    ASSERT_TRUE(shape->pattern.has_value()) << name;
    for (const std::string& input : inputs) {
      EXPECT_EQ(shape->matches_pattern(input), std::regex_match(input, *shape->pattern))
          << name << " on '" << input << "'";
    }
    ++checked_shapes;
  }
  EXPECT_EQ(checked_shapes, 5);
}

TEST(ServiceModelTest, ParsesAMinimalModel) {
  auto model = ServiceModel::parse(R"({
    "metadata": {"apiVersion": "2020-01-01", "targetPrefix": "Test_20200101"},
    "operations": {
      "Echo": {"input": {"shape": "EchoInput"}, "output": {"shape": "EchoOutput"}},
      "Ping": {}
    },
    "shapes": {
      "EchoInput": {"type": "structure", "required": ["B"],
                    "members": {"Z": {"shape": "Name"}, "B": {"shape": "Count"},
                                "A": {"shape": "Ratio"}}},
      "EchoOutput": {"type": "structure", "members": {}},
      "Name": {"type": "string", "min": 1, "max": 5, "pattern": "[a-z]+"},
      "Count": {"type": "long", "min": 0},
      "Ratio": {"type": "double"}
    }
  })");
  ASSERT_TRUE(model.ok()) << model.error().message;
  const ServiceModel& m = **model;
  EXPECT_EQ(m.target_prefix(), "Test_20200101");
  EXPECT_EQ(m.api_version(), "2020-01-01");
  ASSERT_EQ(m.operations().size(), 2u);
  const Operation* ping = m.find_operation("Ping");
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->input, nullptr);
  EXPECT_EQ(ping->output, nullptr);
  const Shape* input = m.find_operation("Echo")->input;
  // Model order, not alphabetical.
  EXPECT_EQ(member_names(*input), (std::vector<std::string>{"Z", "B", "A"}));
  EXPECT_TRUE(input->members[1].required);
  EXPECT_EQ(input->members[1].shape->type, ShapeType::long_);
  EXPECT_EQ(input->members[2].shape->type, ShapeType::double_);
}

TEST(ServiceModelTest, RejectsMalformedModels) {
  const char* bad[] = {
      "not json",
      "[]",
      R"({"shapes": {}, "operations": {}})",    // no metadata
      R"({"metadata": {}, "operations": {}})",  // no shapes
      R"({"metadata": {}, "shapes": {}})",      // no operations
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "quaternion"}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"min": 1}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"S": {"type": "string", "max": "x"}}})",
      R"({"metadata": {}, "operations": {},
          "shapes": {"S": {"type": "string", "pattern": "[a-z"}}})",
      R"({"metadata": {}, "operations": {},
          "shapes": {"S": {"type": "structure", "members": {"A": {"shape": "Missing"}}}}})",
      R"({"metadata": {}, "operations": {},
          "shapes": {"S": {"type": "structure", "required": ["B"], "members": {}}}})",
      R"({"metadata": {}, "operations": {}, "shapes": {"L": {"type": "list"}}})",
      R"({"metadata": {}, "operations": {"Op": {"input": {"shape": "Missing"}}}, "shapes": {}})",
      R"({"metadata": {}, "operations": {"Op": {"input": {"shape": "S"}}},
          "shapes": {"S": {"type": "string"}}})",
  };
  for (const char* text : bad) {
    auto model = ServiceModel::parse(text);
    ASSERT_FALSE(model.ok()) << "accepted: " << text;
    EXPECT_EQ(model.error().code, errc::internal_failure);
    EXPECT_FALSE(model.error().message.empty());
  }
}

}  // namespace
}  // namespace kinesis_emulator::protocol
