// `ampere sync github` against the simulator over loopback HTTP: a full sync lands exactly the
// simulator's truth in staging; a resync with no change costs nothing; each kind of change comes through;
// the stargazer restriction and injected faults end with a clear account; the token never leaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"
#include "support/temp_dir.hpp"
#include "util/files.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere {
namespace {

using simulator::GithubSimulator;
using simulator::OrgModel;
using Pairs = std::set<std::pair<int64_t, int64_t>>;

// The warehouse as a build would make it from the lake, in memory.
class Warehouse {
 public:
  explicit Warehouse(const std::filesystem::path& data_dir) {
    database_ = std::move(*db::Database::open(""));
    connection_ = std::make_unique<db::Connection>(std::move(*database_->connect()));
    auto sources = warehouse::embedded_sources();
    EXPECT_TRUE(lake::attach_lake_views(*connection_, lake::lake_root(data_dir)));
    EXPECT_TRUE(warehouse::ensure_source_views(*connection_, *sources));
    auto models = warehouse::embedded_models();
    auto tests = warehouse::embedded_data_tests();
    auto report = warehouse::build_models(*connection_, *models, *tests);
    EXPECT_TRUE(report && report->ok()) << (report ? "a model or test failed" : report.error().message);
    if (report) {
      for (const auto& m : report->models) {
        EXPECT_EQ(m.status, warehouse::ModelStatus::built) << m.name << ": " << m.error;
      }
    }
  }
  Pairs pairs(const std::string& sql) {
    Pairs out;
    auto r = connection_->query(sql);
    EXPECT_TRUE(r) << r.error().message;
    for (size_t i = 0; r && i < r->row_count(); ++i) out.emplace(r->int64(0, i), r->int64(1, i));
    return out;
  }
  int64_t count(const std::string& sql) {
    auto r = connection_->query(sql);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->int64(0, 0) : -1;
  }

 private:
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<db::Connection> connection_;
};

// What staging must hold, computed from the simulator's model.
struct Truth {
  Pairs stars, forks, releases, issues_open, prs_open, prs_merged, commit_additions;
  std::set<int64_t> issues, prs;
  std::set<std::pair<int64_t, std::string>> commits;

  explicit Truth(const OrgModel& m) {
    for (const auto& repo : m.repos()) {
      if (repo.deleted || repo.blocked) continue;
      for (const auto& s : repo.stars) stars.emplace(repo.id, m.users()[s.user].id);
      for (const auto& f : repo.forks) forks.emplace(repo.id, f.id);
      for (const auto& r : repo.releases) releases.emplace(repo.id, r.id);
      for (const auto& i : repo.issues) {
        if (i.deleted) continue;
        (i.is_pull_request ? prs : issues).insert(i.id);
        if (i.is_open()) (i.is_pull_request ? prs_open : issues_open).emplace(repo.id, i.id);
        if (i.is_pull_request && i.merged_at != 0) prs_merged.emplace(repo.id, i.id);
      }
      for (const auto& c : repo.commits) {
        commits.emplace(repo.id, repo.commit_sha(c.seq));
      }
    }
  }
};

std::set<int64_t> ids(Warehouse& w, const std::string& sql) {
  std::set<int64_t> out;
  for (const auto& [a, b] : w.pairs("select " + sql.substr(0, sql.find(' ')) + ", 0 " + sql.substr(sql.find(' ')))) {
    out.insert(a);
  }
  return out;
}

void expect_staging_equals_truth(const std::filesystem::path& data_dir, const OrgModel& model) {
  const Truth truth(model);
  Warehouse w(data_dir);
  EXPECT_EQ(w.pairs("select repo_id, user_id from stg_github__stargazers"), truth.stars);
  EXPECT_EQ(w.pairs("select repo_id, fork_id from stg_github__forks"), truth.forks);
  EXPECT_EQ(w.pairs("select repo_id, release_id from stg_github__releases"), truth.releases);
  EXPECT_EQ(ids(w, "issue_id from stg_github__issues"), truth.issues);
  EXPECT_EQ(ids(w, "pull_request_id from stg_github__pull_requests"), truth.prs);
  EXPECT_EQ(w.pairs("select repo_id, issue_id from stg_github__issues where state = 'open'"), truth.issues_open);
  EXPECT_EQ(w.pairs("select repo_id, pull_request_id from stg_github__pull_requests where state = 'open'"),
            truth.prs_open);
  EXPECT_EQ(w.pairs("select repo_id, pull_request_id from stg_github__pull_requests where merged_at is not null"),
            truth.prs_merged);
  EXPECT_EQ(w.count("select count(*) from stg_github__commits"), static_cast<int64_t>(truth.commits.size()));
  // Every user who interacted has a profile (or is marked deleted).
  EXPECT_EQ(w.count("select count(*) from (select user_id from stg_github__stargazers union select author_user_id "
                    "from stg_github__issues union select owner_user_id from stg_github__forks) "
                    "where user_id not in (select user_id from stg_github__users)"),
            0);
  // Follow edges among the org's users are all there.
  std::set<int64_t> org_users;
  for (const auto& [id, unused] : w.pairs("select user_id, 0 from stg_github__users where not is_deleted")) {
    org_users.insert(id);
  }
  Pairs edges;
  for (size_t u = 0; u < model.users().size(); ++u) {
    const auto& user = model.users()[u];
    if (user.deleted || !org_users.contains(user.id)) continue;
    for (const auto f : model.followers(static_cast<simulator::UserIndex>(u))) {
      const auto& follower = model.users()[f];
      if (!follower.deleted && org_users.contains(follower.id)) edges.emplace(user.id, follower.id);
    }
  }
  EXPECT_EQ(w.pairs("select user_id, follower_id from stg_github__followers where follower_id in (select user_id from "
                    "stg_github__users where not is_deleted)"),
            edges);
  EXPECT_EQ(w.pairs("select followed_user_id, follower_user_id from network_follower_edges"), edges);
}

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
    o.pace_graphql = false;
    o.retry.base = std::chrono::milliseconds(1);
    o.retry.cap = std::chrono::milliseconds(5);
    return pipeline::sync_github(o);
  }
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
