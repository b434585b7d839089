#include "protocol/validator.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/base64.h"
#include "protocol/flat_request.h"
#include "protocol/serialization_messages.h"

namespace kinesis_emulator::protocol {
namespace {

using json = nlohmann::json;

// Where the walk is, as a chain of stack frames: nothing is allocated unless an error has to
// name the place.
struct PathNode {
  enum class Kind : std::uint8_t { member, index, map_key };
  const PathNode* parent = nullptr;
  Kind kind = Kind::member;
  std::string_view name;  // member name or map key
  std::size_t index = 0;  // list position, 1-based
};

// `validation` spells members the way AWS's messages do ('streamName', 'records.1.member.data');
// otherwise as on the wire ('StreamName', 'Records.1.member.Data').
std::string format_path(const PathNode& leaf, bool validation) {
  std::vector<const PathNode*> chain;
  for (const PathNode* node = &leaf; node != nullptr; node = node->parent) chain.push_back(node);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const PathNode& node = **it;
    switch (node.kind) {
      case PathNode::Kind::member:
        if (!out.empty()) out += '.';
        if (validation && !node.name.empty()) {
          out += static_cast<char>(std::tolower(static_cast<unsigned char>(node.name[0])));
          out.append(node.name.substr(1));
        } else {
          out.append(node.name);
        }
        break;
      case PathNode::Kind::index:
        out += '.';
        out += std::to_string(node.index);
        out += ".member";
        break;
      case PathNode::Kind::map_key:
        out += '.';
        out.append(node.name);
        out += ".member";
        break;
    }
  }
  return out;
}

// How AWS (a Java service) prints a value in a validation message: strings raw, blobs as the
// ByteBuffer they became, lists and maps the way java.util prints them.
void append_value(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      out += "null";
      break;
    case json::value_t::string:
      out += value.get_ref<const std::string&>();
      break;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case json::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      break;
    case json::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      break;
    case json::value_t::number_float:
      out += value.dump();
      break;
    case json::value_t::binary: {
      const std::string n = std::to_string(value.get_binary().size());
      out += "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
      break;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& element : value) {
        if (!first) out += ", ";
        first = false;
        append_value(out, element);
      }
      out += ']';
      break;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += it.key();
        out += '=';
        append_value(out, it.value());
      }
      out += '}';
      break;
    }
  }
}

// Java's String.length(): UTF-16 code units.
std::size_t utf16_length(std::string_view text) {
  std::size_t n = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) ++n;  // a lead byte starts a character
    if (c >= 0xF0) ++n;           // outside the BMP: a surrogate pair
  }
  return n;
}

std::optional<std::string> check_length(const Shape& shape, std::size_t length) {
  if (shape.min && static_cast<std::int64_t>(length) < *shape.min) {
    return "Member must have length greater than or equal to " + std::to_string(*shape.min);
  }
  if (shape.max && length > static_cast<std::uint64_t>(std::max<std::int64_t>(*shape.max, 0))) {
    return "Member must have length less than or equal to " + std::to_string(*shape.max);
  }
  return std::nullopt;
}

std::optional<std::string> check_string(const Shape& shape, std::string_view text) {
  if (shape.min || shape.max) {
    if (auto violated = check_length(shape, utf16_length(text))) return violated;
  }
  if (!shape.matches_pattern(text)) {
    return "Member must satisfy regular expression pattern: " + shape.pattern_text;
  }
  if (!shape.enum_values.empty() && std::find(shape.enum_values.begin(), shape.enum_values.end(),
                                              text) == shape.enum_values.end()) {
    std::string out = "Member must satisfy enum value set: [";
    for (std::size_t i = 0; i < shape.enum_values.size(); ++i) {
      if (i != 0) out += ", ";
      out += shape.enum_values[i];
    }
    out += ']';
    return out;
  }
  return std::nullopt;
}

template <class Number>
std::optional<std::string> check_range(const Shape& shape, Number value) {
  if (shape.min && value < static_cast<Number>(*shape.min)) {
    return "Member must have value greater than or equal to " + std::to_string(*shape.min);
  }
  if (shape.max && value > static_cast<Number>(*shape.max)) {
    return "Member must have value less than or equal to " + std::to_string(*shape.max);
  }
  return std::nullopt;
}

// --- timestamps ---------------------------------------------------------------------------

// --- the walk -----------------------------------------------------------------------------

constexpr std::size_t kMaxReportedViolations = 10;

class Walker {
 public:
  // Each returns false once a serialization error has been recorded: the walk stops there.
  bool walk_structure(const Shape& shape, json& object, const PathNode* parent);
  bool walk_value(const Shape& shape, json& value, const PathNode& at);

