#include "net/http2_connection.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "common/status.h"
#include "protocol/router.h"

namespace kinesis_emulator::net {

namespace {

// The connection-level receive window, and so the most request body bytes one connection can
// hold unhandled: room for two bodies at the limit.
std::size_t connection_window(const ServerOptions& options) {
  return std::max<std::size_t>(32u << 20, 2 * options.body_limit);
}

// While answers this large wait to be framed, further complete requests wait too.
constexpr std::size_t kQueuedResponseLimit = 16u << 20;

// Decoding stops the connection once a header block is this many times over the limit (a block
// over the limit is otherwise decoded, dropped and answered 431).
constexpr std::size_t kHeaderAbuseFactor = 4;

std::string_view view(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

nghttp2_nv header(const std::string& name, const std::string& value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                    value.size(), NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

struct Http2Connection::Stream {
  std::string method;
  std::string path;
  std::string authority;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  std::string body;
  std::size_t unconsumed = 0;  // body bytes not yet returned to the peer's window
  bool complete = false;       // the whole request arrived
  bool refused = false;        // answered before the request was read whole (413, 431)
  std::size_t discarded = 0;   // body bytes dropped since
  bool reset = false;          // RST_STREAM sent to stop them
  // The answer, and how much of its body has been framed.
  bool answered = false;
  protocol::WireResponse response;
  std::size_t sent = 0;
  // A streaming answer: its body grows by push() until end().
  bool streaming = false;
  bool ended = false;
  bool deferred = false;  // nghttp2 waits for more body (NGHTTP2_ERR_DEFERRED)
};

// nghttp2's callbacks, as friends of the connection they serve.
struct Http2Callbacks {
  static Http2Connection& self(void* user_data) {
    return *static_cast<Http2Connection*>(user_data);
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    self(user_data).streams_.emplace(frame->hd.stream_id,
                                     std::make_unique<Http2Connection::Stream>());
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                       void* user_data) {
    Http2Connection& c = self(user_data);
    Http2Connection::Stream* s = c.find(frame->hd.stream_id);
    if (s == nullptr || s->complete) return 0;  // trailers: nothing in them is read
    // As HTTP/2 counts a header list's size (RFC 9113, SETTINGS_MAX_HEADER_LIST_SIZE).
    s->header_bytes += name_length + value_length + 32;
    if (s->header_bytes > c.options_.header_limit) {
      s->headers_too_large = true;
      if (s->header_bytes > kHeaderAbuseFactor * c.options_.header_limit) {
        return NGHTTP2_ERR_CALLBACK_FAILURE;
      }
      return 0;
    }
    const std::string_view n = view(name, name_length);
    const std::string_view v = view(value, value_length);
    if (!n.empty() && n[0] == ':') {
      if (n == ":method") {
        s->method = v;
      } else if (n == ":path") {
        s->path = v;
      } else if (n == ":authority") {
        s->authority = v;
      }
      return 0;
    }
    s->headers.emplace_back(n, v);
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Connection& c = self(user_data);
    const int32_t id = frame->hd.stream_id;
    const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS: {
        Http2Connection::Stream* s = c.find(id);
        if (s == nullptr || s->refused) return 0;
        if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
          if (s->headers_too_large) {
            c.refuse(id, 431,
                     "The request's headers exceed the limit of " +
                         std::to_string(c.options_.header_limit) + " bytes.");
            return 0;
          }
          if (!c.body_fits(id, *s)) return 0;
        }
        if (end_stream) c.complete(id);
        return 0;
      }
      case NGHTTP2_DATA:
        if (end_stream) c.complete(id);
        return 0;
      default:
        return 0;
    }
  }

  static int on_data_chunk(nghttp2_session* session, uint8_t, int32_t stream_id,
                           const uint8_t* data, size_t length, void* user_data) {
    Http2Connection& c = self(user_data);
    Http2Connection::Stream* s = c.find(stream_id);
    if (s == nullptr || s->complete) {
      nghttp2_session_consume(session, stream_id, length);
      return 0;
    }
    if (s->refused) {
      // The answer is out; the rest of the body is dropped as it comes. Clients that keep
      // sending after an early answer (curl, Node.js) often report a reset stream as a failure
      // in place of the answer, so one is sent only to a body that goes on far past the limit.
      nghttp2_session_consume(session, stream_id, length);
      s->discarded += length;
      if (s->discarded > c.options_.body_limit && !s->reset) {
        s->reset = true;
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_NO_ERROR);
      }
      return 0;
    }
    if (s->body.size() + length > c.options_.body_limit) {
      nghttp2_session_consume(session, stream_id, length);
      c.refuse(stream_id, 413, c.body_limit_message());
      return 0;
    }
    s->body.append(reinterpret_cast<const char*>(data), length);
    s->unconsumed += length;
    return 0;
  }

