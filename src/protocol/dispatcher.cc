#include "protocol/dispatcher.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "common/random.h"
#include "protocol/authentication.h"
#include "protocol/aws_error.h"
#include "protocol/cbor_codec.h"
#include "protocol/validator.h"

namespace kinesis_emulator::protocol {

namespace {

constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
constexpr std::string_view kJson10 = "application/x-amz-json-1.0";

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

Codec codec_of(std::string_view content_type) {
  return starts_with_ci(content_type, kCborContentType) ? Codec::cbor : Codec::json;
}

enum class BodyFormat { json, cbor, unsupported };

// The media type before any parameters, trimmed, as AWS compares it.
BodyFormat body_format_of(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view type = content_type.substr(0, semicolon);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  auto is = [&](std::string_view media) {
    return type.size() == media.size() && starts_with_ci(type, media);
  };
  if (is(kCborContentType)) return BodyFormat::cbor;
  // application/json: what a hand-written request (curl, a test's fetch) tends to send.
  if (is(kJson11) || is(kJson10) || is("application/json")) return BodyFormat::json;
  return BodyFormat::unsupported;
}

// AWS's front end refuses some requests with XML bodies and no Content-Type, before any service
// reads them.
WireResponse xml_error(unsigned status, std::string_view type, std::string_view message,
                       std::string request_id) {
  WireResponse response;
  response.status = status;
  response.body.append("<").append(type).append(">\n  <Message>").append(message);
  response.body.append("</Message>\n</").append(type).append(">\n");
  response.request_id = std::move(request_id);
  return response;
}

}  // namespace

void Dispatcher::add_service(ServiceDefinition service) {
  const ServiceModel& model = *service.model;
  for (const auto& [name, definition] : service.operations) {
    if (model.find_operation(name) == nullptr) {
      throw std::logic_error("handler for unmodelled operation " + name);
    }
    if (definition.flat && !definition.handler) {
      throw std::logic_error("fast-path handler without a handler for " + name);
    }
    if (definition.streaming && (definition.handler || definition.flat)) {
      throw std::logic_error("a streaming operation with a unary handler too: " + name);
    }
  }
  for (const ServiceError& e : service.errors.service_errors()) {
    const Shape* shape = model.find_shape(e.type);
    if (shape == nullptr || !shape->exception) {
      throw std::logic_error("error " + std::string(e.type) + " is not an exception of the " +
                             model.target_prefix() + " model");
    }
  }
  const ErrorTable* errors =
      error_tables_.emplace_back(std::make_unique<ErrorTable>(std::move(service.errors))).get();
  for (const Operation* op : model.operations()) {
    Route route;
    route.operation = op;
    route.errors = errors;
    if (auto it = service.operations.find(op->name); it != service.operations.end()) {
      route.handler = std::move(it->second.handler);
      route.flat = std::move(it->second.flat);
      route.streaming = std::move(it->second.streaming);
    }
    routes_[model.target_prefix() + "." + op->name] = std::move(route);
  }
}

WireResponse Dispatcher::error_response(const Error& error, std::string request_id, Codec codec,
                                        const ErrorTable* errors) const {
  WireResponse response;
  const AwsErrorShape shape =
      errors != nullptr ? errors->shape(error.code) : ErrorTable().shape(error.code);
  response.status = shape.http_status;
  if (codec == Codec::cbor) {
    response.content_type = kCborContentType;
    response.body = cbor_error_body(error, shape.type);
    // The Java SDKs read the error code from this header before the body's `__type`.
    response.headers.emplace_back("x-amzn-ErrorType", shape.type);
  } else {
    response.content_type = kJson11;
    response.body = json_error_body(error, shape.type);
  }
  response.request_id = std::move(request_id);
  return response;
}

WireResponse Dispatcher::reject(const Error& error, std::string_view content_type) const {
  return error_response(error, random_request_id(), codec_of(content_type), nullptr);
}

std::optional<WireResponse> Dispatcher::handle(WireRequest& request, const Respond& later,
                                               const OpenStream& open) const {
  bool streamed = false;
  WireResponse response = handle(request, open, &streamed);
  if (streamed) return std::nullopt;
  if (!durability_ || response.status != 200) return response;
  durability_([this, later, response = std::move(response),
               content_type = std::string(request.content_type)](bool durable) mutable {
    if (!durable) {
      response = reject(make_error(errc::internal_failure,
                                   "The request was carried out but could not be made durable."),
                        content_type);
    }
    later(std::move(response));
  });
  return std::nullopt;
}

WireResponse Dispatcher::handle(WireRequest& request, const OpenStream& open,
                                bool* streamed) const {
  const auto started = std::chrono::steady_clock::now();
  RequestContext ctx;
  ctx.request_id = random_request_id();
  const BodyFormat format = body_format_of(request.content_type);
  ctx.codec = format == BodyFormat::cbor ? Codec::cbor : Codec::json;

  auto finish = [&](WireResponse response) {
    if (spdlog::should_log(spdlog::level::debug)) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
      spdlog::debug("{} {} {} {} {}B {}us", ctx.request_id, request.transport, request.amz_target,
                    response.status, response.body.size(), us);
    }
    return response;
  };
  const Route* route = nullptr;  // once known, its service names the errors
  auto fail_with = [&](const Error& error) {
    return finish(error_response(error, ctx.request_id, ctx.codec,
                                 route != nullptr ? route->errors : nullptr));
  };
  auto fail = [&](errc code, std::string message) {
    return fail_with(make_error(code, std::move(message)));
  };

