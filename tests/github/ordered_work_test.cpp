// run_in_order: units fetched on several threads are committed in index order, never more than the
// window ahead, and a failure commits what came before it and nothing after.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "github/ordered_work.hpp"

namespace ampere::github {
namespace {

TEST(OrderedWork, CommitsInIndexOrderWhateverOrderTheWorkFinishes) {
  std::vector<size_t> committed;
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  const std::function<Expected<size_t>(size_t)> work = [&](size_t i) -> Expected<size_t> {
    const int now = ++running;
    int seen = most_running.load();
    while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
    }
    // Later units finish first.
    std::this_thread::sleep_for(std::chrono::milliseconds(i % 4 == 0 ? 20 : 1));
    --running;
    return i * 10;
  };
  const std::function<Expected<void>(size_t, size_t &&)> commit = [&](size_t i, size_t&& value) -> Expected<void> {
    EXPECT_EQ(value, i * 10);
    committed.push_back(i);
    return {};
  };
  ASSERT_TRUE(run_in_order(40, 4, 8, work, commit));
  ASSERT_EQ(committed.size(), 40U);
  for (size_t i = 0; i < committed.size(); ++i) EXPECT_EQ(committed[i], i);
  EXPECT_GT(most_running.load(), 1) << "the units ran at the same time";
  EXPECT_LE(most_running.load(), 4);
}

TEST(OrderedWork, AFailureCommitsTheUnitsBeforeItAndStops) {
  std::vector<size_t> committed;
  std::atomic<size_t> highest_started{0};
  const std::function<Expected<int>(size_t)> work = [&](size_t i) -> Expected<int> {
    size_t seen = highest_started.load();
    while (i > seen && !highest_started.compare_exchange_weak(seen, i)) {
    }
    if (i == 5) return fail(ErrorKind::network, "unit 5 failed");
    return 0;
  };
  const std::function<Expected<void>(size_t, int&&)> commit = [&](size_t i, int&&) -> Expected<void> {
    committed.push_back(i);
    return {};
  };
  auto result = run_in_order(1000, 3, 6, work, commit);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "unit 5 failed");
  EXPECT_EQ(committed, (std::vector<size_t>{0, 1, 2, 3, 4}));
  EXPECT_LT(highest_started.load(), 5U + 6U + 1U) << "no unit starts more than the window ahead";
}

TEST(OrderedWork, ACommitFailureIsReturned) {
  const std::function<Expected<int>(size_t)> work = [](size_t) -> Expected<int> { return 1; };
  const std::function<Expected<void>(size_t, int&&)> commit = [](size_t i, int&&) -> Expected<void> {
    if (i == 2) return fail(ErrorKind::io, "disk full");
    return {};
  };
  auto result = run_in_order(10, 2, 4, work, commit);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "disk full");
}

}  // namespace
}  // namespace ampere::github
