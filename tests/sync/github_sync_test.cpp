// `ampere sync github` against the simulator over loopback HTTP: a full sync lands exactly the
// simulator's truth in staging; a resync with no change costs nothing; each kind of change comes through;
// the stargazer restriction and injected faults end with a clear account; the token never leaks.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"
#include "support/temp_dir.hpp"
#include "sync/sync_truth.hpp"
#include "util/files.hpp"

namespace ampere {
namespace {

using simulator::GithubSimulator;
using simulator::OrgModel;
using testing::expect_staging_equals_truth;
using testing::Warehouse;

class GithubSync : public ::testing::Test {
 protected:
  void start(simulator::SimulatorOptions options = {}) {
    options.org.size = simulator::OrgSize::small;
    sim = std::make_unique<GithubSimulator>(options);
    auto url = sim->start();
    ASSERT_TRUE(url) << url.error().message;
    base_url = *url;
  }
  Expected<pipeline::GithubSyncResult> sync(const std::string& token = "") {
    pipeline::GithubSyncOptions o;
    o.data_dir = dir.path() / "data";
    o.org = "ampere-demo";
    o.api_url = base_url;
    o.token = Secret(token);
    o.pace_requests = false;
    o.retry.base = std::chrono::milliseconds(1);
    o.retry.cap = std::chrono::milliseconds(5);
    o.retry.attempts = retry_attempts;
    return pipeline::sync_github(o);
  }
  int retry_attempts = github::max_attempts;
  testing::TempDir dir;
  std::unique_ptr<GithubSimulator> sim;
  std::string base_url;
};

TEST_F(GithubSync, AFullSyncLandsExactlyTheSimulatorsTruth) {
  start();
  auto result = sync();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->report.problems.empty());
  EXPECT_TRUE(result->report.stars_restricted.empty());
  EXPECT_EQ(result->report.repos, 8U);
  expect_staging_equals_truth(dir.path() / "data", sim->model());
  // Frugal: one request per list page, never one per commit or per user.
  EXPECT_EQ(result->report.records.at("commits"), 398);
  EXPECT_LE(result->stats.graphql_points, 20);
}

TEST_F(GithubSync, ANoChangeResyncIsAnsweredWith304sAndCostsNothing) {
  start();
  ASSERT_TRUE(sync());
  const auto before = sim->stats();
  auto again = sync();
  ASSERT_TRUE(again) << again.error().message;
  const auto after = sim->stats();
  EXPECT_EQ(again->stats.requests, 0) << "every GET must be answered 304";
  EXPECT_GT(again->stats.not_modified, 0);
  EXPECT_EQ(after.requests - before.requests, after.not_modified - before.not_modified);
  EXPECT_EQ(again->stats.graphql_points, 0);
  EXPECT_EQ(after.graphql_points_spent, before.graphql_points_spent);
  int64_t records = 0;
  for (const auto& [table, n] : again->report.records) records += n;
  EXPECT_EQ(records, 0);
  expect_staging_equals_truth(dir.path() / "data", sim->model());
}

TEST_F(GithubSync, EachKindOfChangeComesThroughOnTheNextSync) {
  start();
  ASSERT_TRUE(sync());
  auto changed = sim->mutate([](OrgModel& m) -> Expected<void> {
    if (auto r = m.add_stars(0, 3); !r) return tl::unexpected(r.error());
    if (auto r = m.remove_stars(1, 2); !r) return tl::unexpected(r.error());  // unstars
    if (auto r = m.open_issues(2, 2); !r) return tl::unexpected(r.error());
    if (auto r = m.close_issues(3, 1); !r) return tl::unexpected(r.error());
    if (auto r = m.merge_pull_requests(4, 1); !r) return tl::unexpected(r.error());
    if (auto r = m.push_commits(5, 4); !r) return tl::unexpected(r.error());
    if (auto r = m.rename_repo(6, "renamed-repo"); !r) return tl::unexpected(r.error());
    if (auto r = m.delete_issue(2, 1); !r) return tl::unexpected(r.error());
    return {};
  });
  ASSERT_TRUE(changed) << changed.error().message;
  auto again = sync();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->report.problems.empty());
  expect_staging_equals_truth(dir.path() / "data", sim->model());
  Warehouse w(dir.path() / "data");
  EXPECT_EQ(w.count("select count(*) from stg_github__repos where repo_name = 'renamed-repo'"), 1);
}

TEST_F(GithubSync, AfterThreeIssuesWereOpenedTheNextSyncFetchesOnlyThoseAndThenNothing) {
  start();
  ASSERT_TRUE(sync());
  // The issues stream is asked from the newest updated_at the lake holds; GitHub's since= includes that
  // second, so the issues updated in it come again (already known: not stored twice when unchanged).
  const auto& issues = sim->model().repos()[2].issues;
  ASSERT_GT(issues.size(), 4U) << "a repo with more issues than those opened, so that a whole page would show";
  simulator::EpochSeconds newest = 0;
  for (const auto& issue : issues) {
    if (!issue.deleted) newest = std::max(newest, issue.updated_at);
  }
  const auto at_newest = std::count_if(issues.begin(), issues.end(),
                                       [&](const simulator::Issue& i) { return !i.deleted && i.updated_at == newest; });
  auto opened = sim->mutate([](OrgModel& m) -> Expected<void> {
    if (auto r = m.open_issues(2, 3); !r) return tl::unexpected(r.error());
    return {};
  });
  ASSERT_TRUE(opened) << opened.error().message;
  auto again = sync();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->report.records.at("issues"), at_newest + 3);
  expect_staging_equals_truth(dir.path() / "data", sim->model());
  // The sync after it asks the same URLs: every one answered 304.
  auto third = sync();
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->stats.requests, 0);
  EXPECT_EQ(third->report.records.count("issues") == 0 ? 0 : third->report.records.at("issues"), 0);
}

