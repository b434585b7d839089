#include "engine/sequence_number.h"

#include "common/uint128.h"

namespace kinesis_emulator::engine {

namespace {
constexpr unsigned kVersion = 1;
}

std::string encode_sequence_number(uint64_t stream_id, uint32_t shard_index, uint64_t position) {
  uint128 v = uint128{1} << 127;
  v |= uint128{kVersion} << 124;
  v |= uint128{stream_tag_of(stream_id)} << 96;
  v |= uint128{shard_index} << 64;
  v |= position;
  return to_decimal(v);
}

std::optional<SequenceNumberParts> decode_sequence_number(std::string_view text) {
  auto v = parse_decimal_u128(text);
  if (!v) return std::nullopt;
  if (((*v >> 127) & 1) == 0 || ((*v >> 124) & 7) != kVersion) return std::nullopt;
  SequenceNumberParts parts;
  parts.stream_tag = static_cast<uint32_t>((*v >> 96) & 0x0fffffff);
  parts.shard_index = static_cast<uint32_t>(*v >> 64);
  parts.position = static_cast<uint64_t>(*v);
  return parts;
}

}  // namespace kinesis_emulator::engine
