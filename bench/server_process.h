// A server child process for the startup phase: started with fork/exec (it dies with kbench),
// output to a log file, stopped with SIGTERM (SIGKILL after a bound).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace kbench {

class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::vector<std::string>& args,
                const std::string& log_path);
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }
  // true (and fills `how`) if the process has exited.
  bool exited(std::string* how = nullptr);
  // SIGTERM, then waits up to `bound_s` (SIGKILL after that). Returns seconds until it exited;
  // `how` says how it ended.
  double stop(double bound_s, std::string* how);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string how_;
};

std::string tail_of_file(const std::string& path, std::size_t bytes);

}  // namespace kbench
