// libFuzzer target: decoding shard iterators (engine/shard_iterator.h).
//
// - Any text: decoding never crashes; one that decodes (hex of a version-1 record whose digest
//   matches the key) re-encodes to itself, since the decoder takes lowercase hex only.
// - The input's bytes read as the fields of an iterator: encode, then decode, gives them back.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/shard_iterator.h"

using namespace kinesis_emulator;

namespace {
// The key the seeds in corpus/fuzz_shard_iterator were minted with (tests/fuzz/make_corpus.py);
// an iterator of a real server, under its own random key, fails the digest check.
constexpr std::string_view kKey = "kinesis-emulator-fuzz-iterator-key";

template <class T>
T take(const uint8_t*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto parts = engine::decode_shard_iterator(text, kKey)) {
    if (engine::encode_shard_iterator(*parts, kKey) != text) __builtin_trap();
  }

  if (size >= 28) {
    const uint8_t* p = data;
    engine::ShardIteratorParts parts;
    parts.stream_id = take<uint64_t>(p);
    parts.shard_index = take<uint32_t>(p);
    parts.position = take<uint64_t>(p);
    parts.created_ms = take<int64_t>(p);
    const std::string_view key(reinterpret_cast<const char*>(p), size - 28);
    const std::string encoded = engine::encode_shard_iterator(parts, key);
    auto decoded = engine::decode_shard_iterator(encoded, key);
    if (!decoded || decoded->stream_id != parts.stream_id ||
        decoded->shard_index != parts.shard_index || decoded->position != parts.position ||
        decoded->created_ms != parts.created_ms) {
      __builtin_trap();
    }
  }
  return 0;
}
