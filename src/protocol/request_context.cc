#include "protocol/request_context.h"

#include <array>

namespace kinesis_emulator::protocol {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The first `n` fields of the credential "<access key>/<date>/<region>/<service>/aws4_request"
// that follows "Credential=" (header) or "X-Amz-Credential=" (query), each ended by its
// separator; false if there is no credential or it has fewer fields. In a query string the
// slashes are percent-encoded.
template <std::size_t n>
bool credential_fields(std::string_view text, std::array<std::string_view, n>& fields) {
  for (std::string_view marker :
       {std::string_view("Credential="), std::string_view("X-Amz-Credential=")}) {
    const auto at = text.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view scope = text.substr(at + marker.size());
    const std::string_view sep =
        scope.find("%2F") != std::string_view::npos && scope.find('/') == std::string_view::npos
            ? "%2F"
            : "/";
    for (std::string_view& field : fields) {
      const auto p = scope.find(sep);
      if (p == std::string_view::npos) return false;
      field = scope.substr(0, p);
      scope.remove_prefix(p + sep.size());
    }
    return true;
  }
  return false;
}

}  // namespace

std::string_view sigv4_region(std::string_view text) {
  std::array<std::string_view, 3> fields;  // access key / date / region
  if (!credential_fields(text, fields)) return {};
  const std::string_view region = fields[2];
  if (region.empty() || region.size() > 32) return {};
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-')) return {};
  }
  return region;
}

std::string_view sigv4_access_key(std::string_view text) {
  std::array<std::string_view, 1> fields;
  if (!credential_fields(text, fields)) return {};
  const std::string_view key = fields[0];
  if (key.empty() || key.size() > 128) return {};
  for (char c : key) {
    if (!is_alnum(c)) return {};
  }
  return key;
}

std::string account_for_access_key(std::string_view access_key, std::string_view default_account) {
  bool is_account = access_key.size() == 12;
  for (char c : access_key) is_account = is_account && is_digit(c);
  return std::string(is_account ? access_key : default_account);
}

}  // namespace kinesis_emulator::protocol
