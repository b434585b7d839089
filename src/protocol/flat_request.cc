#include "protocol/flat_request.h"

#include <charconv>

namespace kinesis_emulator::protocol {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool eat(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool at_end() {
    skip_space();
    return p_ == end_;
  }

  // A string of printable ASCII without escapes, after its opening quote has been seen.
  bool plain_string(std::string_view& out) {
    const char* start = p_;
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = {start, static_cast<std::size_t>(p_ - start)};
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++p_;
    }
    return false;
  }

  // A non-negative integer of at most 18 digits without leading zeros (fits int64).
  bool small_integer(std::string_view& out) {
    skip_space();
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    const auto n = static_cast<std::size_t>(p_ - start);
    if (n == 0 || n > 18 || (n > 1 && *start == '0')) return false;
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    out = {start, n};
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace

// Reads the members of an object after its '{'; `items` (top level only) takes one list.
static bool read_object(Reader& in, FlatObject& object, std::vector<FlatObject>* items) {
  if (in.eat('}')) return true;
  do {
    if (object.count == FlatObject::kMaxMembers || !in.eat('"')) return false;
    FlatMember member;
    if (!in.plain_string(member.name) || !in.eat(':')) return false;
    if (in.eat('"')) {
      member.quoted = true;
      if (!in.plain_string(member.text)) return false;
    } else if (items != nullptr && in.eat('[')) {
      if (!items->empty()) return false;  // one list per request
      member.list = true;
      if (!in.eat(']')) {
        do {
          if (!in.eat('{')) return false;
          FlatObject& item = items->emplace_back();
          if (!read_object(in, item, nullptr)) return false;
        } while (in.eat(','));
        if (!in.eat(']')) return false;
      }
    } else if (!in.small_integer(member.text)) {
      return false;
    }
    if (object.find(member.name) != nullptr) return false;  // duplicate names
    object.members[object.count++] = member;
  } while (in.eat(','));
  return in.eat('}');
}

std::optional<FlatRequest> FlatRequest::parse(std::string_view body) {
  FlatRequest request;
  request.bytes.reserve(body.size() / 4 * 3);
  Reader in(body);
  if (!in.eat('{')) return std::nullopt;
  if (!read_object(in, request, &request.items)) return std::nullopt;
  if (!in.at_end()) return std::nullopt;
  return request;
}

const FlatMember* FlatObject::find(std::string_view name) const {
  for (std::size_t i = 0; i < count; ++i) {
    if (members[i].name == name) return &members[i];
  }
  return nullptr;
}

std::string_view FlatObject::string(std::string_view name) const {
  const FlatMember* m = find(name);
  return m != nullptr && m->quoted ? m->text : std::string_view();
}

std::optional<int64_t> FlatObject::integer(std::string_view name) const {
  const FlatMember* m = find(name);
  if (m == nullptr || m->quoted || m->list) return std::nullopt;
  int64_t value = 0;
  std::from_chars(m->text.data(), m->text.data() + m->text.size(), value);
  return value;
}

}  // namespace kinesis_emulator::protocol
