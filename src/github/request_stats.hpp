#pragma once
// Per-run request accounting: what a sync spent of GitHub's quota, for run records and progress output.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace ampere::github {

/// Counters for one endpoint family (or the total).
struct RequestCounts {
  std::uint64_t requests = 0;          ///< answered requests that count against the primary limit (not 304s)
  std::uint64_t not_modified = 0;      ///< 304 answers: free, counted apart
  std::uint64_t retries = 0;           ///< attempts repeated after a fault (5xx, reset, timeout, bad JSON)
  std::uint64_t rate_limit_waits = 0;  ///< times a rate limit made us wait
  double wait_seconds = 0;             ///< time spent waiting (rate limits and backoff)
  std::uint64_t graphql_points = 0;    ///< GraphQL cost reported by rateLimit { cost }

  /// Adds `other` into this.
  void add(const RequestCounts& other);
};

/// Thread-safe counters for one run; progress threads may read while fetchers write.
class RequestStats {
 public:
  /// A request to `family` was answered (not 304).
  void record_request(std::string_view family);
  /// A 304 answer to a conditional request to `family`.
  void record_not_modified(std::string_view family);
  /// An attempt to `family` is being repeated after a fault.
  void record_retry(std::string_view family);
  /// Time spent waiting before a request to `family`; `rate_limited` when a rate limit caused it.
  void record_wait(std::string_view family, std::chrono::duration<double> waited, bool rate_limited);
  /// GraphQL points spent by one query.
  void record_graphql_points(std::string_view family, std::uint64_t points);

  /// The sums over all families.
  [[nodiscard]] RequestCounts total() const;
  /// Counters per endpoint family ("/repos/{owner}/{repo}/issues", "/graphql").
  [[nodiscard]] std::map<std::string, RequestCounts> by_family() const;
  /// Human-readable lines: the total, then one line per family.
  [[nodiscard]] std::string summary() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, RequestCounts, std::less<>> families_;
  RequestCounts& at(std::string_view family);
};

}  // namespace ampere::github
