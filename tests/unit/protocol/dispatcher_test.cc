#include "protocol/dispatcher.h"
#include "services/kinesis/kinesis_service.h"
#include "services/kinesis/model.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=AKID/20261127/eu-west-2/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc";

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : dispatcher_({"us-east-1", "000000000000"}) {
    std::map<std::string, Handler> handlers;
    handlers["DescribeLimits"] = [this](const RequestContext& ctx, json&) -> Result<Reply> {
      last_region_ = ctx.region;
      last_account_ = ctx.account;
      Reply r;
      r.document = {{"ShardLimit", 7}};
      return r;
    };
    handlers["DeleteStream"] = [](const RequestContext&, json& request) -> Result<Reply> {
      return make_error(errc::resource_not_found,
                        "Stream " + request["StreamName"].get<std::string>() + " not found.");
    };
    handlers["ListStreams"] = [](const RequestContext&, json&) -> Result<Reply> {
      throw std::runtime_error("boom");
    };
    ServiceDefinition service{
        &services::kinesis::service_model(), services::kinesis::error_table(), {}};
    for (auto& [name, handler] : handlers) service.operations[name].handler = handler;
    dispatcher_.add_service(std::move(service));
  }

  WireResponse call(std::string target, std::string body, std::string auth = kAuth,
                    std::string content_type = "application/x-amz-json-1.1") {
    target_ = std::move(target);
    auth_ = std::move(auth);
    content_type_ = std::move(content_type);
    WireRequest req;
    req.method = "POST";
    req.target = "/";
    req.amz_target = target_;
    req.authorization = auth_;
    req.x_amz_date = "20261127T000000Z";
    req.content_type = content_type_;
    req.body = std::move(body);
    return dispatcher_.handle(req);
  }

  static json body_of(const WireResponse& r) { return json::parse(r.body); }

  Dispatcher dispatcher_;
  std::string target_, auth_, content_type_;
  std::string last_region_, last_account_;
};

TEST_F(DispatcherTest, RoutesToHandlerWithRegionFromCredentialScope) {
  WireResponse r = call("Kinesis_20131202.DescribeLimits", "{}");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(body_of(r)["ShardLimit"], 7);
  EXPECT_EQ(last_region_, "eu-west-2");
  EXPECT_EQ(last_account_, "000000000000");
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(r.request_id.size(), 36u);
}

// AWS reads no operation from an empty body: SDKs send {} for operations without members.
TEST_F(DispatcherTest, EmptyBodyIsASerializationException) {
  WireResponse r = call("Kinesis_20131202.DescribeLimits", "");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "SerializationException");
  r = call("Kinesis_20131202.Frobnicate", "");
  EXPECT_EQ(body_of(r)["__type"], "UnknownOperationException");
  // Declared as nothing AWS reads, it is answered in CBOR.
  r = call("Kinesis_20131202.DescribeLimits", "", kAuth, "");
  EXPECT_EQ(r.content_type, "application/x-amz-cbor-1.1");
  EXPECT_EQ(json::from_cbor(r.body)["__type"], "SerializationException");
}

TEST_F(DispatcherTest, UnsupportedContentTypeIs404UnknownOperation) {
  for (const char* type : {"", "text/plain", "application/x-amz-json-1.2"}) {
    WireResponse r = call("Kinesis_20131202.DescribeLimits", "{}", kAuth, type);
    EXPECT_EQ(r.status, 404u) << type;
    EXPECT_EQ(r.body, "<UnknownOperationException/>\n") << type;
    EXPECT_EQ(r.content_type, "") << type;
  }
  // Without a service and operation in the target, access is what is refused.
  WireResponse r = call("DescribeLimits", "{}", kAuth, "text/plain");
  EXPECT_EQ(r.status, 403u);
  EXPECT_NE(r.body.find("<AccessDeniedException>"), std::string::npos);
  // Parameters and spaces around the media type do not matter.
  EXPECT_EQ(call("Kinesis_20131202.DescribeLimits", "{}", kAuth,
                 "  application/x-amz-json-1.1 ; charset=utf-8")
                .status,
            200u);
}

// Body, then operation, then signature, then members.
TEST_F(DispatcherTest, ChecksComeInAwsOrder) {
  WireResponse r = call("Kinesis_20131202.Frobnicate", "{", "");
  EXPECT_EQ(body_of(r)["__type"], "SerializationException");
  r = call("Kinesis_20131202.Frobnicate", "{}", "");
  EXPECT_EQ(body_of(r)["__type"], "UnknownOperationException");
  r = call("Kinesis_20131202.DeleteStream", R"({"StreamName":"a b"})", "");
  EXPECT_EQ(body_of(r)["__type"], "MissingAuthenticationTokenException");
  r = call("Kinesis_20131202.DeleteStream", R"({"StreamName":"a b"})");
  EXPECT_EQ(body_of(r)["__type"], "ValidationException");
}

TEST_F(DispatcherTest, Json10IsAnsweredInKind) {
  WireResponse r =
      call("Kinesis_20131202.DescribeLimits", "{}", kAuth, "application/x-amz-json-1.0");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.0");
}

TEST_F(DispatcherTest, MissingAuthorizationIs400) {
  WireResponse r = call("Kinesis_20131202.DescribeLimits", "{}", "");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "MissingAuthenticationTokenException");
  EXPECT_EQ(body_of(r)["message"], "Missing Authentication Token");
}

