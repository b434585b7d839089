// libFuzzer target: a JSON (application/x-amz-json-1.1) request to one Kinesis operation,
// through the real dispatcher, validator, handlers and an in-memory engine (see harness.h).
// Input: the first byte picks the operation (harness.h: pick_operation), the rest is the body.
//
// Also checks the promise of protocol/flat_request.h: a body the fast path accepts for an
// operation (any operation, not only those with a fast handler) is one the general path
// (nlohmann::json + validate_request) accepts too, with every member meaning the same.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "harness.h"
#include "protocol/flat_request.h"
#include "protocol/validator.h"

using namespace kinesis_emulator;

namespace {

[[noreturn]] void fail(const char* what, const std::string& name) {
  std::fprintf(stderr, "fast path and general path disagree: %s (member '%s')\n", what,
               name.c_str());
  __builtin_trap();
}

// Every member of `object` (the request or one item of its list) that `shape` names means the
// same in `doc`, the validated document of the same body.
void check_object(const protocol::FlatRequest& request, const protocol::FlatObject& object,
                  const protocol::Shape& shape, const nlohmann::json& doc) {
  for (const protocol::Member& member : shape.members) {
    const protocol::FlatMember* value = object.find(member.name);
    const auto it = doc.find(member.name);
    if (value == nullptr) {
      if (it != doc.end()) fail("member missed by the fast path", member.name);
      continue;
    }
    if (it == doc.end()) fail("member only the fast path saw", member.name);
    switch (member.shape->type) {
      case protocol::ShapeType::blob: {
        if (!it->is_binary()) fail("blob not decoded by the validator", member.name);
        const auto& bytes = it->get_binary();
        if (std::string(bytes.begin(), bytes.end()) != request.blob(object)) {
          fail("blob decoded differently", member.name);
        }
        break;
      }
      case protocol::ShapeType::string:
        if (!it->is_string() || it->get<std::string>() != value->text) {
          fail("string read differently", member.name);
        }
        break;
      case protocol::ShapeType::integer:
      case protocol::ShapeType::long_:
        if (!it->is_number_integer() || it->get<int64_t>() != object.integer(member.name)) {
          fail("integer read differently", member.name);
        }
        break;
      case protocol::ShapeType::list: {
        if (&object != &request || !value->list) fail("list read as a scalar", member.name);
        if (!it->is_array() || it->size() != request.items.size()) {
          fail("list of another length", member.name);
        }
        const protocol::Shape* item_shape = member.shape->member;
        if (item_shape == nullptr || item_shape->type != protocol::ShapeType::structure) {
          fail("fast path accepted a list of non-structures", member.name);
        }
        for (std::size_t i = 0; i < request.items.size(); ++i) {
          check_object(request, request.items[i], *item_shape, (*it)[i]);
        }
        break;
      }
      default:
        fail("fast path accepted a member type it does not read", member.name);
    }
  }
}

void check_fast_path(const protocol::Operation& op, const std::string& body) {
  auto flat = protocol::FlatRequest::parse(body);
  if (!flat || !protocol::flat_request_is_valid(op, *flat)) return;
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) fail("fast path read a body that is not JSON", "");
  if (Status s = protocol::validate_request(op, doc); !s.ok()) {
    fail(("fast path accepted a body the validator refuses: " + s.error().message).c_str(), "");
  }
  if (op.input != nullptr) check_object(*flat, *flat, *op.input, doc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::Harness& harness = fuzz::Harness::get();
  harness.next_input();
  const protocol::Operation& op = fuzz::pick_operation(data[0]);
  const std::string target = "Kinesis_20131202." + op.name;
  protocol::WireRequest request;
  request.method = "POST";
  request.target = "/";
  request.amz_target = target;
  request.content_type = "application/x-amz-json-1.1";
  request.authorization = fuzz::kAuthorization;
  request.x_amz_date = "20261127T000000Z";
  request.body = harness.substitute(std::string(reinterpret_cast<const char*>(data) + 1, size - 1),
                                    /*cbor=*/false);
  check_fast_path(op, request.body);
  protocol::WireResponse response = harness.handle(request);
  if (response.status < 200 || response.status > 599) __builtin_trap();
  return 0;
}
