// Injected faults (forced and by rate, deterministic from the seed), stargazer restrictions, and the
// mutations between syncs as the next responses show them.
#include <chrono>

#include <gtest/gtest.h>

#include "simulator/graphql_queries.hpp"
#include "simulator_fixture.hpp"

namespace ampere::testing {
namespace {

using nlohmann::json;
using simulator::FaultKind;
using simulator::format_time;

TEST(Faults, ForcedFaultsHitExactlyTheNextRequests) {
  SimulatorFixture f;
  const std::string path = "/orgs/ampere-demo/repos";
  f.sim->fail_next(FaultKind::server_error, 2);
  for (int i = 0; i < 2; ++i) {
    const auto r = f.get(path);
    EXPECT_TRUE(r.status == 502 || r.status == 503) << r.status;
  }
  EXPECT_EQ(f.get(path).status, 200);

  f.sim->fail_next(FaultKind::connection_reset, 1);
  EXPECT_FALSE(f.client.get(f.base + path)) << "the connection closes without a complete response";
  EXPECT_EQ(f.get(path).status, 200);

  f.sim->fail_next(FaultKind::malformed_json, 1);
  const auto bad = f.get(path);
  EXPECT_EQ(bad.status, 200);
  EXPECT_TRUE(json::parse(bad.body, nullptr, false).is_discarded());

  f.sim->fail_next(FaultKind::secondary_limit, 1);
  const auto secondary = f.get(path);
  EXPECT_EQ(secondary.status, 403);
  EXPECT_NE(secondary.body.find("You have exceeded a secondary rate limit"), std::string::npos);
  EXPECT_EQ(secondary.header("retry-after"), "60");
  EXPECT_EQ(f.sim->stats().faults, 5);

  f.sim->fail_next(FaultKind::server_error, 1);
  EXPECT_EQ(f.get("/rate_limit").status, 200) << "/rate_limit is never faulted";
}

TEST(Faults, RatesAreDeterministicFromTheSeed) {
  simulator::SimulatorOptions options;
  options.faults.server_error_rate = 0.3;
  options.faults.malformed_json_rate = 0.2;
  SimulatorFixture a(options);
  SimulatorFixture b(options);
  std::string pattern_a;
  std::string pattern_b;
  for (int i = 0; i < 40; ++i) {
    const auto x = a.get("/repos/ampere-demo/quill");
    const auto y = b.get("/repos/ampere-demo/quill");
    pattern_a += std::to_string(x.status) + (json::parse(x.body, nullptr, false).is_discarded() ? "m " : " ");
    pattern_b += std::to_string(y.status) + (json::parse(y.body, nullptr, false).is_discarded() ? "m " : " ");
  }
  EXPECT_EQ(pattern_a, pattern_b);
  EXPECT_NE(pattern_a.find("50"), std::string::npos);
  EXPECT_NE(pattern_a.find("200m"), std::string::npos);
  EXPECT_NE(pattern_a.find("200 "), std::string::npos);
}

TEST(Faults, LatencyIsAddedToEveryApiRequest) {
  simulator::SimulatorOptions options;
  options.faults.latency_ms = 60;
  SimulatorFixture f(options);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(f.get("/repos/ampere-demo/quill").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
}

TEST(Faults, StargazerAccessForbiddenOrEmpty) {
  simulator::SimulatorOptions options;
  options.faults.stargazers = simulator::StargazerAccess::forbidden;
  SimulatorFixture f(options);
  const auto forbidden = f.get("/repos/ampere-demo/quill/stargazers");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(json::parse(forbidden.body)["message"], "Must have push access to view repository stargazers");
  EXPECT_GT(f.get_json("/repos/ampere-demo/quill")["stargazers_count"], 0) << "the count stays visible";
  options.faults.stargazers = simulator::StargazerAccess::empty;
  f.sim->set_faults(options.faults);
  EXPECT_EQ(f.get("/repos/ampere-demo/quill/stargazers").body, "[]");
  // GraphQL still lists them.
  const auto doc = f.graphql(simulator::graphql::stargazers_query, {{"owner", "ampere-demo"}, {"name", "quill"}});
  EXPECT_GT(doc["data"]["repository"]["stargazerCount"], 0);
}

TEST(Mutations, StarsIssuesPullsCommitsShowInTheNextResponses) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string base = "/repos/ampere-demo/" + repo.name;
  const auto stars_before = repo.stars.size();
  const auto watermark = format_time(f.model().now());

  auto starred = f.sim->apply_mutation("star", {{"repo", repo.name}, {"count", "3"}});
  ASSERT_TRUE(starred) << starred.error().message;
  auto timed = f.get_all(base + "/stargazers?per_page=100", {{"Accept", "application/vnd.github.star+json"}});
  ASSERT_EQ(timed.size(), stars_before + 3);
  EXPECT_EQ(timed.back()["user"]["login"], json::parse(*starred)["users"][2]);
  EXPECT_EQ(f.get_json(base)["stargazers_count"], stars_before + 3);
  ASSERT_TRUE(f.sim->apply_mutation("unstar", {{"repo", repo.name}, {"count", "1"}}));
  EXPECT_EQ(f.get_json(base)["stargazers_count"], stars_before + 2);

  auto opened = f.sim->apply_mutation("open_issue", {{"repo", repo.name}, {"count", "2"}});
  ASSERT_TRUE(opened);
  ASSERT_TRUE(f.sim->apply_mutation("close_issue", {{"repo", repo.name}}));
  ASSERT_TRUE(f.sim->apply_mutation("merge_pr", {{"repo", repo.name}}));
  const auto changed = f.get_all(base + "/issues?state=all&sort=updated&direction=asc&since=" + watermark);
  ASSERT_EQ(changed.size(), 4U) << "two opened, one closed, one merged";
  int merged = 0;
  int closed = 0;
  for (const auto& i : changed) {
    if (i.contains("pull_request") && !i["pull_request"]["merged_at"].is_null()) ++merged;
    if (!i.contains("pull_request") && i["state"] == "closed") ++closed;
  }
  EXPECT_EQ(merged, 1);
  EXPECT_EQ(closed, 1);

  auto pushed = f.sim->apply_mutation("push_commit", {{"repo", repo.name}, {"count", "2"}});
  ASSERT_TRUE(pushed);
  const auto commits = f.get_json(base + "/commits?since=" + watermark);
  ASSERT_EQ(commits.size(), 3U) << "two pushed plus the merge commit";
  EXPECT_EQ(commits[0]["sha"], json::parse(*pushed)["shas"][1]);
  EXPECT_EQ(f.get_json(base)["pushed_at"], commits[0]["commit"]["committer"]["date"]);
}

TEST(Mutations, DeletedIssueAndDeletedUser) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string base = "/repos/ampere-demo/" + repo.name;
  const auto before = f.get_all(base + "/issues?state=all&per_page=100").size();
  ASSERT_TRUE(f.sim->apply_mutation("delete_issue", {{"repo", repo.name}, {"number", "1"}}));
  const auto after = f.get_all(base + "/issues?state=all&per_page=100");
  EXPECT_EQ(after.size(), before - 1);
  for (const auto& i : after) EXPECT_NE(i["number"], 1);