TEST_F(DispatcherTest, UnknownTargetIsUnknownOperation) {
  WireResponse r = call("Kinesis_20131202.Frobnicate", "{}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "UnknownOperationException");
  r = call("", "{}");
  EXPECT_EQ(body_of(r)["__type"], "UnknownOperationException");
}

TEST_F(DispatcherTest, ModelledButUnimplementedSaysSo) {
  WireResponse r = call("Kinesis_20131202.SplitShard", "{}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "UnknownOperationException");
  EXPECT_NE(body_of(r)["message"].get<std::string>().find("SplitShard"), std::string::npos);
}

TEST_F(DispatcherTest, MalformedJsonIsSerializationException) {
  for (const char* body : {"{", "not json", "[1,2]", "\"x\""}) {
    WireResponse r = call("Kinesis_20131202.DeleteStream", body);
    EXPECT_EQ(r.status, 400u) << body;
    EXPECT_EQ(body_of(r)["__type"], "SerializationException") << body;
  }
}

TEST_F(DispatcherTest, ValidationHappensBeforeTheHandler) {
  WireResponse r = call("Kinesis_20131202.DeleteStream", R"({"StreamName":"a b"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "ValidationException");
  EXPECT_EQ(body_of(r)["message"],
            "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

TEST_F(DispatcherTest, HandlerErrorsBecomeAwsErrors) {
  WireResponse r = call("Kinesis_20131202.DeleteStream", R"({"StreamName":"gone"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["__type"], "ResourceNotFoundException");
  EXPECT_EQ(body_of(r)["message"], "Stream gone not found.");
}

TEST_F(DispatcherTest, HandlerExceptionIsInternalFailureNotACrash) {
  WireResponse r = call("Kinesis_20131202.ListStreams", "{}");
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(body_of(r)["__type"], "InternalFailure");
}

TEST_F(DispatcherTest, CborIsAnsweredInKind) {
  // More in cbor_dispatcher_test.cc.
  WireResponse r =
      call("Kinesis_20131202.DescribeLimits", "\xa0", kAuth, "application/x-amz-cbor-1.1");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/x-amz-cbor-1.1");
  EXPECT_EQ(json::from_cbor(r.body)["ShardLimit"], 7);
}

TEST_F(DispatcherTest, NonPostIsRefused) {
  WireRequest req;
  req.method = "GET";
  req.target = "/";
  req.authorization = kAuth;
  req.x_amz_date = "20261127T000000Z";
  WireResponse r = dispatcher_.handle(req);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.body,
            "<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be "
            "authorized</Message>\n</AccessDeniedException>\n");
}

TEST(SigV4Region, FromHeaderAndPresignedQuery) {
  EXPECT_EQ(sigv4_region(kAuth), "eu-west-2");
  EXPECT_EQ(
      sigv4_region("/?X-Amz-Credential=AKID%2F20261127%2Fap-south-1%2Fkinesis%2Faws4_request"),
      "ap-south-1");
  EXPECT_EQ(sigv4_region("AWS4-HMAC-SHA256 Credential=AKID/2026/BAD_REGION!/kinesis/aws4_request"),
            "");
  EXPECT_EQ(sigv4_region("Bearer x"), "");
}

TEST(ErrorTable, TheProtocolsOwnErrorsThenTheServicesThenInternalFailure) {
  const ErrorTable none;
  EXPECT_EQ(none.shape(errc::internal_failure).http_status, 500u);
  EXPECT_EQ(none.shape(errc::internal_failure).type, "InternalFailure");
  EXPECT_EQ(none.shape(errc::missing_authentication_token).http_status, 400u);
  EXPECT_EQ(none.shape(errc::incomplete_signature).type, "IncompleteSignatureException");
  EXPECT_EQ(none.shape(errc::invalid_signature).type, "InvalidSignatureException");
  EXPECT_EQ(none.shape(errc::service_unavailable).http_status, 503u);
  EXPECT_EQ(none.shape(errc::request_entity_too_large).http_status, 413u);
  // An engine error the service gives no name is a bug of the service: a 500, not a guess.
  EXPECT_EQ(none.shape(errc::expired_iterator).type, "InternalFailure");
  EXPECT_EQ(none.shape(errc::expired_iterator).http_status, 500u);

  const ErrorTable kinesis = services::kinesis::error_table();
  EXPECT_EQ(kinesis.shape(errc::expired_iterator).type, "ExpiredIteratorException");
  EXPECT_EQ(kinesis.shape(errc::dry_run).type, "DryRunOperationException");
  EXPECT_EQ(kinesis.shape(errc::serialization).type, "SerializationException");

  const json body = json::parse(json_error_body(make_error(errc::limit_exceeded, "too many"),
                                                kinesis.shape(errc::limit_exceeded).type));
  EXPECT_EQ(body, json({{"__type", "LimitExceededException"}, {"message", "too many"}}));
  // A SerializationException's message is under a capital M, as AWS writes it.
  const json serialization =
      json::parse(json_error_body(make_error(errc::serialization, "x"), "SerializationException"));
  EXPECT_EQ(serialization, json({{"__type", "SerializationException"}, {"Message", "x"}}));
}

TEST(ErrorTable, EveryKinesisErrorIsAnExceptionOfItsModel) {
  const ErrorTable kinesis = services::kinesis::error_table();
  for (const ServiceError& e : kinesis.service_errors()) {
    const Shape* shape = services::kinesis::service_model().find_shape(e.type);
    ASSERT_NE(shape, nullptr) << e.type;
    EXPECT_TRUE(shape->exception) << e.type;
  }
}

TEST(ErrorTable, ADefinitionNamingAnErrorTheModelLacksIsRefused) {
  Dispatcher dispatcher({});
  ServiceDefinition service{&services::kinesis::service_model(),
                            {{errc::resource_not_found, "NoSuchThingException", 400}},
                            {}};
  EXPECT_THROW(dispatcher.add_service(std::move(service)), std::logic_error);
}

}  // namespace
}  // namespace kinesis_emulator::protocol
