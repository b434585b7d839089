#pragma once
// Shared by the request fuzz targets: the real protocol::Dispatcher wired to the real Kinesis
// service over one in-memory engine, built on first use and kept for the whole run (state carries
// over from input to input, as in a long-running server).
//
// Determinism: the engine runs on a ManualClock that advances 10 ms per input, so a crashing input
// replayed alone meets the same fresh state it would have met as the first input of a run.
//
// Placeholders: an HMAC-protected shard iterator cannot be guessed by a fuzzer, so the text
// "@ITERATOR@" in a body is replaced by a fresh TRIM_HORIZON iterator for shard 0 of the stream
// "fuzz", and "@SEQNUM@" by the sequence number of a record in it (in CBOR, a text string holding
// exactly the placeholder, head included, is replaced by a text string of the real value).

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "engine/engine.h"
#include "engine/resource_store.h"
#include "limiter/control_plane_limiter.h"
#include "protocol/dispatcher.h"
#include "protocol/service_model.h"
#include "protocol/wire.h"
#include "services/kinesis/kinesis_service.h"
#include "services/kinesis/model.h"

namespace kinesis_emulator::fuzz {

inline constexpr int64_t kStartMs = 1'700'000'000'000;
inline constexpr char kStream[] = "fuzz";
inline constexpr char kAuthorization[] =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0000";
inline constexpr std::string_view kIteratorPlaceholder = "@ITERATOR@";
inline constexpr std::string_view kSeqnumPlaceholder = "@SEQNUM@";

class Harness {
 public:
  // Never destroyed: inputs run until the process exits, and nothing must run after main.
  static Harness& get() {
    static Harness* harness = new Harness();
    return *harness;
  }

  const protocol::Dispatcher& dispatcher() const { return dispatcher_; }

  // Call once per input, before dispatching it.
  void next_input() {
    clock_.advance_ms(10);
    // The fuzzer may delete the stream the placeholders refer to: bring it back.
    if (inputs_ % 64 == 0 && !engine_->describe_stream(stream_key()).ok()) {
      (void)engine_->create_stream(stream_key(), 2, engine::StreamMode::provisioned);
    }
    // Every 20000 inputs, jump past the longest retention and trim, so that the records put by
    // the fuzzer do not pile up in memory over a long run.
    if (++inputs_ % 20000 == 0) {
      clock_.advance_ms(int64_t{engine::kMaxRetentionHours + 1} * 3'600'000);
      (void)engine_->trim_expired();
      put_seed_record();
    }
  }

  // `body` with the placeholders replaced (see above).
  std::string substitute(std::string body, bool cbor) {
    replace(body, kIteratorPlaceholder, cbor, [&] { return iterator(); });
    replace(body, kSeqnumPlaceholder, cbor, [&] { return sequence_number_; });
    return body;
  }

  // With KE_FUZZ_VERBOSE set, each request and answer is printed (to see what a seed does).
  protocol::WireResponse handle(protocol::WireRequest& request) {
    protocol::WireResponse response = dispatcher_.handle(request);
    if (verbose_) {
      std::fprintf(stderr, "%.*s %.*s\n-> %u %s\n", static_cast<int>(request.amz_target.size()),
                   request.amz_target.data(), static_cast<int>(request.body.size()),
                   request.body.data(), response.status, response.body.c_str());
    }
    return response;
  }

 private:
  Harness() : clock_(kStartMs), dispatcher_({"us-east-1", "000000000000"}) {
    spdlog::set_level(spdlog::level::off);
    engine::EngineOptions options;
    options.create_delay_ms = 50;
    options.delete_delay_ms = 50;
    options.update_delay_ms = 50;
    options.throughput.enabled = false;  // a frozen-ish clock would throttle nearly everything
    storage::StoreOptions store;
    store.in_memory = true;
    auto engine = engine::Engine::open(store, options, clock_);
    if (!engine.ok()) fatal("engine: " + engine.error().message);
    engine_ = std::move(*engine);
    auto resources = engine::ResourceStore::open(*engine_, options);
    if (!resources.ok()) fatal("resources: " + resources.error().message);
    resources_ = std::move(*resources);
    limiter::ControlPlaneConfig control_plane_config;  // off, as by default in the server
    control_plane_config.enabled = false;
    control_plane_ = std::make_unique<limiter::ControlPlaneLimiter>(clock_, control_plane_config);
    // As src/app/main.cc wires them.
    dispatcher_.add_service(
        services::kinesis::definition(*engine_, *resources_, control_plane_.get()));

    if (Status s = engine_->create_stream(stream_key(), 2, engine::StreamMode::provisioned);
        !s.ok()) {
      fatal("create_stream: " + s.error().message);
    }
    clock_.advance_ms(options.create_delay_ms);
    put_seed_record();
  }

  [[noreturn]] static void fatal(const std::string& message) {
    std::fprintf(stderr, "fuzz harness set-up failed: %s\n", message.c_str());
    std::abort();
  }

  static engine::StreamKey stream_key() { return {"000000000000", "us-east-1", kStream}; }

  void put_seed_record() {
    auto put = engine_->put_record(stream_key(), engine::PutEntry{"pk", "seed", std::nullopt, {}});
    // The fuzzer may have deleted or resharded the stream: keep the last good value then.
    if (put.ok() && !put->failed()) sequence_number_ = put->sequence_number;
  }

  std::string iterator() {
    auto it = engine_->get_shard_iterator(stream_key(), "shardId-000000000000",
                                          engine::IteratorType::trim_horizon, {}, std::nullopt);
    return it.ok() ? *it : std::string(kIteratorPlaceholder);
  }

  template <class Value>
  static void replace(std::string& body, std::string_view placeholder, bool cbor, Value value) {
    for (int guard = 0; guard < 8; ++guard) {
      std::size_t at = body.find(placeholder);
      if (at == std::string::npos) return;
      const std::string text = value();
      std::size_t len = placeholder.size();
      std::string replacement = text;
      // CBOR: a text string head of the placeholder's length right before it is rewritten for
      // the value's length (both under 256 bytes: one extra length byte).
      if (cbor && at > 0 && static_cast<unsigned char>(body[at - 1]) == 0x60 + placeholder.size() &&
          text.size() >= 24 && text.size() < 256) {
        --at;
        ++len;
        replacement = std::string{static_cast<char>(0x78), static_cast<char>(text.size())} + text;
      }
      body.replace(at, len, replacement);
    }
  }

  ManualClock clock_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::ResourceStore> resources_;
  std::unique_ptr<limiter::ControlPlaneLimiter> control_plane_;
  protocol::Dispatcher dispatcher_;
  std::string sequence_number_ = "0";
  uint64_t inputs_ = 0;
  bool verbose_ = std::getenv("KE_FUZZ_VERBOSE") != nullptr;
};

// The Kinesis operations of the model, in the model's (sorted) order: an input's first byte
// picks one, modulo their count.
inline const protocol::Operation& pick_operation(uint8_t selector) {
  static const auto ops = services::kinesis::service_model().operations();
  return *ops[selector % ops.size()];
}

}  // namespace kinesis_emulator::fuzz
