#pragma once
// Sequence numbers are 128-bit values shown as 39-digit decimals (the top bit is always set, so
// every one has the same width and string order matches numeric order):
//
//   bit 127     always 1
//   bits 124-126 layout version (1)
//   bits 96-123 low 28 bits of the stream's internal id
//   bits 64-95  shard index
//   bits 0-63   position within the shard: (arrival ms << 22) | counter
//
// A position therefore orders records in a shard, tells their arrival time (AT_TIMESTAMP is a
// seek, retention is a range delete) and is the shard-local RocksDB key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis_emulator::engine {

inline constexpr int kPositionCounterBits = 22;
inline constexpr uint64_t kPositionCounterMask = (uint64_t{1} << kPositionCounterBits) - 1;

constexpr uint64_t position_at_time(int64_t ms) {
  return ms <= 0 ? 0 : static_cast<uint64_t>(ms) << kPositionCounterBits;
}
constexpr int64_t time_of_position(uint64_t position) {
  return static_cast<int64_t>(position >> kPositionCounterBits);
}

struct SequenceNumberParts {
  uint32_t stream_tag = 0;  // low 28 bits of the stream id
  uint32_t shard_index = 0;
  uint64_t position = 0;
};

constexpr uint32_t stream_tag_of(uint64_t stream_id) {
  return static_cast<uint32_t>(stream_id & 0x0fffffffu);
}

std::string encode_sequence_number(uint64_t stream_id, uint32_t shard_index, uint64_t position);

// nullopt for anything that is not a sequence number this server issued.
std::optional<SequenceNumberParts> decode_sequence_number(std::string_view text);

}  // namespace kinesis_emulator::engine
