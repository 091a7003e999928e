// http::Server: the listen backlog holds a crowd of clients connecting at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "http/server.hpp"

namespace ampere::http {
namespace {

// Before the accept loop runs only the kernel's accept queue holds connections, so this counts its
// room: 64 clients (a load test's, a proxy's pool) connecting at once must all get in, none waiting
// for the TCP retransmission (a second or more) that a backlog of 5 cost each one beyond it.
TEST(HttpServer, AHundredClientsConnectingAtOnceAllGetIn) {
  Server server([](const Request&) { return Response{}; });
  auto port = server.bind("127.0.0.1", 0);
  ASSERT_TRUE(port) << port.error().message;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(*port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  constexpr int clients = 100;
  std::vector<pollfd> sockets;
  for (int i = 0; i < clients; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(fd, 0);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ASSERT_TRUE(rc == 0 || errno == EINPROGRESS) << errno;
    sockets.push_back({fd, POLLOUT, 0});
  }
  int connected = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
  while (connected < clients && std::chrono::steady_clock::now() < deadline) {
    ASSERT_GE(::poll(sockets.data(), sockets.size(), 50), 0);
    for (auto& s : sockets) {
      if (s.fd < 0 || (s.revents & POLLOUT) == 0) continue;
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error == 0) ++connected;
      ::close(s.fd);
      s.fd = -1;
    }
  }
  for (const auto& s : sockets) {
    if (s.fd >= 0) ::close(s.fd);
  }
  EXPECT_EQ(connected, clients);
}

}  // namespace
}  // namespace ampere::http
