#pragma once
// Loopback stand-ins for GitHub in the github/ tests: a scripted HTTP server (a queue of canned
// responses, recording what it received), a raw TCP server for connection faults, and a fake clock.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "github/clock.hpp"
#include "http/server.hpp"
#include "util/time.hpp"

namespace ampere::testing {

/// One scripted answer. "{base}" in header values and the body becomes the server's base URL.
struct Canned {
  Canned(int status_ = 200, std::string body_ = "{}", http::Headers headers_ = {},
         std::string content_type_ = "application/json; charset=utf-8",
         std::chrono::milliseconds delay_ = std::chrono::milliseconds(0))
      : status(status_),
        body(std::move(body_)),
        headers(std::move(headers_)),
        content_type(std::move(content_type_)),
        delay(delay_) {}
  int status;
  std::string body;
  http::Headers headers;
  std::string content_type;
  std::chrono::milliseconds delay;  ///< answer this late (to provoke client timeouts)
};

/// An http::Server on 127.0.0.1 (free port) answering from a queue; 500 "script exhausted" when empty.
class ScriptedServer {
 public:
  ScriptedServer() : server_([this](const http::Request& request) { return answer(request); }) {
    auto port = server_.bind("127.0.0.1", 0);
    EXPECT_TRUE(port.has_value());
    base_ = "http://127.0.0.1:" + std::to_string(port.value_or(0));
    thread_ = std::thread([this] { (void)server_.serve(); });
  }
  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  /// "http://127.0.0.1:<port>".
  [[nodiscard]] const std::string& base() const { return base_; }
  /// Queues the next answer.
  void push(Canned canned) {
    const std::lock_guard lock(mutex_);
    script_.push_back(std::move(canned));
  }
  /// Queues a 200 with `body` and extra headers.
  void push_json(std::string body, http::Headers headers = {}) {
    push(Canned{200, std::move(body), std::move(headers)});
  }
  /// Every request received so far, in order.
  [[nodiscard]] std::vector<http::Request> requests() const {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  /// Answers not yet given.
  [[nodiscard]] size_t remaining() const {
    const std::lock_guard lock(mutex_);
    return script_.size();
  }

 private:
  http::Response answer(const http::Request& request) {
    Canned canned{500, "script exhausted"};
    {
      const std::lock_guard lock(mutex_);
      received_.push_back(request);
      if (!script_.empty()) {
        canned = std::move(script_.front());
        script_.pop_front();
      }
    }
    if (canned.delay.count() > 0) std::this_thread::sleep_for(canned.delay);
    http::Response response;
    response.status = canned.status;
    response.body = substitute(canned.body);
    response.content_type = canned.content_type;
    for (const auto& [name, value] : canned.headers) response.headers.emplace(name, substitute(value));
    return response;
  }
  [[nodiscard]] std::string substitute(std::string text) const {
    for (size_t at = text.find("{base}"); at != std::string::npos; at = text.find("{base}", at)) {
      text.replace(at, 6, base_);
      at += base_.size();
    }
    return text;
  }

  http::Server server_;
  std::string base_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::deque<Canned> script_;
  std::vector<http::Request> received_;
};

/// A raw TCP server for faults http::Server cannot produce: for each connection in turn, reads the
/// request head, then either resets the connection (empty answer) or writes the raw bytes and closes.
class RawServer {
 public:
  explicit RawServer(std::vector<std::string> answers) : answers_(std::move(answers)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    base_ = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    thread_ = std::thread([this] { run(); });
  }
  ~RawServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  /// "http://127.0.0.1:<port>".
  [[nodiscard]] const std::string& base() const { return base_; }

 private:
  void run() {
    for (const std::string& answer : answers_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        head.append(buffer, static_cast<size_t>(n));
      }
      if (answer.empty()) {
        linger reset{1, 0};  // close with RST
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
      } else {
        (void)::write(client, answer.data(), answer.size());
      }
      ::close(client);
    }
  }

  std::vector<std::string> answers_;
  int fd_ = -1;
  std::string base_;
  std::thread thread_;
};

/// A clock that never really sleeps: sleep_until jumps to the deadline and records it.
class FakeClock final : public github::Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  [[nodiscard]] Timestamp now() const override {
    const std::lock_guard lock(mutex_);
    return now_;
  }
  void sleep_until(Timestamp deadline) override {
    if (on_sleep) on_sleep(deadline);
    const std::lock_guard lock(mutex_);
    sleeps_.push_back(deadline - now_);
    if (deadline > now_) now_ = deadline;
  }
  /// Moves time forward without a sleep.
  void advance(std::chrono::microseconds by) {
    const std::lock_guard lock(mutex_);
    now_ += by;
  }
  /// Every sleep's length, in order.
  [[nodiscard]] std::vector<std::chrono::microseconds> sleeps() const {
    const std::lock_guard lock(mutex_);
    return sleeps_;
  }
  /// Called at the start of each sleep (to look at waiting_until() mid-wait).
  std::function<void(Timestamp)> on_sleep;

 private:
  mutable std::mutex mutex_;
  Timestamp now_;
  std::vector<std::chrono::microseconds> sleeps_;
};

/// 2026-11-28T00:00:00Z, the fake clock's start.
inline Timestamp fake_start() {
  return Timestamp(std::chrono::seconds(1'795'824'000));
}

}  // namespace ampere::testing