  static int on_stream_close(nghttp2_session* session, int32_t stream_id, uint32_t,
                             void* user_data) {
    Http2Connection& c = self(user_data);
    auto it = c.streams_.find(stream_id);
    if (it == c.streams_.end()) return 0;
    Http2Connection::Stream& s = *it->second;
    // Body bytes never handled still count against the connection's window.
    if (s.unconsumed > 0) nghttp2_session_consume_connection(session, s.unconsumed);
    if (s.answered) c.queued_response_bytes_ -= s.response.body.size() - s.sent;
    c.streams_.erase(it);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                           uint32_t* data_flags, nghttp2_data_source*, void* user_data) {
    Http2Connection& c = self(user_data);
    Http2Connection::Stream* s = c.find(stream_id);
    if (s == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    std::string& body = s->response.body;
    const std::size_t n = std::min(length, body.size() - s->sent);
    if (n == 0 && s->streaming && !s->ended) {
      s->deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
    std::memcpy(buf, body.data() + s->sent, n);
    s->sent += n;
    c.queued_response_bytes_ -= n;
    c.activity_ = true;
    if (s->sent == body.size() && (!s->streaming || s->ended)) {
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    }
    // A long-lived stream must not keep what it has sent: drop the framed front now and then.
    if (s->streaming && s->sent >= (64u << 10) && 2 * s->sent >= body.size()) {
      body.erase(0, s->sent);
      s->sent = 0;
    }
    return static_cast<ssize_t>(n);
  }
};

Http2Connection::Http2Connection(const ServerOptions& options, const protocol::Router& router,
                                 RequestHandler on_request)
    : options_(options), router_(router), on_request_(std::move(on_request)) {
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks,
                                                          &Http2Callbacks::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Http2Callbacks::on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Http2Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                            &Http2Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                         &Http2Callbacks::on_stream_close);

  nghttp2_option* option = nullptr;
  nghttp2_option_new(&option);
  // Window updates are sent once a request is handled, so that unhandled bodies are bounded by
  // the connection window instead of growing with the number of streams.
  nghttp2_option_set_no_auto_window_update(option, 1);
  // Rapid reset (CVE-2023-44487): a burst of 1,000 stream resets, then 33 per second.
  nghttp2_option_set_stream_reset_rate_limit(option, 1000, 33);

  nghttp2_session_server_new2(&session_, callbacks, this, option);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);

  const std::size_t stream_window =
      std::min<std::size_t>(options_.body_limit + (1u << 20), NGHTTP2_MAX_WINDOW_SIZE);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, options_.http2_max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(stream_window)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<uint32_t>(options_.header_limit)},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                        static_cast<int32_t>(std::min<std::size_t>(
                                            connection_window(options_), NGHTTP2_MAX_WINDOW_SIZE)));
}

Http2Connection::~Http2Connection() {
  nghttp2_session_del(session_);
}

Http2Connection::Stream* Http2Connection::find(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : it->second.get();
}

bool Http2Connection::receive(const uint8_t* data, std::size_t size) {
  if (failed_) return false;
  const ssize_t rv = nghttp2_session_mem_recv(session_, data, size);
  if (rv < 0) {
    spdlog::debug("http2: connection ended: {}", nghttp2_strerror(static_cast<int>(rv)));
    failed_ = true;
    return false;
  }
  return true;
}