  const auto author = repo.issues[1].user;
  const std::string login = f.model().users()[author].login;
  ASSERT_TRUE(f.sim->apply_mutation("delete_user", {{"login", login}}));
  EXPECT_EQ(f.get("/users/" + login).status, 404);
  const auto issues = f.get_all(base + "/issues?state=all&sort=created&direction=asc&per_page=100");
  EXPECT_EQ(issues[0]["number"], 2);
  EXPECT_EQ(issues[0]["user"]["login"], "ghost");
}

TEST(Mutations, MutateAndStatsRoutesOverHttp) {
  SimulatorFixture f;
  auto r = f.client.post(f.base + "/_simulator/mutate?kind=star&repo=quill&count=2", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["users"].size(), 2U);
  auto bad = f.client.post(f.base + "/_simulator/mutate?kind=explode&repo=quill", "", "text/plain");
  EXPECT_EQ(bad->status, 422);
  f.get("/repos/ampere-demo/quill");
  f.get("/repos/ampere-demo/quill/stargazers");
  f.graphql(simulator::graphql::stargazers_query, {{"owner", "ampere-demo"}, {"name", "quill"}});
  const auto stats = f.get_json("/_simulator/stats");
  EXPECT_EQ(stats["requests"], 3);
  EXPECT_EQ(stats["by_route"]["repo"], 1);
  EXPECT_EQ(stats["by_route"]["stargazers"], 1);
  EXPECT_EQ(stats["by_route"]["graphql"], 1);
  EXPECT_EQ(stats["rest"]["remaining"], 4998);
  EXPECT_EQ(stats["graphql"]["points_spent"], 1);
}

}  // namespace
}  // namespace ampere::testing
