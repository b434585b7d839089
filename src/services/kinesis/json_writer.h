#pragma once
// Appending JSON by hand for the hot responses (GetRecords): no document, no per-record
// allocation beyond the output buffer.

#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis_emulator::services::kinesis {

// Appends `text` as a quoted JSON string (the text is valid UTF-8: it came from a JSON request).
void append_json_string(std::string& out, std::string_view text);

// Appends epoch seconds with millisecond precision, e.g. 1700000000.123.
void append_epoch_seconds(std::string& out, int64_t ms);

}  // namespace kinesis_emulator::services::kinesis