bool Http2Connection::take_output(std::string& out, std::size_t max_bytes) {
  dispatch_deferred();
  while (out.size() < max_bytes) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n < 0) {
      spdlog::debug("http2: cannot send: {}", nghttp2_strerror(static_cast<int>(n)));
      failed_ = true;
      return false;
    }
    if (n == 0) break;
    out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    // Framing answers may have made room for requests held back.
    if (!deferred_.empty()) dispatch_deferred();
  }
  return true;
}

bool Http2Connection::body_fits(int32_t stream_id, Stream& s) {
  for (const auto& [name, value] : s.headers) {
    if (name != "content-length") continue;
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    const bool too_large =
        ec == std::errc::result_out_of_range || (ec == std::errc() && length > options_.body_limit);
    if (!too_large) return true;
    refuse(stream_id, 413, body_limit_message());
    return false;
  }
  return true;
}

std::string Http2Connection::body_limit_message() const {
  return "The request body exceeds the limit of " + std::to_string(options_.body_limit) + " bytes.";
}

void Http2Connection::complete(int32_t stream_id) {
  Stream* s = find(stream_id);
  if (s == nullptr || s->refused || s->complete) return;
  s->complete = true;
  activity_ = true;
  if (queued_response_bytes_ > kQueuedResponseLimit || !deferred_.empty()) {
    deferred_.push_back(stream_id);
    return;
  }
  dispatch(stream_id);
}

void Http2Connection::dispatch_deferred() {
  while (!deferred_.empty() && queued_response_bytes_ <= kQueuedResponseLimit) {
    const int32_t id = deferred_.front();
    deferred_.pop_front();
    dispatch(id);
  }
}

void Http2Connection::dispatch(int32_t stream_id) {
  Stream* s = find(stream_id);
  if (s == nullptr) return;  // reset by the peer while it waited
  protocol::WireRequest wire;
  wire.method = s->method;
  wire.target = s->path;
  wire.headers.reserve(s->headers.size() + 1);
  // SigV4 signs "host"; HTTP/2 carries it as :authority.
  if (!s->authority.empty()) wire.headers.push_back({"host", s->authority});
  auto first = [](std::string_view& slot, std::string_view value) {
    if (slot.empty()) slot = value;
  };
  for (const auto& [name, value] : s->headers) {
    wire.headers.push_back({name, value});
    if (name == "content-type") {
      first(wire.content_type, value);
    } else if (name == "authorization") {
      first(wire.authorization, value);
    } else if (name == "x-amz-target") {
      first(wire.amz_target, value);
    } else if (name == "x-amz-date") {
      first(wire.x_amz_date, value);
    } else if (name == "date") {
      first(wire.date, value);
    } else if (name == "origin") {
      first(wire.origin, value);
    }
  }
  wire.body = std::move(s->body);
  // The body is handed over: the peer may send the next one.
  consume(stream_id, *s);
  on_request_(stream_id, wire);
}

void Http2Connection::consume(int32_t stream_id, Stream& s) {
  if (s.unconsumed == 0) return;
  nghttp2_session_consume(session_, stream_id, s.unconsumed);
  s.unconsumed = 0;
}

void Http2Connection::refuse(int32_t stream_id, unsigned status, std::string message) {
  Stream* s = find(stream_id);
  if (s == nullptr) return;
  s->refused = true;
  consume(stream_id, *s);
  std::string_view content_type;
  for (const auto& [name, value] : s->headers) {
    if (name == "content-type") content_type = value;
  }
  const errc code = status == 413 ? errc::request_entity_too_large : errc::serialization;
  protocol::WireResponse response =
      router_.reject(make_error(code, std::move(message)), content_type);
  if (status == 431) response.status = 431;
  s->body.clear();
  s->answered = true;
  s->response = std::move(response);
  queued_response_bytes_ += s->response.body.size();
  submit(stream_id, *s);
}

