#pragma once
// The fast path for the hot operations (PutRecord, PutRecords): their bodies are almost always
// one JSON object of short strings and small integers, PutRecords' with one list of such
// objects. Such a body is read in place, without building a document, and checked against the
// model; anything else (escapes, deeper nesting, nulls, floats, non-ASCII text, duplicate names,
// a failed constraint) is left to the general path, which gives the exact AWS error. So the fast
// path only ever accepts what the general path accepts, and never answers an error of its own.

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
  bool list = false;      // the request's list of objects (FlatRequest::items)
};

// One object of strings and integers.
class FlatObject {
 public:
  static constexpr std::size_t kMaxMembers = 8;

  const FlatMember* find(std::string_view name) const;
  // The member's text, empty when absent.
  std::string_view string(std::string_view name) const;
  std::optional<int64_t> integer(std::string_view name) const;

  // Filled by FlatRequest::parse.
  std::array<FlatMember, kMaxMembers> members{};
  std::size_t count = 0;
  // The decoded blob member, as a range of FlatRequest::bytes (filled by validation).
  std::size_t blob_offset = 0;
  std::size_t blob_size = 0;
  bool has_blob = false;
};

class FlatRequest : public FlatObject {
 public:
  // Reads `body` when it has the shape described above; nullopt otherwise.
  static std::optional<FlatRequest> parse(std::string_view body);

  // The decoded blob member of the request or of one of its items (after validation).
  std::string_view blob(const FlatObject& object) const {
    return {reinterpret_cast<const char*>(bytes.data()) + object.blob_offset, object.blob_size};
  }
  std::string_view blob() const { return blob(*this); }

  std::vector<FlatObject> items;    // the objects of the request's one list member, in order
  std::vector<std::uint8_t> bytes;  // every decoded blob, back to back
};

// True when `request` satisfies `op`'s input shape exactly as validate_request would find it
// valid: required members present, string/blob/integer members of the right kind within their
// length, range, pattern and enum constraints, a list of structures within its length. False
// for any member kind the fast path does not read (timestamps, booleans, maps, nested lists)
// and for more than one blob per object. Decodes the blobs.
bool flat_request_is_valid(const Operation& op, FlatRequest& request);

}  // namespace kinesis_emulator::protocol
