// Two incremental paths of `ampere sync github`: a deleted account's issues and pull requests show as
// "ghost"'s in staging (also those fetched before the deletion), and over REST's stargazer cap only the
// new pages of stars are fetched through GraphQL, with unstars still caught by a complete listing.
#include <gtest/gtest.h>

#include <thread>

#include <fmt/format.h>

#include "github/clock.hpp"
#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"
#include "support/temp_dir.hpp"
#include "sync/sync_truth.hpp"

namespace ampere {
namespace {

using simulator::OrgModel;
using testing::Warehouse;

// The real clock, `offset` ahead: a sync "days later" without waiting for them.
class OffsetClock final : public github::Clock {
 public:
  explicit OffsetClock(std::chrono::hours offset) : offset_(offset) {}
  [[nodiscard]] Timestamp now() const override { return now_utc() + offset_; }
  void sleep_until(Timestamp deadline) override { std::this_thread::sleep_until(deadline - offset_); }

 private:
  std::chrono::hours offset_;
};

class GithubSyncPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    simulator::SimulatorOptions options;
    options.org.size = simulator::OrgSize::small;
    sim = std::make_unique<simulator::GithubSimulator>(options);
    auto url = sim->start();
    ASSERT_TRUE(url) << url.error().message;
    base_url = *url;
  }
  Expected<pipeline::GithubSyncResult> sync(int64_t rest_star_cap = github::kRestStarCap,
                                            std::shared_ptr<github::Clock> clock = nullptr) {
    pipeline::GithubSyncOptions o;
    o.retry.base = std::chrono::milliseconds(5);
    o.retry.cap = std::chrono::milliseconds(20);
    o.data_dir = dir.path() / "data";
    o.org = "ampere-demo";
    o.api_url = base_url;
    o.pace_requests = false;
    o.rest_star_cap = rest_star_cap;
    o.clock = std::move(clock);
    return pipeline::sync_github(o);
  }
  int64_t graphql_requests() const {
    const auto stats = sim->stats();
    const auto it = stats.by_route.find("graphql");
    return it == stats.by_route.end() ? 0 : it->second;
  }
  // The repo with the most stars.
  size_t most_starred() const {
    size_t best = 0;
    for (size_t r = 0; r < sim->model().repos().size(); ++r) {
      if (sim->model().repos()[r].stars.size() > sim->model().repos()[best].stars.size()) best = r;
    }
    return best;
  }
  testing::TempDir dir;
  std::unique_ptr<simulator::GithubSimulator> sim;
  std::string base_url;
};

TEST_F(GithubSyncPaths, ADeletedAuthorsIssuesShowAsGhostsWithinADay) {
  ASSERT_TRUE(sync());
  // The author of the first issue of the first repo, and everything they opened.
  const simulator::UserIndex author = sim->model().repos()[0].issues.at(0).user;
  const int64_t author_id = sim->model().users()[author].id;
  int64_t opened = 0;
  for (const auto& repo : sim->model().repos()) {
    for (const auto& issue : repo.issues) opened += !issue.deleted && issue.user == author ? 1 : 0;
  }
  ASSERT_GT(opened, 0);
  {
    Warehouse w(dir.path() / "data");
    EXPECT_EQ(w.count("select count(*) from (select author_login from stg_github__issues union all select "
                      "author_login from stg_github__pull_requests) where author_login = 'ghost'"),
              0);
  }
  ASSERT_TRUE(sim->mutate([&](OrgModel& m) { return m.delete_user(author); }));
  // A day and a bit later, the next scheduled sync.
  auto again = sync(github::kRestStarCap, std::make_shared<OffsetClock>(std::chrono::hours(25)));
  ASSERT_TRUE(again) << again.error().message;
  Warehouse w(dir.path() / "data");
  EXPECT_EQ(w.count(fmt::format("select count(*) from stg_github__users where user_id = {} and is_deleted", author_id)),
            1);
  EXPECT_EQ(w.count(fmt::format("select count(*) from (select author_user_id, author_login from stg_github__issues "
                                "union all select author_user_id, author_login from stg_github__pull_requests) "
                                "where author_login = 'ghost' and author_user_id = {}",
                                author_id)),
            opened);
  EXPECT_EQ(w.count("select count(*) from (select author_login from stg_github__issues union all select "
                    "author_login from stg_github__pull_requests) where author_login = 'ghost'"),
            opened)
      << "nobody else turned into a ghost";
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());
}

TEST_F(GithubSyncPaths, OverTheRestCapOnlyTheNewPagesOfStarsAreFetched) {
  constexpr int64_t cap = 10;  // every repo with more than 10 stars goes through GraphQL
  const size_t repo = most_starred();
  ASSERT_GT(static_cast<int64_t>(sim->model().repos()[repo].stars.size()), cap);
  ASSERT_TRUE(sync(cap));
  ASSERT_TRUE(sim->mutate([&](OrgModel& m) -> Expected<void> {
    auto added = m.add_stars(repo, 250);
    if (!added) return tl::unexpected(added.error());
    return {};
  }));
  const int64_t before = graphql_requests();
  auto again = sync(cap);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->report.records.at("stargazers"), 250) << "only the new stars, not the whole list";
  // Newest first: 100 + 100 + 50 new and the newest known star on the third page. The rest are
  // profile queries for new users (at most one per 100 of them).
  const int64_t spent = graphql_requests() - before;
  EXPECT_GE(spent, 3);
  EXPECT_LE(spent, 3 + 3);
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());

  // Stars added and removed: the newest known star is gone, so a complete listing follows.
  ASSERT_TRUE(sim->mutate([&](OrgModel& m) -> Expected<void> {
    if (auto r = m.remove_stars(repo, 3); !r) return tl::unexpected(r.error());
    if (auto r = m.add_stars(repo, 5); !r) return tl::unexpected(r.error());
    return {};
  }));
  auto third = sync(cap);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_GT(third->report.records.at("stargazers"), 250) << "a complete listing";
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());

  // Only unstars: the count went down, a complete listing.
  ASSERT_TRUE(sim->mutate([&](OrgModel& m) -> Expected<void> {
    if (auto r = m.remove_stars(repo, 2); !r) return tl::unexpected(r.error());
    return {};
  }));
  ASSERT_TRUE(sync(cap));
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());
}

}  // namespace
}  // namespace ampere

namespace ampere {
namespace {

// GitHub sometimes cannot execute a query ("Something went wrong while executing your query. This may be
// the result of a timeout"): the query is asked again, like a 5xx. Past the retry policy's attempts the sync
// fails saying why, and the next one carries on to the exact stars.
TEST_F(GithubSyncPaths, AGraphqlQueryGithubCouldNotExecuteIsAskedAgain) {
  constexpr int64_t cap = 10;  // every repo with more than 10 stars goes through GraphQL
  sim->fail_graphql_next(2);
  auto first = sync(cap);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_GE(first->stats.retries, 2U);
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());

  ASSERT_TRUE(sim->mutate([&](OrgModel& m) -> Expected<void> {
    auto added = m.add_stars(most_starred(), 30);
    if (!added) return tl::unexpected(added.error());
    return {};
  }));
  sim->fail_graphql_next(github::max_attempts);
  auto failed = sync(cap);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("Something went wrong while executing your query"), std::string::npos)
      << failed.error().message;
  auto again = sync(cap);
  ASSERT_TRUE(again) << again.error().message;
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());
}

}  // namespace
}  // namespace ampere
