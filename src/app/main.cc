// kinesis-emulator: wires configuration, storage, the engine, the protocol layer and the HTTP
// front end together, then runs the I/O pool until SIGINT or SIGTERM.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <malloc.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "config/config.h"
#include "engine/engine.h"
#include "engine/resource_store.h"
#include "net/health_probe.h"
#include "net/http_server.h"
#include "net/periodic_task.h"
#include "net/self_signed_certificate.h"
#include "net/tls_context.h"
#include "protocol/dispatcher.h"
#include "protocol/router.h"
#include "protocol/service_model.h"
#include "services/admin/admin_routes.h"
#include "services/kinesis/kinesis_service.h"
#include "services/kinesis/model.h"
#include "storage/wal_syncer.h"

using namespace kinesis_emulator;

namespace {

// Each connection is a file descriptor; the usual soft limit of 1024 would refuse the 1,000th
// client (RocksDB holds a few more). Up to the hard limit is ours to take.
void raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot raise the open-files limit: {}", std::strerror(errno));
  }
}

// glibc's defaults let a long PutRecords load grow the heap without bound: each freed large
// request body raises the mmap threshold, so later ones come from the heap and fragment it, and
// every thread gets its own arena. Measured over 45 s of PutRecords: RSS grew 38 -> 66 MB with
// the defaults and stayed at 30-46 MB with these two settings.
void bound_malloc_growth() {
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
}

