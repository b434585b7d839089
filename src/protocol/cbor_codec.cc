#include "protocol/cbor_codec.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "protocol/aws_error.h"
#include "protocol/base64.h"

namespace kinesis_emulator::protocol {

using json = nlohmann::json;

// --- writers ------------------------------------------------------------------------------

namespace cbor {

void append_head(std::string& out, Major major, std::uint64_t argument) {
  const auto type = static_cast<unsigned>(static_cast<unsigned>(major) << 5);
  auto byte = [&](unsigned value) { out.push_back(static_cast<char>(value & 0xFFu)); };
  auto big_endian = [&](std::uint64_t value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
      byte(static_cast<unsigned>(value >> shift));
    }
  };
  if (argument < 24) {
    byte(type | static_cast<unsigned>(argument));
  } else if (argument <= 0xFF) {
    byte(type | 24);
    big_endian(argument, 1);
  } else if (argument <= 0xFFFF) {
    byte(type | 25);
    big_endian(argument, 2);
  } else if (argument <= 0xFFFFFFFF) {
    byte(type | 26);
    big_endian(argument, 4);
  } else {
    byte(type | 27);
    big_endian(argument, 8);
  }
}

void append_int(std::string& out, std::int64_t value) {
  if (value >= 0) {
    append_head(out, Major::unsigned_int, static_cast<std::uint64_t>(value));
  } else {
    // -1 - n, computed without overflowing at INT64_MIN.
    append_head(out, Major::negative_int, ~static_cast<std::uint64_t>(value));
  }
}

void append_text(std::string& out, std::string_view text) {
  append_head(out, Major::text, text.size());
  out.append(text);
}

void append_bytes(std::string& out, std::string_view bytes) {
  append_head(out, Major::bytes, bytes.size());
  out.append(bytes);
}

void append_timestamp_ms(std::string& out, std::int64_t epoch_ms) {
  append_head(out, Major::tag, 1);
  append_int(out, epoch_ms);
}

}  // namespace cbor

namespace {

using cbor::Major;

void append_double(std::string& out, double value) {
  out.push_back(static_cast<char>(0xFB));
  const auto bits = std::bit_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((bits >> shift) & 0xFFu));
  }
}

// --- decoding -----------------------------------------------------------------------------

constexpr int kMaxDepth = 64;

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    unsigned lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += extra + 1;
  }
  return true;
}

double half_to_double(std::uint16_t half) {
  const int exponent = (half >> 10) & 0x1F;
  const int mantissa = half & 0x3FF;
  double value = 0;
  if (exponent == 0) {
    value = std::ldexp(mantissa, -24);
  } else if (exponent != 31) {
    value = std::ldexp(mantissa + 1024, exponent - 25);
  } else {
    value = mantissa == 0 ? std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::quiet_NaN();
  }
  return (half & 0x8000) != 0 ? -value : value;
}

class Decoder {
 public:
  explicit Decoder(std::string_view in)
      : begin_(reinterpret_cast<const std::uint8_t*>(in.data())),
        p_(begin_),
        end_(p_ + in.size()) {}

  Result<json> decode() {
    json out;
    if (!item(out, 0)) return std::move(*error_);
    if (p_ != end_) {
      fail_at("unexpected bytes after the top-level item");
      return std::move(*error_);
    }
    return out;
  }

 private:
  struct Head {
    Major major{};
    std::uint8_t info = 0;       // the low five bits of the initial byte
    std::uint64_t argument = 0;  // the value, length or tag number (when info < 28)
    bool indefinite = false;     // info == 31
  };

