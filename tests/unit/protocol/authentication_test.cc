#include "protocol/authentication.h"

#include <gtest/gtest.h>

#include <string>

namespace kinesis_emulator::protocol {
namespace {

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=abc";

struct Request {
  explicit Request(std::string auth = {}) : authorization(std::move(auth)) {}

  std::string authorization;
  std::string target = "/";
  std::string x_amz_date = "20261127T000000Z";
  std::string date;

  Status check() const {
    WireRequest r;
    r.method = "POST";
    r.target = target;
    r.authorization = authorization;
    r.x_amz_date = x_amz_date;
    r.date = date;
    return check_signature_present(r);
  }
};

void expect_error(const Status& s, errc code, const std::string& message) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, code);
  EXPECT_EQ(s.error().message, message);
}

TEST(AuthenticationTest, CompleteHeaderPasses) {
  EXPECT_TRUE(Request(kAuth).check().ok());
  Request with_date(kAuth);
  with_date.x_amz_date.clear();
  with_date.date = "Fri, 27 Nov 2026 00:00:00 GMT";
  EXPECT_TRUE(with_date.check().ok());
}

TEST(AuthenticationTest, NoSignatureAtAll) {
  expect_error(Request().check(), errc::missing_authentication_token,
               "Missing Authentication Token");
  // Other query parameters are not a signature.
  Request query;
  query.target = "/?X-Amz-Credential=a";
  expect_error(query.check(), errc::missing_authentication_token, "Missing Authentication Token");
}

TEST(AuthenticationTest, HeaderAndQueryTogether) {
  Request both(kAuth);
  both.target = "/?X-Amz-Algorithm";
  expect_error(both.check(), errc::invalid_signature,
               "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
               "header.");
}

TEST(AuthenticationTest, IncompleteHeaderNamesWhatIsMissing) {
  Request bare("X");
  bare.x_amz_date.clear();
  expect_error(bare.check(), errc::incomplete_signature,
               "Authorization header requires 'Credential' parameter. Authorization header "
               "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
               "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a "
               "'Date' header. Authorization=X");
  expect_error(Request("AWS4- Signature=b, Credential=a").check(), errc::incomplete_signature,
               "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- "
               "Signature=b, Credential=a");
}

TEST(AuthenticationTest, IncompleteQuery) {
  Request query;
  query.target =
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-Date=d";
  expect_error(query.check(), errc::incomplete_signature,
               "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the "
               "query-string parameters.");
  query.target += "&X-Amz-SignedHeaders=host";
  EXPECT_TRUE(query.check().ok());
  query.target = "/?X-Amz-Algorithm=";
  expect_error(query.check(), errc::incomplete_signature,
               "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string "
               "parameters must include 'X-Amz-Credential'. AWS query-string parameters must "
               "include 'X-Amz-Signature'. AWS query-string parameters must include "
               "'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. "
               "Re-examine the query-string parameters.");
}

}  // namespace
}  // namespace kinesis_emulator::protocol
