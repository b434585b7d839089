// The one place where the pieces are wired together: storage -> engine -> services -> protocol
// -> net, for the binary and for anyone embedding the emulator (include/kinesis_emulator/).
#include "kinesis_emulator/server.h"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "engine/engine.h"
#include "engine/resource_store.h"
#include "limiter/control_plane_limiter.h"
#include "net/http_server.h"
#include "net/periodic_task.h"
#include "net/self_signed_certificate.h"
#include "net/tls_context.h"
#include "protocol/dispatcher.h"
#include "protocol/router.h"
#include "services/admin/admin_routes.h"
#include "services/kinesis/kinesis_service.h"
#include "storage/wal_syncer.h"

namespace kinesis_emulator {

namespace {

[[noreturn]] void fail(const std::string& why) {
  throw std::runtime_error(why);
}

engine::EngineOptions engine_options_of(const Options& o) {
  engine::EngineOptions e;
  e.create_delay_ms = o.create_stream_ms;
  e.delete_delay_ms = o.delete_stream_ms;
  e.update_delay_ms = o.update_stream_ms;
  e.shard_limit = o.shard_limit;
  e.throughput.enabled = o.throughput_limits;
  limiter::ShardLimits& provisioned = e.throughput.provisioned;
  provisioned.write_bytes_per_s = o.shard_write_bytes_per_sec;
  provisioned.write_records_per_s = o.shard_write_records_per_sec;
  provisioned.read_bytes_per_s = o.shard_read_bytes_per_sec;
  provisioned.read_calls_per_s = o.shard_read_calls_per_sec;
  return e;
}

// Made before the first request can arrive, so that a health check that answers means the
// streams are there.
void create_initial_streams(engine::Engine& engine, const Options& options) {
  for (const InitialStream& initial : options.initial_streams) {
    const engine::StreamKey key{
        options.account_id, initial.region.empty() ? options.region : initial.region, initial.name};
    if (engine.describe_stream(key).ok()) {
      spdlog::info("stream {} ({}) exists already; kept as it is", key.name, key.region);
      continue;
    }
    engine::CreateStreamOptions create;
    create.active_at_once = true;
    if (Status s =
            engine.create_stream(key, initial.shards, engine::StreamMode::provisioned, create);
        !s.ok()) {
      fail("initial stream " + key.name + ": " + s.error().message);
    }
    spdlog::info("created stream {} ({}, {} shards)", key.name, key.region, initial.shards);
  }
}

}  // namespace

struct Server::Impl {
  explicit Impl(const Options& o)
      : options(o),
        controllable_clock(system_clock.now_ms()),
        clock(o.controllable_clock ? static_cast<const Clock&>(controllable_clock) : system_clock),
        dispatcher({o.region, o.account_id}),
        router(dispatcher),
        ioc(static_cast<int>(thread_count())) {}

  unsigned thread_count() const {
    return options.threads != 0 ? options.threads
                                : std::max(1u, std::thread::hardware_concurrency());
  }

  void open_storage_and_services() {
    storage::StoreOptions store_options;
    store_options.path = options.data_dir;
    store_options.in_memory = options.in_memory;
    store_options.verify_checksums = options.verify_data;
    const engine::EngineOptions engine_options = engine_options_of(options);
    auto opened = engine::Engine::open(store_options, engine_options, clock);
    if (!opened.ok()) fail(opened.error().message);
    engine = std::move(*opened);
    create_initial_streams(*engine, options);
    auto opened_resources = engine::ResourceStore::open(*engine, engine_options);
    if (!opened_resources.ok()) fail(opened_resources.error().message);
    resources = std::move(*opened_resources);

    limiter::ControlPlaneConfig control_plane_config;
    control_plane_config.enabled = options.control_plane_limits;
    control_plane = std::make_unique<limiter::ControlPlaneLimiter>(clock, control_plane_config);
    dispatcher.add_service(services::kinesis::definition(*engine, *resources, control_plane.get()));
    if (options.sync && !options.in_memory) {
      storage::Store& store = engine->store();
      syncer = std::make_unique<storage::WalSyncer>([&store] { return store.last_write(); },
                                                    [&store] { return store.sync_wal(); });
      dispatcher.wait_until_durable(
          [this](std::function<void(bool)> done) { syncer->after_sync(std::move(done)); });
    }

    services::admin::AdminOptions admin;
    admin.version = KE_VERSION;
    admin.services = {"kinesis"};
    admin.clock_mode = options.controllable_clock ? "controllable" : "system";
    if (options.controllable_clock) {
      admin.clock = &controllable_clock;
      admin.after_clock_moved = [this] { trim(); };
    }
    services::admin::add_admin_routes(router, std::move(admin));
  }