  bool fail_at(std::string_view what) {
    if (!error_) {
      error_ = make_error(errc::serialization,
                          "The request body is not valid CBOR: " + std::string(what) + " at byte " +
                              std::to_string(p_ - begin_));
    }
    return false;
  }
  bool truncated() { return fail_at("truncated"); }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }

  bool read_head(Head& head) {
    if (p_ == end_) return truncated();
    const std::uint8_t initial = *p_;
    head.major = static_cast<Major>(initial >> 5);
    head.info = initial & 0x1F;
    head.argument = 0;
    head.indefinite = false;
    if (head.info < 24) {
      head.argument = head.info;
      ++p_;
      return true;
    }
    if (head.info >= 28 && head.info <= 30) return fail_at("reserved additional information");
    if (head.info == 31) {
      head.indefinite = true;
      ++p_;
      return true;
    }
    const std::size_t width = std::size_t{1} << (head.info - 24);  // 1, 2, 4 or 8
    if (remaining() < 1 + width) return truncated();
    ++p_;
    for (std::size_t i = 0; i < width; ++i) head.argument = (head.argument << 8) | *p_++;
    return true;
  }

  bool at_break() const { return p_ != end_ && *p_ == 0xFF; }

  // The bytes of a definite string, or the concatenated chunks of an indefinite one.
  template <class Container>
  bool string_contents(const Head& head, Container& out) {
    auto take = [&](std::uint64_t length) {
      if (length > remaining()) return truncated();
      out.insert(out.end(), p_, p_ + length);
      p_ += length;
      return true;
    };
    if (!head.indefinite) return take(head.argument);
    while (true) {
      if (p_ == end_) return truncated();
      if (at_break()) {
        ++p_;
        return true;
      }
      Head chunk;
      if (!read_head(chunk)) return false;
      if (chunk.major != head.major || chunk.indefinite) {
        return fail_at("an indefinite-length string chunk of the wrong type");
      }
      if (!take(chunk.argument)) return false;
    }
  }

  bool text(const Head& head, std::string& out) {
    if (!string_contents(head, out)) return false;
    if (!valid_utf8(out)) return fail_at("a text string that is not UTF-8");
    return true;
  }

  bool item(json& out, int depth) {
    if (depth > kMaxDepth) return fail_at("nesting too deep");
    Head head;
    if (!read_head(head)) return false;
    const bool indefinite_ok = head.major == Major::bytes || head.major == Major::text ||
                               head.major == Major::array || head.major == Major::map;
    if (head.indefinite && !indefinite_ok && head.major != Major::simple) {
      return fail_at("an indefinite length on a type that has none");
    }
    switch (head.major) {
      case Major::unsigned_int:
        out = head.argument;
        return true;
      case Major::negative_int:
        if (head.argument > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          return fail_at("a negative integer out of range");
        }
        out = -1 - static_cast<std::int64_t>(head.argument);
        return true;
      case Major::bytes: {
        json::binary_t bytes;
        if (!string_contents(head, bytes)) return false;
        out = json::binary(std::move(bytes));
        return true;
      }
      case Major::text: {
        std::string s;
        if (!text(head, s)) return false;
        out = std::move(s);
        return true;
      }
      case Major::array:
        return array(head, out, depth);
      case Major::map:
        return map(head, out, depth);
      case Major::tag:
        return tagged(head, out, depth);
      case Major::simple:
        return simple(head, out);
    }
    return fail_at("an unknown major type");
  }

  bool array(const Head& head, json& out, int depth) {
    out = json::array();
    auto& elements = out.get_ref<json::array_t&>();
    if (head.indefinite) {
      while (true) {
        if (p_ == end_) return truncated();
        if (at_break()) {
          ++p_;
          return true;
        }
        if (!item(elements.emplace_back(), depth + 1)) return false;
      }
    }
    // Every element takes at least one byte: a longer count is a lie, refused before reserving.
    if (head.argument > remaining()) return truncated();
    elements.reserve(static_cast<std::size_t>(head.argument));
    for (std::uint64_t i = 0; i < head.argument; ++i) {
      if (!item(elements.emplace_back(), depth + 1)) return false;
    }
    return true;
  }

  bool map_entry(json& object, int depth) {
    const std::uint8_t* const key_start = p_;
    Head key_head;
    if (!read_head(key_head)) return false;
    if (key_head.major != Major::text) {
      p_ = key_start;
      return fail_at("a map key that is not a text string");
    }
    std::string key;
    if (!text(key_head, key)) return false;
    json value;
    if (!item(value, depth + 1)) return false;
    object[std::move(key)] = std::move(value);
    return true;
  }

  bool map(const Head& head, json& out, int depth) {
    out = json::object();
    if (head.indefinite) {
      while (true) {
        if (p_ == end_) return truncated();
        if (at_break()) {
          ++p_;
          return true;
        }
        if (!map_entry(out, depth)) return false;
      }
    }
    if (head.argument > remaining() / 2) return truncated();
    for (std::uint64_t i = 0; i < head.argument; ++i) {
      if (!map_entry(out, depth)) return false;
    }
    return true;
  }

  bool tagged(const Head& head, json& out, int depth) {
    if (head.argument != 1) return item(out, depth + 1);  // other tags: the item as it is
    // Tag 1, epoch time: AWS's SDKs put integer milliseconds under it (see the header).
    if (p_ == end_) return truncated();
    const auto major = static_cast<Major>(*p_ >> 5);
    const unsigned info = *p_ & 0x1Fu;
    const bool number = major == Major::unsigned_int || major == Major::negative_int ||
                        (major == Major::simple && info >= 25 && info <= 27);
    if (!number) return fail_at("tag 1 (epoch time) over something other than a number");
    json value;
    if (!item(value, depth + 1)) return false;
    out = value.get<double>() / 1000.0;
    return true;
  }

  bool simple(const Head& head, json& out) {
    switch (head.info) {
      case 20:
        out = false;
        return true;
      case 21:
        out = true;
        return true;
      case 22:
      case 23:  // undefined
        out = nullptr;
        return true;
      case 25: {
        out = half_to_double(static_cast<std::uint16_t>(head.argument));
        return true;
      }
      case 26: {
        out = static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(head.argument)));
        return true;
      }
      case 27:
        out = std::bit_cast<double>(head.argument);
        return true;
      case 31:
        --p_;  // point at the stray break
        return fail_at("a break outside an indefinite-length item");
      default:
        return fail_at("an unsupported simple value");
    }
  }

  const std::uint8_t* const begin_;
  const std::uint8_t* p_;
  const std::uint8_t* const end_;
  std::optional<Error> error_;
};

