// net::Http2Connection against a real nghttp2 client session, in memory: what a peer sees of
// limits, refusals, flow control, floods and GOAWAY.
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/http2_connection.h"
#include "protocol/dispatcher.h"
#include "protocol/router.h"

namespace kinesis_emulator::net {
namespace {

struct ClientStream {
  std::map<std::string, std::string> headers;
  std::string body;
  bool closed = false;
  uint32_t close_code = 0;
};

// An nghttp2 client that the test steps by hand.
class Client {
 public:
  explicit Client(bool auto_window_update = true, int32_t initial_window = 1 << 24) {
    nghttp2_session_callbacks* cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Client::on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Client::on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Client::on_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Client::on_frame);
    nghttp2_option* opt = nullptr;
    nghttp2_option_new(&opt);
    if (!auto_window_update) nghttp2_option_set_no_auto_window_update(opt, 1);
    nghttp2_session_client_new2(&session, cb, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(initial_window)}};
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, 1);
    if (initial_window > 65535) {
      nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, initial_window);
    }
  }
  ~Client() { nghttp2_session_del(session); }

  // A request; `body` is sent as DATA (with content-length unless told otherwise).
  int32_t request(const std::string& path, std::string body,
                  std::vector<std::pair<std::string, std::string>> extra = {},
                  bool send_length = true) {
    bodies_.push_back(std::move(body));
    const std::string* b = &bodies_.back();
    std::vector<std::pair<std::string, std::string>> h = {
        {":method", "POST"}, {":scheme", "http"}, {":authority", "localhost"}, {":path", path}};
    if (send_length) h.emplace_back("content-length", std::to_string(b->size()));
    for (auto& e : extra) h.push_back(e);
    std::vector<nghttp2_nv> nv;
    for (auto& [n, v] : h) {
      nv.push_back({reinterpret_cast<uint8_t*>(n.data()), reinterpret_cast<uint8_t*>(v.data()),
                    n.size(), v.size(), NGHTTP2_NV_FLAG_NONE});
    }
    nghttp2_data_provider provider{};
    provider.source.ptr = const_cast<std::string*>(b);
    provider.read_callback = &Client::read_body;
    const int32_t id = nghttp2_submit_request(session, nullptr, nv.data(), nv.size(),
                                              b->empty() ? nullptr : &provider, nullptr);
    sent_[id] = 0;
    return id;
  }

  std::string take_output() {
    std::string out;
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session, &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    return out;
  }
  void receive(const std::string& bytes) {
    ASSERT_GE(nghttp2_session_mem_recv(session, reinterpret_cast<const uint8_t*>(bytes.data()),
                                       bytes.size()),
              0);
  }

  std::size_t sent(int32_t id) { return sent_[id]; }

  nghttp2_session* session = nullptr;
  std::map<int32_t, ClientStream> streams;
  bool got_goaway = false;
  uint32_t goaway_code = 0;
  int32_t goaway_last_stream = -1;
  std::vector<nghttp2_settings_entry> server_settings;

 private:
  static Client& self(void* p) { return *static_cast<Client*>(p); }
  static int on_header(nghttp2_session*, const nghttp2_frame* f, const uint8_t* n, size_t nl,
                       const uint8_t* v, size_t vl, uint8_t, void* p) {
    self(p).streams[f->hd.stream_id].headers[std::string(reinterpret_cast<const char*>(n), nl)] =
        std::string(reinterpret_cast<const char*>(v), vl);
    return 0;
  }
  static int on_data(nghttp2_session*, uint8_t, int32_t id, const uint8_t* d, size_t len, void* p) {
    self(p).streams[id].body.append(reinterpret_cast<const char*>(d), len);
    return 0;
  }
  static int on_close(nghttp2_session*, int32_t id, uint32_t code, void* p) {
    self(p).streams[id].closed = true;
    self(p).streams[id].close_code = code;
    return 0;
  }
  static int on_frame(nghttp2_session*, const nghttp2_frame* f, void* p) {
    if (f->hd.type == NGHTTP2_GOAWAY) {
      self(p).got_goaway = true;
      self(p).goaway_code = f->goaway.error_code;
      self(p).goaway_last_stream = f->goaway.last_stream_id;
    }
    if (f->hd.type == NGHTTP2_SETTINGS && (f->hd.flags & NGHTTP2_FLAG_ACK) == 0) {
      self(p).server_settings.assign(f->settings.iv, f->settings.iv + f->settings.niv);
    }
    return 0;
  }
  static ssize_t read_body(nghttp2_session*, int32_t id, uint8_t* buf, size_t len, uint32_t* flags,
                           nghttp2_data_source* src, void* p) {
    const auto& body = *static_cast<const std::string*>(src->ptr);
    std::size_t& sent = self(p).sent_[id];
    const std::size_t n = std::min(len, body.size() - sent);
    std::memcpy(buf, body.data() + sent, n);
    sent += n;
    if (sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
  std::deque<std::string> bodies_;
  std::map<int32_t, std::size_t> sent_;
};

class Http2ConnectionTest : public ::testing::Test {
 protected:
  Http2ConnectionTest() : dispatcher_(protocol::DispatcherOptions{}), router_(dispatcher_) {
    options_.body_limit = 1 << 20;
    options_.header_limit = 4096;
  }

  // The server under test; each complete request is answered by `answer` unless it is null.
  void start(std::function<protocol::WireResponse(const protocol::WireRequest&)> answer) {
    answer_ = std::move(answer);
    server_ = std::make_unique<Http2Connection>(
        options_, router_, [this](int32_t id, protocol::WireRequest& r) {
          requests_.push_back({std::string(r.method), std::string(r.target),
                               std::string(r.header("host")), std::string(r.amz_target), r.body});
          if (answer_)
            server_->respond(id, answer_(r));
          else
            held_.push_back(id);
        });
  }

  // Moves bytes both ways until neither side has more to say.
  void pump(Client& client, int rounds = 100) {
    for (int i = 0; i < rounds; ++i) {
      const std::string to_server = client.take_output();
      if (!to_server.empty()) {
        server_ok_ = server_->receive(reinterpret_cast<const uint8_t*>(to_server.data()),
                                      to_server.size()) &&
                     server_ok_;
      }
      std::string to_client;
      server_->take_output(to_client, std::size_t{1} << 30);
      if (!to_client.empty()) client.receive(to_client);
      if (to_server.empty() && to_client.empty()) return;
    }
  }

  static protocol::WireResponse echo(const protocol::WireRequest& r) {
    protocol::WireResponse w;
    w.content_type = "application/x-amz-json-1.1";
    w.request_id = "req-1";
    w.body = r.body;
    w.headers.emplace_back("X-Amzn-ErrorType", "None");
    return w;
  }

  struct Seen {
    std::string method, target, host, amz_target, body;
  };

  ServerOptions options_;
  protocol::Dispatcher dispatcher_;
  protocol::Router router_;
  std::function<protocol::WireResponse(const protocol::WireRequest&)> answer_;
  std::unique_ptr<Http2Connection> server_;
  std::vector<Seen> requests_;
  std::vector<int32_t> held_;
  bool server_ok_ = true;
};

TEST_F(Http2ConnectionTest, AnswersARequestWithLowercaseHeadersAndItsBody) {
  start(echo);
  Client c;
  const int32_t id =
      c.request("/", "{\"StreamName\":\"s\"}", {{"x-amz-target", "Kinesis_20131202.ListStreams"}});
  pump(c);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(requests_[0].method, "POST");
  EXPECT_EQ(requests_[0].target, "/");
  EXPECT_EQ(requests_[0].host, "localhost");
  EXPECT_EQ(requests_[0].amz_target, "Kinesis_20131202.ListStreams");
  const ClientStream& s = c.streams[id];
  EXPECT_EQ(s.headers.at(":status"), "200");
  EXPECT_EQ(s.headers.at("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(s.headers.at("x-amzn-requestid"), "req-1");
  EXPECT_EQ(s.headers.at("x-amzn-errortype"), "None");
  EXPECT_EQ(s.headers.at("content-length"), "18");
  EXPECT_EQ(s.body, "{\"StreamName\":\"s\"}");
  EXPECT_TRUE(s.closed);
  EXPECT_EQ(s.close_code, NGHTTP2_NO_ERROR);
  EXPECT_TRUE(server_ok_);
}

TEST_F(Http2ConnectionTest, AdvertisesStreamsAndWindowsForLargeBodies) {
  start(echo);
  Client c;
  pump(c);
  std::map<int32_t, uint32_t> settings;
  for (const auto& e : c.server_settings) settings[e.settings_id] = e.value;
  EXPECT_GE(settings[NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS], 100u);
  EXPECT_GE(settings[NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE], options_.body_limit);
  EXPECT_EQ(settings[NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE], options_.header_limit);
  EXPECT_GE(nghttp2_session_get_remote_window_size(c.session),
            static_cast<int32_t>(options_.body_limit));
}

TEST_F(Http2ConnectionTest, ABodyAtTheLimitArrivesWhole) {
  start(echo);
  Client c;
  const std::string body(options_.body_limit, 'x');
  const int32_t id = c.request("/", body);
  pump(c, 1000);
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(requests_[0].body.size(), body.size());
  EXPECT_EQ(c.streams[id].body.size(), body.size());
}

TEST_F(Http2ConnectionTest, AContentLengthOverTheLimitIsAnswered413AndTheStreamStopped) {
  start(echo);
  Client c;
  const int32_t id = c.request("/", std::string(options_.body_limit + 1, 'x'),
                               {{"content-type", "application/x-amz-json-1.1"}});
  pump(c, 1000);
  EXPECT_TRUE(requests_.empty()) << "a refused body never reaches a handler";
  const ClientStream& s = c.streams[id];
  EXPECT_EQ(s.headers.at(":status"), "413");
  EXPECT_NE(s.body.find("RequestEntityTooLargeException"), std::string::npos) << s.body;
  EXPECT_TRUE(s.closed);
  EXPECT_EQ(s.close_code, NGHTTP2_NO_ERROR);
  // The connection goes on.
  const int32_t next = c.request("/", "after");
  pump(c);
  EXPECT_EQ(c.streams[next].body, "after");
}

TEST_F(Http2ConnectionTest, ABodyGoingOnFarPastTheLimitIsStoppedByAReset) {
  start(echo);
  Client c;
  const std::size_t size = 4 * options_.body_limit;
  const int32_t id = c.request("/", std::string(size, 'x'), {}, false);
  pump(c, 1000);
  EXPECT_TRUE(requests_.empty());
  EXPECT_EQ(c.streams[id].headers.at(":status"), "413");
  EXPECT_TRUE(c.streams[id].closed);
  EXPECT_EQ(c.streams[id].close_code, NGHTTP2_NO_ERROR);
  EXPECT_LT(c.sent(id), size) << "the reset stopped the upload";
  EXPECT_EQ(server_->open_streams(), 0u);
}

TEST_F(Http2ConnectionTest, ABodyOverTheLimitWithoutContentLengthIsAnswered413) {
  start(echo);
  Client c;
  const int32_t id = c.request("/", std::string(options_.body_limit + 100, 'x'), {}, false);
  pump(c, 1000);
  EXPECT_TRUE(requests_.empty());
  EXPECT_EQ(c.streams[id].headers.at(":status"), "413");
  EXPECT_TRUE(c.streams[id].closed);
  EXPECT_TRUE(server_ok_);
}

TEST_F(Http2ConnectionTest, HeadersOverTheLimitAreAnswered431) {
  start(echo);
  Client c;
  const int32_t id = c.request("/", "x", {{"x-big", std::string(options_.header_limit, 'h')}});
  pump(c);
  EXPECT_TRUE(requests_.empty());
  EXPECT_EQ(c.streams[id].headers.at(":status"), "431");
  EXPECT_TRUE(server_ok_);
}

TEST_F(Http2ConnectionTest, HeadersFarOverTheLimitEndTheConnection) {
  start(echo);
  Client c;
  c.request("/", "x", {{"x-big", std::string(8 * options_.header_limit, 'h')}});
  pump(c);
  EXPECT_TRUE(requests_.empty());
  EXPECT_FALSE(server_ok_);
  EXPECT_TRUE(server_->finished());
}

TEST_F(Http2ConnectionTest, GoAwayLetsStreamsInFlightFinish) {
  start(nullptr);  // answers held back
  Client c;
  const int32_t a = c.request("/", "a");
  const int32_t b = c.request("/", "b");
  pump(c);
  ASSERT_EQ(held_.size(), 2u);
  server_->go_away();
  pump(c);
  EXPECT_TRUE(c.got_goaway);
  EXPECT_EQ(c.goaway_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(c.goaway_last_stream, b);
  EXPECT_FALSE(server_->finished()) << "two answers are still owed";
  protocol::WireRequest none;
  none.body = "done-a";
  server_->respond(a, echo(none));
  none.body = "done-b";
  server_->respond(b, echo(none));
  pump(c);
  EXPECT_EQ(c.streams[a].body, "done-a");
  EXPECT_EQ(c.streams[b].body, "done-b");
  EXPECT_TRUE(server_->finished());
}

TEST_F(Http2ConnectionTest, AnswersWaitForThePeersWindowAndLaterRequestsWaitForThem) {
  // 6 MiB answers to a client that opens no window beyond the first 64 KiB.
  start([](const protocol::WireRequest&) {
    protocol::WireResponse w;
    w.body.assign(6 << 20, 'r');
    return w;
  });
  Client c(/*auto_window_update=*/false, /*initial_window=*/65535);
  std::vector<int32_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(c.request("/", "q"));
  pump(c);
  // Three answers (18 MiB) are queued, above the 16 MiB bound: the other two requests wait.
  EXPECT_EQ(requests_.size(), 3u);
  EXPECT_LE(server_->queued_response_bytes(), std::size_t{18} << 20);
  std::size_t received = 0;
  for (int32_t id : ids) received += c.streams[id].body.size();
  EXPECT_LE(received, 65535u);
  // The client reads: all five answers arrive.
  std::map<int32_t, std::size_t> consumed;
  for (int round = 0; round < 2000; ++round) {
    for (int32_t id : ids) {
      const std::size_t got = c.streams[id].body.size();
      if (got > consumed[id] && !c.streams[id].closed) {
        nghttp2_session_consume(c.session, id, got - consumed[id]);
      }
      consumed[id] = got;
    }
    pump(c);
    bool all = true;
    for (int32_t id : ids) all = all && c.streams[id].closed;
    if (all) break;
  }
  EXPECT_EQ(requests_.size(), 5u);
  for (int32_t id : ids) EXPECT_EQ(c.streams[id].body.size(), std::size_t{6} << 20);
  EXPECT_EQ(server_->queued_response_bytes(), 0u);
}

TEST_F(Http2ConnectionTest, ServesManyConcurrentStreams) {
  start(echo);
  Client c;
  std::vector<int32_t> ids;
  // (std::to_string alone: GCC 12 warns falsely about "n" + std::to_string.)
  for (int i = 0; i < 100; ++i) ids.push_back(c.request("/", std::to_string(i)));
  pump(c, 1000);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(c.streams[ids[i]].body, std::to_string(i));
  EXPECT_EQ(server_->open_streams(), 0u);
}

TEST_F(Http2ConnectionTest, BytesThatAreNotHttp2EndTheConnection) {
  start(echo);
  const std::string garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_FALSE(server_->receive(reinterpret_cast<const uint8_t*>(garbage.data()), garbage.size()));
  std::string out;
  server_->take_output(out, 1 << 20);
  EXPECT_TRUE(server_->finished());
}

TEST_F(Http2ConnectionTest, APingFloodThatIsNeverReadEndsTheConnection) {
  start(echo);
  Client c;
  pump(c);
  bool ended = false;
  for (int i = 0; i < 20000 && !ended; ++i) {
    nghttp2_submit_ping(c.session, NGHTTP2_FLAG_NONE, nullptr);
    const std::string bytes = c.take_output();
    // The server's output is never taken: its acknowledgements pile up.
    ended = !server_->receive(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  EXPECT_TRUE(ended);
  EXPECT_TRUE(server_->finished());
}

TEST_F(Http2ConnectionTest, AStreamResetByThePeerIsForgotten) {
  start(nullptr);
  Client c;
  const int32_t id = c.request("/", "x");
  pump(c);
  ASSERT_EQ(held_.size(), 1u);
  nghttp2_submit_rst_stream(c.session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
  pump(c);
  EXPECT_EQ(server_->open_streams(), 0u);
  protocol::WireRequest none;
  server_->respond(id, echo(none));  // too late: ignored
  pump(c);
  EXPECT_TRUE(server_ok_);
}

// Streaming answers (event streams): the head first, the body in pieces, the end when told.
protocol::WireResponse stream_head() {
  protocol::WireResponse head;
  head.content_type = "application/vnd.amazon.eventstream";
  head.request_id = "req-s";
  return head;
}

TEST_F(Http2ConnectionTest, AStreamingAnswerArrivesInPiecesAndEndsWhenTold) {
  start(nullptr);
  Client c;
  const int32_t id = c.request("/", "{}");
  pump(c);
  ASSERT_EQ(held_.size(), 1u);
  ASSERT_TRUE(server_->respond_streaming(id, stream_head()));
  pump(c);
  EXPECT_EQ(c.streams[id].headers[":status"], "200");
  EXPECT_EQ(c.streams[id].headers["content-type"], "application/vnd.amazon.eventstream");
  EXPECT_EQ(c.streams[id].headers.count("content-length"), 0u);
  EXPECT_FALSE(c.streams[id].closed);

  ASSERT_TRUE(server_->push(id, "abc"));
  pump(c);
  EXPECT_EQ(c.streams[id].body, "abc");
  EXPECT_FALSE(c.streams[id].closed);
  EXPECT_EQ(server_->unsent(id), 0u);

  ASSERT_TRUE(server_->push(id, "def"));
  ASSERT_TRUE(server_->end(id));
  EXPECT_FALSE(server_->push(id, "late"));
  pump(c);
  EXPECT_EQ(c.streams[id].body, "abcdef");
  EXPECT_TRUE(c.streams[id].closed);
  EXPECT_EQ(c.streams[id].close_code, 0u);
  EXPECT_EQ(server_->queued_response_bytes(), 0u);
  EXPECT_EQ(server_->open_streams(), 0u);
  EXPECT_TRUE(server_ok_);
}

TEST_F(Http2ConnectionTest, AStreamingAnswerWaitsForThePeersWindow) {
  start(nullptr);
  Client c(/*auto_window_update=*/false, /*initial_window=*/65535);
  const int32_t id = c.request("/", "{}");
  pump(c);
  ASSERT_TRUE(server_->respond_streaming(id, stream_head()));
  const std::string piece(50000, 'e');
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(server_->push(id, piece));
  pump(c);
  // No more than the window went out; the rest waits, counted, for the producer to see.
  EXPECT_LE(c.streams[id].body.size(), 65535u);
  EXPECT_EQ(server_->unsent(id), 200000u - c.streams[id].body.size());
  std::size_t consumed = 0;
  for (int round = 0; round < 100 && c.streams[id].body.size() < 200000u; ++round) {
    const std::size_t got = c.streams[id].body.size();
    nghttp2_session_consume(c.session, id, got - consumed);
    consumed = got;
    pump(c);
  }
  EXPECT_EQ(c.streams[id].body, std::string(200000, 'e'));
  EXPECT_EQ(server_->unsent(id), 0u);
  EXPECT_FALSE(c.streams[id].closed);
  ASSERT_TRUE(server_->end(id));
  pump(c);
  EXPECT_TRUE(c.streams[id].closed);
  EXPECT_EQ(server_->queued_response_bytes(), 0u);
}

TEST_F(Http2ConnectionTest, PushingToAStreamThePeerResetFails) {
  start(nullptr);
  Client c;
  const int32_t id = c.request("/", "{}");
  pump(c);
  ASSERT_TRUE(server_->respond_streaming(id, stream_head()));
  ASSERT_TRUE(server_->push(id, "first"));
  pump(c);
  nghttp2_submit_rst_stream(c.session, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
  pump(c);
  EXPECT_FALSE(server_->push(id, "more"));
  EXPECT_FALSE(server_->end(id));
  EXPECT_EQ(server_->unsent(id), 0u);
  EXPECT_EQ(server_->queued_response_bytes(), 0u);
  EXPECT_EQ(server_->open_streams(), 0u);
  EXPECT_TRUE(server_ok_);
}

}  // namespace
}  // namespace kinesis_emulator::net
