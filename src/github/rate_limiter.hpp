#pragma once
// Decides when the next GitHub request may go: primary budgets (REST and GraphQL apart), waits after
// 403/429, GraphQL spacing, per-endpoint pacing and a cap on requests in flight (octokit's throttling).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "github/clock.hpp"
#include "http/http_types.hpp"
#include "util/time.hpp"

namespace ampere::github {

/// GitHub's separate primary budgets.
enum class Budget { rest, graphql };

/// At most this many requests in flight across all threads sharing a limiter (octokit: 10).
inline constexpr int max_requests_in_flight = 10;
/// GraphQL queries are serialised at least this far apart (octokit's throttling plugin), when pacing.
inline constexpr std::chrono::milliseconds graphql_min_spacing{1000};
/// Requests per minute to one REST endpoint family; GitHub's secondary limit is 900 points/min per endpoint.
inline constexpr int endpoint_requests_per_minute = 800;
/// GitHub's secondary limit on server time: at most this much total response time per minute (its docs
/// suggest estimating CPU time by response time), across all requests in flight.
inline constexpr std::chrono::seconds response_seconds_per_minute{90};
/// Added to x-ratelimit-reset before retrying, so the window has really reset when we ask again.
inline constexpr std::chrono::seconds reset_margin{1};

/// The last primary-limit figures GitHub reported for one budget.
struct RateLimitState {
  bool known = false;    ///< false until a response carried the headers
  long limit = 0;        ///< x-ratelimit-limit
  long remaining = 0;    ///< x-ratelimit-remaining
  long used = 0;         ///< x-ratelimit-used
  Timestamp reset{};     ///< x-ratelimit-reset (epoch seconds)
  std::string resource;  ///< x-ratelimit-resource ("core", "graphql", ...)
};

/// Thread-safe; share one per token between all clients of a run. Time comes from the injected Clock.
class RateLimiter {
 public:
  /// A slot for one request; releases the in-flight slot (and the GraphQL turn) when destroyed.
  class Permit {
   public:
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();
    /// How long acquire() waited for this permit (pacing, spacing and rate limits).
    [[nodiscard]] std::chrono::duration<double> waited() const { return waited_; }
    /// True when part of that wait was a primary or secondary rate limit (not just pacing).
    [[nodiscard]] bool rate_limited() const { return rate_limited_; }

   private:
    friend class RateLimiter;
    Permit(RateLimiter* owner, Budget budget, std::chrono::duration<double> waited, bool rate_limited,
           Timestamp granted);
    RateLimiter* owner_;
    Budget budget_;
    Timestamp granted_;
    std::chrono::duration<double> waited_;
    bool rate_limited_;
  };

  /// A limiter on `clock` (the system clock when null).
  explicit RateLimiter(std::shared_ptr<Clock> clock = nullptr);

  /// Turns off the pacing that keeps within GitHub's secondary limits (GraphQL serialised and spaced,
  /// requests per endpoint per minute, response time per minute); the primary limits and the cap on
  /// requests in flight are still honoured. Only for servers that are not GitHub,
  /// such as the loopback simulator behind `ampere demo`, tests and benchmarks.
  void disable_secondary_pacing();

  /// Blocks until a request to `family` on `budget` may be sent, then holds a slot for it.
  Permit acquire(Budget budget, std::string_view family);

  /// Reads x-ratelimit-* from a response (every response, including errors and 304s). The
  /// x-ratelimit-resource header, when present, overrides `budget` ("graphql" vs everything else).
  void observe(Budget budget, const http::Headers& headers);
  /// Records GraphQL's own figures from `rateLimit { remaining resetAt }`.
  void observe_graphql(long remaining, Timestamp reset_at);
  /// Nobody sends on `budget` before `until` (after a 403/429 told us to wait).
  void block_until(Budget budget, Timestamp until);

  /// The latest figures for `budget`.
  [[nodiscard]] RateLimitState state(Budget budget) const;
  /// When the longest current wait ends, for an ETA in progress output; nullopt when nobody waits.
  [[nodiscard]] std::optional<Timestamp> waiting_until() const;
  /// The clock waits are measured and slept on.
  [[nodiscard]] Clock& clock() const { return *clock_; }

 private:
  void release(Budget budget, Timestamp granted);

  std::shared_ptr<Clock> clock_;
  mutable std::mutex mutex_;
  std::condition_variable slots_;
  int in_flight_ = 0;
  int graphql_in_flight_ = 0;
  std::map<Budget, RateLimitState> states_;
  std::map<Budget, Timestamp> blocked_until_;
  std::optional<Timestamp> last_graphql_;
  bool secondary_pacing_ = true;
  std::map<std::string, std::deque<Timestamp>, std::less<>> recent_by_family_;
  std::multiset<Timestamp> sleepers_;
  /// (when a request ended, how long it took) over the last minute, for the response-time budget.
  std::deque<std::pair<Timestamp, std::chrono::duration<double>>> recent_responses_;
  std::chrono::duration<double> recent_response_total_{0};
};

}  // namespace ampere::github