void Http2Connection::respond(int32_t stream_id, protocol::WireResponse response) {
  Stream* s = find(stream_id);
  if (s == nullptr || s->answered) return;
  s->answered = true;
  if (response.omit_body) {
    // HEAD: content-length says what GET would carry; no body follows.
    response.headers.emplace_back("content-length", std::to_string(response.body.size()));
    response.body.clear();
  }
  s->response = std::move(response);
  queued_response_bytes_ += s->response.body.size();
  submit(stream_id, *s);
}

bool Http2Connection::respond_streaming(int32_t stream_id, protocol::WireResponse head) {
  Stream* s = find(stream_id);
  if (s == nullptr || s->answered || failed_) return false;
  s->answered = true;
  s->streaming = true;
  s->response = std::move(head);
  queued_response_bytes_ += s->response.body.size();
  submit(stream_id, *s);
  return true;
}

bool Http2Connection::push(int32_t stream_id, std::string_view bytes) {
  Stream* s = find(stream_id);
  if (s == nullptr || !s->streaming || s->ended || failed_) return false;
  s->response.body.append(bytes);
  queued_response_bytes_ += bytes.size();
  resume(stream_id, *s);
  return true;
}

bool Http2Connection::end(int32_t stream_id) {
  Stream* s = find(stream_id);
  if (s == nullptr || !s->streaming || s->ended || failed_) return false;
  s->ended = true;
  resume(stream_id, *s);
  return true;
}

std::size_t Http2Connection::unsent(int32_t stream_id) {
  Stream* s = find(stream_id);
  return s == nullptr || !s->streaming ? 0 : s->response.body.size() - s->sent;
}

void Http2Connection::resume(int32_t stream_id, Stream& s) {
  if (!s.deferred) return;
  s.deferred = false;
  nghttp2_session_resume_data(session_, stream_id);
}

void Http2Connection::submit(int32_t stream_id, Stream& s) {
  const protocol::WireResponse& r = s.response;
  // Names and values live until nghttp2 has copied them (it does, in submit_response).
  std::vector<std::string> text;
  text.reserve(8 + 2 * r.headers.size());
  auto add = [&text](std::string name, std::string value) {
    text.push_back(std::move(name));
    text.push_back(std::move(value));
  };
  add(":status", std::to_string(r.status));
  add("server", "kinesis-emulator");
  if (!r.content_type.empty()) add("content-type", r.content_type);
  add("x-amzn-requestid", r.request_id);
  bool has_length = false;
  for (const auto& [name, value] : r.headers) {
    std::string n = lower(name);
    // Connection-specific fields have no place in HTTP/2 (RFC 9113 section 8.2.2).
    if (n == "connection" || n == "keep-alive" || n == "transfer-encoding" || n == "upgrade") {
      continue;
    }
    has_length = has_length || n == "content-length";
    add(std::move(n), value);
  }
  // A streaming answer's length is not known: its end is the END_STREAM flag.
  if (!has_length && !s.streaming) add("content-length", std::to_string(r.body.size()));
  std::vector<nghttp2_nv> nv;
  nv.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) nv.push_back(header(text[i], text[i + 1]));

  nghttp2_data_provider provider{};
  provider.read_callback = &Http2Callbacks::read_body;
  const int rv = nghttp2_submit_response(session_, stream_id, nv.data(), nv.size(),
                                         r.body.empty() && !s.streaming ? nullptr : &provider);
  if (rv != 0) spdlog::debug("http2: cannot answer stream {}: {}", stream_id, nghttp2_strerror(rv));
}

void Http2Connection::go_away() {
  if (failed_) return;
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                        nullptr, 0);
}

void Http2Connection::terminate(uint32_t error_code) {
  if (failed_) return;
  nghttp2_session_terminate_session(session_, error_code);
}

bool Http2Connection::finished() const {
  return failed_ ||
         (nghttp2_session_want_read(session_) == 0 && nghttp2_session_want_write(session_) == 0);
}

bool Http2Connection::take_activity() {
  const bool was = activity_;
  activity_ = false;
  return was;
}

}  // namespace kinesis_emulator::net
