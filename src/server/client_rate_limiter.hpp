#pragma once
// Per-client token buckets: each client address may make `per_minute` requests in a burst, refilled
// at per_minute / 60 a second. Over the limit: 429 with Retry-After.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/http_types.hpp"

namespace ampere::server {

/// The address a request is counted against: the peer's, or with `trusted_proxy` the last address of
/// X-Forwarded-For (the one our own proxy appended; earlier entries are the client's to forge).
std::string client_address(const http::Request& request, bool trusted_proxy);

/// Token buckets keyed by client address. Thread-safe.
class ClientRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// `per_minute` 0 turns limiting off.
  explicit ClientRateLimiter(int per_minute);

  /// The outcome of one request.
  struct Decision {
    bool allowed = true;
    int remaining = 0;            ///< whole tokens left after this request
    int retry_after_seconds = 0;  ///< when refused: seconds until one token is back (at least 1)
  };

  /// Takes one token from `client`'s bucket if it has one.
  Decision take(const std::string& client, Clock::time_point now = Clock::now());

  /// The configured limit (0: off).
  [[nodiscard]] int per_minute() const { return per_minute_; }

  /// The fewest whole tokens any client has left now (per_minute when no client is known).
  [[nodiscard]] int lowest_remaining(Clock::time_point now = Clock::now()) const;

  /// Clients tracked now.
  [[nodiscard]] size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  [[nodiscard]] double refilled(const Bucket& bucket, Clock::time_point now) const;

  int per_minute_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace ampere::server
