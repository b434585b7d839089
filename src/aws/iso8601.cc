#include "aws/iso8601.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace kinesis_emulator::aws {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `width` decimal digits.
  bool digits(std::size_t width, unsigned& out) {
    if (text_.size() - pos_ < width) return false;
    out = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + static_cast<unsigned>(c - '0');
    }
    pos_ += width;
    return true;
  }
  // A fraction after the decimal point: one or more digits.
  bool fraction(double& out) {
    double scale = 0.1;
    out = 0;
    const std::size_t start = pos_;
    while (!done() && peek() >= '0' && peek() <= '9') {
      out += (peek() - '0') * scale;
      scale /= 10;
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

// ISO 8601 as AWS accepts it: YYYY-MM-DDTHH:MM[:SS[.fff]] then Z, ±HH:MM, ±HHMM, ±HH or nothing
// (UTC).

bool parse_iso8601(std::string_view text, double& out) {
  Cursor in(text);
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  double fraction = 0;
  if (!in.digits(4, year) || !in.eat('-') || !in.digits(2, month) || !in.eat('-') ||
      !in.digits(2, day)) {
    return false;
  }
  if (!in.eat('T') && !in.eat('t')) return false;
  if (!in.digits(2, hour) || !in.eat(':') || !in.digits(2, minute)) return false;
  if (in.eat(':')) {
    if (!in.digits(2, second)) return false;
    if ((in.eat('.') || in.eat(',')) && !in.fraction(fraction)) return false;
  }
  int offset_seconds = 0;  // no zone: UTC
  if (in.peek() == '+' || in.peek() == '-') {
    const int sign = in.peek() == '-' ? -1 : 1;
    in.eat(in.peek());
    unsigned oh = 0, om = 0;
    if (!in.digits(2, oh)) return false;
    if (in.eat(':')) {
      if (!in.digits(2, om)) return false;
    } else if (!in.done() && !in.digits(2, om)) {
      return false;
    }
    if (oh > 18 || om > 59) return false;
    offset_seconds = sign * static_cast<int>(oh * 3600 + om * 60);
  } else if (!in.eat('Z')) {
    in.eat('z');
  }
  if (!in.done()) return false;
  static constexpr unsigned kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const unsigned month_days = kDaysInMonth[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > month_days || hour > 23 || minute > 59 || second > 60) return false;
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  out = static_cast<double>(seconds) + fraction;
  return true;
}

bool parse_timestamp_text(std::string_view text, double& out) {
  if (text.empty()) return false;
  const char* const end = text.data() + text.size();
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
  if (ec == std::errc() && ptr == end) {
    if (!std::isfinite(value)) return false;
    out = value;
    return true;
  }
  return parse_iso8601(text, out);
}

}  // namespace kinesis_emulator::aws
