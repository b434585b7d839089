#include "services/kinesis/model.h"

#include <string_view>

namespace kinesis_emulator::embedded {
// Generated at build time from models/kinesis-2013-12-02.json (cmake/EmbedFile.cmake).
extern const std::string_view kinesis_model_json;
}  // namespace kinesis_emulator::embedded

namespace kinesis_emulator::services::kinesis {

const protocol::ServiceModel& service_model() {
  static const protocol::ServiceModel* const model =
      protocol::ServiceModel::load_embedded(embedded::kinesis_model_json, "Kinesis");
  return *model;
}

}  // namespace kinesis_emulator::services::kinesis
