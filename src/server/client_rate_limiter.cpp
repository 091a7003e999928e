#include "server/client_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "util/strings.hpp"

namespace ampere::server {

namespace {
constexpr size_t max_tracked_clients = 100000;
}  // namespace

std::string client_address(const http::Request& request, bool trusted_proxy) {
  if (trusted_proxy) {
    if (const auto forwarded = request.header("X-Forwarded-For")) {
      const size_t comma = forwarded->rfind(',');
      const std::string_view last = trim(comma == std::string::npos ? std::string_view(*forwarded)
                                                                    : std::string_view(*forwarded).substr(comma + 1));
      if (!last.empty()) return std::string(last);
    }
  }
  return request.remote_address;
}

ClientRateLimiter::ClientRateLimiter(int per_minute) : per_minute_(std::max(per_minute, 0)) {}

double ClientRateLimiter::refilled(const Bucket& bucket, Clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - bucket.updated).count();
  return std::min<double>(per_minute_, bucket.tokens + std::max(seconds, 0.0) * per_minute_ / 60.0);
}

ClientRateLimiter::Decision ClientRateLimiter::take(const std::string& client, Clock::time_point now) {
  if (per_minute_ == 0) return Decision{true, 0, 0};
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= max_tracked_clients) {
    // Forget clients whose buckets are full again: they lose nothing.
    std::erase_if(buckets_, [&](const auto& kv) { return refilled(kv.second, now) >= per_minute_; });
  }
  auto [it, inserted] = buckets_.try_emplace(client, Bucket{static_cast<double>(per_minute_), now});
  Bucket& bucket = it->second;
  bucket.tokens = refilled(bucket, now);
  bucket.updated = now;
  if (bucket.tokens < 1.0) {
    const double wait = (1.0 - bucket.tokens) * 60.0 / per_minute_;
    return Decision{false, 0, std::max(1, static_cast<int>(std::ceil(wait)))};
  }
  bucket.tokens -= 1.0;
  return Decision{true, static_cast<int>(bucket.tokens), 0};
}

int ClientRateLimiter::lowest_remaining(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  double lowest = per_minute_;
  for (const auto& [client, bucket] : buckets_) lowest = std::min(lowest, refilled(bucket, now));
  return static_cast<int>(lowest);
}

size_t ClientRateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace ampere::server
