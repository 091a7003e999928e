// RateLimiter: budgets from headers, waits until reset, GraphQL spacing, endpoint pacing, in-flight cap.

#include "github/rate_limiter.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "github/github_test_support.hpp"

namespace ampere::github {
namespace {

using std::chrono::seconds;
using testing::FakeClock;

http::Headers limits(long remaining, Timestamp reset, std::string resource) {
  return {{"X-RateLimit-Limit", "5000"},
          {"X-RateLimit-Remaining", std::to_string(remaining)},
          {"X-RateLimit-Used", std::to_string(5000 - remaining)},
          {"X-RateLimit-Reset", std::to_string(std::chrono::duration_cast<seconds>(reset.time_since_epoch()).count())},
          {"X-RateLimit-Resource", std::move(resource)}};
}

TEST(RateLimiter, TracksRestAndGraphqlApart) {
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  RateLimiter limiter(clock);
  EXPECT_FALSE(limiter.state(Budget::rest).known);
  limiter.observe(Budget::rest, limits(4321, testing::fake_start() + seconds(60), "core"));
  limiter.observe(Budget::rest, limits(4990, testing::fake_start() + seconds(90), "graphql"));  // header wins
  const auto rest = limiter.state(Budget::rest);
  EXPECT_TRUE(rest.known);
  EXPECT_EQ(rest.limit, 5000);
  EXPECT_EQ(rest.remaining, 4321);
  EXPECT_EQ(rest.used, 679);
  EXPECT_EQ(rest.reset, testing::fake_start() + seconds(60));
  EXPECT_EQ(rest.resource, "core");
  EXPECT_EQ(limiter.state(Budget::graphql).remaining, 4990);
}

TEST(RateLimiter, ExhaustedBudgetWaitsUntilResetPlusMargin) {
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  RateLimiter limiter(clock);
  limiter.observe(Budget::rest, limits(0, testing::fake_start() + seconds(100), "core"));
  std::optional<Timestamp> eta;
  clock->on_sleep = [&](Timestamp) { eta = limiter.waiting_until(); };
  { auto graphql = limiter.acquire(Budget::graphql, "/graphql"); }  // the other budget is not held up
  EXPECT_TRUE(clock->sleeps().empty());
  const auto permit = limiter.acquire(Budget::rest, "/repos/{owner}/{repo}");
  EXPECT_EQ(clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(101)}));
  EXPECT_EQ(eta, testing::fake_start() + seconds(101));
  EXPECT_TRUE(permit.rate_limited());
  EXPECT_DOUBLE_EQ(permit.waited().count(), 101.0);
}

TEST(RateLimiter, BlockUntilHoldsEveryoneOnThatBudget) {
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  RateLimiter limiter(clock);
  limiter.block_until(Budget::rest, testing::fake_start() + seconds(60));
  limiter.block_until(Budget::rest, testing::fake_start() + seconds(30));  // never shortens a wait
  { auto permit = limiter.acquire(Budget::rest, "/a"); }
  EXPECT_EQ(clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(60)}));
}

TEST(RateLimiter, GraphqlIsSpacedOneSecondApart) {
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  RateLimiter limiter(clock);
  for (int i = 0; i < 3; ++i) auto permit = limiter.acquire(Budget::graphql, "/graphql");
  EXPECT_EQ(clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(1), seconds(1)}));
  clock->advance(seconds(5));
  { auto permit = limiter.acquire(Budget::graphql, "/graphql"); }
  EXPECT_EQ(clock->sleeps().size(), 2u);
}

TEST(RateLimiter, PacesEachEndpointUnderNineHundredPerMinute) {
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  RateLimiter limiter(clock);
  for (int i = 0; i < endpoint_requests_per_minute; ++i) auto permit = limiter.acquire(Budget::rest, "/a");
  EXPECT_TRUE(clock->sleeps().empty());
  { auto other = limiter.acquire(Budget::rest, "/b"); }  // another endpoint is not paced by /a
  EXPECT_TRUE(clock->sleeps().empty());
  const auto permit = limiter.acquire(Budget::rest, "/a");
  EXPECT_EQ(clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(60)}));
  EXPECT_FALSE(permit.rate_limited());  // pacing, not a limit GitHub imposed
}

TEST(RateLimiter, AtMostTenRequestsInFlight) {
  RateLimiter limiter(std::make_shared<FakeClock>(testing::fake_start()));
  std::vector<RateLimiter::Permit> held;
  for (int i = 0; i < max_requests_in_flight; ++i) held.push_back(limiter.acquire(Budget::rest, "/x"));
  std::atomic<bool> got{false};
  std::thread eleventh([&] {
    auto permit = limiter.acquire(Budget::rest, "/x");
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  held.pop_back();
  eleventh.join();
  EXPECT_TRUE(got.load());
}

}  // namespace
}  // namespace ampere::github
