#pragma once
// What an AWS service gives the protocol layer: its model, the names it gives the engines'
// errors, and its operations, each listed once. Adding a service is a model file, one of these
// and its handlers; nothing under protocol/ changes.

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "protocol/aws_error.h"
#include "protocol/flat_request.h"
#include "protocol/request_context.h"
#include "protocol/response_stream.h"
#include "protocol/service_model.h"

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

// An operation whose answer is a stream: it checks what it must, then opens the stream and
// writes it (now or later, from any thread). An error returned before it opened the stream is
// answered as any error; once open, errors travel in the stream.
using StreamingHandler =
    std::function<Status(const RequestContext&, nlohmann::json& request, const OpenStream& open)>;

struct ServiceError {
  errc code;
  std::string_view type;  // an exception shape of the service's model
  unsigned http_status;
};

// A service's names for the engines' errors, over the protocol's own (aws_error.h). An errc
// that neither names is answered InternalFailure (500): a service that returns it has a bug.
class ErrorTable {
 public:
  ErrorTable() = default;
  ErrorTable(std::initializer_list<ServiceError> errors) : errors_(errors) {}

  AwsErrorShape shape(errc code) const;
  const std::vector<ServiceError>& service_errors() const { return errors_; }

 private:
  std::vector<ServiceError> errors_;
};

struct OperationDefinition {
  Handler handler;
  FlatHandler flat;            // optional: the fast path of a hot operation
  StreamingHandler streaming;  // instead of `handler`, for an answer that is a stream
};

struct ServiceDefinition {
  const ServiceModel* model = nullptr;
  ErrorTable errors;
  // By operation name; a modelled operation left out answers "not supported yet".
  std::map<std::string, OperationDefinition> operations;
};

}  // namespace kinesis_emulator::protocol
