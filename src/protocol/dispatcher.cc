#include "protocol/dispatcher.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

#include "common/random.h"
#include "protocol/aws_error.h"
#include "protocol/validator.h"

namespace kinesis_emulator::protocol {

namespace {

constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
constexpr std::string_view kJson10 = "application/x-amz-json-1.0";
constexpr std::string_view kCbor11 = "application/x-amz-cbor-1.1";

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

void Dispatcher::add_service(const ServiceModel& model,
                             const std::map<std::string, Handler>& handlers) {
  for (const Operation* op : model.operations()) {
    Route route;
    route.operation = op;
    if (auto it = handlers.find(op->name); it != handlers.end()) route.handler = it->second;
    routes_[model.target_prefix() + "." + op->name] = std::move(route);
  }
  for (const auto& [name, handler] : handlers) {
    if (model.find_operation(name) == nullptr) {
      throw std::logic_error("handler for unmodelled operation " + name);
    }
  }
}

WireResponse Dispatcher::error_response(const Error& error, std::string request_id) const {
  WireResponse response;
  response.status = aws_error_shape(error.code).http_status;
  response.content_type = kJson11;
  response.body = json_error_body(error);
  response.request_id = std::move(request_id);
  return response;
}

WireResponse Dispatcher::reject(const Error& error) const {
  return error_response(error, random_request_id());
}

WireResponse Dispatcher::handle(WireRequest& request) const {
  const auto started = std::chrono::steady_clock::now();
  RequestContext ctx;
  ctx.request_id = random_request_id();

  auto finish = [&](WireResponse response) {
    if (spdlog::should_log(spdlog::level::debug)) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
      spdlog::debug("{} {} {} {}B {}us", ctx.request_id, request.amz_target, response.status,
                    response.body.size(), us);
    }
    return response;
  };
  auto fail = [&](errc code, std::string message) {
    return finish(error_response(make_error(code, std::move(message)), ctx.request_id));
  };

  if (request.method != "POST") {
    return fail(errc::unknown_operation, "Only POST requests are served; use an AWS SDK or CLI.");
  }
  std::string_view region = sigv4_region(request.authorization);
  if (request.authorization.empty()) {
    region = sigv4_region(request.target);
    if (region.empty() && request.target.find("X-Amz-Credential=") == std::string_view::npos) {
      return fail(errc::missing_authentication_token, "Missing Authentication Token");
    }
  }
  ctx.region = region.empty() ? options_.default_region : std::string(region);
  ctx.account = options_.account_id;

  auto route_it = routes_.find(request.amz_target);
  if (route_it == routes_.end()) {
    return fail(errc::unknown_operation,
                request.amz_target.empty()
                    ? std::string("Missing X-Amz-Target header")
                    : "Unknown operation " + std::string(request.amz_target));
  }
  const Route& route = route_it->second;
  if (!route.handler) {
    return fail(errc::unknown_operation,
                "Operation " + route.operation->name + " is not supported by kinesis-emulator yet");
  }

  if (starts_with_ci(request.content_type, kCbor11)) {
    return fail(errc::serialization,
                "CBOR request bodies are not supported yet; disable CBOR in the client "
                "(for the Java SDK: AWS_CBOR_DISABLE=1 or -Dcom.amazonaws.sdk.disableCbor)");
  }
  const bool json10 = starts_with_ci(request.content_type, kJson10);

  nlohmann::json body;
  if (request.body.empty()) {
    body = nlohmann::json::object();
  } else {
    body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded()) return fail(errc::serialization, "The request body is not valid JSON");
  }
  if (Status s = validate_request(*route.operation, body); !s.ok()) {
    return finish(error_response(s.error(), ctx.request_id));
  }

  Result<Reply> reply = make_error(errc::internal_failure, "");
  try {
    reply = route.handler(ctx, body);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed with an exception: {}", ctx.request_id, route.operation->name,
                  e.what());
    return fail(errc::internal_failure, "Internal service failure.");
  }
  if (!reply.ok()) return finish(error_response(reply.error(), ctx.request_id));

  WireResponse response;
  response.content_type = json10 ? kJson10 : kJson11;
  response.request_id = ctx.request_id;
  response.body =
      reply->encoded.empty()
          ? reply->document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          : std::move(reply->encoded);
  return finish(std::move(response));
}

}  // namespace kinesis_emulator::protocol
