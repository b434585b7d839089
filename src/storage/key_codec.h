#pragma once
// Byte layouts of record keys and values (see store.h). Big-endian integers so that RocksDB's
// bytewise order is numeric order.

#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis_emulator::storage {

inline constexpr std::size_t kShardPrefixSize = 12;  // stream id (8) | shard (4)
inline constexpr std::size_t kRecordKeySize = 20;    // prefix | position (8)

inline void put_u64_be(char* out, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
}
inline void put_u32_be(char* out, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
}
inline uint64_t get_u64_be(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

inline void encode_shard_prefix(char* out, uint64_t stream_id, uint32_t shard) {
  put_u64_be(out, stream_id);
  put_u32_be(out + 8, shard);
}
inline void encode_record_key(char* out, uint64_t stream_id, uint32_t shard, uint64_t position) {
  encode_shard_prefix(out, stream_id, shard);
  put_u64_be(out + kShardPrefixSize, position);
}

// Value: flags (1 byte, 0 for now) | partition key length (LEB128) | key | data.
inline void encode_record_value(std::string& out, std::string_view partition_key,
                                std::string_view data) {
  out.reserve(out.size() + 1 + 2 + partition_key.size() + data.size());
  out.push_back('\0');
  uint64_t n = partition_key.size();
  do {
    const auto byte = static_cast<unsigned char>(n & 0x7f);
    n >>= 7;
    out.push_back(static_cast<char>(n ? (byte | 0x80) : byte));
  } while (n != 0);
  out.append(partition_key);
  out.append(data);
}

// The value without its flags byte: key length | key | data.
inline bool decode_record_body(std::string_view body, std::string_view& partition_key,
                               std::string_view& data) {
  const std::string_view value = body;
  std::size_t pos = 0;
  uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= value.size() || shift > 28) return false;
    const auto byte = static_cast<unsigned char>(value[pos++]);
    n |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (n > value.size() - pos) return false;
  partition_key = value.substr(pos, n);
  data = value.substr(pos + n);
  return true;
}

inline bool decode_record_value(std::string_view value, std::string_view& partition_key,
                                std::string_view& data) {
  return !value.empty() && decode_record_body(value.substr(1), partition_key, data);
}

}  // namespace kinesis_emulator::storage
