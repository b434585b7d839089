#pragma once
// AWS's timestamp texts, for the services whose members take them (Firehose's and Analytics'
// APIs, S3 headers): ISO 8601 and epoch seconds as text.

#include <string_view>

namespace kinesis_emulator::aws {

// "2024-01-02T03:04:05.678Z", "2024-01-02T03:04:05+01:00", "2024-01-02" ... into seconds since
// the epoch; false if `text` is not such a time.
bool parse_iso8601(std::string_view text, double& seconds);

// Epoch seconds ("1459799926.480") or ISO 8601.
bool parse_timestamp_text(std::string_view text, double& seconds);

}  // namespace kinesis_emulator::aws
