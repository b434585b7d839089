#include "report.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace kbench {

namespace {

std::string number(const nlohmann::ordered_json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (!v.is_number_float()) return v.is_string() ? v.get<std::string>() : v.dump();
  const double d = v.get<double>();
  char buf[64];
  const double a = std::fabs(d);
  if (a >= 100 || d == std::floor(d)) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else if (a >= 1) {
    std::snprintf(buf, sizeof buf, "%.2f", d);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", d);
  }
  return buf;
}

std::string render(const nlohmann::ordered_json& v) {
  if (v.is_object()) {
    if (v.empty()) return "none";
    std::string s;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!s.empty()) s += "  ";
      s += it.key() + " " + render(it.value());
    }
    return s;
  }
  return number(v);
}

}  // namespace

void print_result(const Options& o, const nlohmann::ordered_json& r) {
  std::ostringstream out;
  out << "== " << r.value("phase", std::string("?"));
  if (r.contains("label")) out << " [" << r["label"].get<std::string>() << "]";
  out << " ==\n";
  for (auto it = r.begin(); it != r.end(); ++it) {
    if (it.key() == "phase" || it.key() == "label") continue;
    std::string key = it.key();
    key.resize(std::max<std::size_t>(key.size(), 22), ' ');
    out << "  " << key << ' ' << render(it.value()) << '\n';
  }
  if (o.json) {
    std::cerr << out.str() << std::flush;
    std::cout << r.dump() << std::endl;
  } else {
    std::cout << out.str() << std::endl;
  }
}

}  // namespace kbench
