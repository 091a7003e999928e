// The synthetic organization itself: sizes, invariants, determinism, mutations.
#include <algorithm>
#include <chrono>
#include <set>

#include <gtest/gtest.h>

#include "large_org.hpp"
#include "simulator/hostile_strings.hpp"
#include "simulator/org_model.hpp"

namespace ampere::testing {
namespace {

using simulator::ModelSpec;
using simulator::OrgModel;
using simulator::OrgSize;

TEST(OrgModel, SmallOrgHasEveryEntityAndOneEmptyRepo) {
  const auto m = OrgModel::generate(ModelSpec{});
  const auto c = m.counts();
  EXPECT_EQ(c.repos, 8U);
  EXPECT_EQ(c.users, 400U);
  EXPECT_EQ(c.stars, 360U);
  EXPECT_EQ(c.issues + c.pull_requests, 220U);
  EXPECT_GT(c.pull_requests, 30U);
  EXPECT_GT(c.commits, 350U);
  EXPECT_EQ(c.forks, 40U);
  EXPECT_GT(c.follower_edges, 500U);
  int empty = 0;
  for (const auto& repo : m.repos()) {
    if (repo.commits.empty()) {
      ++empty;
      EXPECT_TRUE(repo.languages.empty());
      EXPECT_EQ(repo.pushed_at, repo.created_at);
    }
    std::set<simulator::UserIndex> stargazers;
    for (size_t i = 0; i < repo.stars.size(); ++i) {
      EXPECT_TRUE(stargazers.insert(repo.stars[i].user).second) << "a user starred twice";
      if (i > 0) {
        EXPECT_LE(repo.stars[i - 1].starred_at, repo.stars[i].starred_at);
      }
      EXPECT_GE(repo.stars[i].starred_at, repo.created_at);
    }
    for (size_t i = 0; i < repo.issues.size(); ++i) EXPECT_EQ(repo.issues[i].number, static_cast<int32_t>(i + 1));
    for (const auto& issue : repo.issues) {
      if (issue.merged_at != 0) {
        EXPECT_TRUE(issue.is_pull_request && issue.closed_at == issue.merged_at);
      }
      EXPECT_LE(issue.created_at, issue.updated_at);
    }
  }
  EXPECT_EQ(empty, 1);
}

TEST(OrgModel, SameSeedSameOrgOtherSeedOtherOrg) {
  const auto a = OrgModel::generate(ModelSpec{.seed = 7});
  const auto b = OrgModel::generate(ModelSpec{.seed = 7});
  const auto c = OrgModel::generate(ModelSpec{.seed = 8});
  ASSERT_EQ(a.repos().size(), b.repos().size());
  for (size_t r = 0; r < a.repos().size(); ++r) {
    EXPECT_EQ(a.repos()[r].name, b.repos()[r].name);
    EXPECT_EQ(a.repos()[r].stars.size(), b.repos()[r].stars.size());
    EXPECT_EQ(a.repos()[r].commit_sha(0), b.repos()[r].commit_sha(0));
    EXPECT_EQ(a.repos()[r].created_at, b.repos()[r].created_at);
  }
  EXPECT_EQ(a.users()[17].login, b.users()[17].login);
  EXPECT_NE(a.repos()[0].created_at, c.repos()[0].created_at);
}

TEST(OrgModel, LargeOrgHasAboutOneAndAHalfMillionRecordsAndARepoAboveTheStarCap) {
  const auto& large = large_org();
  const auto c = large.model.counts();
  EXPECT_EQ(c.repos, 200U);
  EXPECT_EQ(c.users, 60'000U);
  EXPECT_EQ(c.stars, 300'000U);
  EXPECT_EQ(c.issues + c.pull_requests, 60'000U);
  EXPECT_GE(c.commits, 149'000U);
  EXPECT_EQ(c.forks, 10'000U);
  EXPECT_GT(c.follower_edges, 600'000U);
  EXPECT_GT(c.total(), 1'300'000U);
  EXPECT_GT(large.model.repos()[0].stars.size(), 40'000U);
  EXPECT_LT(large.generation_seconds, 10.0) << "generating the large org must take a few seconds";
  std::printf(
      "large org: %zu records (%zu stars, %zu issues, %zu PRs, %zu commits, %zu forks, %zu users, %zu "
      "follower edges) generated in %.2f s\n",
      c.total(), c.stars, c.issues, c.pull_requests, c.commits, c.forks, c.users, c.follower_edges,
      large.generation_seconds);
}

TEST(OrgModel, MutationsUpdateCountsAndDates) {
  auto m = OrgModel::generate(ModelSpec{});
  const auto before = m.now();
  const size_t r = 0;
  const auto stars = m.repos()[r].stars.size();
  ASSERT_TRUE(m.add_stars(r, 3));
  EXPECT_EQ(m.repos()[r].stars.size(), stars + 3);
  EXPECT_GT(m.repos()[r].updated_at, before);
  ASSERT_TRUE(m.remove_stars(r, 2));
  EXPECT_EQ(m.repos()[r].stars.size(), stars + 1);

  const auto open = m.repos()[r].open_issues_count();
  auto opened = m.open_issues(r, 2);
  ASSERT_TRUE(opened);
  EXPECT_EQ(m.repos()[r].open_issues_count(), open + 2);
  EXPECT_EQ((*opened)[0], static_cast<int32_t>(m.repos()[r].issues.size() - 1));
  ASSERT_TRUE(m.close_issues(r, 1));
  EXPECT_EQ(m.repos()[r].open_issues_count(), open + 1);

  const auto commits = m.repos()[r].commits.size();
  ASSERT_TRUE(m.push_commits(r, 4));
  EXPECT_EQ(m.repos()[r].commits.size(), commits + 4);
  EXPECT_EQ(m.repos()[r].pushed_at, m.repos()[r].commits.back().committed_at);

  EXPECT_FALSE(m.rename_repo(r, m.repos()[1].name)) << "a taken name is refused";
  ASSERT_TRUE(m.rename_repo(r, "quill-renamed"));
  EXPECT_EQ(m.find_repo("quill-renamed"), r);
  EXPECT_EQ(m.find_renamed_repo("quill"), r);
  EXPECT_FALSE(m.find_repo("quill"));

  const auto victim = m.repos()[r].stars.front().user;
  ASSERT_TRUE(m.delete_user(victim));
  for (const auto& repo : m.repos()) {
    for (const auto& s : repo.stars) EXPECT_NE(s.user, victim);
  }
  EXPECT_TRUE(m.followers(victim).empty());
  EXPECT_FALSE(m.delete_user(victim)) << "already deleted";
}

TEST(OrgModel, HostileSpecPutsHostileStringsIntoTextsAndKeepsEverythingElse) {
  ModelSpec spec;
  spec.hostile = true;
  const auto hostile = OrgModel::generate(spec);
  const auto plain = OrgModel::generate(ModelSpec{});
  EXPECT_TRUE(hostile.hostile());
  EXPECT_FALSE(plain.hostile());
  const auto& marker = simulator::hostile_strings().front();
  EXPECT_EQ(hostile.issue_titles().front(), marker);
  EXPECT_EQ(std::count(plain.issue_titles().begin(), plain.issue_titles().end(), marker), 0);
  bool release_named = false;
  for (const auto& repo : hostile.repos()) {
    for (const auto& release : repo.releases) release_named |= release.name == marker;
  }
  EXPECT_TRUE(release_named);
  EXPECT_EQ(hostile.users().front().name, marker);
  // Same shape: only the texts differ.
  EXPECT_EQ(hostile.counts().total(), plain.counts().total());
  EXPECT_EQ(hostile.users().front().login, plain.users().front().login);
}

}  // namespace
}  // namespace ampere::testing
