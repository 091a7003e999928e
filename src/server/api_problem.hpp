#pragma once
// An API error as RFC 9457 problem details: {"type","title","status","detail","parameter","allowed"}.

#include <string>
#include <vector>

#include "http/http_types.hpp"

namespace ampere::server {

/// What a handler or the parameter checks answer instead of data.
struct Problem {
  int status = 400;
  std::string title = "Bad Request";
  std::string detail;
  std::string parameter;             ///< the query parameter at fault, "" when none
  std::vector<std::string> allowed;  ///< the values (or parameter names) that would have been accepted

  /// A 400 naming `parameter`, what is wrong with it and what it accepts.
  static Problem bad_parameter(std::string parameter, std::string detail, std::vector<std::string> allowed = {});
  /// Any other status: 404, 405, 401, 409, 503 ...
  static Problem with_status(int status, std::string title, std::string detail);

  /// The problem as an application/problem+json response.
  [[nodiscard]] http::Response to_response() const;
};

}  // namespace ampere::server