  Status result() && {
    if (serialization_) return std::move(*serialization_);
    if (violations_.empty()) return {};
    // AWS reports the first ten.
    if (violations_.size() > kMaxReportedViolations) violations_.resize(kMaxReportedViolations);
    std::string message = std::to_string(violations_.size());
    message +=
        violations_.size() == 1 ? " validation error detected: " : " validation errors detected: ";
    for (std::size_t i = 0; i < violations_.size(); ++i) {
      if (i != 0) message += "; ";
      message += violations_[i];
    }
    return make_error(errc::validation, std::move(message));
  }

 private:
  bool walk_list(const Shape& shape, json& value, const PathNode& at);
  bool walk_map(const Shape& shape, json& value, const PathNode& at);
  bool walk_integer(const Shape& shape, json& value, const PathNode& at);

  // Records a constraint violation; `position` lets a container's own violation precede those
  // of its elements, which are found first.
  void violation(const PathNode& at, const json* value, std::string_view constraint,
                 std::size_t position) {
    std::string item = "Value ";
    if (value == nullptr || value->is_null()) {
      item += "null";
    } else {
      item += '\'';
      append_value(item, *value);
      item += '\'';
    }
    item += " at '";
    item += format_path(at, /*validation=*/true);
    item += "' failed to satisfy constraint: ";
    item += constraint;
    violations_.insert(violations_.begin() + static_cast<std::ptrdiff_t>(position),
                       std::move(item));
  }
  void violation(const PathNode& at, const json* value, std::string_view constraint) {
    violation(at, value, constraint, violations_.size());
  }

  bool serialization_error(std::string message) {
    serialization_ = make_error(errc::serialization, std::move(message));
    return false;
  }
  bool type_error(const json& given, ShapeType expected) {
    return serialization_error(type_mismatch_message(expected, given));
  }
  bool range_error(const PathNode& at, ShapeType expected) {
    return serialization_error("Numeric value out of range for member '" +
                               format_path(at, /*validation=*/false) + "': expected " +
                               shape_type_name(expected));
  }

  std::vector<std::string> violations_;
  std::optional<Error> serialization_;
};

bool Walker::walk_structure(const Shape& shape, json& object, const PathNode* parent) {
  for (const Member& member : shape.members) {
    const PathNode node{parent, PathNode::Kind::member, member.name, 0};
    const auto it = object.find(member.name);
    if (it == object.end() || it->is_null()) {
      if (member.required) violation(node, nullptr, "Member must not be null");
      continue;
    }
    if (!walk_value(*member.shape, *it, node)) return false;
  }
  return true;
}

bool Walker::walk_list(const Shape& shape, json& value, const PathNode& at) {
  if (!value.is_array()) return type_error(value, shape.type);
  const std::size_t first = violations_.size();
  std::size_t index = 0;
  for (json& element : value) {
    const PathNode node{&at, PathNode::Kind::index, {}, ++index};
    if (element.is_null()) {
      violation(node, nullptr, "Member must not be null");
    } else if (!walk_value(*shape.member, element, node)) {
      return false;
    }
  }
  if (auto violated = check_length(shape, value.size())) violation(at, &value, *violated, first);
  return true;
}

bool Walker::walk_map(const Shape& shape, json& value, const PathNode& at) {
  if (!value.is_object()) return type_error(value, shape.type);
  const std::size_t first = violations_.size();
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    if (auto violated = check_string(*shape.key, key)) {
      const json key_value(key);  // error path only
      violation(at, &key_value, "Map keys must satisfy constraint: [" + *violated + "]");
    }
    const PathNode node{&at, PathNode::Kind::map_key, key, 0};
    if (it.value().is_null()) {
      violation(node, nullptr, "Member must not be null");
    } else if (!walk_value(*shape.value, it.value(), node)) {
      return false;
    }
  }
  if (auto violated = check_length(shape, value.size())) violation(at, &value, *violated, first);
  return true;
}

bool Walker::walk_integer(const Shape& shape, json& value, const PathNode& at) {
  std::int64_t n = 0;
  switch (value.type()) {
    case json::value_t::number_integer:
      n = value.get<std::int64_t>();
      break;
    case json::value_t::number_unsigned: {
      const auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return range_error(at, shape.type);
      }
      n = static_cast<std::int64_t>(u);
      break;
    }
    case json::value_t::number_float: {
      // AWS truncates a fraction away (3.7 is read as 3).
      const double d = std::trunc(value.get<double>());
      if (!std::isfinite(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
        return range_error(at, shape.type);
      }
      n = static_cast<std::int64_t>(d);
      value = n;
      break;
    }
    default:
      return type_error(value, shape.type);
  }
  if (shape.type == ShapeType::integer && (n < std::numeric_limits<std::int32_t>::min() ||
                                           n > std::numeric_limits<std::int32_t>::max())) {
    return range_error(at, shape.type);
  }
  if (auto violated = check_range(shape, n)) violation(at, &value, *violated);
  return true;
}

