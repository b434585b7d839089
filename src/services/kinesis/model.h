#pragma once
// The Kinesis Data Streams service model (models/kinesis-2013-12-02.json), compiled into the
// binary and parsed on first use.

#include "protocol/service_model.h"

namespace kinesis_emulator::services::kinesis {

const protocol::ServiceModel& service_model();

}  // namespace kinesis_emulator::services::kinesis
