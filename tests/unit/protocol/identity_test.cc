// Account identity: the access key id of the SigV4 credential picks the account (12 digits are
// the account id itself), the credential scope picks the region.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/dispatcher.h"
#include "protocol/request_context.h"
#include "services/kinesis/kinesis_service.h"
#include "services/kinesis/model.h"

namespace kinesis_emulator::protocol {
namespace {

using nlohmann::json;

std::string header(std::string_view access_key, std::string_view region = "us-east-1") {
  return "AWS4-HMAC-SHA256 Credential=" + std::string(access_key) + "/20261127/" +
         std::string(region) + "/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab";
}

TEST(SigV4AccessKey, FromAuthorizationHeader) {
  EXPECT_EQ(sigv4_access_key(header("AKIDEXAMPLE")), "AKIDEXAMPLE");
  EXPECT_EQ(sigv4_access_key(header("111122223333")), "111122223333");
  EXPECT_EQ(sigv4_access_key("AWS4-HMAC-SHA256 Credential=ASIA0123456789ABCDEF/20261127/"
                             "eu-west-1/kinesis/aws4_request,SignedHeaders=host,Signature=ab"),
            "ASIA0123456789ABCDEF");
}

TEST(SigV4AccessKey, FromPresignedQuery) {
  EXPECT_EQ(sigv4_access_key("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=444455556666"
                             "%2F20261127%2Fap-south-1%2Fkinesis%2Faws4_request&X-Amz-Date=x"),
            "444455556666");
  EXPECT_EQ(sigv4_access_key("/?X-Amz-Credential=AKID%2F20261127%2Feu-west-1%2Fkinesis%2F"
                             "aws4_request"),
            "AKID");
  // Unencoded slashes in a query are accepted too.
  EXPECT_EQ(sigv4_access_key("/?X-Amz-Credential=AKID/20261127/eu-west-1/kinesis/aws4_request"),
            "AKID");
}

TEST(SigV4AccessKey, MalformedGivesEmpty) {
  EXPECT_EQ(sigv4_access_key(""), "");
  EXPECT_EQ(sigv4_access_key("Bearer x"), "");
  EXPECT_EQ(sigv4_access_key("/"), "");
  EXPECT_EQ(sigv4_access_key("AWS4-HMAC-SHA256 Credential="), "");
  EXPECT_EQ(sigv4_access_key("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE"), "");  // no scope
  EXPECT_EQ(sigv4_access_key("AWS4-HMAC-SHA256 Credential=/20261127/us-east-1/kinesis/x"), "");
  EXPECT_EQ(sigv4_access_key(header("AK ID")), "");
  EXPECT_EQ(sigv4_access_key(header("AKID!")), "");
  EXPECT_EQ(sigv4_access_key("/?X-Amz-Credential=AKID%252F2026%2Fus-east-1"), "");
  EXPECT_EQ(sigv4_access_key(header(std::string(129, 'A'))), "");
  EXPECT_EQ(sigv4_access_key(header(std::string(128, 'A'))), std::string(128, 'A'));
}

TEST(SigV4AccessKey, RegionOfTheSameCredential) {
  EXPECT_EQ(sigv4_region(header("111122223333", "eu-west-1")), "eu-west-1");
  EXPECT_EQ(sigv4_region("/?X-Amz-Credential=444455556666%2F20261127%2Fap-south-1%2Fkinesis%2F"
                         "aws4_request"),
            "ap-south-1");
  EXPECT_EQ(sigv4_region("AWS4-HMAC-SHA256 Credential=AKID/20261127/eu-west-1"), "");
}

TEST(IdentityAccount, TwelveDigitsAreTheAccountId) {
  EXPECT_EQ(account_for_access_key("111122223333", "000000000000"), "111122223333");
  EXPECT_EQ(account_for_access_key("000000000001", "999999999999"), "000000000001");
}

TEST(IdentityAccount, AnythingElseIsTheDefaultAccount) {
  EXPECT_EQ(account_for_access_key("AKIDEXAMPLE", "000000000000"), "000000000000");
  EXPECT_EQ(account_for_access_key("", "123456789012"), "123456789012");
  EXPECT_EQ(account_for_access_key("11112222333", "000000000000"), "000000000000");    // 11
  EXPECT_EQ(account_for_access_key("1111222233334", "000000000000"), "000000000000");  // 13
  EXPECT_EQ(account_for_access_key("11112222333A", "000000000000"), "000000000000");
  EXPECT_EQ(account_for_access_key("AKIA11112222", "000000000000"), "000000000000");
}

class IdentityDispatcherTest : public ::testing::Test {
 protected:
  IdentityDispatcherTest() : dispatcher_({"us-east-1", "123456789012"}) {
    std::map<std::string, Handler> handlers;
    handlers["DescribeLimits"] = [this](const RequestContext& ctx, json&) -> Result<Reply> {
      account_ = ctx.account;
      region_ = ctx.region;
      Reply r;
      r.document = {{"ShardLimit", 1}};
      return r;
    };
    ServiceDefinition service{
        &services::kinesis::service_model(), services::kinesis::error_table(), {}};
    for (auto& [name, handler] : handlers) service.operations[name].handler = handler;
    dispatcher_.add_service(std::move(service));
  }

