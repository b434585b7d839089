// Printing a phase's result: a human-readable block, and with --json one JSON line.
#pragma once

#include "options.h"

#include <nlohmann/json.hpp>

namespace kbench {

void print_result(const Options& o, const nlohmann::ordered_json& result);

}  // namespace kbench
