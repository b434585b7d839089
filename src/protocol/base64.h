#pragma once
// Base64 (RFC 4648, standard alphabet, padded), the encoding of blob members in AWS's JSON
// protocols. Decoding is strict, as AWS's front end is: only the 64 alphabet characters, a length
// that is a multiple of four, and `=` padding only at the end; no whitespace, no unpadded input.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kinesis_emulator::protocol {

// The length of the encoding of `byte_count` bytes.
constexpr std::size_t base64_encoded_size(std::size_t byte_count) {
  return (byte_count + 2) / 3 * 4;
}

std::string base64_encode(std::span<const std::uint8_t> bytes);
std::string base64_encode(std::string_view bytes);

// Appends the encoding of `bytes` to `out` (for building response bodies without a temporary).
void base64_encode_append(std::span<const std::uint8_t> bytes, std::string& out);

// Replaces the contents of `out` with the decoded bytes; false (and `out` unspecified) when
// `text` is not valid base64.
bool base64_decode_into(std::string_view text, std::vector<std::uint8_t>& out);
// Appends the decoded bytes to `out`; false (and `out` unspecified) when `text` is not valid.
bool base64_decode_append(std::string_view text, std::vector<std::uint8_t>& out);

// Decodes `text`; errc::serialization when it is not valid base64.
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace kinesis_emulator::protocol
