#pragma once
// BigQuery's and Google OAuth's error answers, read and turned into messages that say what went wrong
// and what to do. BigQuery: {"error":{"code","message","errors":[{"reason","message"}],"status"}};
// the token endpoint: {"error":"invalid_grant","error_description":"..."}.

#include <string>
#include <string_view>

#include "http/http_types.hpp"
#include "util/error.hpp"

namespace ampere::pypi {

/// One refusal: the HTTP status and, when the body has them, BigQuery's reason and message.
struct BigQueryApiError {
  int status = 0;
  std::string reason;   ///< "quotaExceeded", "accessDenied", "invalidQuery", "invalid_grant", ...
  std::string message;  ///< the server's text, shortened

  /// Reads an error answer from BigQuery or the token endpoint; tolerates any body.
  static BigQueryApiError from_response(const http::Response& response);

  /// True for failures worth retrying after a pause: 5xx, 429, and the short-term rateLimitExceeded.
  [[nodiscard]] bool retryable() const;

  /// The error for an API call that `what` names ("jobs.query in project p"), with advice per case:
  /// 401 credentials, 403 quota or permission, 400 invalid query or bytes-billed limit, others.
  [[nodiscard]] Error to_error(std::string_view what) const;

  /// The error for a refused token exchange at `token_uri` (bad key, clock skew, revoked account).
  [[nodiscard]] Error to_token_error(std::string_view token_uri) const;
};

}  // namespace ampere::pypi
