#pragma once
// One primary rate-limit budget (REST core or GraphQL): a limit per hour-long window that starts with
// the first request and resets at its end, as GitHub's x-ratelimit-* headers describe.

#include <cstdint>

namespace ampere::simulator {

/// A budget's state as the x-ratelimit-* headers report it.
struct BudgetState {
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t used = 0;
  int64_t reset = 0;  ///< epoch seconds when the window ends
};

/// Points left in the current window. Not thread-safe: the simulator calls it under its lock.
class RateBudget {
 public:
  /// Window length: one hour, like GitHub's.
  static constexpr int64_t window_seconds = 3'600;

  explicit RateBudget(int64_t limit) : limit_(limit) {}

  /// Spends `points` at time `now` (epoch seconds) if that many remain; false (nothing spent) if not.
  bool spend(int64_t now, int64_t points);
  /// The state at `now` without spending (a window that has ended reads as fresh).
  [[nodiscard]] BudgetState state(int64_t now) const;
  /// Changes the limit and starts a fresh window at the next request.
  void reset_with_limit(int64_t limit);

 private:
  void roll(int64_t now);
  int64_t limit_;
  int64_t used_ = 0;
  int64_t window_end_ = 0;  ///< 0 = no window yet
};

}  // namespace ampere::simulator
