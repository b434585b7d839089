#pragma once
// A reply whose body leaves in pieces (event streams: SubscribeToShard), the same for every
// way in: HTTP/1.1 carries it chunked, HTTP/2 as DATA frames. The connection implements it;
// a streaming handler (protocol/service_definition.h) writes it, from any thread.

#include <functional>
#include <memory>
#include <string>

#include "protocol/wire.h"

namespace kinesis_emulator::protocol {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The head: `head`'s status, content type and headers; its body, if any, is the first piece.
  virtual void begin(WireResponse head) = 0;
  virtual void write(std::string bytes) = 0;
  virtual void end() = 0;
  // The peer is gone (or the server is stopping): stop producing.
  virtual bool closed() const = 0;
  // Bytes written and not yet taken by the transport: a producer pauses above its own bound,
  // so that a slow reader is held by flow control instead of by memory.
  virtual std::size_t backlog() const = 0;
};

// Opens the request's connection for a streaming reply; called at most once per request.
using OpenStream = std::function<std::shared_ptr<ResponseStream>()>;

}  // namespace kinesis_emulator::protocol
