#include "protocol/base64.h"

#include <array>

namespace kinesis_emulator::protocol {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = make_decode_table();

inline std::uint32_t sextet(char c) {
  return kDecode[static_cast<unsigned char>(c)];
}

}  // namespace

void base64_encode_append(std::span<const std::uint8_t> bytes, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + base64_encoded_size(bytes.size()));
  char* dst = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                            std::uint32_t{bytes[i + 2]};
    *dst++ = kAlphabet[(v >> 18) & 0x3F];
    *dst++ = kAlphabet[(v >> 12) & 0x3F];
    *dst++ = kAlphabet[(v >> 6) & 0x3F];
    *dst++ = kAlphabet[v & 0x3F];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    *dst++ = kAlphabet[(v >> 18) & 0x3F];
    *dst++ = kAlphabet[(v >> 12) & 0x3F];
    *dst++ = '=';
    *dst++ = '=';
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    *dst++ = kAlphabet[(v >> 18) & 0x3F];
    *dst++ = kAlphabet[(v >> 12) & 0x3F];
    *dst++ = kAlphabet[(v >> 6) & 0x3F];
    *dst++ = '=';
  }
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  base64_encode_append(bytes, out);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

bool base64_decode_into(std::string_view text, std::vector<std::uint8_t>& out) {
  out.clear();
  return base64_decode_append(text, out);
}

bool base64_decode_append(std::string_view text, std::vector<std::uint8_t>& out) {
  if (text.size() % 4 != 0) return false;
  if (text.empty()) return true;
  std::size_t padding = 0;
  if (text[text.size() - 1] == '=') {
    padding = text[text.size() - 2] == '=' ? 2 : 1;
  }
  const std::size_t start = out.size();
  out.resize(start + text.size() / 4 * 3 - padding);
  std::uint8_t* dst = out.data() + start;
  const char* src = text.data();
  // Every quad but the last is four alphabet characters ('=' decodes as invalid).
  const char* const last = src + text.size() - 4;
  for (; src < last; src += 4) {
    const std::uint32_t a = sextet(src[0]), b = sextet(src[1]), c = sextet(src[2]),
                        d = sextet(src[3]);
    if ((a | b | c | d) & 0x80) return false;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    *dst++ = static_cast<std::uint8_t>(v >> 16);
    *dst++ = static_cast<std::uint8_t>(v >> 8);
    *dst++ = static_cast<std::uint8_t>(v);
  }
  const std::uint32_t a = sextet(src[0]), b = sextet(src[1]);
  const std::uint32_t c = padding >= 2 ? 0 : sextet(src[2]);
  const std::uint32_t d = padding >= 1 ? 0 : sextet(src[3]);
  if ((a | b | c | d) & 0x80) return false;
  const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
  // Bits past the last byte must be zero, or the same bytes would have two encodings (AWS
  // refuses the second: "Invalid last non-pad Base64 character").
  if ((padding == 2 && (v & 0xFFFF) != 0) || (padding == 1 && (v & 0xFF) != 0)) return false;
  *dst++ = static_cast<std::uint8_t>(v >> 16);
  if (padding < 2) *dst++ = static_cast<std::uint8_t>(v >> 8);
  if (padding < 1) *dst++ = static_cast<std::uint8_t>(v);
  return true;
}

Result<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  if (!base64_decode_into(text, out)) {
    return make_error(errc::serialization, "Invalid base64 value");
  }
  return out;
}

}  // namespace kinesis_emulator::protocol
