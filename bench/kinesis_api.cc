#include "kinesis_api.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <random>
#include <stdexcept>

namespace kbench {

namespace asio = boost::asio;

namespace {
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Position just after `"key"` and the ':' that follows, or npos.
std::size_t value_pos(std::string_view body, std::string_view key, std::size_t from = 0) {
  std::string needle;
  needle.reserve(key.size() + 2);
  needle.append("\"").append(key).append("\"");
  std::size_t p = body.find(needle, from);
  while (p != std::string_view::npos) {
    std::size_t q = p + needle.size();
    while (q < body.size() &&
           (body[q] == ' ' || body[q] == '\n' || body[q] == '\t' || body[q] == '\r'))
      ++q;
    if (q < body.size() && body[q] == ':') {
      ++q;
      while (q < body.size() &&
             (body[q] == ' ' || body[q] == '\n' || body[q] == '\t' || body[q] == '\r'))
        ++q;
      return q;
    }
    p = body.find(needle, p + 1);
  }
  return std::string_view::npos;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

bool retryable(const HttpResult& r) {
  return r.status == 0 || r.error_type == "LimitExceededException" ||
         r.error_type == "ResourceInUseException" ||
         r.error_type == "ProvisionedThroughputExceededException" || r.status >= 500;
}
}  // namespace

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.append("==");
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::string base64_prefix(std::string_view b64, std::size_t n) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : b64) {
    if (out.size() >= n) break;
    const int v = b64_value(c);
    if (v < 0) break;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

void put_record_body(std::string& out, std::string_view stream, std::string_view data_b64,
                     std::string_view key) {
  out.append(R"({"StreamName":")").append(stream).append(R"(","Data":")").append(data_b64);
  out.append(R"(","PartitionKey":")").append(key).append("\"}");
}

Payloads::Payloads(int bytes, bool random) {
  const std::size_t n = random ? 1024 : 1;
  std::mt19937_64 rng(42);
  for (std::size_t k = 0; k < n; ++k) {
    std::string raw(static_cast<std::size_t>(bytes), '\0');
    for (int i = 0; i < bytes; ++i) {
      raw[static_cast<std::size_t>(i)] =
          random ? static_cast<char>(rng() & 0xff) : static_cast<char>('a' + i % 26);
    }
    b64_.push_back(base64(raw));
  }
}

void put_records_body(std::string& out, std::string_view stream, int n, const Payloads& payloads,
                      std::uint64_t first,
                      const std::function<void(std::string&, int)>& append_key) {
  out.reserve(out.size() + static_cast<std::size_t>(n) * (payloads.at(0).size() + 48) + 64);
  out.append(R"({"StreamName":")").append(stream).append(R"(","Records":[)");
  for (int i = 0; i < n; ++i) {
    if (i) out.push_back(',');
    out.append(R"({"Data":")")
        .append(payloads.at(first + static_cast<std::uint64_t>(i)))
        .append(R"(","PartitionKey":")");
    append_key(out, i);
    out.append("\"}");
  }
  out.append("]}");
}

bool scan_number(std::string_view body, std::string_view key, std::int64_t& out) {
  std::size_t p = value_pos(body, key);
  if (p == std::string_view::npos) return false;
  bool neg = false;
  if (p < body.size() && body[p] == '-') {
    neg = true;
    ++p;
  }
  if (p >= body.size() || body[p] < '0' || body[p] > '9') return false;
  std::int64_t v = 0;
  while (p < body.size() && body[p] >= '0' && body[p] <= '9') v = v * 10 + (body[p++] - '0');
  out = neg ? -v : v;
  return true;
}

bool scan_string(std::string_view body, std::string_view key, std::string_view& out) {
  std::size_t p = value_pos(body, key);
  if (p == std::string_view::npos || p >= body.size() || body[p] != '"') return false;
  const std::size_t end = body.find('"', p + 1);
  if (end == std::string_view::npos) return false;
  out = body.substr(p + 1, end - p - 1);
  return true;
}

std::size_t scan_records(std::string_view body,
                         const std::function<void(std::string_view, std::string_view)>& fn) {
  std::size_t p = value_pos(body, "Records");
  if (p == std::string_view::npos || p >= body.size() || body[p] != '[') return 0;
  std::size_t n = 0;
  ++p;
  auto skip_ws = [&] {
    while (p < body.size() &&
           (body[p] == ' ' || body[p] == '\n' || body[p] == '\t' || body[p] == '\r'))
      ++p;
  };
  // One pass over each record, a flat object: "key":value pairs whose string values hold no
  // escaped quotes (sequence numbers, base64, partition keys without '"').
  while (true) {
    skip_ws();
    if (p < body.size() && body[p] == ',') {
      ++p;
      skip_ws();
    }
    if (p >= body.size() || body[p] != '{') break;
    ++p;
    std::string_view seq, data;
    while (true) {
      skip_ws();
      if (p >= body.size()) return n;
      if (body[p] == ',') {
        ++p;
        continue;
      }
      if (body[p] == '}') {
        ++p;
        break;
      }
      if (body[p] != '"') return n;
      const std::size_t key_end = body.find('"', p + 1);
      if (key_end == std::string_view::npos) return n;
      const std::string_view key = body.substr(p + 1, key_end - p - 1);
      p = key_end + 1;
      skip_ws();
      if (p >= body.size() || body[p] != ':') return n;
      ++p;
      skip_ws();
      if (p < body.size() && body[p] == '"') {
        const std::size_t v_end = body.find('"', p + 1);
        if (v_end == std::string_view::npos) return n;
        const std::string_view v = body.substr(p + 1, v_end - p - 1);
        if (key == "SequenceNumber")
          seq = v;
        else if (key == "Data")
          data = v;
        p = v_end + 1;
      } else {
        while (p < body.size() && body[p] != ',' && body[p] != '}') ++p;
      }
    }
    fn(seq, data);
    ++n;
  }
  return n;
}

void count_failed_entries(std::string_view body, std::map<std::string, std::uint64_t>& errors) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("Records") || !j["Records"].is_array()) {
    ++errors["record:unparsable response"];
    return;
  }
  for (const auto& r : j["Records"]) {
    auto it = r.find("ErrorCode");
    if (it != r.end() && it->is_string()) ++errors["record:" + it->get<std::string>()];
  }
}

