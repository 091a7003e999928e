#include "lake/uuid.hpp"

#include <cstdint>
#include <random>

#include <fmt/format.h>

namespace ampere::lake {

std::string new_uuid() {
  // Seeded per thread from the OS, so processes started in the same microsecond still differ.
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const uint64_t high = (random() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const uint64_t low = (random() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff, high & 0xffff, low >> 48,
                     low & 0xffffffffffffULL);
}

}  // namespace ampere::lake
