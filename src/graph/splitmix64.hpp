#pragma once
// splitmix64: a small, well-mixed generator whose output is the same on every platform, so seeded
// layouts are bit-identical everywhere.

#include <cstdint>

namespace ampere::graph {

/// The next value of the sequence whose state is `state`.
inline uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Uniform in [0, 1), from the top 53 bits.
inline double unit_random(uint64_t& state) {
  return static_cast<double>(next_random(state) >> 11) * 0x1.0p-53;
}

}  // namespace ampere::graph
