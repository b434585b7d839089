#pragma once
// The AWS service model (botocore's service-2.json) loaded into a form the request path can
// walk quickly: shapes resolved to pointers, patterns compiled once.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kinesis_emulator::protocol {

enum class ShapeType {
  structure,
  list,
  map,
  string,
  integer,
  long_,
  boolean,
  blob,
  timestamp,
  double_
};

struct Shape;

// The model's name of a shape type ("structure", "long", ...), for messages.
const char* shape_type_name(ShapeType type);

// A pattern the model uses often, matched by hand instead of with std::regex (which costs ~0.5 us
// per match and recurses per character): `[set]+`, a run of characters from a set, or
// `0|([1-9]\d{0,N})`, a decimal without leading zeros.
struct SimplePattern {
  enum class Kind { char_run, decimal };
  Kind kind = Kind::char_run;
  std::array<bool, 256> allowed{};  // char_run: the set
  std::size_t max_digits = 0;       // decimal: 1 + N
};

struct Member {
  std::string name;  // as on the wire, e.g. "StreamName"
  const Shape* shape = nullptr;
  bool required = false;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::string;
  // Length bounds for string/blob/list/map, value bounds for integer/long.
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  std::optional<std::regex> pattern;            // full-match semantics
  std::string pattern_text;                     // as written in the model, for messages
  std::optional<SimplePattern> simple_pattern;  // set when `pattern` has a hand-written matcher
  std::vector<std::string> enum_values;
  std::vector<Member> members;    // structure
  const Shape* member = nullptr;  // list element
  const Shape* key = nullptr;     // map key
  const Shape* value = nullptr;   // map value
  bool exception = false;         // an error shape (`"exception": true`)

  // Full match of `text` against the pattern; true when the shape has none.
  bool matches_pattern(std::string_view text) const;
};

struct Operation {
  std::string name;              // e.g. "PutRecord"
  const Shape* input = nullptr;  // may be null for operations without input
  const Shape* output = nullptr;
};

class ServiceModel {
 public:
  // Parses a botocore service-2.json document. Fails with errc::internal_failure on a
  // malformed model (this runs at start-up only).
  static Result<std::unique_ptr<ServiceModel>> parse(std::string_view json_text);
  // A model compiled into the binary: parsed, and never freed (handlers still running during
  // shutdown may use it); a broken one ends the process, naming `name`.
  static const ServiceModel* load_embedded(std::string_view json_text, std::string_view name);

  const std::string& target_prefix() const { return target_prefix_; }  // "Kinesis_20131202"
  const std::string& api_version() const { return api_version_; }
  const Operation* find_operation(std::string_view name) const;
  const Shape* find_shape(std::string_view name) const;
  std::vector<const Operation*> operations() const;

 private:
  std::string target_prefix_;
  std::string api_version_;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::map<std::string, Operation, std::less<>> operations_;
};

}  // namespace kinesis_emulator::protocol
