// The dispatcher's streaming operations: checked like any request, then answered through the
// stream the connection opens, or with an ordinary error if the handler refused first. The
// stream here records what it was given; net/ implements it for HTTP/1.1 and HTTP/2.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/dispatcher.h"
#include "protocol/response_stream.h"
#include "services/kinesis/kinesis_service.h"
#include "services/kinesis/model.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

constexpr char kConsumer[] =
    "arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1700000000";

class RecordingStream : public ResponseStream {
 public:
  void begin(WireResponse head) override { heads.push_back(std::move(head)); }
  void write(std::string bytes) override { pieces.push_back(std::move(bytes)); }
  void end() override { ended = true; }
  bool closed() const override { return false; }
  std::size_t backlog() const override { return 0; }

  std::vector<WireResponse> heads;
  std::vector<std::string> pieces;
  bool ended = false;
};

class StreamingDispatchTest : public ::testing::Test {
 protected:
  StreamingDispatchTest() : dispatcher_({"us-east-1", "000000000000"}) {
    ServiceDefinition service{
        &services::kinesis::service_model(), services::kinesis::error_table(), {}};
    service.operations["SubscribeToShard"].streaming =
        [this](const RequestContext& ctx, json& request, const OpenStream& open) -> Status {
      ++calls_;
      if (request["ShardId"] == "shardId-000000000009") {
        return make_error(errc::resource_not_found, "Shard shardId-000000000009 not found.");
      }
      if (request["ShardId"] == "shardId-000000000008") return {};  // a handler bug
      std::shared_ptr<ResponseStream> stream = open();
      WireResponse head;
      head.content_type = "application/vnd.amazon.eventstream";
      head.request_id = ctx.request_id;
      stream->begin(std::move(head));
      stream->write("event-1");
      stream->write("event-2");
      stream->end();
      return {};
    };
    dispatcher_.add_service(std::move(service));
  }

  std::optional<WireResponse> subscribe(const json& body, bool with_stream = true) {
    body_ = body.dump();
    WireRequest req;
    req.method = "POST";
    req.target = "/";
    req.amz_target = "Kinesis_20131202.SubscribeToShard";
    req.authorization =
        "AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host, Signature=0";
    req.x_amz_date = "20261203T000000Z";
    req.content_type = "application/x-amz-json-1.1";
    req.body = body_;
    const OpenStream open = [this] {
      ++opened_;
      return stream_;
    };
    return dispatcher_.handle(
        req, [](WireResponse) { ADD_FAILURE() << "no late answer"; },
        with_stream ? open : OpenStream());
  }

  static json valid() {
    return {{"ConsumerARN", kConsumer},
            {"ShardId", "shardId-000000000000"},
            {"StartingPosition", {{"Type", "LATEST"}}}};
  }

  Dispatcher dispatcher_;
  std::shared_ptr<RecordingStream> stream_ = std::make_shared<RecordingStream>();
  std::string body_;
  int calls_ = 0;
  int opened_ = 0;
};

TEST_F(StreamingDispatchTest, AValidRequestIsAnsweredThroughTheStream) {
  const auto answer = subscribe(valid());
  EXPECT_FALSE(answer.has_value());
  EXPECT_EQ(opened_, 1);
  ASSERT_EQ(stream_->heads.size(), 1u);
  EXPECT_EQ(stream_->heads[0].content_type, "application/vnd.amazon.eventstream");
  EXPECT_FALSE(stream_->heads[0].request_id.empty());
  EXPECT_EQ(stream_->pieces, (std::vector<std::string>{"event-1", "event-2"}));
  EXPECT_TRUE(stream_->ended);
}

TEST_F(StreamingDispatchTest, AnInvalidRequestGetsTheValidationErrorAndNoStream) {
  json body = valid();
  body["ShardId"] = "";
  const auto answer = subscribe(body);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 400u);
  EXPECT_EQ(json::parse(answer->body)["__type"], "ValidationException");
  EXPECT_EQ(calls_, 0);
  EXPECT_EQ(opened_, 0);
}

TEST_F(StreamingDispatchTest, AHandlerThatRefusesBeforeOpeningAnswersAnOrdinaryError) {
  json body = valid();
  body["ShardId"] = "shardId-000000000009";
  const auto answer = subscribe(body);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 400u);
  EXPECT_EQ(json::parse(answer->body)["__type"], "ResourceNotFoundException");
  EXPECT_EQ(opened_, 0);
}

TEST_F(StreamingDispatchTest, AHandlerThatNeitherOpensNorRefusesIsAnInternalFailure) {
  json body = valid();
  body["ShardId"] = "shardId-000000000008";
  const auto answer = subscribe(body);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 500u);
}

TEST_F(StreamingDispatchTest, WithoutAStreamTheOperationIsNotSupported) {
  const auto answer = subscribe(valid(), /*with_stream=*/false);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(json::parse(answer->body)["__type"], "UnknownOperationException");
  EXPECT_EQ(calls_, 0);
}

TEST(StreamingDefinition, AStreamingOperationWithAUnaryHandlerTooIsRefused) {
  Dispatcher dispatcher({});
  ServiceDefinition service{
      &services::kinesis::service_model(), services::kinesis::error_table(), {}};
  service.operations["SubscribeToShard"].streaming = [](const RequestContext&, json&,
                                                        const OpenStream&) { return Status{}; };
  service.operations["SubscribeToShard"].handler = [](const RequestContext&,
                                                      json&) -> Result<Reply> { return Reply{}; };
  EXPECT_THROW(dispatcher.add_service(std::move(service)), std::logic_error);
}

}  // namespace
}  // namespace kinesis_emulator::protocol
