#include "protocol/router.h"

#include <nlohmann/json.hpp>

#include "common/random.h"

namespace kinesis_emulator::protocol {

namespace {

// What a browser page may read of our answers (AWS's list): the SDK reads the request id and,
// for errors, the error type.
constexpr std::string_view kExposedHeaders =
    "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
// Two days, as AWS answers; browsers cap it lower (Chromium at two hours).
constexpr std::string_view kPreflightMaxAge = "172800";

// Any origin may call, as on AWS (whose answers need a signature anyway).
void add_cors_headers(WireResponse& response) {
  response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  response.headers.emplace_back("Access-Control-Expose-Headers", std::string(kExposedHeaders));
}

// AWS allows whatever method and headers the page asks for, by echoing them; the answer has no
// body and no Content-Type.
WireResponse preflight(const WireRequest& request) {
  WireResponse response;
  response.status = 200;
  response.request_id = random_request_id();
  response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  if (const std::string_view method = request.header("Access-Control-Request-Method");
      !method.empty()) {
    response.headers.emplace_back("Access-Control-Allow-Methods", std::string(method));
  }
  if (const std::string_view wanted = request.header("Access-Control-Request-Headers");
      !wanted.empty()) {
    response.headers.emplace_back("Access-Control-Allow-Headers", std::string(wanted));
  }
  response.headers.emplace_back("Access-Control-Max-Age", std::string(kPreflightMaxAge));
  return response;
}

// A streaming answer to a page carries the CORS headers in its head too.
class CorsStream : public ResponseStream {
 public:
  explicit CorsStream(std::shared_ptr<ResponseStream> inner) : inner_(std::move(inner)) {}
  void begin(WireResponse head) override {
    add_cors_headers(head);
    inner_->begin(std::move(head));
  }
  void write(std::string bytes) override { inner_->write(std::move(bytes)); }
  void end() override { inner_->end(); }
  bool closed() const override { return inner_->closed(); }
  std::size_t backlog() const override { return inner_->backlog(); }

 private:
  std::shared_ptr<ResponseStream> inner_;
};

}  // namespace

WireResponse local_json_response(unsigned status, std::string body) {
  WireResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  response.request_id = random_request_id();
  return response;
}

void Router::add_local_route(std::string path, LocalHandler handler) {
  local_routes_[std::move(path)] = std::move(handler);
}

WireResponse Router::local(const WireRequest& request) const {
  const std::string_view path = request.path();
  if (auto it = local_routes_.find(path); it != local_routes_.end()) return it->second(request);
  nlohmann::json known = nlohmann::json::array();
  for (const auto& [route, handler] : local_routes_) known.push_back(route);
  nlohmann::json body = {{"error", "NotFound"},
                         {"message", "No emulator route " + std::string(path)},
                         {"routes", std::move(known)}};
  return local_json_response(404,
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<WireResponse> Router::handle(WireRequest& request, const Respond& later,
                                           const OpenStream& open) const {
  const bool from_page = !request.origin.empty();
  if (from_page && request.method == "OPTIONS") return preflight(request);
  if (request.path().starts_with(kEmulatorPathPrefix)) {
    WireResponse response = local(request);
    if (from_page) add_cors_headers(response);
    return response;
  }
  if (!from_page) return dispatcher_.handle(request, later, open);
  const OpenStream open_for_page = [&open]() -> std::shared_ptr<ResponseStream> {
    auto stream = open();
    return stream ? std::make_shared<CorsStream>(std::move(stream)) : nullptr;
  };
  std::optional<WireResponse> response = dispatcher_.handle(
      request,
      [later](WireResponse r) {
        add_cors_headers(r);
        later(std::move(r));
      },
      open ? open_for_page : OpenStream());
  if (response) add_cors_headers(*response);
  return response;
}

}  // namespace kinesis_emulator::protocol
