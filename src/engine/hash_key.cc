#include "engine/hash_key.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace kinesis_emulator::engine {

namespace {
const EVP_MD* md5() {
  // Fetched once: OpenSSL 3's implicit fetch inside EVP_md5() per call costs more than the hash.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  if (md == nullptr) throw std::runtime_error("OpenSSL has no MD5 implementation");
  return md;
}
}  // namespace

uint128 partition_key_hash(std::string_view partition_key) {
  unsigned char digest[16];
  unsigned int len = 0;
  EVP_Digest(partition_key.data(), partition_key.size(), digest, &len, md5(), nullptr);
  uint128 value = 0;
  for (unsigned char byte : digest) value = (value << 8) | byte;
  return value;
}

std::vector<HashRange> split_hash_space(uint32_t count) {
  std::vector<HashRange> ranges;
  if (count == 0) return ranges;
  // floor(2^128 / count) without overflowing: (2^128 - 1) / count, plus one when the remainder
  // of (2^128 - 1) is count - 1.
  uint128 width = uint128_max / count;
  if (uint128_max % count == count - 1) ++width;
  ranges.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    HashRange r;
    r.start = width * i;
    r.end = (i + 1 == count) ? uint128_max : width * (i + 1) - 1;
    ranges.push_back(r);
  }
  return ranges;
}

}  // namespace kinesis_emulator::engine
