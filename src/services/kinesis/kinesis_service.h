#pragma once
// Kinesis Data Streams (Kinesis_20131202.*) as the protocol layer sees it: the model, the names
// of its errors and its operations, as plain functions from a validated request to a reply,
// over the engine. No HTTP here.

#include "engine/engine.h"
#include "engine/resource_store.h"
#include "limiter/control_plane_limiter.h"
#include "protocol/service_definition.h"

namespace kinesis_emulator::services::kinesis {

// Tags, consumers, policies and monitoring settings live in `resources`, beside the engine.
// With `control_plane` enabled, every call is first admitted by AWS's per-operation call rates.
protocol::ServiceDefinition definition(engine::Engine& engine, engine::ResourceStore& resources,
                                       limiter::ControlPlaneLimiter* control_plane = nullptr);

// How Kinesis names the engines' errors (the exception shapes of its model).
protocol::ErrorTable error_table();

}  // namespace kinesis_emulator::services::kinesis
