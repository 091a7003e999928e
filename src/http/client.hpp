#pragma once
// An HTTP client on libcurl: keep-alive, HTTP/2 where offered, gzip, timeouts, redirects.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "http/http_types.hpp"
#include "util/error.hpp"

namespace ampere::http {

/// Limits for one client.
struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< TCP + TLS handshake
  std::chrono::milliseconds total_timeout{120'000};   ///< a whole request, body included
  long low_speed_bytes_per_second = 1;                ///< slower than this for low_speed_time is a stall...
  std::chrono::seconds low_speed_time{30};            ///< ...and fails as a timeout
  long max_redirects = 5;                             ///< 301/302/303/307/308 are followed up to this many
  std::chrono::seconds tcp_keepalive_idle{60};        ///< TCP keep-alive probes on idle pooled connections
  std::string user_agent = "ampere";
};

/// Receives a 2xx response body piece by piece as it arrives; returning false aborts the transfer.
using BodyStream = std::function<bool(std::string_view piece)>;

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

  /// Sends one request (`body` may be null) and reports transport failures classified, so callers can
  /// decide what to retry. Redirects are followed; Response::effective_url names the final URL.
  tl::expected<Response, TransportError> send(const std::string& method, const std::string& url,
                                              const std::string* body, const Headers& headers);

  /// Like send, but a 2xx body goes to `on_piece` as it arrives instead of into Response::body, so large
  /// answers are parsed while they stream (any other status is buffered as usual, for its error message).
  /// When `on_piece` returns false the transfer stops with TransportFailure::other.
  tl::expected<Response, TransportError> stream(const std::string& method, const std::string& url,
                                                const std::string* body, const Headers& headers,
                                                const BodyStream& on_piece);

 private:
  tl::expected<Response, TransportError> perform(const std::string& method, const std::string& url,
                                                 const std::string* body, const Headers& headers,
                                                 const BodyStream* on_piece);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::http
