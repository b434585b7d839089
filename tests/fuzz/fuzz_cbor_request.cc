// libFuzzer target: a CBOR (application/x-amz-cbor-1.1) request to one Kinesis operation,
// through the real dispatcher, validator, handlers and an in-memory engine (see harness.h).
// Input: the first byte picks the operation (harness.h: pick_operation), the rest is the body
// (corpus/fuzz_cbor_request is made by tests/fuzz/make_corpus.py).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.h"

using namespace kinesis_emulator;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::Harness& harness = fuzz::Harness::get();
  harness.next_input();
  const std::string target = "Kinesis_20131202." + fuzz::pick_operation(data[0]).name;
  protocol::WireRequest request;
  request.method = "POST";
  request.target = "/";
  request.amz_target = target;
  request.content_type = "application/x-amz-cbor-1.1";
  request.authorization = fuzz::kAuthorization;
  request.x_amz_date = "20261127T000000Z";
  request.body = harness.substitute(std::string(reinterpret_cast<const char*>(data) + 1, size - 1),
                                    /*cbor=*/true);
  protocol::WireResponse response = harness.handle(request);
  if (response.status < 200 || response.status > 599) __builtin_trap();
  return 0;
}
