#include "common/random.h"

#include <openssl/rand.h>

#include <array>
#include <random>
#include <stdexcept>

namespace kinesis_emulator {

std::string random_request_id() {
  // Request ids need uniqueness, not secrecy: a per-thread PRNG avoids a syscall per request.
  thread_local std::mt19937_64 gen{std::random_device{}()};
  const uint64_t hi = gen();
  const uint64_t lo = gen();
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::array<unsigned, 32> nibbles{};
  for (int i = 0; i < 16; ++i) {
    nibbles[static_cast<std::size_t>(i)] = static_cast<unsigned>((hi >> (60 - 4 * i)) & 0xf);
    nibbles[static_cast<std::size_t>(16 + i)] = static_cast<unsigned>((lo >> (60 - 4 * i)) & 0xf);
  }
  nibbles[12] = 4;                      // version 4
  nibbles[16] = 8 | (nibbles[16] & 3);  // RFC 4122 variant
  std::size_t n = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    out[i] = hex[nibbles[n++]];
  }
  return out;
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return out;
}

}  // namespace kinesis_emulator
