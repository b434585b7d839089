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
  bool peek(char c) {
    skip_space();
    return p_ != end_ && *p_ == c;
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

std::optional<FlatRequest> FlatRequest::parse(std::string_view body) {
  FlatRequest request;
  Reader in(body);
  if (!in.eat('{')) return std::nullopt;
  if (in.eat('}')) return in.at_end() ? std::optional(std::move(request)) : std::nullopt;
  do {
    if (request.count_ == kMaxMembers || !in.eat('"')) return std::nullopt;
    FlatMember member;
    if (!in.plain_string(member.name) || !in.eat(':')) return std::nullopt;
    if (in.eat('"')) {
      member.quoted = true;
      if (!in.plain_string(member.text)) return std::nullopt;
    } else {
      in.skip_space();
      if (!in.small_integer(member.text)) return std::nullopt;
    }
    if (request.find(member.name) != nullptr) return std::nullopt;  // duplicate names
    request.members_[request.count_++] = member;
  } while (in.eat(','));
  if (!in.eat('}') || !in.at_end()) return std::nullopt;
  return request;
}

const FlatMember* FlatRequest::find(std::string_view name) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (members_[i].name == name) return &members_[i];
  }
  return nullptr;
}

std::string_view FlatRequest::string(std::string_view name) const {
  const FlatMember* m = find(name);
  return m != nullptr && m->quoted ? m->text : std::string_view();
}

std::optional<int64_t> FlatRequest::integer(std::string_view name) const {
  const FlatMember* m = find(name);
  if (m == nullptr || m->quoted) return std::nullopt;
  int64_t value = 0;
  std::from_chars(m->text.data(), m->text.data() + m->text.size(), value);
  return value;
}

}  // namespace kinesis_emulator::protocol
