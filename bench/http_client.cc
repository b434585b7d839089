#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace kbench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr std::uint64_t kResponseBodyLimit = 256ull * 1024 * 1024;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The code of an error response: the x-amzn-ErrorType header (before any ':'), else the body's
// __type (after any '#'), else the HTTP status.
std::string error_type_of(const http::response<http::string_body>& res) {
  std::string_view header(res["x-amzn-ErrorType"].data(), res["x-amzn-ErrorType"].size());
  if (!header.empty()) return std::string(header.substr(0, header.find(':')));
  auto j = nlohmann::json::parse(res.body(), nullptr, false);
  if (j.is_object()) {
    auto it = j.find("__type");
    if (it != j.end() && it->is_string()) {
      std::string t = it->get<std::string>();
      const std::size_t hash = t.rfind('#');
      return hash == std::string::npos ? t : t.substr(hash + 1);
    }
  }
  return "HTTP " + std::to_string(res.result_int());
}

// What the watchdog needs of a connection; shared so it can outlive the connection.
struct Socket {
  explicit Socket(asio::any_io_executor ex) : socket(std::move(ex)) {}
  tcp::socket socket;
  std::atomic<std::int64_t> busy_since_ns{0};  // 0: no request in flight
  std::atomic<bool> timed_out{false};
  std::int64_t timeout_ns = 0;
};

// Request timeouts without a timer per request: one thread looks at every connection's
// in-flight start time a few times per second and cancels the socket (on its own executor) of
// any request older than its timeout.
class Watchdog {
 public:
  static Watchdog& instance() {
    static Watchdog w;
    return w;
  }
  void add(const std::shared_ptr<Socket>& s) {
    std::lock_guard lock(mu_);
    sockets_.push_back(s);
  }
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  Watchdog() : thread_([this] { loop(); }) {}
  void loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      const std::int64_t now = steady_ns();
      std::erase_if(sockets_, [&](const std::weak_ptr<Socket>& w) {
        auto s = w.lock();
        if (!s) return true;
        const std::int64_t since = s->busy_since_ns.load();
        if (since != 0 && now - since > s->timeout_ns && !s->timed_out.exchange(true)) {
          asio::post(s->socket.get_executor(), [s] {
            beast::error_code ignored;
            s->socket.cancel(ignored);
          });
        }
        return false;
      });
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::weak_ptr<Socket>> sockets_;
  bool stop_ = false;
  std::thread thread_;
};
}  // namespace

struct Connection::Impl {
  Impl(asio::any_io_executor ex, Endpoint ep, std::chrono::milliseconds t)
      : sock(std::make_shared<Socket>(ex)), endpoint(std::move(ep)) {
    sock->timeout_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t).count();
    req.method(http::verb::post);
    req.target("/");
    req.version(11);
    req.set(http::field::host, endpoint.host + ":" + std::to_string(endpoint.port));
    req.set(http::field::user_agent, "kbench/1.0");
    req.set(http::field::content_type, "application/x-amz-json-1.1");
    req.set("X-Amz-Date", "20261127T000000Z");
    req.set(http::field::authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/kinesis/aws4_request, "
            "SignedHeaders=host, Signature=00");
    req.keep_alive(true);
    Watchdog::instance().add(sock);
  }

  std::shared_ptr<Socket> sock;
  Endpoint endpoint;
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  bool connected = false;
};

Connection::Connection(asio::any_io_executor ex, Endpoint endpoint,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(ex), std::move(endpoint), timeout)) {}

Connection::~Connection() {
  if (impl_) close();
}

void Connection::close() {
  beast::error_code ignored;
  impl_->sock->socket.shutdown(tcp::socket::shutdown_both, ignored);
  impl_->sock->socket.close(ignored);
  impl_->buffer.clear();
  impl_->connected = false;
}

asio::awaitable<HttpResult> Connection::call(std::string_view operation, std::string body) {
  Impl& c = *impl_;
  Socket& s = *c.sock;
  HttpResult result;
  beast::error_code ec;
  s.timed_out = false;
  s.busy_since_ns = steady_ns();
  auto fail = [&](const char* what) {
    result.status = 0;
    result.error_type = std::string("transport:") + what + ":" +
                        (s.timed_out ? std::string("timeout") : ec.message());
    s.busy_since_ns = 0;
    close();
  };
  if (!c.connected) {
    tcp::resolver resolver(s.socket.get_executor());
    auto endpoints =
        co_await resolver.async_resolve(c.endpoint.host, std::to_string(c.endpoint.port),
                                        asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      fail("resolve");
      co_return result;
    }
    co_await asio::async_connect(s.socket, endpoints,
                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      fail("connect");
      co_return result;
    }
    s.socket.set_option(tcp::no_delay(true), ec);
    c.connected = true;
  }
  c.req.set("X-Amz-Target", std::string("Kinesis_20131202.").append(operation));
  c.req.body() = std::move(body);
  c.req.prepare_payload();
  const auto t0 = std::chrono::steady_clock::now();
  co_await http::async_write(s.socket, c.req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    fail("write");
    co_return result;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  co_await http::async_read(s.socket, c.buffer, parser,
                            asio::redirect_error(asio::use_awaitable, ec));
  const auto t1 = std::chrono::steady_clock::now();
  result.latency_ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  if (ec) {
    fail("read");
    co_return result;
  }
  s.busy_since_ns = 0;
  http::response<http::string_body> res = parser.release();
  result.status = res.result_int();
  if (result.status != 200) result.error_type = error_type_of(res);
  if (!res.keep_alive()) close();
  result.body = std::move(res.body());
  co_return result;
}

}  // namespace kbench