  void trim() {
    if (Status s = engine->trim_expired(); !s.ok()) {
      spdlog::warn("retention trimming failed: {}", s.error().message);
    }
  }

  net::ServerOptions server_options() {
    net::ServerOptions s;
    s.host = options.host;
    s.port = options.port;
    s.idle_timeout = std::chrono::seconds(options.idle_timeout_s);
    if (options.tls) {
      certificate = options.tls_cert;
      std::string key = options.tls_key;
      if (certificate.empty() != key.empty()) {
        fail("TLS needs both a certificate and its key, or neither (to make one)");
      }
      if (certificate.empty()) {
        const std::string dir = !options.tls_dir.empty() ? options.tls_dir
                                : options.in_memory      ? std::string()
                                                         : options.data_dir + "/tls";
        if (dir.empty()) fail("TLS in memory needs a directory for its certificate (tls_dir)");
        auto made = net::ensure_self_signed_certificate(dir);
        if (!made.ok()) fail(made.error().message);
        certificate = made->cert;
        key = made->key;
      }
      auto tls = net::make_tls_context(certificate, key);
      if (!tls.ok()) fail(tls.error().message);
      s.tls = std::move(*tls);
    }
    return s;
  }

  void serve() {
    http = std::make_unique<net::HttpServer>(ioc, server_options(), router);
    auto endpoint = http->start();
    if (!endpoint.ok()) fail(endpoint.error().message);
    bound = *endpoint;
    trimmer =
        std::make_shared<net::PeriodicTask>(ioc, std::chrono::seconds(30), [this] { trim(); });
    trimmer->start();
    for (unsigned i = 0; i < thread_count(); ++i) pool.emplace_back([this] { ioc.run(); });
  }

  void stop() {
    std::unique_lock lock(stop_mu);
    if (stopped) return;
    if (http != nullptr && !pool.empty()) {
      bool drained = false;
      boost::asio::post(ioc, [this, &drained] {
        // Requests in flight are finished and answered first (HTTP/2: GOAWAY).
        http->shut_down([this, &drained] {
          trimmer->stop();
          std::lock_guard done(stop_mu);
          drained = true;
          stop_cv.notify_all();
        });
      });
      stop_cv.wait(lock, [&] { return drained; });
    }
    ioc.stop();
    lock.unlock();
    for (auto& t : pool) t.join();
    lock.lock();
    pool.clear();
    stopped = true;
    if (syncer) spdlog::debug("--sync: {} WAL fsyncs", syncer->syncs());
  }

  Options options;
  SystemClock system_clock;
  ManualClock controllable_clock;
  const Clock& clock;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<engine::ResourceStore> resources;
  std::unique_ptr<limiter::ControlPlaneLimiter> control_plane;
  protocol::Dispatcher dispatcher;
  protocol::Router router;
  boost::asio::io_context ioc;
  std::unique_ptr<storage::WalSyncer> syncer;
  std::string certificate;
  std::unique_ptr<net::HttpServer> http;
  boost::asio::ip::tcp::endpoint bound;
  std::shared_ptr<net::PeriodicTask> trimmer;
  std::vector<std::thread> pool;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopped = false;
};

std::unique_ptr<Server> Server::start(const Options& options) {
  auto impl = std::make_unique<Impl>(options);
  impl->open_storage_and_services();
  impl->serve();
  if (options.controllable_clock) {
    spdlog::info("controllable clock at {} ms: move it with POST /_emulator/clock",
                 impl->controllable_clock.now_ms());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
}

uint16_t Server::port() const {
  return impl_->bound.port();
}

std::string Server::endpoint_url() const {
  const auto address = impl_->bound.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "http://" + host + ":" + std::to_string(port());
}

std::string Server::storage_description() const {
  return impl_->engine->storage_description();
}

std::string Server::tls_certificate() const {
  return impl_->certificate;
}

void Server::stop() {
  impl_->stop();
}

std::string version() {
  return KE_VERSION;
}

}  // namespace kinesis_emulator
