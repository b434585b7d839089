#pragma once
// Resharding as edits of a draft StreamMeta: splits and merges close shards and append their
// children with parent/adjacent-parent lineage. A shard closed here gets a provisional
// EndingSequenceNumber position (its start); the engine replaces it with the shard's last
// written position when it commits the draft.

#include <cstdint>

#include "common/uint128.h"
#include "engine/stream.h"

namespace kinesis_emulator::engine {

// Splits open shard `index` at `new_starting_hash_key` (start < key <= end); returns the index
// of the lower child (the upper one follows it).
uint32_t draft_split(StreamMeta& draft, uint32_t index, uint128 new_starting_hash_key,
                     int64_t now_ms);

// Merges open shards `index` and `adjacent` (adjacent hash ranges, either order); returns the
// child's index. The child's parent is `index`, its adjacent parent `adjacent`.
uint32_t draft_merge(StreamMeta& draft, uint32_t index, uint32_t adjacent, int64_t now_ms);

// Rewrites the open shards into `target` shards of equal width, the way AWS's UNIFORM_SCALING
// does: split every open shard at the new boundaries inside it, then merge the pieces of each
// new range left to right. Intermediate shards are closed at once; every shard keeps at most
// two parents, so lineage stays readable for consumers such as the KCL.
void draft_uniform_scaling(StreamMeta& draft, uint32_t target, int64_t now_ms);

}  // namespace kinesis_emulator::engine
