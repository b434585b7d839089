// Engine: UpdateMaxRecordSize and UpdateStreamWarmThroughput, settings that change through the
// same UPDATING transition as resharding.
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

}  // namespace kinesis_emulator::engine