bool seq_less(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

asio::awaitable<HttpResult> Admin::call_ok(std::string_view op, std::string body) {
  const auto give_up = std::chrono::steady_clock::now() + bound;
  std::chrono::milliseconds backoff{50};
  while (true) {
    HttpResult r = co_await conn.call(op, body);
    if (r.ok()) co_return r;
    const bool shard_limit = r.body.find("shard limit") != std::string::npos;
    if (!retryable(r) || shard_limit || std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error(
          std::string(op) +
          " failed: " + (r.status ? "HTTP " + std::to_string(r.status) + " " : std::string()) +
          r.error_type + " " + r.body.substr(0, 400));
    }
    co_await sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
  }
}

asio::awaitable<void> Admin::create_stream(const std::string& name, int shards) {
  nlohmann::json b = {{"StreamName", name}, {"ShardCount", shards}};
  co_await call_ok("CreateStream", b.dump());
}

asio::awaitable<void> Admin::wait_active(const std::string& name) {
  const auto give_up = std::chrono::steady_clock::now() + bound;
  nlohmann::json b = {{"StreamName", name}};
  while (true) {
    HttpResult r = co_await call_ok("DescribeStreamSummary", b.dump());
    std::string_view status;
    if (scan_string(r.body, "StreamStatus", status) && status == "ACTIVE") co_return;
    if (std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error("stream " + name + " not ACTIVE after " +
                               std::to_string(bound.count()) + " s: " + r.body.substr(0, 300));
    }
    co_await sleep_for(std::chrono::milliseconds(50));
  }
}

asio::awaitable<void> Admin::delete_stream(const std::string& name) {
  nlohmann::json b = {{"StreamName", name}, {"EnforceConsumerDeletion", true}};
  HttpResult r = co_await conn.call("DeleteStream", b.dump());
  if (!r.ok() && r.error_type != "ResourceNotFoundException") {
    // Retry throttling once via call_ok; anything else is reported by it.
    co_await call_ok("DeleteStream", b.dump());
  }
}

asio::awaitable<std::vector<std::string>> Admin::list_shards(const std::string& name) {
  std::vector<std::string> ids;
  nlohmann::json b = {{"StreamName", name}};
  while (true) {
    HttpResult r = co_await call_ok("ListShards", b.dump());
    auto j = nlohmann::json::parse(r.body);
    for (const auto& s : j.at("Shards")) ids.push_back(s.at("ShardId").get<std::string>());
    auto next = j.find("NextToken");
    if (next == j.end() || !next->is_string()) break;
    b = {{"NextToken", next->get<std::string>()}};
  }
  co_return ids;
}

asio::awaitable<std::string> Admin::shard_iterator(const std::string& stream,
                                                   const std::string& shard,
                                                   std::string_view type) {
  nlohmann::json b = {{"StreamName", stream}, {"ShardId", shard}, {"ShardIteratorType", type}};
  HttpResult r = co_await call_ok("GetShardIterator", b.dump());
  std::string_view it;
  if (!scan_string(r.body, "ShardIterator", it))
    throw std::runtime_error("GetShardIterator: " + r.body);
  co_return std::string(it);
}

asio::awaitable<void> Admin::create_streams(const std::vector<std::string>& names, int shards) {
  for (const auto& n : names) co_await create_stream(n, shards);
  for (const auto& n : names) co_await wait_active(n);
}

asio::awaitable<void> Admin::delete_streams(const std::vector<std::string>& names) {
  for (const auto& n : names) co_await delete_stream(n);
}

}  // namespace kbench
