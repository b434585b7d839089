#pragma once
// HTTP/2 for one connection, without the socket: bytes in, requests out to a handler, answers
// in, frames out. nghttp2 does framing, HPACK and flow control; this class holds the server's
// rules on top (limits, early refusals, bounded memory, graceful GOAWAY). The I/O around it is
// net/http2_session.cc; the fuzz target drives this class directly.

#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/server_options.h"
#include "protocol/wire.h"

namespace kinesis_emulator::protocol {
class Router;
}

namespace kinesis_emulator::net {

class Http2Connection {
 public:
  // One complete request (headers and body). The views in `request` are valid during the call
  // only. The answer is given through respond(), during the call or later.
  using RequestHandler = std::function<void(int32_t stream_id, protocol::WireRequest& request)>;

  Http2Connection(const ServerOptions& options, const protocol::Router& router,
                  RequestHandler on_request);
  ~Http2Connection();
  Http2Connection(const Http2Connection&) = delete;
  Http2Connection& operator=(const Http2Connection&) = delete;

  // Feeds bytes read from the peer. False on a protocol error that ends the connection (a GOAWAY
  // saying why may still be waiting in the output).
  bool receive(const uint8_t* data, std::size_t size);
  // Appends frames to send to `out`, stopping once it holds about `max_bytes`. False if the
  // session failed (nothing more to send).
  bool take_output(std::string& out, std::size_t max_bytes);

  // The answer to a request handed to the handler; ignored if the peer reset that stream.
  void respond(int32_t stream_id, protocol::WireResponse response);

  // A streaming answer (event streams): `head`'s status and headers now, with no
  // content-length (its body, if any, is the first piece); then push() appends to the body and
  // end() finishes it. DATA frames go out as the peer's flow-control window allows; a producer
  // keeps unsent() bounded. Each returns false once the stream is gone (reset by the peer, or
  // the connection ended): stop producing then.
  bool respond_streaming(int32_t stream_id, protocol::WireResponse head);
  bool push(int32_t stream_id, std::string_view bytes);
  bool end(int32_t stream_id);
  // Bytes pushed on a streaming answer and not yet framed; 0 for a stream that is gone.
  std::size_t unsent(int32_t stream_id);

  // Graceful end: GOAWAY naming the last stream taken; those finish, new ones are refused.
  void go_away();
  // Immediate end with an error code (e.g. idle timeout: NGHTTP2_NO_ERROR).
  void terminate(uint32_t error_code);
  // Nothing more to read or write: the connection can close.
  bool finished() const;
  // A request completed or an answer's data was produced since the last call.
  bool take_activity();

  std::size_t open_streams() const { return streams_.size(); }
  // Bytes of answers waiting to be framed (e.g. held back by the peer's flow-control window).
  std::size_t queued_response_bytes() const { return queued_response_bytes_; }

 private:
  struct Stream;
  friend struct Http2Callbacks;

  Stream* find(int32_t stream_id);
  void complete(int32_t stream_id);
  void dispatch(int32_t stream_id);
  void dispatch_deferred();
  void refuse(int32_t stream_id, unsigned status, std::string message);
  // False (and the stream refused 413) if its content-length is over the body limit.
  bool body_fits(int32_t stream_id, Stream& stream);
  std::string body_limit_message() const;
  void submit(int32_t stream_id, Stream& stream);
  // A streaming answer whose body ran dry was deferred by nghttp2; more bytes (or the end)
  // wake it.
  void resume(int32_t stream_id, Stream& stream);
  void consume(int32_t stream_id, Stream& stream);

  const ServerOptions& options_;
  const protocol::Router& router_;
  RequestHandler on_request_;
  nghttp2_session* session_ = nullptr;
  std::unordered_map<int32_t, std::unique_ptr<Stream>> streams_;
  // Complete requests waiting until queued answers drain (bounds memory per connection).
  std::deque<int32_t> deferred_;
  std::size_t queued_response_bytes_ = 0;
  bool activity_ = false;
  bool failed_ = false;
};

}  // namespace kinesis_emulator::net
