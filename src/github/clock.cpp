#include "github/clock.hpp"

#include <thread>

namespace ampere::github {

Timestamp SystemClock::now() const {
  return now_utc();
}

void SystemClock::sleep_until(Timestamp deadline) {
  const auto remaining = deadline - now_utc();
  if (remaining.count() > 0) std::this_thread::sleep_for(remaining);
}

}  // namespace ampere::github
