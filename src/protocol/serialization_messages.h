#pragma once
// AWS's wording for a request member of the wrong type (a SerializationException): the words of
// the Java front end that reads the body, as earlier emulators recorded them from AWS. Their odd
// grammar ("an String", "a Blob", a full stop on only one of them) is AWS's.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {

// `given` cannot be read as a member of type `expected` (a base64 string given to a blob is
// never such a case: see invalid_blob_text_message).
std::string type_mismatch_message(ShapeType expected, const nlohmann::json& given);

// `text`, given to a blob member, is not valid base64: which rule it breaks, in AWS's words.
std::string invalid_blob_text_message(std::string_view text);

// Strings AWS reads as a boolean member ("true", "FALSE", "1", "no", ...); nullopt otherwise.
std::optional<bool> boolean_from_text(std::string_view text);

}  // namespace kinesis_emulator::protocol
