#include "protocol/base64.h"

#include <openssl/evp.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kinesis_emulator::protocol {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(std::string_view("")), "");
  EXPECT_EQ(base64_encode(std::string_view("f")), "Zg==");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(std::string_view("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(std::string_view("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
}

TEST(Base64Test, DecodesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"Zg==", "f"},
                                                         {"Zm8=", "fo"},
                                                         {"Zm9v", "foo"},
                                                         {"Zm9vYg==", "foob"},
                                                         {"Zm9vYmE=", "fooba"},
                                                         {"Zm9vYmFy", "foobar"}};
  for (const auto& [text, plain] : vectors) {
    auto decoded = base64_decode(text);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(*decoded, bytes_of(plain)) << text;
  }
}

TEST(Base64Test, UsesTheStandardAlphabetForAllByteValues) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  const std::string text = base64_encode(all);
  EXPECT_NE(text.find('+'), std::string::npos);
  EXPECT_NE(text.find('/'), std::string::npos);
  EXPECT_EQ(text.find('-'), std::string::npos);
  EXPECT_EQ(text.find('_'), std::string::npos);
  auto decoded = base64_decode(text);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, all);
}

TEST(Base64Test, MatchesOpenSslAndRoundTripsEveryLength) {
  std::mt19937 rng(42);
  for (std::size_t length = 0; length < 300; ++length) {
    std::vector<std::uint8_t> data(length);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::string ours = base64_encode(data);
    EXPECT_EQ(ours.size(), base64_encoded_size(length));

    std::string reference(base64_encoded_size(length) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(reference.data()),
                                        data.data(), static_cast<int>(data.size()));
    reference.resize(static_cast<std::size_t>(written));
    EXPECT_EQ(ours, reference) << "length " << length;

    std::vector<std::uint8_t> back;
    ASSERT_TRUE(base64_decode_into(ours, back)) << "length " << length;
    EXPECT_EQ(back, data) << "length " << length;
  }
}

TEST(Base64Test, EncodeAppendKeepsExistingContent) {
  std::string out = "prefix:";
  const auto data = bytes_of("foobar");
  base64_encode_append(data, out);
  EXPECT_EQ(out, "prefix:Zm9vYmFy");
}

TEST(Base64Test, RejectsMalformedInput) {
  const char* bad[] = {
      "Zg",              // unpadded
      "Zm8",             // unpadded
      "Zg=",             // short padding
      "Zm9vY",           // length not a multiple of four
      "Z===",            // too much padding
      "====",            // only padding
      "=Zg=",            // padding at the start
      "Zg==Zg==",        // padding in the middle
      "Zm=v",            // padding before a data character
      "Zm9v!A==",        // not in the alphabet
      "Zm9v YmFy",       // whitespace
      "Zm9v\nYmFy",      // line break
      " Zm9vYmFy",       // leading whitespace
      "Zm9vYmFy ",       // trailing whitespace
      "Zm9v-_==",        // URL-safe alphabet
      "Zm9v\xc3\xa9==",  // non-ASCII
  };
  for (const char* text : bad) {
    auto decoded = base64_decode(text);
    ASSERT_FALSE(decoded.ok()) << "accepted: " << text;
    EXPECT_EQ(decoded.error().code, errc::serialization);
    std::vector<std::uint8_t> out;
    EXPECT_FALSE(base64_decode_into(text, out)) << text;
  }
}

TEST(Base64Test, RejectsNulBytes) {
  const std::string text("Zm9v\0\0\0\0", 8);
  std::vector<std::uint8_t> out;
  EXPECT_FALSE(base64_decode_into(text, out));
}

TEST(Base64Test, DecodeIntoReplacesPreviousContent) {
  std::vector<std::uint8_t> out = bytes_of("leftover bytes");
  ASSERT_TRUE(base64_decode_into("Zm9v", out));
  EXPECT_EQ(out, bytes_of("foo"));
  ASSERT_TRUE(base64_decode_into("", out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace kinesis_emulator::protocol
