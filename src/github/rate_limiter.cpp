#include "github/rate_limiter.hpp"

#include <charconv>

namespace ampere::github {

namespace {

constexpr std::chrono::seconds pacing_window{60};

std::optional<long> header_number(const http::Headers& headers, std::string_view name) {
  const auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  long value = 0;
  const std::string& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RateLimiter::Permit::Permit(RateLimiter* owner, Budget budget, std::chrono::duration<double> waited, bool rate_limited,
                            Timestamp granted)
    : owner_(owner), budget_(budget), granted_(granted), waited_(waited), rate_limited_(rate_limited) {}

RateLimiter::Permit::Permit(Permit&& other) noexcept
    : owner_(other.owner_),
      budget_(other.budget_),
      granted_(other.granted_),
      waited_(other.waited_),
      rate_limited_(other.rate_limited_) {
  other.owner_ = nullptr;
}

RateLimiter::Permit::~Permit() {
  if (owner_ != nullptr) owner_->release(budget_, granted_);
}

RateLimiter::RateLimiter(std::shared_ptr<Clock> clock)
    : clock_(clock != nullptr ? std::move(clock) : std::make_shared<SystemClock>()) {}

RateLimiter::Permit RateLimiter::acquire(Budget budget, std::string_view family) {
  std::unique_lock lock(mutex_);
  slots_.wait(lock, [&] { return in_flight_ < max_requests_in_flight; });
  ++in_flight_;
  if (budget == Budget::graphql) {
    slots_.wait(lock, [&] { return !secondary_pacing_ || graphql_in_flight_ == 0; });
    ++graphql_in_flight_;
  }
  auto& recent = recent_by_family_[std::string(family)];
  std::chrono::duration<double> waited{0};
  bool rate_limited = false;
  for (;;) {
    const Timestamp now = clock_->now();
    Timestamp deadline = now;
    bool limit_wait = false;
    if (const auto blocked = blocked_until_.find(budget); blocked != blocked_until_.end() && blocked->second > now) {
      deadline = blocked->second;
      limit_wait = true;
    }
    if (const auto& st = states_[budget]; st.known && st.remaining <= 0 && st.reset + reset_margin > now) {
      deadline = std::max(deadline, Timestamp(st.reset + reset_margin));
      limit_wait = true;
    }
    if (budget == Budget::graphql && last_graphql_ && secondary_pacing_) {
      deadline = std::max(deadline, Timestamp(*last_graphql_ + graphql_min_spacing));
    }
    while (!recent.empty() && recent.front() + pacing_window <= now) recent.pop_front();
    if (budget == Budget::rest && secondary_pacing_ &&
        recent.size() >= static_cast<size_t>(endpoint_requests_per_minute)) {
      deadline = std::max(deadline, Timestamp(recent.front() + pacing_window));
    }
    while (!recent_responses_.empty() && recent_responses_.front().first + pacing_window <= now) {
      recent_response_total_ -= recent_responses_.front().second;
      recent_responses_.pop_front();
    }
    if (secondary_pacing_ && recent_response_total_ >= response_seconds_per_minute && !recent_responses_.empty()) {
      deadline = std::max(deadline, Timestamp(recent_responses_.front().first + pacing_window));
    }
    if (deadline <= now) break;
    rate_limited = rate_limited || limit_wait;
    const auto sleeper = sleepers_.insert(deadline);
    lock.unlock();
    clock_->sleep_until(deadline);
    lock.lock();
    sleepers_.erase(sleeper);
    waited += std::chrono::duration<double>(clock_->now() - now);
  }
  const Timestamp now = clock_->now();
  if (budget == Budget::rest) recent.push_back(now);
  if (budget == Budget::graphql) last_graphql_ = now;
  return Permit(this, budget, waited, rate_limited, now);
}

void RateLimiter::release(Budget budget, Timestamp granted) {
  {
    const std::lock_guard lock(mutex_);
    --in_flight_;
    if (budget == Budget::graphql) --graphql_in_flight_;
    const Timestamp now = clock_->now();
    if (now > granted) {
      const std::chrono::duration<double> took = now - granted;
      recent_responses_.emplace_back(now, took);
      recent_response_total_ += took;
    }
  }
  slots_.notify_all();
}

void RateLimiter::observe(Budget budget, const http::Headers& headers) {
  const auto remaining = header_number(headers, "x-ratelimit-remaining");
  if (!remaining) return;
  if (const auto resource = headers.find("x-ratelimit-resource"); resource != headers.end()) {
    budget = resource->second == "graphql" ? Budget::graphql : Budget::rest;
  }
  const std::lock_guard lock(mutex_);
  auto& st = states_[budget];
  st.known = true;
  st.remaining = *remaining;
  if (const auto limit = header_number(headers, "x-ratelimit-limit")) st.limit = *limit;
  if (const auto used = header_number(headers, "x-ratelimit-used")) st.used = *used;
  if (const auto reset = header_number(headers, "x-ratelimit-reset")) {
    st.reset = Timestamp(std::chrono::seconds(*reset));
  }
  if (const auto resource = headers.find("x-ratelimit-resource"); resource != headers.end()) {
    st.resource = resource->second;
  }
}

void RateLimiter::observe_graphql(long remaining, Timestamp reset_at) {
  const std::lock_guard lock(mutex_);
  auto& st = states_[Budget::graphql];
  st.known = true;
  st.remaining = remaining;
  st.reset = reset_at;
  if (st.resource.empty()) st.resource = "graphql";
}

void RateLimiter::block_until(Budget budget, Timestamp until) {
  const std::lock_guard lock(mutex_);
  auto& blocked = blocked_until_[budget];
  blocked = std::max(blocked, until);
}

RateLimitState RateLimiter::state(Budget budget) const {
  const std::lock_guard lock(mutex_);
  const auto it = states_.find(budget);
  return it == states_.end() ? RateLimitState{} : it->second;
}

std::optional<Timestamp> RateLimiter::waiting_until() const {
  const std::lock_guard lock(mutex_);
  if (sleepers_.empty()) return std::nullopt;
  return *sleepers_.rbegin();
}

void RateLimiter::disable_secondary_pacing() {
  std::lock_guard lock(mutex_);
  secondary_pacing_ = false;
}

}  // namespace ampere::github
