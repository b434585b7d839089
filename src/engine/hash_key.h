#pragma once
// Routing: a record's hash key is MD5(partition key) read as a 128-bit big-endian integer (or its
// ExplicitHashKey); shards split [0, 2^128-1] into contiguous ranges.

#include <string_view>
#include <utility>
#include <vector>

#include "common/uint128.h"

namespace kinesis_emulator::engine {

uint128 partition_key_hash(std::string_view partition_key);

struct HashRange {
  uint128 start = 0;
  uint128 end = 0;  // inclusive
  bool contains(uint128 key) const { return key >= start && key <= end; }
};

// `count` equal ranges covering the whole key space, the last one absorbing the remainder.
std::vector<HashRange> split_hash_space(uint32_t count);

}  // namespace kinesis_emulator::engine
