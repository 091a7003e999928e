#pragma once
// Plain HTTP request and response values shared by the server and the client.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  std::multimap<std::string, std::string> params;  ///< decoded query parameters
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
  /// Server side only: close the connection after the headers instead of sending the body, so that
  /// tests can simulate a peer that drops connections (the client sees a transfer error).
  bool abort_connection = false;

  /// The first value of header `name`, if present.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

}  // namespace ampere::http
