#pragma once

#include <string>
#include <string_view>

namespace kinesis_emulator::protocol {

enum class Codec { json, cbor };

// Who is calling and how: what a handler may know about the request beyond its body.
struct RequestContext {
  std::string account;
  std::string region;
  std::string request_id;
  Codec codec = Codec::json;
};

// The region of a SigV4 credential scope ("Credential=AKID/20240101/eu-west-1/kinesis/
// aws4_request"), from an Authorization header or a presigned URL's query; empty if none.
std::string_view sigv4_region(std::string_view authorization_or_query);

// The access key id of the same credential ("AKID" above; in a query the separators may be
// %2F); empty if there is none or it is not 1 to 128 letters and digits.
std::string_view sigv4_access_key(std::string_view authorization_or_query);

// The account a request acts in: an access key id of exactly 12 digits is itself the account
// id (LocalStack's convention, so that tests can use several accounts); any other, or none,
// means `default_account`.
std::string account_for_access_key(std::string_view access_key, std::string_view default_account);

}  // namespace kinesis_emulator::protocol
