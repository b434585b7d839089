// Kinesis request bodies, cheap response scanning, and the control-plane calls every phase
// needs (create/wait/delete streams, list shards, iterators).
#pragma once

#include "http_client.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kbench {

std::string base64(std::string_view bytes);
// Decodes the first `n` bytes of a base64 string (fewer if it is shorter or malformed).
std::string base64_prefix(std::string_view b64, std::size_t n);

// Appends {"StreamName":..,"Data":..,"PartitionKey":..}. Names, keys and base64 need no escaping.
void put_record_body(std::string& out, std::string_view stream, std::string_view data_b64,
                     std::string_view key);
// Base64 record data to rotate through: one printable filler, or (random) 1024 distinct
// random payloads so that storage compression cannot fold identical records.
class Payloads {
 public:
  Payloads(int bytes, bool random);
  std::string_view at(std::uint64_t i) const { return b64_[i % b64_.size()]; }

 private:
  std::vector<std::string> b64_;
};

// Appends a PutRecords body of `n` records: data payloads.at(first + i), keys from append_key.
void put_records_body(std::string& out, std::string_view stream, int n, const Payloads& payloads,
                      std::uint64_t first,
                      const std::function<void(std::string&, int)>& append_key);

// Response scanning without a DOM: the value after "key": (number or string), for the
// server's compact JSON (whitespace around ':' is tolerated).
bool scan_number(std::string_view body, std::string_view key, std::int64_t& out);
bool scan_string(std::string_view body, std::string_view key, std::string_view& out);
// Calls fn(sequence_number, data_b64) for each record of a GetRecords response; returns count.
std::size_t scan_records(std::string_view body,
                         const std::function<void(std::string_view, std::string_view)>& fn);
// Error codes of the failed entries of a PutRecords response (only called when some failed).
void count_failed_entries(std::string_view body, std::map<std::string, std::uint64_t>& errors);

// true if a < b for decimal sequence numbers (no leading zeros).
bool seq_less(std::string_view a, std::string_view b);

// Control plane. Each throws std::runtime_error with the server's answer on failure, after
// retrying throttling errors for up to `bound`.
struct Admin {
  Connection& conn;
  std::chrono::seconds bound{120};

  boost::asio::awaitable<HttpResult> call_ok(std::string_view op, std::string body);
  boost::asio::awaitable<void> create_stream(const std::string& name, int shards);
  boost::asio::awaitable<void> wait_active(const std::string& name);
  boost::asio::awaitable<void> delete_stream(const std::string& name);
  boost::asio::awaitable<std::vector<std::string>> list_shards(const std::string& name);
  boost::asio::awaitable<std::string> shard_iterator(const std::string& stream,
                                                     const std::string& shard,
                                                     std::string_view type);
  // Creates all streams, then waits for each to be ACTIVE.
  boost::asio::awaitable<void> create_streams(const std::vector<std::string>& names, int shards);
  boost::asio::awaitable<void> delete_streams(const std::vector<std::string>& names);
};

}  // namespace kbench
