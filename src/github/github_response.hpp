#pragma once
// What one GitHub REST or GraphQL request answered, with the status sorted into the outcomes callers act on.

#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace ampere::github {

/// The answers a fetcher handles itself instead of failing (none of these is retried).
enum class Outcome {
  ok,                             ///< 2xx
  not_modified,                   ///< 304: unchanged since the validators we sent; free
  not_found,                      ///< 404: gone, private, or never existed
  conflict,                       ///< 409: e.g. commits of an empty repository
  gone,                           ///< 410: e.g. issues disabled
  unavailable_for_legal_reasons,  ///< 451: DMCA takedown
  unprocessable,                  ///< 422: e.g. past the pagination cap
  forbidden,                      ///< 403 that is not a rate limit: e.g. stargazers restricted to admins
  unauthorized,                   ///< 401: the token is missing, wrong or expired
  client_error,                   ///< any other 4xx
};

/// Short lower-case name of an outcome, for messages.
std::string_view to_string(Outcome outcome);

/// The outcome a final (not retried) HTTP status maps to.
Outcome outcome_for_status(int status);

/// A response as the GitHub layer returns it: never a 5xx or a rate limit (those are retried or waited out).
struct GithubResponse {
  int status = 0;
  Outcome outcome = Outcome::ok;
  bool not_modified = false;  ///< a 304; body is empty and the caller's stored data is current
  std::string body;
  http::Headers headers;  ///< case-insensitive names
  std::string url;        ///< the URL asked for
  std::string final_url;  ///< the URL that answered, after redirects (a renamed or transferred repo)
  /// The ETag store key of the validators this answer staged ("" when none): the caller makes them
  /// permanent once the data of this answer is committed.
  std::string validator_key;

  /// True for 2xx.
  [[nodiscard]] bool ok() const { return outcome == Outcome::ok; }
  /// True when a redirect was followed (compare final_url with url).
  [[nodiscard]] bool redirected() const { return final_url != url; }
  /// The first value of header `name`, if present.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// The Link header's rel="next" URL, verbatim.
  [[nodiscard]] std::optional<std::string> next_page_url() const;
  /// GitHub's error "message" from a JSON error body, or "" when there is none.
  [[nodiscard]] std::string error_message() const;
};

}  // namespace ampere::github