  // The order of AWS's checks: method, then the body (empty, of an unknown type, unreadable),
  // then the operation, then the signature, then the members; existence last, in the handler.
  if (request.method != "POST") {
    return finish(xml_error(403, "AccessDeniedException",
                            "Unable to determine service/operation name to be authorized",
                            ctx.request_id));
  }
  auto route_it = routes_.find(request.amz_target);
  route = route_it == routes_.end() ? nullptr : &route_it->second;
  auto unknown_operation = [&] {
    return fail(errc::unknown_operation,
                request.amz_target.empty()
                    ? std::string("Missing X-Amz-Target header")
                    : "Unknown operation " + std::string(request.amz_target));
  };
  if (request.body.empty()) {
    // AWS answers an empty body in CBOR unless it was declared JSON.
    if (format == BodyFormat::unsupported) ctx.codec = Codec::cbor;
    if (route == nullptr) return unknown_operation();
    return fail(errc::serialization,
                "The request body is empty; an operation without members "
                "takes an empty object, {}");
  }
  if (format == BodyFormat::unsupported) {
    if (request.amz_target.find('.') == std::string_view::npos) {
      return finish(xml_error(403, "AccessDeniedException",
                              "Unable to determine service/operation name to be authorized",
                              ctx.request_id));
    }
    WireResponse response;
    response.status = 404;
    response.body = "<UnknownOperationException/>\n";
    response.request_id = ctx.request_id;
    return finish(std::move(response));
  }

  std::optional<FlatRequest> flat;
  nlohmann::json body;
  if (route != nullptr && route->flat && ctx.codec == Codec::json) {
    flat = FlatRequest::parse(request.body);
    if (flat && !flat_request_is_valid(*route->operation, *flat)) flat.reset();
  }
  if (!flat) {
    if (ctx.codec == Codec::cbor) {
      auto decoded = cbor_decode(request.body);
      if (!decoded.ok()) return fail_with(decoded.error());
      body = std::move(*decoded);
    } else {
      body = nlohmann::json::parse(request.body, nullptr, false);
      if (body.is_discarded()) {
        return fail(errc::serialization, "The request body is not valid JSON");
      }
    }
    if (!body.is_object()) {
      return fail(errc::serialization,
                  "Start of structure or map expected; the request body "
                  "must be an object");
    }
  }
  if (route == nullptr) return unknown_operation();

  if (Status s = check_signature_present(request); !s.ok()) return fail_with(s.error());
  // The SigV4 credential, from the Authorization header or else a presigned URL's query,
  // names the account (by its access key id) and the region.
  std::string_view credential = request.authorization;
  if (credential.empty()) credential = request.target;
  const std::string_view region = sigv4_region(credential);
  ctx.region = region.empty() ? options_.default_region : std::string(region);
  ctx.account = account_for_access_key(sigv4_access_key(credential), options_.account_id);

  if (!route->handler && !(route->streaming && open)) {
    return fail(errc::unknown_operation, "Operation " + route->operation->name +
                                             " is not supported by kinesis-emulator yet");
  }

  const bool json10 = starts_with_ci(request.content_type, kJson10);

  auto run = [&](auto&& call) -> Result<Reply> {
    try {
      return call();
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed with an exception: {}", ctx.request_id, route->operation->name,
                    e.what());
      return make_error(errc::internal_failure, "Internal service failure.");
    }
  };
  if (route->streaming) {
    if (Status v = validate_request(*route->operation, body); !v.ok()) return fail_with(v.error());
    bool opened = false;
    const OpenStream tracked = [&] {
      opened = true;
      return open();
    };
    Result<Reply> outcome = run([&]() -> Result<Reply> {
      if (Status s = route->streaming(ctx, body, tracked); !s.ok()) return std::move(s).error();
      return Reply{};
    });
    if (opened) {
      if (streamed != nullptr) *streamed = true;
      spdlog::debug("{} {} {} streamed", ctx.request_id, request.transport, request.amz_target);
      return WireResponse{};
    }
    if (!outcome.ok()) return fail_with(outcome.error());
    // Returned without opening its stream or saying why: a bug of the handler.
    return fail(errc::internal_failure, "Internal service failure.");
  }

  Result<Reply> reply = make_error(errc::internal_failure, "");
  if (flat) {
    reply = run([&] { return route->flat(ctx, *flat); });
  } else {
    if (Status v = validate_request(*route->operation, body); !v.ok()) return fail_with(v.error());
    reply = run([&] { return route->handler(ctx, body); });
  }
  if (!reply.ok()) return fail_with(reply.error());

  WireResponse response;
  response.request_id = ctx.request_id;
  if (ctx.codec == Codec::cbor) {
    response.content_type = kCborContentType;
    if (reply->encoded.empty()) {
      cbor_encode(reply->document, route->operation->output, response.body);
    } else {
      response.body = std::move(reply->encoded);
    }
    return finish(std::move(response));
  }
  response.content_type = json10 ? kJson10 : kJson11;
  response.body =
      reply->encoded.empty()
          ? reply->document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          : std::move(reply->encoded);
  return finish(std::move(response));
}

}  // namespace kinesis_emulator::protocol
