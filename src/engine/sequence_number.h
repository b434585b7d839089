#pragma once
// Sequence numbers are shown as 56-digit decimals, the width AWS's have: a 17-digit prefix that
// is fixed for a shard, then a 128-bit value as 39 digits (its top bit is always set, so every
// one has the same width and, within a shard, string order matches numeric order).
//
// The prefix is 49 (AWS's numbers start so too), then the stream tag (9 digits) and the shard
// index modulo 10^6 (6 digits): it repeats what the 128-bit part holds, so it is checked on the
// way in. The 128-bit part:
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

inline constexpr std::size_t kSequenceNumberDigits = 56;
// The 128-bit part alone: what versions before 0.2 issued; still accepted as input, so that
// positions kept by clients of an existing data directory stay valid.
inline constexpr std::size_t kLegacySequenceNumberDigits = 39;

// nullopt for anything that is not a sequence number this server issued.
std::optional<SequenceNumberParts> decode_sequence_number(std::string_view text);

}  // namespace kinesis_emulator::engine
