#pragma once
// A small deterministic random generator (SplitMix64). Unlike std:: distributions, its output is the
// same on every platform and library version, so synthetic data is reproducible byte for byte.

#include <cmath>
#include <cstdint>

namespace ampere::simulator {

/// Seeded generator; the same seed always yields the same sequence.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  /// The next 64 random bits.
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
  }

  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }

  /// Uniform integer in [low, high].
  int64_t between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(next() % static_cast<uint64_t>(high - low + 1));
  }

  /// Heavy-tailed (Pareto) integer >= minimum: most values small, a few very large, like star counts.
  int64_t pareto(double minimum, double alpha) {
    return static_cast<int64_t>(minimum / std::pow(1.0 - unit(), 1.0 / alpha));
  }

 private:
  uint64_t state_;
};

}  // namespace ampere::simulator
