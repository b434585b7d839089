#include "protocol/serialization_messages.h"

#include <optional>

namespace kinesis_emulator::protocol {

using nlohmann::json;

namespace {

constexpr std::string_view kListNotExpected = "Start of list found where not expected";
constexpr std::string_view kStructureNotExpected =
    "Start of structure or map found where not expected.";

// How the Java front end names the target type in "... can not be converted to <target>".
std::string_view target_name(ShapeType type) {
  switch (type) {
    case ShapeType::string:
      return "an String";
    case ShapeType::integer:
      return "an Integer";
    case ShapeType::long_:
      return "an Long";
    case ShapeType::double_:
      return "an Double";
    case ShapeType::boolean:
      return "an Boolean";
    case ShapeType::blob:
      return "a Blob";
    case ShapeType::timestamp:
      return "milliseconds since epoch";
    case ShapeType::structure:
    case ShapeType::list:
    case ShapeType::map:
      break;
  }
  return "an Object";
}

// The Java class a JSON scalar is read as before conversion.
std::string_view source_class(const json& given) {
  if (given.is_boolean()) return "class java.lang.Boolean";
  if (given.is_number()) return "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
  if (given.is_binary()) return "class java.nio.HeapByteBuffer";
  return "class java.lang.String";
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

bool in_base64_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string type_mismatch_message(ShapeType expected, const json& given) {
  // Containers are told apart by the token that starts them, before any type is considered.
  switch (expected) {
    case ShapeType::list:
      if (given.is_object()) return std::string(kStructureNotExpected);
      return "Expected list or null";
    case ShapeType::map:
      if (given.is_array()) return std::string(kListNotExpected);
      return "Expected map or null";
    case ShapeType::structure:
      if (given.is_array()) return std::string(kListNotExpected);
      return "Expected null";
    default:
      break;
  }
  if (given.is_array()) return std::string(kListNotExpected);
  if (given.is_object()) return std::string(kStructureNotExpected);
  if (expected == ShapeType::boolean && given.is_string()) {
    std::string message(1, '\'');
    message.append(upper(given.get_ref<const std::string&>()));
    message.append("' can not be converted to ").append(target_name(expected));
    return message;
  }
  return std::string(source_class(given)) + " can not be converted to " +
         std::string(target_name(expected));
}

std::string invalid_blob_text_message(std::string_view text) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) about "'" + std::string.
  std::string message(1, '\'');
  message.append(text).append("' can not be converted to a Blob: ");
  if (text.size() % 4 != 0) {
    return message + "Base64 encoded length is expected a multiple of 4 bytes but found: " +
           std::to_string(text.size());
  }
  bool padding = false;
  for (char c : text) {
    if (c == '=') {
      padding = true;
    } else if (!in_base64_alphabet(c) || padding) {
      // A character outside the alphabet, or data after padding began: AWS names the first one
      // that cannot stand where it is (for data after '=', that '=' itself).
      message.append("Invalid Base64 character: '").push_back(padding ? '=' : c);
      return message.append("'");
    }
  }
  // Every character is allowed where it stands, so the unused low bits of the last data
  // character are set: a second encoding of the same bytes, which AWS refuses. (AWS's spelling.)
  return message + "Invalid last non-pad Base64 character dectected";
}

std::optional<bool> boolean_from_text(std::string_view text) {
  const std::string word = upper(text);
  if (word == "TRUE" || word == "1" || word == "YES") return true;
  if (word == "FALSE" || word == "0" || word == "NO") return false;
  return std::nullopt;
}

}  // namespace kinesis_emulator::protocol
