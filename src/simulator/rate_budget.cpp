#include "simulator/rate_budget.hpp"

namespace ampere::simulator {

void RateBudget::roll(int64_t now) {
  if (window_end_ == 0 || now >= window_end_) {
    window_end_ = now + window_seconds;
    used_ = 0;
  }
}

bool RateBudget::spend(int64_t now, int64_t points) {
  roll(now);
  if (used_ + points > limit_) return false;
  used_ += points;
  return true;
}

BudgetState RateBudget::state(int64_t now) const {
  if (window_end_ == 0 || now >= window_end_) return {limit_, limit_, 0, now + window_seconds};
  return {limit_, limit_ - used_, used_, window_end_};
}

void RateBudget::reset_with_limit(int64_t limit) {
  limit_ = limit;
  used_ = 0;
  window_end_ = 0;
}

}  // namespace ampere::simulator
