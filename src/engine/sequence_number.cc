#include "engine/sequence_number.h"

#include "common/uint128.h"

namespace kinesis_emulator::engine {

namespace {

constexpr unsigned kVersion = 1;
constexpr std::size_t kPrefixDigits = kSequenceNumberDigits - kLegacySequenceNumberDigits;

// 49, the stream tag (< 2^28, so 9 digits) and the shard index modulo 10^6: 17 digits.
uint64_t prefix_of(uint32_t stream_tag, uint32_t shard_index) {
  return 49'000'000'000'000'000ULL + uint64_t{stream_tag} * 1'000'000ULL + shard_index % 1'000'000U;
}

std::optional<SequenceNumberParts> decode_legacy(std::string_view text) {
  if (text.size() != kLegacySequenceNumberDigits) return std::nullopt;
  auto v = parse_decimal_u128(text);
  if (!v) return std::nullopt;
  if (((*v >> 127) & 1) == 0 || ((*v >> 124) & 7) != kVersion) return std::nullopt;
  SequenceNumberParts parts;
  parts.stream_tag = static_cast<uint32_t>((*v >> 96) & 0x0fffffff);
  parts.shard_index = static_cast<uint32_t>(*v >> 64);
  parts.position = static_cast<uint64_t>(*v);
  return parts;
}

}  // namespace

std::string encode_sequence_number(uint64_t stream_id, uint32_t shard_index, uint64_t position) {
  uint128 v = uint128{1} << 127;
  v |= uint128{kVersion} << 124;
  v |= uint128{stream_tag_of(stream_id)} << 96;
  v |= uint128{shard_index} << 64;
  v |= position;
  // One allocation: this is on every PutRecord and every record GetRecords returns.
  char prefix[kPrefixDigits];
  uint64_t p = prefix_of(stream_tag_of(stream_id), shard_index);
  for (std::size_t i = kPrefixDigits; i-- > 0; p /= 10) prefix[i] = static_cast<char>('0' + p % 10);
  std::string text;
  text.reserve(kSequenceNumberDigits);
  text.append(prefix, kPrefixDigits);
  append_decimal(v, text);
  return text;
}

std::optional<SequenceNumberParts> decode_sequence_number(std::string_view text) {
  if (text.size() == kLegacySequenceNumberDigits) return decode_legacy(text);
  if (text.size() != kSequenceNumberDigits) return std::nullopt;
  uint64_t prefix = 0;
  for (char c : text.substr(0, kPrefixDigits)) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + static_cast<uint64_t>(c - '0');
  }
  auto parts = decode_legacy(text.substr(kPrefixDigits));
  if (!parts || prefix != prefix_of(parts->stream_tag, parts->shard_index)) return std::nullopt;
  return parts;
}

}  // namespace kinesis_emulator::engine
