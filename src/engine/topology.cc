#include "engine/topology.h"

#include <algorithm>
#include <vector>

#include "engine/sequence_number.h"

namespace kinesis_emulator::engine {

namespace {

void close(ShardInfo& shard, int64_t now_ms) {
  shard.ending_position = shard.starting_position;  // provisional, see topology.h
  shard.closed_ms = now_ms;
}

uint32_t append_child(StreamMeta& draft, HashRange range, std::optional<uint32_t> parent,
                      std::optional<uint32_t> adjacent_parent, int64_t now_ms) {
  ShardInfo child;
  child.index = static_cast<uint32_t>(draft.shards.size());
  child.range = range;
  child.created_ms = now_ms;
  child.starting_position = position_at_time(now_ms);
  child.parent = parent;
  child.adjacent_parent = adjacent_parent;
  draft.shards.push_back(child);
  return child.index;
}

}  // namespace

uint32_t draft_split(StreamMeta& draft, uint32_t index, uint128 new_starting_hash_key,
                     int64_t now_ms) {
  const HashRange range = draft.shards[index].range;
  close(draft.shards[index], now_ms);
  const uint32_t lower =
      append_child(draft, {range.start, new_starting_hash_key - 1}, index, std::nullopt, now_ms);
  append_child(draft, {new_starting_hash_key, range.end}, index, std::nullopt, now_ms);
  return lower;
}

uint32_t draft_merge(StreamMeta& draft, uint32_t index, uint32_t adjacent, int64_t now_ms) {
  const HashRange a = draft.shards[index].range;
  const HashRange b = draft.shards[adjacent].range;
  close(draft.shards[index], now_ms);
  close(draft.shards[adjacent], now_ms);
  return append_child(draft, {std::min(a.start, b.start), std::max(a.end, b.end)}, index, adjacent,
                      now_ms);
}

void draft_uniform_scaling(StreamMeta& draft, uint32_t target, int64_t now_ms) {
  const std::vector<HashRange> wanted = split_hash_space(target);

  // Open shards in hash order.
  std::vector<uint32_t> open;
  for (const ShardInfo& s : draft.shards) {
    if (s.open()) open.push_back(s.index);
  }
  std::sort(open.begin(), open.end(), [&](uint32_t a, uint32_t b) {
    return draft.shards[a].range.start < draft.shards[b].range.start;
  });

  // 1. Split every open shard at each wanted boundary strictly inside it.
  std::vector<uint32_t> pieces;
  for (uint32_t index : open) {
    uint32_t current = index;
    for (const HashRange& w : wanted) {
      const HashRange r = draft.shards[current].range;
      if (w.start > r.start && w.start <= r.end) {
        const uint32_t lower = draft_split(draft, current, w.start, now_ms);
        pieces.push_back(lower);
        current = lower + 1;
      }
    }
    pieces.push_back(current);
  }

  // 2. Merge the pieces that make up each wanted range, left to right. Pieces already equal to a
  // wanted range stay as they are (a shard untouched by step 1 stays open without churn).
  std::size_t next = 0;
  for (const HashRange& w : wanted) {
    uint32_t current = pieces[next++];
    while (draft.shards[current].range.end < w.end) {
      current = draft_merge(draft, current, pieces[next++], now_ms);
    }
  }

  // Step 1 closed pieces it created only to merge them: those intermediates were never open
  // to writers, so they are closed at their start (close() did that). Nothing else to do.
}

}  // namespace kinesis_emulator::engine
