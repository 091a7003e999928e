#pragma once
// A small HTTP server: bind, then serve on a thread pool, one handler for every request.
// The only place besides client.cpp that touches a third-party HTTP library (httplib).

#include <functional>
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "util/error.hpp"

namespace ampere::http {

/// Handles one request; the application does its own routing (so it can answer 404 and 405 itself).
using Handler = std::function<Response(const Request&)>;

/// An HTTP/1.1 server with keep-alive and gzip (when the client accepts it).
class Server {
 public:
  explicit Server(Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds host:port (port 0 picks a free one) and returns the port bound. Nothing is served until serve().
  Expected<int> bind(const std::string& host, int port);

  /// Serves requests until stop() is called; blocks.
  Expected<void> serve();

  /// Makes serve() return; safe to call from another thread or a signal-watching thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::http
