#include "common/uint128.h"

#include <cstdint>

namespace kinesis_emulator {

void append_decimal(uint128 value, std::string& out) {
  // 128-bit division is a library call; peel off 19-digit chunks so the digit loop runs on
  // 64-bit words (this is on the GetRecords path, once per record).
  constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;  // 10^19
  char buf[40];
  int pos = 40;
  auto emit = [&](uint64_t chunk, bool pad) {
    int digits = 0;
    while (chunk != 0 || (pad && digits < 19)) {
      buf[--pos] = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
      ++digits;
    }
  };
  if (value == 0) {
    out.push_back('0');
    return;
  }
  while (value > uint128{UINT64_MAX}) {
    emit(static_cast<uint64_t>(value % kChunk), true);
    value /= kChunk;
  }
  emit(static_cast<uint64_t>(value), false);
  out.append(buf + pos, buf + 40);
}

std::string to_decimal(uint128 value) {
  std::string out;
  append_decimal(value, out);
  return out;
}

std::optional<uint128> parse_decimal_u128(std::string_view text) {
  if (text.empty() || text.size() > 39) return std::nullopt;
  uint128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<unsigned>(c - '0');
    if (value > (uint128_max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace kinesis_emulator
