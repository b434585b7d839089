#include "protocol/authentication.h"

#include <array>
#include <string>
#include <string_view>

namespace kinesis_emulator::protocol {

namespace {

// The value of query parameter `name`, whether present, and whether its value is non-empty.
struct QueryParam {
  bool present = false;
  bool has_value = false;
};

QueryParam query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return {true, eq != std::string_view::npos && eq + 1 < pair.size()};
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// Which of Credential, Signature and SignedHeaders the Authorization header carries, as
// "<name>=<something>" after its algorithm. One pass: this is on every request.
struct AuthParams {
  bool credential = false;
  bool signature = false;
  bool signed_headers = false;
};

AuthParams auth_params(std::string_view authorization) {
  AuthParams found;
  const std::size_t size = authorization.size();
  std::size_t i = authorization.find(' ');
  if (i == std::string_view::npos) return found;
  // Tokens are separated by commas and spaces; each is "name=value".
  while (i < size) {
    while (i < size && (authorization[i] == ' ' || authorization[i] == ',')) ++i;
    const std::size_t start = i;
    std::size_t eq = std::string_view::npos;
    while (i < size && authorization[i] != ' ' && authorization[i] != ',') {
      if (eq == std::string_view::npos && authorization[i] == '=') eq = i;
      ++i;
    }
    if (eq == std::string_view::npos || eq + 1 == i) continue;
    const std::string_view name = authorization.substr(start, eq - start);
    found.credential = found.credential || name == "Credential";
    found.signature = found.signature || name == "Signature";
    found.signed_headers = found.signed_headers || name == "SignedHeaders";
  }
  return found;
}

}  // namespace

Status check_signature_present(const WireRequest& request) {
  const std::string_view query = request.query();
  const bool header_auth = !request.authorization.empty();
  const bool query_auth = !query.empty() && query_param(query, "X-Amz-Algorithm").present;
  if (header_auth && query_auth) {
    return make_error(errc::invalid_signature,
                      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' "
                      "as HTTP header.");
  }
  if (!header_auth && !query_auth) {
    return make_error(errc::missing_authentication_token, "Missing Authentication Token");
  }
  std::string missing;
  if (header_auth) {
    const AuthParams found = auth_params(request.authorization);
    if (found.credential && found.signature && found.signed_headers &&
        (!request.x_amz_date.empty() || !request.date.empty())) {
      return {};
    }
    for (auto [part, present] :
         {std::pair{"Credential", found.credential}, std::pair{"Signature", found.signature},
          std::pair{"SignedHeaders", found.signed_headers}}) {
      if (!present) {
        missing.append("Authorization header requires '").append(part).append("' parameter. ");
      }
    }
    if (request.x_amz_date.empty() && request.date.empty()) {
      missing.append(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
          "header. ");
    }
    if (missing.empty()) return {};
    missing.append("Authorization=").append(request.authorization);
    return make_error(errc::incomplete_signature, std::move(missing));
  }
  for (std::string_view part : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                                "X-Amz-SignedHeaders", "X-Amz-Date"}) {
    if (!query_param(query, part).has_value) {
      missing.append("AWS query-string parameters must include '").append(part).append("'. ");
    }
  }
  if (missing.empty()) return {};
  missing.append("Re-examine the query-string parameters.");
  return make_error(errc::incomplete_signature, std::move(missing));
}

}  // namespace kinesis_emulator::protocol
