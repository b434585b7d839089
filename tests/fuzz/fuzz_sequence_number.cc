// libFuzzer target: decoding sequence numbers (engine/sequence_number.h).
//
// Round trip: the decoder takes 56-digit numbers (a prefix that repeats the stream tag and shard,
// then a 128-bit value with the top bit and layout version 1 set) and the 39-digit 128-bit part
// alone that versions before 0.2 issued. Every bit is carried by the parts, so re-encoding them
// gives a 56-digit text back byte for byte, or for a legacy input one that ends with it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/uint128.h"
#include "engine/sequence_number.h"

using namespace kinesis_emulator;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The decimal parser under it: canonical text (no leading zero) round-trips.
  if (auto value = parse_decimal_u128(text)) {
    if ((text.size() == 1 || text[0] != '0') && to_decimal(*value) != text) __builtin_trap();
  }

  auto parts = engine::decode_sequence_number(text);
  if (!parts) return 0;
  if (parts->stream_tag > 0x0fffffffu) __builtin_trap();
  const std::string again =
      engine::encode_sequence_number(parts->stream_tag, parts->shard_index, parts->position);
  if (text.size() == engine::kLegacySequenceNumberDigits) {
    if (again.size() != engine::kSequenceNumberDigits || !again.ends_with(text)) __builtin_trap();
  } else if (again != text) {
    __builtin_trap();
  }
  // And the time a position tells is the one a position at that time starts from.
  const int64_t ms = engine::time_of_position(parts->position);
  if (engine::position_at_time(ms) > parts->position) __builtin_trap();
  return 0;
}
