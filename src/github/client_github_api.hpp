#pragma once
// GithubApi over GithubClient (REST: headers, conditional GETs, retries, rate limits), GraphqlClient
// (cost accounting) and EtagStore (validators persist only on commit_validators()). Pagination follows
// each page's Link header itself, so every page of a listing is conditional: an unchanged page answers
// 304 for free and still names the next one. Thread-safe: each call borrows a GithubClient (its own
// connection) from a pool; all of them share one RateLimiter, RequestStats and EtagStore, so the
// requests in flight across threads stay within the limiter's cap.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "github/etag_store.hpp"
#include "github/github_api.hpp"
#include "github/github_client.hpp"
#include "github/graphql_client.hpp"
#include "github/rate_limiter.hpp"
#include "github/request_stats.hpp"

namespace ampere::github {

/// How to reach GitHub.
struct ClientApiOptions {
  std::string api_url = std::string(default_base_url);  ///< tests: the simulator's loopback URL
  Secret token;
  std::filesystem::path validators_file;  ///< where ETags persist; empty: in memory only
  RetryPolicy retry;
  std::shared_ptr<Clock> clock;  ///< null: the system clock (tests inject one that does not sleep)
  /// Pace requests within GitHub's secondary limits (GraphQL >= 1 s apart, <= 800 requests/min per
  /// endpoint); off only for servers that are not GitHub, such as the simulator.
  bool pace_requests = true;
};

/// Requests, answers and costs of one run, for summaries and run records.
struct ApiStats {
  int64_t requests = 0;      ///< REST requests that count against the rate limit
  int64_t not_modified = 0;  ///< 304s, which cost nothing
  int64_t retries = 0;
  double waited_seconds = 0;  ///< waiting for rate limits and backoff
  int64_t graphql_points = 0;
  int64_t rest_remaining = -1;     ///< the last x-ratelimit-remaining seen, -1 before any
  int64_t graphql_remaining = -1;  ///< GraphQL points left, -1 before any answer said
  /// While requests wait for a rate limit (or pacing): when the longest wait ends, for an ETA.
  std::optional<Timestamp> waiting_until;
};

/// The production GithubApi.
class ClientGithubApi final : public GithubApi {
 public:
  /// Loads the validators file (a corrupt one is an error naming it and how to recover).
  static Expected<std::unique_ptr<ClientGithubApi>> open(ClientApiOptions options);

  Expected<ApiPage> get(const std::string& path, std::string_view accept, Conditional conditional) override;
  Expected<void> paginate(const std::string& path, std::string_view accept, Conditional conditional,
                          const PageVisitor& visit) override;
  Expected<nlohmann::json> graphql(std::string_view query, const nlohmann::json& variables) override;
  Expected<void> commit_validators(std::span<const std::string> keys) override;

  /// What this client has spent so far.
  [[nodiscard]] ApiStats stats() const;

 private:
  ClientGithubApi() = default;
  class Lease;
  /// An idle client of the pool (a new one when all are busy); give it back with give_back().
  std::unique_ptr<GithubClient> borrow();
  void give_back(std::unique_ptr<GithubClient> client);

  GithubClientOptions client_options_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<RequestStats> stats_;
  std::shared_ptr<EtagStore> etags_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<GithubClient>> idle_;
};

}  // namespace ampere::github
