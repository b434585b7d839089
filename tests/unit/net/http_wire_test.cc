// The response heads written by hand in net/http_wire.cc, read back by Beast's own parser: a
// fixed-length answer, and a chunked streaming one whose pieces must come back whole.
#include "net/http_wire.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <string>

namespace kinesis_emulator::net {
namespace {

namespace http = boost::beast::http;

// Parses `bytes` as one response; its body.
http::response<http::string_body> parse(const std::string& bytes) {
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(used, bytes.size());
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

protocol::WireResponse answer() {
  protocol::WireResponse r;
  r.status = 200;
  r.content_type = "application/vnd.amazon.eventstream";
  r.request_id = "req-1";
  r.headers.emplace_back("x-amz-id-2", "abc");
  return r;
}

TEST(HttpWire, AFixedLengthAnswerParses) {
  protocol::WireResponse r = answer();
  r.body = "hello";
  std::string out;
  append_response_head(out, r, true, 11);
  out += r.body;
  const auto parsed = parse(out);
  EXPECT_EQ(parsed.result_int(), 200);
  EXPECT_EQ(parsed[http::field::content_type], "application/vnd.amazon.eventstream");
  EXPECT_EQ(parsed["x-amzn-RequestId"], "req-1");
  EXPECT_EQ(parsed.body(), "hello");
  EXPECT_TRUE(parsed.keep_alive());
}

TEST(HttpWire, AChunkedAnswerCarriesEveryPieceAndEnds) {
  std::string out;
  append_chunked_head(out, answer(), true);
  EXPECT_EQ(out.find("Content-Length"), std::string::npos);
  const std::string big(70000, 'x');  // a size of several hex digits
  append_chunk(out, "first");
  append_chunk(out, "");  // nothing: an empty chunk would end the body
  append_chunk(out, big);
  append_chunk(out, std::string("\0\r\n", 3));
  append_last_chunk(out);
  const auto parsed = parse(out);
  EXPECT_EQ(parsed.result_int(), 200);
  EXPECT_TRUE(parsed.chunked());
  EXPECT_EQ(parsed["x-amz-id-2"], "abc");
  EXPECT_EQ(parsed.body(), "first" + big + std::string("\0\r\n", 3));
  EXPECT_TRUE(parsed.keep_alive());
}

TEST(HttpWire, AChunkedAnswerCanCloseTheConnection) {
  std::string out;
  append_chunked_head(out, answer(), false);
  append_last_chunk(out);
  const auto parsed = parse(out);
  EXPECT_FALSE(parsed.keep_alive());
  EXPECT_EQ(parsed.body(), "");
}

}  // namespace
}  // namespace kinesis_emulator::net
