#pragma once
// 128-bit unsigned integers: Kinesis hash keys and our sequence numbers are both 128-bit values
// written as decimal strings on the wire.

#include <optional>
#include <string>
#include <string_view>

namespace kinesis_emulator {

__extension__ typedef unsigned __int128 uint128;  // GCC and Clang both provide it

inline constexpr uint128 uint128_max = ~static_cast<uint128>(0);

std::string to_decimal(uint128 value);
// The same digits appended to `out`.
void append_decimal(uint128 value, std::string& out);

// Parses a plain decimal string (digits only, no sign); nullopt if empty, not all digits, or
// larger than 2^128-1.
std::optional<uint128> parse_decimal_u128(std::string_view text);

}  // namespace kinesis_emulator
