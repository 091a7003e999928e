#pragma once
// GitHub's GraphQL API: POST {query, variables}, cost accounting from rateLimit{}, RATE_LIMITED waits,
// and per-node NOT_FOUND errors handed back with the partial data.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "github/github_client.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::github {

/// One entry of a GraphQL response's errors[].
struct GraphqlError {
  std::string type;  ///< "NOT_FOUND", "RATE_LIMITED", ... ("" when GitHub gave none)
  std::string message;
  std::string path;  ///< errors[].path joined with "." ("nodes.3"), "" when absent
};

/// A successful GraphQL answer: data, plus NOT_FOUND errors for nodes that did not resolve.
struct GraphqlResponse {
  nlohmann::json data;                  ///< the "data" object (null fields where nodes were not found)
  std::vector<GraphqlError> not_found;  ///< errors of type NOT_FOUND, e.g. a deleted user among 100 ids
  long cost = 0;                        ///< points this query cost (rateLimit.cost; 1 when not asked)
  std::optional<long> remaining;        ///< rateLimit.remaining, when the query asked for it
  std::optional<Timestamp> reset_at;    ///< rateLimit.resetAt, when the query asked for it
};

/// Sends queries through a GithubClient (its token, retries, limiter and statistics). Not thread-safe.
class GraphqlClient {
 public:
  /// A client on `rest`'s transport; `rest` must outlive it.
  explicit GraphqlClient(GithubClient& rest) : rest_(rest) {}

  /// Runs `query` with `variables`. RATE_LIMITED is waited out (until resetAt) and retried; errors other
  /// than NOT_FOUND, and HTTP errors, are failures whose message names the error types and messages.
  Expected<GraphqlResponse> query(std::string_view query, const nlohmann::json& variables);

 private:
  GithubClient& rest_;
};

}  // namespace ampere::github
