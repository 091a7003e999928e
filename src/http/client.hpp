#pragma once
// An HTTP client on libcurl: keep-alive, HTTP/2 where offered, gzip, timeouts, redirects.

#include <chrono>
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "util/error.hpp"

namespace ampere::http {

/// Limits for one client.
struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  long max_redirects = 5;
  std::string user_agent = "ampere";
};

/// One client = one connection cache; reuse it for many requests to the same hosts. Not thread-safe.
class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// GET `url`. Any HTTP status is a response; only transport failures are errors (kind network).
  Expected<Response> get(const std::string& url, const Headers& headers = {});

  /// POST `body` to `url` with the given content type.
  Expected<Response> post(const std::string& url, const std::string& body, const std::string& content_type,
                          const Headers& headers = {});

 private:
  Expected<Response> perform(const std::string& method, const std::string& url, const std::string* body,
                             const Headers& headers);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::http