// --initialize-streams: made before the first request can arrive, so that a health check that
// answers means the streams are there.
Status create_initial_streams(engine::Engine& engine, const config::Config& cfg) {
  for (const config::InitialStream& initial : cfg.initial_streams) {
    const engine::StreamKey key{cfg.account_id,
                                initial.region.empty() ? cfg.region : initial.region, initial.name};
    if (engine.describe_stream(key).ok()) {
      spdlog::info("stream {} ({}) exists already; kept as it is", key.name, key.region);
      continue;
    }
    engine::CreateStreamOptions create;
    create.active_at_once = true;
    if (Status s =
            engine.create_stream(key, initial.shards, engine::StreamMode::provisioned, create);
        !s.ok()) {
      return make_error(s.error().code,
                        "--initialize-streams " + key.name + ": " + s.error().message);
    }
    spdlog::info("created stream {} ({}, {} shards)", key.name, key.region, initial.shards);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  bound_malloc_growth();
  config::ParseOutcome parsed = config::parse_command_line(argc, argv);
  if (!parsed.config) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message;
    return parsed.exit_code;
  }
  const config::Config& cfg = *parsed.config;
  if (cfg.health_check) {
    const net::HealthProbeResult health = net::probe_health(cfg.host, cfg.port);
    (health.running ? std::cout : std::cerr) << health.detail << "\n";
    return health.running ? 0 : 1;
  }

  auto logger = spdlog::stderr_color_mt("kinesis-emulator");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  raise_open_files_limit();

  SystemClock system_clock;
  ManualClock controllable_clock(system_clock.now_ms());
  const bool controllable = cfg.clock == "controllable";
  const Clock& clock = controllable ? static_cast<const Clock&>(controllable_clock) : system_clock;
  storage::StoreOptions store_options;
  store_options.path = cfg.data_dir;
  store_options.in_memory = cfg.in_memory;
  store_options.verify_checksums = cfg.verify_data;
  engine::EngineOptions engine_options;
  engine_options.create_delay_ms = cfg.create_stream_ms;
  engine_options.delete_delay_ms = cfg.delete_stream_ms;
  engine_options.update_delay_ms = cfg.update_stream_ms;
  engine_options.shard_limit = cfg.shard_limit;
  engine_options.throughput.enabled = cfg.throughput_limits;
  limiter::ShardLimits& provisioned = engine_options.throughput.provisioned;
  provisioned.write_bytes_per_s = cfg.shard_write_bytes_per_sec;
  provisioned.write_records_per_s = cfg.shard_write_records_per_sec;
  provisioned.read_bytes_per_s = cfg.shard_read_bytes_per_sec;
  provisioned.read_calls_per_s = cfg.shard_read_calls_per_sec;
  auto engine = engine::Engine::open(store_options, engine_options, clock);
  if (!engine.ok()) {
    spdlog::critical("cannot start: {}", engine.error().message);
    return 1;
  }

  if (Status s = create_initial_streams(**engine, cfg); !s.ok()) {
    spdlog::critical("cannot start: {}", s.error().message);
    return 1;
  }

  auto resources = engine::ResourceStore::open(**engine, engine_options);
  if (!resources.ok()) {
    spdlog::critical("cannot start: {}", resources.error().message);
    return 1;
  }

  protocol::Dispatcher dispatcher({cfg.region, cfg.account_id});
  limiter::ControlPlaneConfig control_plane_config;
  control_plane_config.enabled = cfg.control_plane_limits;
  limiter::ControlPlaneLimiter control_plane(clock, control_plane_config);
  dispatcher.add_service(services::kinesis::definition(**engine, **resources, &control_plane));
  protocol::Router router(dispatcher);
  services::admin::AdminOptions admin;
  admin.version = KE_VERSION;
  admin.services = {"kinesis"};
  admin.clock_mode = cfg.clock;
  if (controllable) {
    admin.clock = &controllable_clock;
    admin.after_clock_moved = [&engine] {
      if (Status s = (*engine)->trim_expired(); !s.ok()) {
        spdlog::warn("retention trimming failed: {}", s.error().message);
      }
    };
  }
  services::admin::add_admin_routes(router, std::move(admin));

  const unsigned threads =
      cfg.threads != 0 ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
  boost::asio::io_context ioc(static_cast<int>(threads));
  net::ServerOptions server_options;
  server_options.host = cfg.host;
  server_options.port = cfg.port;
  server_options.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
  std::unique_ptr<storage::WalSyncer> syncer;
  if (cfg.sync && !cfg.in_memory) {
    storage::Store& store = (*engine)->store();
    syncer = std::make_unique<storage::WalSyncer>([&store] { return store.last_write(); },
                                                  [&store] { return store.sync_wal(); });
    server_options.before_reply = [&syncer](std::function<void(bool)> done) {
      syncer->after_sync(std::move(done));
    };
  }
  std::string tls_cert = cfg.tls_cert;
  if (cfg.tls) {
    std::string tls_key = cfg.tls_key;
    if (tls_cert.empty()) {
      auto made = net::ensure_self_signed_certificate(cfg.tls_dir);
      if (!made.ok()) {
        spdlog::critical("{}", made.error().message);
        return 1;
      }
      tls_cert = made->cert;
      tls_key = made->key;
    }
    auto tls = net::make_tls_context(tls_cert, tls_key);
    if (!tls.ok()) {
      spdlog::critical("{}", tls.error().message);
      return 1;
    }
    server_options.tls = std::move(*tls);
  }
  net::HttpServer server(ioc, server_options, router);
  auto endpoint = server.start();
  if (!endpoint.ok()) {
    spdlog::critical("{}", endpoint.error().message);
    return 1;
  }

  auto trimmer = std::make_shared<net::PeriodicTask>(ioc, std::chrono::seconds(30), [&] {
    if (Status s = (*engine)->trim_expired(); !s.ok()) {
      spdlog::warn("retention trimming failed: {}", s.error().message);
    }
  });
  trimmer->start();

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    spdlog::info("signal {} received, shutting down", signal_number);
    // Requests in flight are finished and answered first (HTTP/2: GOAWAY), then the loop ends.
    server.shut_down([&] {
      trimmer->stop();
      ioc.stop();
    });
  });

  if (controllable) {
    spdlog::info("controllable clock at {} ms: move it with POST /_emulator/clock",
                 controllable_clock.now_ms());
  }
  std::printf("kinesis-emulator listening on http://%s:%u (data: %s)\n",
              endpoint->address().to_string().c_str(), static_cast<unsigned>(endpoint->port()),
              (*engine)->storage_description().c_str());
  if (cfg.tls) {
    std::printf("TLS on the same port: https://localhost:%u (certificate: %s)\n",
                static_cast<unsigned>(endpoint->port()), tls_cert.c_str());
  }
  std::fflush(stdout);

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  if (syncer) spdlog::debug("--sync: {} WAL fsyncs", syncer->syncs());
  spdlog::debug("stopped");
  return 0;
}