// A sync that stops between two commits (here the stars table cannot be written: a file stands where
// its folder goes) must not leave the repos' rows ahead of their data: the next sync compares with
// those rows to decide what to fetch, so it would skip the stars for good.
TEST_F(GithubSync, ASyncStoppedBeforeTheStarsCommitFetchesThemNextTime) {
  start();
  const auto stars_dir = dir.path() / "data" / "lake" / "github" / "stargazers";
  std::filesystem::create_directories(stars_dir.parent_path());
  ASSERT_TRUE(write_file_atomic(stars_dir, "not a table"));
  auto stopped = sync();
  ASSERT_FALSE(stopped) << "the stars could not be committed";
  std::filesystem::remove(stars_dir);
  auto resumed = sync();
  ASSERT_TRUE(resumed) << resumed.error().message;
  expect_staging_equals_truth(dir.path() / "data", sim->model());
}

TEST_F(GithubSync, RestrictedStargazersAreReportedAndEverythingElseSyncs) {
  simulator::SimulatorOptions options;
  options.faults.stargazers = simulator::StargazerAccess::forbidden;
  start(options);
  auto result = sync();
  ASSERT_TRUE(result) << result.error().message;
  int starred_repos = 0;
  for (const auto& repo : sim->model().repos()) starred_repos += repo.stars.empty() ? 0 : 1;
  EXPECT_EQ(static_cast<int>(result->report.stars_restricted.size()), starred_repos);
  Warehouse w(dir.path() / "data");
  EXPECT_EQ(w.count("select count(*) from stg_github__stargazers"), 0);
  EXPECT_EQ(w.count("select count(*) from stg_github__commits"), 398);
  // Star totals still come from the repo listing.
  EXPECT_GT(w.count("select sum(stars) from repos"), 0);
  EXPECT_EQ(w.count("select max(repos_stars_restricted) from stg_ampere__runs"), starred_repos);
}

TEST_F(GithubSync, InjectedFaultsAreRetriedAndTheResultIsStillExact) {
  simulator::SimulatorOptions options;
  options.faults.server_error_rate = 0.1;
  options.faults.malformed_json_rate = 0.05;
  options.faults.connection_reset_rate = 0.05;
  start(options);
  // A fifth of the requests fail, in an order the 10 requests in flight make unpredictable: with the
  // default 5 attempts, one of the ~60 requests failing 5 times running (0.2^5 each) sank about 1 run in
  // 50. With 12 it is about 1 in 40 million; the retries are what this test is about, not giving up.
  retry_attempts = 12;
  auto result = sync();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_GT(result->stats.retries, 0);
  expect_staging_equals_truth(dir.path() / "data", sim->model());
}

TEST_F(GithubSync, TheTokenNeverAppearsInErrorsRecordsOrTheLake) {
  const std::string token = "ghp_NeverShowThisToken1234567890";
  simulator::SimulatorOptions options;
  options.token = "a-different-token";
  start(options);
  auto refused = sync(token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find(token), std::string::npos) << refused.error().message;
  // A run with the right token, then grep every file of the data dir.
  options.token = token;
  start(options);
  ASSERT_TRUE(sync(token));
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    auto bytes = read_file(entry.path());
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->find(token), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace ampere

namespace ampere {
namespace {

TEST_F(GithubSync, ABlockedRepoIsRecordedAndSkippedAndADeletedOneLeaves) {
  start();
  ASSERT_TRUE(sync());
  ASSERT_TRUE(sim->mutate([](OrgModel& m) -> Expected<void> {
    if (auto r = m.set_blocked(1, true); !r) return r;
    if (auto r = m.push_commits(1, 2); !r) return tl::unexpected(r.error());  // news the sync will ask about
    return m.delete_repo(2);
  }));
  auto again = sync();
  ASSERT_TRUE(again) << again.error().message;
  const auto blocked = sim->model().repos()[1].name;
  bool recorded = false;
  for (const auto& p : again->report.problems) {
    if (p.repo.ends_with("/" + blocked) && p.message.find("451") != std::string::npos) recorded = true;
  }
  EXPECT_TRUE(recorded) << "a 451 is recorded against the blocked repo";
  EXPECT_EQ(again->report.repos, 7U) << "the deleted repo left the org's listing";
  Warehouse w(dir.path() / "data");
  EXPECT_EQ(w.count("select count(*) from stg_github__repos"), 7) << "and staging";
  EXPECT_EQ(w.count("select count(*) from repos"), 7);
  EXPECT_EQ(w.count("select count(*) from stg_ampere__runs where status = 'partial'"), 1);
}

}  // namespace
}  // namespace ampere
