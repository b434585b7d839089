#include "storage/key_codec.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace kinesis_emulator::storage {
namespace {

std::string record_key(uint64_t stream, uint32_t shard, uint64_t position) {
  std::string key(kRecordKeySize, '\0');
  encode_record_key(key.data(), stream, shard, position);
  return key;
}

TEST(StorageKeyCodecTest, IntegersAreBigEndian) {
  char buf[8];
  put_u64_be(buf, 0x0102030405060708ULL);
  EXPECT_EQ(std::string(buf, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(get_u64_be(buf), 0x0102030405060708ULL);
  char b4[4];
  put_u32_be(b4, 0xa1b2c3d4u);
  EXPECT_EQ(std::string(b4, 4), "\xa1\xb2\xc3\xd4");
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, UINT64_MAX,
                     uint64_t{0x8000000000000000ULL}}) {
    put_u64_be(buf, v);
    EXPECT_EQ(get_u64_be(buf), v);
  }
}

TEST(StorageKeyCodecTest, RecordKeyLayout) {
  const std::string key = record_key(0x0102030405060708ULL, 0x090a0b0cu, 0x1112131415161718ULL);
  ASSERT_EQ(key.size(), 20u);
  EXPECT_EQ(key, std::string("\x01\x02\x03\x04\x05\x06\x07\x08"
                             "\x09\x0a\x0b\x0c"
                             "\x11\x12\x13\x14\x15\x16\x17\x18",
                             20));
  char prefix[kShardPrefixSize];
  encode_shard_prefix(prefix, 0x0102030405060708ULL, 0x090a0b0cu);
  EXPECT_EQ(key.substr(0, kShardPrefixSize), std::string(prefix, kShardPrefixSize));
  EXPECT_EQ(get_u64_be(key.data() + kShardPrefixSize), 0x1112131415161718ULL);
}

TEST(StorageKeyCodecTest, BytewiseOrderIsTupleOrder) {
  std::vector<std::tuple<uint64_t, uint32_t, uint64_t>> tuples = {
      {1, 0, 0},          {1, 0, 1},          {1, 0, 255},       {1, 0, 256}, {1, 0, UINT64_MAX},
      {1, 1, 0},          {1, 255, 0},        {1, 256, 0},       {2, 0, 0},   {256, 0, 0},
      {1, 0, 1ULL << 40}, {1, UINT32_MAX, 5}, {UINT64_MAX, 0, 0}};
  for (const auto& x : tuples) {
    for (const auto& y : tuples) {
      const std::string kx = record_key(std::get<0>(x), std::get<1>(x), std::get<2>(x));
      const std::string ky = record_key(std::get<0>(y), std::get<1>(y), std::get<2>(y));
      EXPECT_EQ(kx < ky, x < y);
    }
  }
}

struct Decoded {
  bool ok = false;
  std::string key;
  std::string data;
};

Decoded decode(std::string_view value) {
  Decoded d;
  std::string_view k, v;
  d.ok = decode_record_value(value, k, v);
  d.key = k;
  d.data = v;
  return d;
}

TEST(StorageKeyCodecTest, ValueWithEmptyKeyAndData) {
  std::string value;
  encode_record_value(value, "", "");
  EXPECT_EQ(value, std::string("\0\0", 2));
  const Decoded d = decode(value);
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.key, "");
  EXPECT_EQ(d.data, "");

  value.clear();
  encode_record_value(value, "pk", "");
  EXPECT_EQ(decode(value).key, "pk");
  EXPECT_EQ(decode(value).data, "");
  value.clear();
  encode_record_value(value, "", std::string_view("\0da\0ta", 6));
  EXPECT_EQ(decode(value).key, "");
  EXPECT_EQ(decode(value).data, std::string("\0da\0ta", 6));
}

TEST(StorageKeyCodecTest, LongKeysUseAMultiByteVarint) {
  struct Case {
    std::size_t key_size;
    std::size_t varint_bytes;
  };
  for (const Case c : {Case{1, 1}, Case{127, 1}, Case{128, 2}, Case{256, 2}, Case{300, 2},
                       Case{16383, 2}, Case{16384, 3}}) {
    const std::string key(c.key_size, 'k');
    const std::string data = "payload\xff";
    std::string value;
    encode_record_value(value, key, data);
    EXPECT_EQ(value.size(), 1 + c.varint_bytes + key.size() + data.size()) << c.key_size;
    const Decoded d = decode(value);
    ASSERT_TRUE(d.ok) << c.key_size;
    EXPECT_EQ(d.key, key);
    EXPECT_EQ(d.data, data);
  }
  // 300 = 0b10'0101100: low seven bits with the continuation bit, then 2.
  std::string value;
  encode_record_value(value, std::string(300, 'k'), "d");
  EXPECT_EQ(static_cast<unsigned char>(value[0]), 0u);  // flags
  EXPECT_EQ(static_cast<unsigned char>(value[1]), 0xacu);
  EXPECT_EQ(static_cast<unsigned char>(value[2]), 0x02u);
}

TEST(StorageKeyCodecTest, EncodingAppendsToExistingBuffer) {
  std::string value = "prefix";
  encode_record_value(value, "k", "d");
  EXPECT_EQ(value, std::string("prefix\0\x01kd", 10));
}

TEST(StorageKeyCodecTest, MalformedValuesAreRejected) {
  EXPECT_FALSE(decode("").ok);
  EXPECT_FALSE(decode(std::string("\0", 1)).ok);      // no length
  EXPECT_FALSE(decode(std::string("\0\x80", 2)).ok);  // truncated varint
  EXPECT_FALSE(decode(std::string("\0\x05"
                                  "abc",
                                  5))
                   .ok);  // key longer than the value
  EXPECT_FALSE(decode(std::string("\0\xff\xff\xff\xff\xff\x01", 7)).ok);  // absurd varint
  EXPECT_TRUE(decode(std::string("\0\x03"
                                 "abc",
                                 5))
                  .ok);  // exactly fits
}

}  // namespace
}  // namespace kinesis_emulator::storage
