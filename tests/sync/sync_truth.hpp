#pragma once
// What staging must hold after a GitHub sync, computed from the simulator's model, and the check that it
// does: the warehouse is built from the lake in memory, through the real models and their tests.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "simulator/org_model.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::testing {

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
  /// Rows of (BIGINT, VARCHAR), e.g. (repo_id, sha).
  std::set<std::pair<int64_t, std::string>> keyed_texts(const std::string& sql) {
    std::set<std::pair<int64_t, std::string>> out;
    auto r = connection_->query(sql);
    EXPECT_TRUE(r) << r.error().message;
    for (size_t i = 0; r && i < r->row_count(); ++i) out.emplace(r->int64(0, i), r->text(1, i));
    return out;
  }
  /// The first column of every row, as a set.
  std::set<int64_t> ids(const std::string& sql) {
    std::set<int64_t> out;
    auto r = connection_->query(sql);
    EXPECT_TRUE(r) << r.error().message;
    for (size_t i = 0; r && i < r->row_count(); ++i) out.insert(r->int64(0, i));
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
  Pairs stars, forks, releases, issues_open, prs_open, prs_merged;
  int64_t changed_lines = 0;  ///< additions + deletions over every commit
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
        changed_lines += int64_t{c.additions} + int64_t{c.deletions};
      }
    }
  }
};

inline void expect_staging_equals_truth(const std::filesystem::path& data_dir, const OrgModel& model) {
  const Truth truth(model);
  Warehouse w(data_dir);
  EXPECT_EQ(w.pairs("select repo_id, user_id from stg_github__stargazers"), truth.stars);
  EXPECT_EQ(w.pairs("select repo_id, fork_id from stg_github__forks"), truth.forks);
  EXPECT_EQ(w.pairs("select repo_id, release_id from stg_github__releases"), truth.releases);
  EXPECT_EQ(w.ids("select issue_id from stg_github__issues"), truth.issues);
  EXPECT_EQ(w.ids("select pull_request_id from stg_github__pull_requests"), truth.prs);
  EXPECT_EQ(w.pairs("select repo_id, issue_id from stg_github__issues where state = 'open'"), truth.issues_open);
  EXPECT_EQ(w.pairs("select repo_id, pull_request_id from stg_github__pull_requests where state = 'open'"),
            truth.prs_open);
  EXPECT_EQ(w.pairs("select repo_id, pull_request_id from stg_github__pull_requests where merged_at is not null"),
            truth.prs_merged);
  EXPECT_EQ(w.keyed_texts("select repo_id, sha from stg_github__commits"), truth.commits);
  EXPECT_EQ(w.count("select sum(additions) + sum(deletions) from stg_github__commits"), truth.changed_lines);
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

}  // namespace ampere::testing
