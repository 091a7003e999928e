#pragma once
// GithubApi over HTTP: GitHub's headers, Link pagination, conditional requests with validators that
// persist (two-phase: staged when learned, permanent on commit_validators()), retries with backoff
// and jitter for transport errors, 5xx and malformed JSON, and waits for primary and secondary rate
// limits. Counts requests, 304s and GraphQL points.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "github/github_api.hpp"
#include "http/client.hpp"
#include "util/secret.hpp"

namespace ampere::github {

/// Attempts per request before giving up on transport errors, 5xx and malformed bodies.
inline constexpr int kMaxAttempts = 5;
/// First backoff; doubled per attempt, with full jitter, up to kMaxBackoff.
inline constexpr std::chrono::milliseconds kBaseBackoff{1'000};
inline constexpr std::chrono::milliseconds kMaxBackoff{60'000};
/// Wait after a secondary rate limit that names no retry-after.
inline constexpr std::chrono::seconds kSecondaryLimitWait{60};

/// How to reach GitHub.
struct HttpGithubOptions {
  std::string api_url = "https://api.github.com";  ///< tests: the simulator's loopback URL
  Secret token;
  std::filesystem::path validators_file;  ///< where ETags persist; empty: in memory only
  std::chrono::milliseconds base_backoff = kBaseBackoff;
  /// How to wait; tests replace it to keep waits instant but observable.
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// Requests, answers and costs of one run.
struct ApiStats {
  int64_t requests = 0;      ///< REST requests answered (304s included)
  int64_t not_modified = 0;  ///< of which 304s, which cost no rate limit
  int64_t graphql_queries = 0;
  int64_t graphql_points = 0;  ///< GraphQL rateLimit.cost summed
  int64_t retries = 0;
  double waited_seconds = 0;    ///< spent waiting for rate limits and backoff
  int64_t rest_remaining = -1;  ///< the last x-ratelimit-remaining seen
  int64_t graphql_remaining = -1;
};

/// GitHub over libcurl.
class HttpGithubApi final : public GithubApi {
 public:
  /// Loads the validators file when there is one (a corrupt file is an error naming it).
  static Expected<std::unique_ptr<HttpGithubApi>> open(HttpGithubOptions options);

  Expected<ApiPage> get(const std::string& path, std::string_view accept, Conditional conditional) override;
  Expected<void> paginate(const std::string& path, std::string_view accept, Conditional conditional,
                          const PageVisitor& visit) override;
  Expected<nlohmann::json> graphql(std::string_view query, const nlohmann::json& variables) override;
  Expected<void> commit_validators() override;

  /// What this client has spent so far.
  [[nodiscard]] const ApiStats& stats() const { return stats_; }

 private:
  explicit HttpGithubApi(HttpGithubOptions options);
  std::string absolute(const std::string& path) const;
  http::Headers headers(std::string_view accept) const;
  void wait(std::chrono::milliseconds duration);
  std::chrono::milliseconds backoff(int attempt);
  Expected<http::Response> send(const std::string& method, const std::string& url, const http::Headers& headers,
                                const std::string* body);

  HttpGithubOptions options_;
  http::Client client_;
  std::map<std::string, std::string> validators_;  ///< URL -> ETag, committed
  std::map<std::string, std::string> staged_;      ///< learned since the last commit
  ApiStats stats_;
  uint64_t jitter_state_ = 0x9E3779B97F4A7C15ULL;
};

/// The URL of a Link header's rel="next", if any.
std::optional<std::string> next_link(std::string_view link_header);

}  // namespace ampere::github