  unsigned call(std::string authorization, std::string target = "/") {
    authorization_ = std::move(authorization);
    target_ = std::move(target);
    account_.clear();
    region_.clear();
    WireRequest req;
    req.method = "POST";
    req.target = target_;
    req.amz_target = "Kinesis_20131202.DescribeLimits";
    req.authorization = authorization_;
    req.x_amz_date = "20261127T000000Z";
    req.content_type = "application/x-amz-json-1.1";
    req.body = "{}";
    return dispatcher_.handle(req).status;
  }

  Dispatcher dispatcher_;
  std::string authorization_, target_;
  std::string account_, region_;
};

TEST_F(IdentityDispatcherTest, TwelveDigitAccessKeyIsTheAccount) {
  ASSERT_EQ(call(header("111122223333", "eu-west-1")), 200u);
  EXPECT_EQ(account_, "111122223333");
  EXPECT_EQ(region_, "eu-west-1");
  ASSERT_EQ(call(header("444455556666", "us-east-1")), 200u);
  EXPECT_EQ(account_, "444455556666");
  EXPECT_EQ(region_, "us-east-1");
}

TEST_F(IdentityDispatcherTest, OtherAccessKeysUseTheConfiguredAccount) {
  ASSERT_EQ(call(header("AKIDEXAMPLE", "ap-south-1")), 200u);
  EXPECT_EQ(account_, "123456789012");
  EXPECT_EQ(region_, "ap-south-1");
  ASSERT_EQ(call(header("1111222233334")), 200u);
  EXPECT_EQ(account_, "123456789012");
}

TEST_F(IdentityDispatcherTest, MalformedCredentialUsesDefaults) {
  ASSERT_EQ(call("AWS4-HMAC-SHA256 Credential=111122223333, SignedHeaders=host, Signature=ab"),
            200u);
  EXPECT_EQ(account_, "123456789012");
  EXPECT_EQ(region_, "us-east-1");
}

TEST_F(IdentityDispatcherTest, PresignedQueryNamesTheAccount) {
  ASSERT_EQ(call("",
                 "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=444455556666%2F"
                 "20261127%2Feu-west-1%2Fkinesis%2Faws4_request&X-Amz-Signature=ab"
                 "&X-Amz-SignedHeaders=host&X-Amz-Date=20261127T000000Z"),
            200u);
  EXPECT_EQ(account_, "444455556666");
  EXPECT_EQ(region_, "eu-west-1");
  ASSERT_EQ(call("",
                 "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261127%2F"
                 "eu-west-1%2Fkinesis%2Faws4_request&X-Amz-Signature=ab&X-Amz-SignedHeaders=host"
                 "&X-Amz-Date=20261127T000000Z"),
            200u);
  EXPECT_EQ(account_, "123456789012");
}

TEST_F(IdentityDispatcherTest, HeaderWinsOverQuery) {
  ASSERT_EQ(call(header("111122223333", "eu-west-1"),
                 "/?X-Amz-Credential=444455556666%2F20261127%2Fap-south-1%2Fkinesis%2F"
                 "aws4_request"),
            200u);
  EXPECT_EQ(account_, "111122223333");
  EXPECT_EQ(region_, "eu-west-1");
}

TEST_F(IdentityDispatcherTest, NoCredentialIsRefused) {
  EXPECT_EQ(call(""), 400u);
  EXPECT_TRUE(account_.empty());
}

}  // namespace
}  // namespace kinesis_emulator::protocol