bool Walker::walk_value(const Shape& shape, json& value, const PathNode& at) {
  switch (shape.type) {
    case ShapeType::structure:
      if (!value.is_object()) return type_error(value, shape.type);
      return walk_structure(shape, value, &at);
    case ShapeType::list:
      return walk_list(shape, value, at);
    case ShapeType::map:
      return walk_map(shape, value, at);
    case ShapeType::string: {
      const auto* text = value.get_ptr<const std::string*>();
      if (text == nullptr) return type_error(value, shape.type);
      if (auto violated = check_string(shape, *text)) violation(at, &value, *violated);
      return true;
    }
    case ShapeType::integer:
    case ShapeType::long_:
      return walk_integer(shape, value, at);
    case ShapeType::double_: {
      if (!value.is_number()) return type_error(value, shape.type);
      const double d = value.get<double>();
      if (!std::isfinite(d)) return range_error(at, shape.type);
      if (auto violated = check_range(shape, d)) violation(at, &value, *violated);
      return true;
    }
    case ShapeType::boolean:
      if (const auto* text = value.get_ptr<const std::string*>()) {
        // AWS reads "true", "no", "1" and the like as booleans.
        const std::optional<bool> b = boolean_from_text(*text);
        if (!b) return type_error(value, shape.type);
        value = *b;
      } else if (!value.is_boolean()) {
        return type_error(value, shape.type);
      }
      return true;
    case ShapeType::blob: {
      if (const auto* text = value.get_ptr<const std::string*>()) {
        std::vector<std::uint8_t> bytes;
        if (!base64_decode_into(*text, bytes)) {
          return serialization_error(invalid_blob_text_message(*text));
        }
        value = json::binary(std::move(bytes));
      } else if (!value.is_binary()) {
        return type_error(value, shape.type);
      }
      if (auto violated = check_length(shape, value.get_binary().size())) {
        violation(at, &value, *violated);
      }
      return true;
    }
    case ShapeType::timestamp: {
      // Epoch seconds only: AWS's JSON front end takes no date text for Kinesis members.
      if (!value.is_number()) return type_error(value, shape.type);
      const double seconds = value.get<double>();
      if (!std::isfinite(seconds)) return range_error(at, shape.type);
      value = seconds;
      return true;
    }
  }
  return type_error(value, shape.type);
}

}  // namespace

Status validate_request(const Operation& op, nlohmann::json& request) {
  if (!request.is_object()) {
    return make_error(errc::serialization, "The request body must be a JSON object");
  }
  if (op.input == nullptr) return {};
  Walker walker;
  walker.walk_structure(*op.input, request, nullptr);
  return std::move(walker).result();
}

namespace {

// The fast path's check of one flat object against a structure shape (see flat_request.h).
bool flat_object_is_valid(const Shape& structure, FlatObject& object, FlatRequest& request) {
  for (const Member& member : structure.members) {
    const FlatMember* value = object.find(member.name);
    if (value == nullptr) {
      if (member.required) return false;
      continue;
    }
    const Shape& shape = *member.shape;
    switch (shape.type) {
      case ShapeType::string:
        if (!value->quoted || check_string(shape, value->text)) return false;
        break;
      case ShapeType::blob: {
        if (!value->quoted || object.has_blob) return false;
        object.blob_offset = request.bytes.size();
        if (!base64_decode_append(value->text, request.bytes)) return false;
        object.blob_size = request.bytes.size() - object.blob_offset;
        if (check_length(shape, object.blob_size)) return false;
        object.has_blob = true;
        break;
      }
      case ShapeType::integer:
      case ShapeType::long_: {
        if (value->quoted || value->list) return false;
        const std::int64_t n = *object.integer(member.name);
        if (shape.type == ShapeType::integer && n > std::numeric_limits<std::int32_t>::max()) {
          return false;
        }
        if (check_range(shape, n)) return false;
        break;
      }
      case ShapeType::list: {
        // Only the request's own list, of structures (PutRecords' Records).
        if (!value->list || &object != &request || shape.member->type != ShapeType::structure) {
          return false;
        }
        if (check_length(shape, request.items.size())) return false;
        for (FlatObject& item : request.items) {
          if (!flat_object_is_valid(*shape.member, item, request)) return false;
        }
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

bool flat_request_is_valid(const Operation& op, FlatRequest& request) {
  if (op.input == nullptr) return true;
  return flat_object_is_valid(*op.input, request, request);
}

}  // namespace kinesis_emulator::protocol
