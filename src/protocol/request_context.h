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

}  // namespace kinesis_emulator::protocol
