#pragma once
// Plain HTTP request and response values shared by the server and the client.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace ampere::http {

/// Header names compare case-insensitively, as HTTP requires.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

/// Header name -> value.
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

/// A request as the application's handlers see it.
struct Request {
  std::string method;
  std::string path;                                ///< without the query string
  std::multimap<std::string, std::string> params;  ///< decoded query parameters (lenient: httplib's parser)
  std::string raw_query;                           ///< the query string as sent, without '?' (see query_string.hpp)
  Headers headers;
  std::string body;
  std::string remote_address;

  /// The first value of query parameter `name`, if present.
  [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
  /// The first value of header `name`, if present.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// A response from a handler (server) or a peer (client).
struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  Headers headers;
  /// Server side only: bytes sent instead of `body`, without a copy (a cached answer, an embedded asset).
  /// `body_owner` keeps them alive; it is null for bytes that live as long as the program.
  std::optional<std::string_view> shared_body;
  std::shared_ptr<const void> body_owner;
  /// Server side only: close the connection after the headers instead of sending the body, so that
  /// tests can simulate a peer that drops connections (the client sees a transfer error).
  bool abort_connection = false;
  std::string effective_url;  ///< client only: the URL that answered, after redirects (renamed repos)
  int redirects = 0;          ///< client only: how many redirects were followed to get here

  /// The first value of header `name`, if present.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// The bytes to send: `shared_body` when set, else `body`.
  [[nodiscard]] std::string_view payload() const;
  /// Sends `bytes` (owned by `owner`, or static when `owner` is null) instead of `body`.
  void share_body(std::string_view bytes, std::shared_ptr<const void> owner);
};

/// Why a request got no HTTP response at all; callers retry the transient ones.
enum class TransportFailure {
  timeout,             ///< connect, low-speed or total timeout
  connection_reset,    ///< the peer closed or reset the connection, or sent nothing
  truncated,           ///< the body ended early or could not be decoded
  dns,                 ///< the host name did not resolve
  connect_failed,      ///< nothing listens there (refused, unreachable)
  tls,                 ///< the TLS handshake or certificate check failed
  too_many_redirects,  ///< a redirect loop or chain longer than the limit
  bad_url,             ///< the URL is malformed or its scheme unsupported
  other,               ///< anything else libcurl reports
};

/// Short lower-case name of a transport failure, for messages.
std::string_view to_string(TransportFailure failure);

/// A classified transport failure. The message names the method and URL (without user info) and never
/// any request header, so an Authorization header cannot leak through it.
struct TransportError {
  TransportFailure kind = TransportFailure::other;
  std::string message;  ///< "GET https://host/path: timeout (Operation timed out after ...)"
  std::string detail;   ///< the same without method and URL: "timeout (Operation timed out after ...)"

  /// True for failures that may go away on their own (timeouts, resets, DNS hiccups, truncation).
  [[nodiscard]] bool retryable() const;
  /// The same failure as an ampere Error of kind network.
  [[nodiscard]] Error to_error() const;
};

/// `url` with any "user:password@" part removed, safe to put in a message.
std::string redact_url(std::string_view url);

}  // namespace ampere::http
