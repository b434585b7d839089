#include "engine/shard_iterator.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <array>

namespace kinesis_emulator::engine {

namespace {

constexpr uint8_t kVersion = 1;
constexpr std::size_t kFieldBytes = 1 + 8 + 4 + 8 + 8;
constexpr std::size_t kDigestBytes = 12;
constexpr std::size_t kTotalBytes = kFieldBytes + kDigestBytes;
constexpr char kHex[] = "0123456789abcdef";

template <class T>
void put_be(unsigned char*& out, T value) {
  for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8) {
    *out++ = static_cast<unsigned char>(static_cast<uint64_t>(value) >> shift);
  }
}

template <class T>
T get_be(const unsigned char*& in) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v = (v << 8) | *in++;
  return static_cast<T>(v);
}

void digest(const unsigned char* fields, std::string_view key, unsigned char* out) {
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), fields, kFieldBytes, full, &len);
  std::copy(full, full + kDigestBytes, out);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode_shard_iterator(const ShardIteratorParts& parts, std::string_view key) {
  std::array<unsigned char, kTotalBytes> raw{};
  unsigned char* out = raw.data();
  put_be<uint8_t>(out, kVersion);
  put_be<uint64_t>(out, parts.stream_id);
  put_be<uint32_t>(out, parts.shard_index);
  put_be<uint64_t>(out, parts.position);
  put_be<uint64_t>(out, static_cast<uint64_t>(parts.created_ms));
  digest(raw.data(), key, raw.data() + kFieldBytes);
  std::string text(kTotalBytes * 2, '0');
  for (std::size_t i = 0; i < kTotalBytes; ++i) {
    text[2 * i] = kHex[raw[i] >> 4];
    text[2 * i + 1] = kHex[raw[i] & 0xf];
  }
  return text;
}

std::optional<ShardIteratorParts> decode_shard_iterator(std::string_view text,
                                                        std::string_view key) {
  if (text.size() != kTotalBytes * 2) return std::nullopt;
  std::array<unsigned char, kTotalBytes> raw{};
  for (std::size_t i = 0; i < kTotalBytes; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    raw[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  unsigned char expected[kDigestBytes];
  digest(raw.data(), key, expected);
  if (CRYPTO_memcmp(expected, raw.data() + kFieldBytes, kDigestBytes) != 0) return std::nullopt;
  const unsigned char* in = raw.data();
  if (get_be<uint8_t>(in) != kVersion) return std::nullopt;
  ShardIteratorParts parts;
  parts.stream_id = get_be<uint64_t>(in);
  parts.shard_index = get_be<uint32_t>(in);
  parts.position = get_be<uint64_t>(in);
  parts.created_ms = static_cast<int64_t>(get_be<uint64_t>(in));
  return parts;
}

}  // namespace kinesis_emulator::engine
