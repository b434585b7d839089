#pragma once
// "A3 6A ..." -> bytes, for byte-exact fixtures; anything but hex digits is ignored.

#include <string>
#include <string_view>

namespace testing_support {

inline std::string hex(std::string_view text) {
  std::string out;
  int high = -1;
  for (const char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

}  // namespace testing_support
