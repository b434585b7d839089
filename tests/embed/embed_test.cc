// The embeddable server, compiled against include/ alone: this file sees no header of src/
// (CMake gives it only include/), so anything internal leaking into the public headers breaks
// its build. It talks to the server as a client would, over a loopback socket.
#include <kinesis_emulator/server.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

struct Answer {
  int status = 0;
  std::string body;
};

// One HTTP/1.1 request on its own connection; status 0 if nothing could be exchanged.
Answer http_exchange(uint16_t port, const std::string& request) {
  Answer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return answer;
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, 0);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, buf + n);
  ::close(fd);
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return answer;
  answer.status = std::atoi(reply.c_str() + 9);
  const auto head_end = reply.find("\r\n\r\n");
  if (head_end != std::string::npos) answer.body = reply.substr(head_end + 4);
  return answer;
}

Answer call(uint16_t port, const std::string& operation, const std::string& body) {
  return http_exchange(port,
                       "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       "X-Amz-Target: Kinesis_20131202." +
                           operation +
                           "\r\nContent-Type: application/x-amz-json-1.1\r\n"
                           "X-Amz-Date: 20261203T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 "
                           "Credential=AKIDEXAMPLE/20261203/us-east-1/kinesis/aws4_request, "
                           "SignedHeaders=host;x-amz-date, Signature=0\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body);
}

bool wait_active(uint16_t port, const std::string& stream) {
  for (int i = 0; i < 200; ++i) {
    const Answer a = call(port, "DescribeStreamSummary", R"({"StreamName":")" + stream + "\"}");
    if (a.body.find(R"("StreamStatus":"ACTIVE")") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

kinesis_emulator::Options quick() {
  kinesis_emulator::Options options;
  options.create_stream_ms = 0;
  options.threads = 2;
  return options;
}

TEST(EmbeddedServer, ServesKinesisOnAFreePortAndStops) {
  auto server = kinesis_emulator::Server::start(quick());
  ASSERT_NE(server->port(), 0);
  EXPECT_EQ(server->endpoint_url(), "http://127.0.0.1:" + std::to_string(server->port()));
  EXPECT_TRUE(server->tls_certificate().empty());

  const Answer health = http_exchange(
      server->port(), "GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find("\"version\":\"" + kinesis_emulator::version() + "\""),
            std::string::npos)
      << health.body;

  EXPECT_EQ(
      call(server->port(), "CreateStream", R"({"StreamName":"embedded","ShardCount":1})").status,
      200);
  ASSERT_TRUE(wait_active(server->port(), "embedded"));
  const Answer put = call(server->port(), "PutRecord",
                          R"({"StreamName":"embedded","PartitionKey":"k","Data":"aGk="})");
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_NE(put.body.find("\"SequenceNumber\""), std::string::npos) << put.body;
  const Answer missing = call(server->port(), "DescribeStream", R"({"StreamName":"nope"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("ResourceNotFoundException"), std::string::npos);

  const uint16_t port = server->port();
  server->stop();
  server->stop();  // idempotent
  EXPECT_EQ(call(port, "ListStreams", "{}").status, 0) << "still answering after stop()";
}

TEST(EmbeddedServer, InitialStreamsAndDataKeptAcrossARestart) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ke-embed-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  kinesis_emulator::Options options = quick();
  options.in_memory = false;
  options.data_dir = dir.string();
  options.initial_streams = {{"orders", 2, ""}};
  {
    auto server = kinesis_emulator::Server::start(options);
    EXPECT_EQ(server->storage_description().find("in memory"), std::string::npos);
    ASSERT_TRUE(wait_active(server->port(), "orders"));
    EXPECT_EQ(call(server->port(), "PutRecord",
                   R"({"StreamName":"orders","PartitionKey":"k","Data":"aGk="})")
                  .status,
              200);
  }
  options.initial_streams.clear();
  auto again = kinesis_emulator::Server::start(options);
  const Answer summary = call(again->port(), "DescribeStreamSummary", R"({"StreamName":"orders"})");
  EXPECT_EQ(summary.status, 200);
  EXPECT_NE(summary.body.find(R"("OpenShardCount":2)"), std::string::npos) << summary.body;
  again->stop();
  std::filesystem::remove_all(dir);
}

TEST(EmbeddedServer, AStartThatCannotSucceedThrowsSayingWhy) {
  auto first = kinesis_emulator::Server::start(quick());
  kinesis_emulator::Options taken = quick();
  taken.port = first->port();
  try {
    auto second = kinesis_emulator::Server::start(taken);
    FAIL() << "a second server started on a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()), "");
  }
  // The first is unharmed.
  EXPECT_EQ(call(first->port(), "ListStreams", "{}").status, 200);
}

}  // namespace
