#pragma once
// The time source the GitHub layer waits on; injected so tests check waits without sleeping.

#include "util/time.hpp"

namespace ampere::github {

/// Reads the time and sleeps. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// The current time, UTC.
  [[nodiscard]] virtual Timestamp now() const = 0;
  /// Blocks the calling thread until `deadline` (returns at once if it has passed).
  virtual void sleep_until(Timestamp deadline) = 0;
};

/// The real wall clock and std::this_thread::sleep_until.
class SystemClock final : public Clock {
 public:
  /// The current time, UTC.
  [[nodiscard]] Timestamp now() const override;
  /// Really sleeps.
  void sleep_until(Timestamp deadline) override;
};

}  // namespace ampere::github
