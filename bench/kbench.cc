// kbench: the project's load generator for Kinesis Data Streams compatible servers.
// See bench/README.md. Phases: put, put-records, drain, mixed, startup.
#include "options.h"
#include "phases.h"
#include "report.h"

#include <boost/asio/io_context.hpp>

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
  const kbench::Options opt = kbench::parse_options(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context ctx(opt.threads);
  kbench::PhaseContext pc{opt, ctx, kbench::Endpoint{opt.host, opt.port}};
  int rc = 0;
  for (const std::string& phase : opt.phases) {
    try {
      nlohmann::ordered_json result;
      if (phase == "put")
        result = kbench::phase_put(pc, false);
      else if (phase == "put-records")
        result = kbench::phase_put(pc, true);
      else if (phase == "drain")
        result = kbench::phase_drain(pc);
      else if (phase == "mixed")
        result = kbench::phase_mixed(pc);
      else if (phase == "startup")
        result = kbench::phase_startup(pc);
      kbench::print_result(opt, result);
    } catch (const std::exception& e) {
      std::cerr << "kbench: phase " << phase << " failed: " << e.what() << '\n';
      if (opt.json) {
        nlohmann::ordered_json err = kbench::result_head(opt, phase);
        err["failed"] = e.what();
        std::cout << err.dump() << std::endl;
      }
      rc = 1;
    }
  }
  return rc;
}
