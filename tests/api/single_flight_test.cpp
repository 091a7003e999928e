// SingleFlight: computations of one key never overlap; different keys do not wait for each other.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "server/single_flight.hpp"

namespace ampere::server {
namespace {

TEST(SingleFlight, OneComputationOfAKeyAtATime) {
  SingleFlight flight;
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      const SingleFlight::Turn turn(flight, "/api/v1/networks/followers?");
      const int now = ++inside;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      --inside;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

TEST(SingleFlight, OtherKeysDoNotWait) {
  SingleFlight flight;
  std::promise<void> b_inside;
  const SingleFlight::Turn a(flight, "a");
  // While "a" is held here, another thread takes "b" and says so.
  std::thread other([&] {
    const SingleFlight::Turn b(flight, "b");
    b_inside.set_value();
  });
  EXPECT_EQ(b_inside.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  other.join();
}

}  // namespace
}  // namespace ampere::server
