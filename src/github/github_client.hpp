#pragma once
// GitHub's REST API over http::Client: the headers GitHub asks for, conditional GETs through the ETag
// store, Link-header pagination one page at a time, retries with backoff, and rate-limit waits.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "github/etag_store.hpp"
#include "github/github_response.hpp"
#include "github/rate_limiter.hpp"
#include "github/request_stats.hpp"
#include "http/client.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"

namespace ampere::github {

/// GitHub's REST API root.
inline constexpr std::string_view default_base_url = "https://api.github.com";
/// The media type GitHub recommends for REST.
inline constexpr std::string_view default_accept = "application/vnd.github+json";
/// The REST API version ampere is written against.
inline constexpr std::string_view api_version = "2022-11-28";

/// First backoff ceiling after a fault; doubles per attempt (full jitter picks uniformly below it).
inline constexpr std::chrono::milliseconds backoff_base{1000};
/// Largest backoff ceiling.
inline constexpr std::chrono::milliseconds backoff_cap{60'000};
/// Attempts per request before giving up on faults (5xx, resets, timeouts, malformed JSON).
inline constexpr int max_attempts = 5;
/// Rate-limit waits per request before giving up (each can last until the hourly reset).
inline constexpr int max_rate_limit_waits = 5;
/// Secondary limit without retry-after: wait this long, doubling on each repeat.
inline constexpr std::chrono::seconds secondary_limit_wait{60};
/// Largest wait for a repeated secondary limit.
inline constexpr std::chrono::seconds secondary_limit_wait_cap{900};

/// "ampere/<version>", the User-Agent GitHub requires.
std::string default_user_agent();

/// How faults are retried; tests shorten the backoff and fix the jitter.
struct RetryPolicy {
  std::chrono::milliseconds base = backoff_base;
  std::chrono::milliseconds cap = backoff_cap;
  int attempts = max_attempts;
  int rate_limit_waits = max_rate_limit_waits;
  /// Returns a number in [0, 1) for full jitter; null = a seeded std::mt19937.
  std::function<double()> jitter;
};

/// Everything a client is built from.
struct GithubClientOptions {
  std::string base_url = std::string(default_base_url);  ///< tests pass the loopback server
  Secret token;                                          ///< empty = unauthenticated (60 requests/h)
  std::string user_agent = default_user_agent();
  RetryPolicy retry;
  http::ClientOptions http;
};

/// Per-call choices.
struct RequestOptions {
  std::string accept = std::string(default_accept);  ///< e.g. application/vnd.github.star+json
  bool conditional = true;                           ///< send stored validators and stage new ones (GET only)
};

/// What a page callback tells the paginator.
enum class PageAction { next, stop };

/// Receives one complete, valid page (body = the JSON array) and its 1-based number. Commit per page
/// here; return stop to end early ("reached a known fork"), or an error to abort the listing.
using PageCallback = std::function<Expected<PageAction>(const GithubResponse& page, int number)>;

/// How a listing ended.
struct PaginationResult {
  int pages = 0;                  ///< pages handed to the callback
  bool complete = false;          ///< the last page (no rel="next") was handed over
  bool stopped_early = false;     ///< the callback returned stop
  bool not_modified = false;      ///< the first page answered 304: nothing changed, nothing handed over
  Outcome outcome = Outcome::ok;  ///< a non-ok outcome that ended the listing (404 at once, 422 at a cap)
  int status = 200;               ///< that page's HTTP status
  std::string last_url;           ///< the last URL requested: where a listing that ended on an outcome stopped
  std::string final_url;          ///< where the first page was answered after redirects
};

/// Not thread-safe (one connection cache); give each fetching thread its own client and share the
/// RateLimiter, RequestStats and EtagStore between them.
class GithubClient {
 public:
  /// A client; null shared parts are created fresh (no ETag store = no conditional requests).
  GithubClient(GithubClientOptions options, std::shared_ptr<RateLimiter> limiter, std::shared_ptr<RequestStats> stats,
               std::shared_ptr<EtagStore> etags);
  ~GithubClient();
  GithubClient(const GithubClient&) = delete;
  GithubClient& operator=(const GithubClient&) = delete;

  /// GET a path ("/repos/o/r") or an absolute URL. Faults are retried and rate limits waited out; the
  /// error says which path failed and the last failure. 304, 404, 409, 422, 451... come back as outcomes.
  Expected<GithubResponse> get(const std::string& path_or_url, const RequestOptions& options = {});

  /// Pages through a list, following rel="next" verbatim, handing each page to `on_page` before asking
  /// for the next. Only the first page is conditional (a 304 there ends the listing with not_modified).
  Expected<PaginationResult> paginate(const std::string& path_or_url, const PageCallback& on_page,
                                      const RequestOptions& options = {});

  /// POST a GraphQL request body to graphql_url(), with the same retries and waits (GraphqlClient uses it).
  Expected<GithubResponse> post_graphql(const std::string& body);

  /// Before attempt `attempt` (1-based) of a request that failed with `failure` (GraphqlClient: a query
  /// GitHub could not execute): false when the retry policy's attempts are used up; otherwise counts the
  /// retry, logs it and sleeps the backoff, then true.
  bool retry_after_failure(std::string_view family, int attempt, std::string_view failure);

  /// The absolute URL for a path ("/repos/o/r" -> base + path); absolute URLs are returned unchanged.
  [[nodiscard]] std::string url(std::string_view path_or_url) const;
  /// base + "/graphql".
  [[nodiscard]] std::string graphql_url() const;

  /// The shared limiter.
  [[nodiscard]] RateLimiter& limiter() const { return *limiter_; }
  /// The shared statistics.
  [[nodiscard]] RequestStats& stats() const { return *stats_; }
  /// The shared ETag store, or null when requests are not conditional.
  [[nodiscard]] EtagStore* etags() const { return etags_.get(); }

 private:
  Expected<GithubResponse> execute(const std::string& method, const std::string& url, const std::string* body,
                                   Budget budget, const RequestOptions& options);
  std::chrono::milliseconds backoff(int attempt);

  GithubClientOptions options_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<RequestStats> stats_;
  std::shared_ptr<EtagStore> etags_;
  std::unique_ptr<http::Client> http_;
  std::function<double()> jitter_;
};

}  // namespace ampere::github
