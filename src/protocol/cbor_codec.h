#pragma once
// AWS's CBOR wire format (Content-Type application/x-amz-cbor-1.1): what the AWS SDKs for Java
// (v1 and v2), and so the KCL, send to Kinesis unless CBOR is disabled. The JSON protocol's
// documents carried in RFC 8949 CBOR, with two differences that matter:
//
// - Blobs are CBOR byte strings, not base64 text.
// - Timestamps are tag 1 over an integer count of epoch MILLISECONDS, although RFC 8949 says tag 1
//   counts seconds. Both SDKs write them so and read them back as a long of milliseconds:
//     v1  com.amazonaws.protocol.json.SdkCborGenerator.writeValue(Date): writeTag(1);
//         writeNumber(date.getTime());  read by SimpleTypeCborUnmarshallers.DateCborUnmarshaller
//         as new Date(parser.getLongValue()).
//     v2  software.amazon.awssdk.protocols.cbor.internal.SdkCborGenerator.writeValue(Instant):
//         writeTag(1); writeNumber(instant.toEpochMilli()); AwsCborProtocolFactory makes
//         UNIX_TIMESTAMP_MILLIS the payload default, parsed by DateUtils
//         .parseUnixTimestampMillisInstant = Long.parseLong(text): a float ("1.6E9") fails.
//     aws/aws-sdk-java-v2 issue #4661 (the SDK's tag 1 holds millis, against the RFC) and
//     PR #979 ("CBOR ... uses epoch millis on the wire"); localstack issue #3134 (a float
//     ApproximateArrivalTimestamp breaks KCL 2 with NumberFormatException; real Kinesis sends
//     an integer of milliseconds).
//
// Errors are a CBOR map {"__type", "message"}; both SDKs take the error code from the
// x-amzn-ErrorType header first and then from `__type` (JsonErrorCodeParser in each), so the
// dispatcher sends both.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/service_model.h"

namespace kinesis_emulator::protocol {

inline constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";

// Decodes a request body into the document the validator walks. Maps must have text keys (a
// repeated key keeps its last value), text must be UTF-8, byte strings become binary, tag 1
// (epoch milliseconds, see above) becomes epoch seconds as a double, other tags are ignored.
// Definite and indefinite lengths are both accepted. Anything malformed, truncated, followed by
// trailing bytes or nested deeper than 64 levels is errc::serialization: never a crash, never an
// allocation larger than the body.
Result<nlohmann::json> cbor_decode(std::string_view bytes);

// Appends the CBOR encoding of a reply document, driven by `shape` (an operation's output; null:
// by the document's own types). Timestamp members (epoch seconds in documents) become tag 1 over
// integer milliseconds, blob members byte strings (from binary, or from base64 text), integer and
// long members integers.
void cbor_encode(const nlohmann::json& document, const Shape* shape, std::string& out);

// {"__type": "...", "message": "..."} in CBOR.
std::string cbor_error_body(const Error& error, std::string_view type);

// Writers for the hot handlers that encode their answer directly, without a document.
namespace cbor {

enum class Major : std::uint8_t {
  unsigned_int = 0,
  negative_int = 1,
  bytes = 2,
  text = 3,
  array = 4,
  map = 5,
  tag = 6,
  simple = 7
};

// An item's head: major type and argument, in the shortest form.
void append_head(std::string& out, Major major, std::uint64_t argument);
void append_int(std::string& out, std::int64_t value);
void append_text(std::string& out, std::string_view text);
void append_bytes(std::string& out, std::string_view bytes);
inline void begin_map(std::string& out, std::size_t pairs) {
  append_head(out, Major::map, pairs);
}
inline void begin_array(std::string& out, std::size_t items) {
  append_head(out, Major::array, items);
}
// Indefinite-length map or array, closed by end_indefinite (as Jackson, and so the SDKs, write).
inline void begin_indefinite_map(std::string& out) {
  out.push_back(static_cast<char>(0xBF));
}
inline void begin_indefinite_array(std::string& out) {
  out.push_back(static_cast<char>(0x9F));
}
inline void end_indefinite(std::string& out) {
  out.push_back(static_cast<char>(0xFF));
}
// A timestamp as the AWS SDKs read it: tag 1 over integer epoch milliseconds.
void append_timestamp_ms(std::string& out, std::int64_t epoch_ms);

}  // namespace cbor

}  // namespace kinesis_emulator::protocol
