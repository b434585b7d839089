// libFuzzer target: decoding sequence numbers (engine/sequence_number.h).
//
// Round trip: the decoder takes only 128-bit values with the top bit and layout version 1 set,
// so every accepted text has exactly 39 digits, no leading zero, and every bit of the value is
// carried by the parts; re-encoding the parts must give the text back byte for byte.
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
  if (again != text) __builtin_trap();
  // And the time a position tells is the one a position at that time starts from.
  const int64_t ms = engine::time_of_position(parts->position);
  if (engine::position_at_time(ms) > parts->position) __builtin_trap();
  return 0;
}
