#pragma once
// Routes a request by X-Amz-Target to the handler of a modelled operation: authentication
// check, body decoding (JSON, or CBOR for application/x-amz-cbor-1.1), model validation, the
// handler, then encoding the reply or the error in the request's codec.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/flat_request.h"
#include "protocol/request_context.h"
#include "protocol/service_model.h"
#include "protocol/wire.h"

namespace kinesis_emulator::protocol {

struct Reply {
  nlohmann::json document = nlohmann::json::object();
  // When set, the body already encoded for the request's codec, RequestContext::codec (hot
  // paths write it directly instead of building a document).
  std::string encoded;
};

using Handler = std::function<Result<Reply>(const RequestContext&, nlohmann::json& request)>;
// The same operation for a body the fast path read (protocol/flat_request.h).
using FlatHandler = std::function<Result<Reply>(const RequestContext&, const FlatRequest& request)>;

struct DispatcherOptions {
  std::string default_region = "us-east-1";
  std::string account_id = "000000000000";
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherOptions options) : options_(std::move(options)) {}

  // Registers the handlers of one service; each name must be an operation of `model`.
  // `flat_handlers` optionally give hot operations a fast path; each also needs a handler.
  void add_service(const ServiceModel& model, const std::map<std::string, Handler>& handlers,
                   const std::map<std::string, FlatHandler>& flat_handlers = {});

  WireResponse handle(WireRequest& request) const;

  // An AWS-shaped error answer for a request refused before it reached a handler (too large,
  // unparseable HTTP); in CBOR when `content_type` (the request's, if known) asks for CBOR.
  WireResponse reject(const Error& error, std::string_view content_type = {}) const;

 private:
  struct Route {
    const Operation* operation = nullptr;
    Handler handler;   // empty: modelled but not implemented yet
    FlatHandler flat;  // optional
  };

  WireResponse error_response(const Error& error, std::string request_id, Codec codec) const;

  DispatcherOptions options_;
  std::map<std::string, Route, std::less<>> routes_;  // "Kinesis_20131202.PutRecord" -> route
};

}  // namespace kinesis_emulator::protocol
