#pragma once
// StreamMeta <-> the JSON text stored under "stream/<id>" in the metadata column family.

#include <optional>
#include <string>
#include <string_view>

#include "engine/stream.h"

namespace kinesis_emulator::engine {

std::string encode_stream_meta(const StreamMeta& meta);
std::optional<StreamMeta> decode_stream_meta(std::string_view text);
std::string stream_meta_key(uint64_t stream_id);

}  // namespace kinesis_emulator::engine
