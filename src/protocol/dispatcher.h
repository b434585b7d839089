#pragma once
// Routes a request by X-Amz-Target to the handler of a modelled operation: authentication
// check, body decoding (JSON, or CBOR for application/x-amz-cbor-1.1), model validation, the
// handler, then encoding the reply or the error in the request's codec.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/flat_request.h"
#include "protocol/request_context.h"
#include "protocol/service_definition.h"
#include "protocol/service_model.h"
#include "protocol/wire.h"

namespace kinesis_emulator::protocol {

struct DispatcherOptions {
  std::string default_region = "us-east-1";
  std::string account_id = "000000000000";
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherOptions options) : options_(std::move(options)) {}

  // Registers a service. Throws std::logic_error (a bug, at start-up) for an operation that is
  // not in the model, a fast path without a handler, or an error name that is not one of the
  // model's exception shapes.
  void add_service(ServiceDefinition service);

  // The answer to `request`, as the handler gave it. A streaming operation needs `open`
  // (without it, it is answered as not supported); when it opened its stream, `*streamed` is
  // set and the returned answer is to be ignored.
  WireResponse handle(WireRequest& request, const OpenStream& open = {},
                      bool* streamed = nullptr) const;
  // The same, held back until it is durable when wait_until_durable() is set: the answer now,
  // or nullopt and then `later` called once (from any thread) when it may leave, or the
  // answer written into the stream `open` gave.
  std::optional<WireResponse> handle(WireRequest& request, const Respond& later,
                                     const OpenStream& open = {}) const;

  // --sync: `wait(done)` calls `done(true)` once everything written so far is durable, or
  // `done(false)` if that failed. A successful answer waits for it; an error changed nothing
  // and leaves at once.
  using DurabilityWait = std::function<void(std::function<void(bool durable)>)>;
  void wait_until_durable(DurabilityWait wait) { durability_ = std::move(wait); }

  // An AWS-shaped error answer for a request refused before it reached a handler (too large,
  // unparseable HTTP); in CBOR when `content_type` (the request's, if known) asks for CBOR.
  WireResponse reject(const Error& error, std::string_view content_type = {}) const;

 private:
  struct Route {
    const Operation* operation = nullptr;
    Handler handler;   // empty: modelled but not implemented yet
    FlatHandler flat;  // optional
    StreamingHandler streaming;
    const ErrorTable* errors = nullptr;
  };

  // `errors`: the service's, or null before the request's service is known.
  WireResponse error_response(const Error& error, std::string request_id, Codec codec,
                              const ErrorTable* errors) const;

  DispatcherOptions options_;
  DurabilityWait durability_;
  std::vector<std::unique_ptr<ErrorTable>> error_tables_;  // one per service, stable addresses
  std::map<std::string, Route, std::less<>> routes_;       // "Kinesis_20131202.PutRecord" -> route
};

}  // namespace kinesis_emulator::protocol
