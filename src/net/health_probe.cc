#include "net/health_probe.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

namespace kinesis_emulator::net {

namespace {

using steady = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(steady::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

bool wait_for(int fd, short events, steady::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

}  // namespace

HealthProbeResult probe_health(const std::string& host, uint16_t port, int timeout_ms) {
  const auto deadline = steady::now() + std::chrono::milliseconds(timeout_ms);
  const std::string target = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(target.c_str(), std::to_string(port).c_str(), &hints, &found);
      rc != 0) {
    return {false, "cannot resolve " + target + ": " + ::gai_strerror(rc)};
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  Socket socket(::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) return {false, std::string("socket: ") + std::strerror(errno)};
  const std::string where = target + ":" + std::to_string(port);
  if (::connect(socket.fd(), found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
    return {false, "cannot connect to " + where + ": " + std::strerror(errno)};
  }
  if (!wait_for(socket.fd(), POLLOUT, deadline)) return {false, "no connection to " + where};
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) return {false, "cannot connect to " + where + ": " + std::strerror(error)};

  const std::string request =
      "GET /_emulator/health HTTP/1.1\r\nHost: " + where + "\r\nConnection: close\r\n\r\n";
  for (std::size_t sent = 0; sent < request.size();) {
    if (!wait_for(socket.fd(), POLLOUT, deadline)) return {false, "timed out sending"};
    const ssize_t n =
        ::send(socket.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return {false, std::string("send: ") + std::strerror(errno)};
    }
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[4096];
  for (;;) {
    if (!wait_for(socket.fd(), POLLIN, deadline)) return {false, "timed out waiting for " + where};
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return {false, std::string("recv: ") + std::strerror(errno)};
    }
    response.append(buffer, static_cast<std::size_t>(n));
    if (response.size() > (64 << 10)) break;
  }
  const auto body_at = response.find("\r\n\r\n");
  const std::string body = body_at == std::string::npos ? "" : response.substr(body_at + 4);
  const bool ok = response.starts_with("HTTP/1.1 200 ") &&
                  body.find("\"status\":\"running\"") != std::string::npos;
  return {ok, body.empty() ? response.substr(0, response.find("\r\n")) : body};
}

}  // namespace kinesis_emulator::net
