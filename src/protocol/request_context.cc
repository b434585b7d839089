#include "protocol/request_context.h"

namespace kinesis_emulator::protocol {

std::string_view sigv4_region(std::string_view text) {
  // In a query string the slashes are percent-encoded.
  for (std::string_view marker :
       {std::string_view("Credential="), std::string_view("X-Amz-Credential=")}) {
    const auto at = text.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view scope = text.substr(at + marker.size());
    const std::string_view sep =
        scope.find("%2F") != std::string_view::npos && scope.find('/') == std::string_view::npos
            ? "%2F"
            : "/";
    // access key / date / region / service / aws4_request
    for (int skip = 0; skip < 2; ++skip) {
      const auto p = scope.find(sep);
      if (p == std::string_view::npos) return {};
      scope.remove_prefix(p + sep.size());
    }
    const auto end = scope.find(sep);
    if (end == std::string_view::npos) return {};
    std::string_view region = scope.substr(0, end);
    if (region.empty() || region.size() > 32) return {};
    for (char c : region) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return {};
    }
    return region;
  }
  return {};
}

}  // namespace kinesis_emulator::protocol
