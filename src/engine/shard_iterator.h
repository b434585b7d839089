#pragma once
// Shard iterators are opaque to clients: a small binary record (stream, shard, next position,
// creation time) with a keyed digest so that a mangled or forged iterator is refused, in
// base64url. They survive restarts because the key is kept in the database.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis_emulator::engine {

struct ShardIteratorParts {
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  uint64_t position = 0;   // first position the next GetRecords may return
  int64_t created_ms = 0;  // iterators expire 5 minutes after this
};

inline constexpr int64_t kShardIteratorLifetimeMs = 5 * 60 * 1000;

std::string encode_shard_iterator(const ShardIteratorParts& parts, std::string_view key);
std::optional<ShardIteratorParts> decode_shard_iterator(std::string_view text,
                                                        std::string_view key);

}  // namespace kinesis_emulator::engine
