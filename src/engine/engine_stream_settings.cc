// Engine: UpdateMaxRecordSize and UpdateStreamWarmThroughput, settings that change through the
// same UPDATING transition as resharding; UpdateStreamRecordDistributionStrategy, which AWS
// applies at once.
#include "engine/engine.h"

namespace kinesis_emulator::engine {

Status Engine::update_max_record_size(const StreamKey& key, int kib) {
  if (kib < kDefaultMaxRecordKiB || kib > kLargestMaxRecordKiB) {
    return make_error(errc::invalid_argument,
                      "MaxRecordSizeInKiB must be between 1024 and 10240; " + std::to_string(kib) +
                          " was requested.");
  }
  return reshard(key, [&](StreamMeta& draft, int64_t) -> Status {
    draft.max_record_kib = kib;
    return {};
  });
}

Status Engine::update_warm_throughput(const StreamKey& key, int64_t mib_per_s) {
  return reshard(key, [&](StreamMeta& draft, int64_t) -> Status {
    if (draft.mode != StreamMode::on_demand) {
      return make_error(errc::invalid_argument, "Warm throughput can only be set for stream " +
                                                    key.name + " under account " + key.account +
                                                    " in ON_DEMAND mode.");
    }
    draft.warm_throughput_mibps = mib_per_s;
    return {};
  });
}

Status Engine::update_record_distribution(const StreamKey& key, RecordDistribution distribution) {
  auto found = find(key);
  if (!found.ok()) return std::move(found).error();
  Stream& stream = **found;
  const StreamStatus status = status_of(stream, clock_.now_ms());
  if (status != StreamStatus::active) {
    return make_error(errc::resource_in_use, "Stream " + key.name + " under account " +
                                                 key.account + " not ACTIVE, instead in state " +
                                                 to_string(status));
  }
  std::unique_lock topology(stream.topology_mu());
  if (stream.deleted()) return stream_not_found(key);
  StreamMeta meta = stream.meta();
  if (distribution == RecordDistribution::automatic && meta.mode != StreamMode::on_demand) {
    return make_error(errc::invalid_argument,
                      "RecordDistributionStrategy AUTO is supported only for streams in ON_DEMAND "
                      "mode; stream " +
                          key.name + " under account " + key.account + " is PROVISIONED.");
  }
  if (meta.distribution == distribution) return {};
  meta.distribution = distribution;
  if (Status s = persist_meta(meta); !s.ok()) return s;
  stream.set_meta(meta);
  return {};
}

}  // namespace kinesis_emulator::engine
