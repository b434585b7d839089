#pragma once
// Kinesis Data Streams operations (Kinesis_20131202.*): plain functions from a validated request
// to a reply, over the engine. No HTTP here.

#include <map>
#include <string>

#include "engine/engine.h"
#include "engine/resource_store.h"
#include "limiter/control_plane_limiter.h"
#include "protocol/dispatcher.h"

namespace kinesis_emulator::services::kinesis {

// Every implemented operation, by name. Tags, consumers, policies and monitoring settings live
// in `resources`, beside the engine.
// With `control_plane` enabled, every call is first admitted by AWS's per-operation call rates.
std::map<std::string, protocol::Handler> handlers(
    engine::Engine& engine, engine::ResourceStore& resources,
    limiter::ControlPlaneLimiter* control_plane = nullptr);

// Fast paths for the hot data-plane operations, beside their handlers above.
std::map<std::string, protocol::FlatHandler> flat_handlers(engine::Engine& engine);

}  // namespace kinesis_emulator::services::kinesis