// --- encoding -----------------------------------------------------------------------------

void encode_generic(const json& value, std::string& out);

void encode_value(const json& value, const Shape* shape, std::string& out);

void encode_generic(const json& value, std::string& out) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      out.push_back(static_cast<char>(0xF6));
      return;
    case json::value_t::boolean:
      out.push_back(static_cast<char>(value.get<bool>() ? 0xF5 : 0xF4));
      return;
    case json::value_t::number_integer:
      cbor::append_int(out, value.get<std::int64_t>());
      return;
    case json::value_t::number_unsigned:
      cbor::append_head(out, Major::unsigned_int, value.get<std::uint64_t>());
      return;
    case json::value_t::number_float:
      append_double(out, value.get<double>());
      return;
    case json::value_t::string:
      cbor::append_text(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::binary: {
      const auto& bytes = value.get_binary();
      cbor::append_head(out, Major::bytes, bytes.size());
      out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      return;
    }
    case json::value_t::array:
      encode_value(value, nullptr, out);
      return;
    case json::value_t::object:
      encode_value(value, nullptr, out);
      return;
  }
}

const Shape* member_shape(const Shape* structure, std::string_view name) {
  if (structure == nullptr || structure->type != ShapeType::structure) return nullptr;
  for (const Member& member : structure->members) {
    if (member.name == name) return member.shape;
  }
  return nullptr;
}

void encode_value(const json& value, const Shape* shape, std::string& out) {
  const ShapeType type = shape != nullptr ? shape->type : ShapeType::string;
  if (value.is_object()) {
    std::size_t present = 0;
    for (const json& member : value) present += member.is_null() ? 0 : 1;
    cbor::begin_map(out, present);
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it->is_null()) continue;
      cbor::append_text(out, it.key());
      const Shape* inner = nullptr;
      if (shape != nullptr && type == ShapeType::structure) inner = member_shape(shape, it.key());
      if (shape != nullptr && type == ShapeType::map) inner = shape->value;
      encode_value(*it, inner, out);
    }
    return;
  }
  if (value.is_array()) {
    cbor::begin_array(out, value.size());
    const Shape* inner = shape != nullptr && type == ShapeType::list ? shape->member : nullptr;
    for (const json& element : value) encode_value(element, inner, out);
    return;
  }
  if (shape == nullptr) return encode_generic(value, out);
  switch (type) {
    case ShapeType::timestamp:
      if (value.is_number()) {
        const double seconds = value.get<double>();
        if (std::isfinite(seconds) && std::fabs(seconds) < 9e15) {
          cbor::append_timestamp_ms(out, static_cast<std::int64_t>(std::llround(seconds * 1000)));
          return;
        }
      }
      break;
    case ShapeType::blob:
      if (const auto* text = value.get_ptr<const std::string*>()) {
        std::vector<std::uint8_t> bytes;
        if (base64_decode_into(*text, bytes)) {
          cbor::append_bytes(out, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
          return;
        }
      }
      break;
    case ShapeType::integer:
    case ShapeType::long_:
      // The SDKs parse these with Long.parseLong / Integer.parseInt: "5.0" would fail.
      if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
          cbor::append_int(out, static_cast<std::int64_t>(d));
          return;
        }
      }
      break;
    default:
      break;
  }
  encode_generic(value, out);
}

}  // namespace

Result<json> cbor_decode(std::string_view bytes) {
  return Decoder(bytes).decode();
}

void cbor_encode(const json& document, const Shape* shape, std::string& out) {
  encode_value(document, shape, out);
}

std::string cbor_error_body(const Error& error, std::string_view type) {
  std::string out;
  out.reserve(32 + error.message.size());
  cbor::begin_map(out, 2);
  cbor::append_text(out, "__type");
  cbor::append_text(out, type);
  cbor::append_text(out, error_message_key(error.code));
  // Messages echo request text, which the decoders (JSON and CBOR) checked is UTF-8.
  cbor::append_text(out, error.message);
  return out;
}

}  // namespace kinesis_emulator::protocol
