#pragma once
// The fast path for the hot operations (PutRecord, GetRecords): their bodies are almost always
// one flat JSON object of short strings and small integers. Such a body is read in place, without
// building a document, and checked against the model; anything else (escapes, nesting, nulls,
// floats, non-ASCII text, duplicate names, a failed constraint) is left to the general path,
// which gives the exact AWS error. So the fast path only ever accepts what the general path
// accepts, and never answers an error of its own.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {

struct FlatMember {
  std::string_view name;
  std::string_view text;  // a string's characters (no escapes), or an integer's digits
  bool quoted = false;    // a string, not a number
};

class FlatRequest {
 public:
  static constexpr std::size_t kMaxMembers = 8;

  // Reads `body` when it is a flat object as described above; nullopt otherwise.
  static std::optional<FlatRequest> parse(std::string_view body);

  const FlatMember* find(std::string_view name) const;
  // The member's text, empty when absent.
  std::string_view string(std::string_view name) const;
  std::optional<int64_t> integer(std::string_view name) const;
  // The decoded bytes of the operation's one blob member (set by flat_request_is_valid).
  std::string_view blob() const {
    return {reinterpret_cast<const char*>(blob_.data()), blob_.size()};
  }

 private:
  friend bool flat_request_is_valid(const Operation& op, FlatRequest& request);

  std::array<FlatMember, kMaxMembers> members_{};
  std::size_t count_ = 0;
  std::vector<std::uint8_t> blob_;
  bool has_blob_ = false;
};

// True when `request` satisfies `op`'s input shape exactly as validate_request would find it
// valid: required members present, string/blob/integer members of the right kind within their
// length, range, pattern and enum constraints. False for any member kind the fast path does not
// read (timestamps, booleans, lists, structures) and for more than one blob. Decodes the blob.
bool flat_request_is_valid(const Operation& op, FlatRequest& request);

}  // namespace kinesis_emulator::protocol
