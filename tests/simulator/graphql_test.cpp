// POST /graphql: the three supported query shapes, their cost, RATE_LIMITED and NOT_FOUND.
#include <gtest/gtest.h>

#include "large_org.hpp"
#include "simulator/graphql_queries.hpp"
#include "simulator/payload_builder.hpp"
#include "simulator_fixture.hpp"

namespace ampere::testing {
namespace {

using nlohmann::json;
using simulator::format_time;
namespace gql = simulator::graphql;

TEST(Graphql, CommitsHistoryPagesNewestFirstWithStatsAndCostsOnePointEach) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  json cursor = nullptr;
  std::vector<json> nodes;
  int queries = 0;
  int64_t last_remaining = 5000;
  do {
    const auto doc = f.graphql(gql::commits_query, {{"owner", "ampere-demo"}, {"name", repo.name}, {"cursor", cursor}});
    ASSERT_FALSE(doc.contains("errors")) << doc.dump();
    ++queries;
    EXPECT_EQ(doc["data"]["rateLimit"]["cost"], 1);
    EXPECT_EQ(doc["data"]["rateLimit"]["remaining"], last_remaining - 1);
    last_remaining = doc["data"]["rateLimit"]["remaining"];
    const auto& ref = doc["data"]["repository"]["defaultBranchRef"];
    EXPECT_EQ(ref["name"], "main");
    const auto& history = ref["target"]["history"];
    EXPECT_EQ(history["totalCount"], repo.commits.size());
    for (const auto& n : history["nodes"]) nodes.push_back(n);
    cursor = history["pageInfo"]["hasNextPage"].get<bool>() ? history["pageInfo"]["endCursor"] : json(nullptr);
  } while (!cursor.is_null());
  EXPECT_EQ(queries, static_cast<int>((repo.commits.size() + 99) / 100));
  ASSERT_EQ(nodes.size(), repo.commits.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& c = repo.commits[repo.commits.size() - 1 - i];
    EXPECT_EQ(nodes[i]["oid"], repo.commit_sha(c.seq));
    EXPECT_EQ(nodes[i]["committedDate"], format_time(c.committed_at));
    EXPECT_EQ(nodes[i]["additions"], c.additions);
    EXPECT_EQ(nodes[i]["deletions"], c.deletions);
    EXPECT_EQ(nodes[i]["changedFiles"], c.changed_files);
    if (c.user == simulator::no_user) {
      EXPECT_TRUE(nodes[i]["author"]["user"].is_null());
    } else {
      EXPECT_EQ(nodes[i]["author"]["user"]["databaseId"], f.model().users()[c.user].id);
    }
  }
  EXPECT_EQ(f.sim->stats().graphql_points_spent, queries);

  const auto since = repo.commits[repo.commits.size() - 3].committed_at;
  const auto recent =
      f.graphql(gql::commits_query, {{"owner", "ampere-demo"}, {"name", repo.name}, {"since", format_time(since)}});
  EXPECT_GE(recent["data"]["repository"]["defaultBranchRef"]["target"]["history"]["totalCount"], 3);

  for (const auto& r : f.model().repos()) {
    if (!r.commits.empty()) continue;
    const auto empty = f.graphql(gql::commits_query, {{"owner", "ampere-demo"}, {"name", r.name}});
    EXPECT_TRUE(empty["data"]["repository"]["defaultBranchRef"].is_null()) << empty.dump();
  }
  const auto missing = f.graphql(gql::commits_query, {{"owner", "ampere-demo"}, {"name", "nope"}});
  EXPECT_TRUE(missing["data"]["repository"].is_null());
  EXPECT_EQ(missing["errors"][0]["type"], "NOT_FOUND");
}

TEST(Graphql, StargazersHaveNoFortyThousandCap) {
  SimulatorFixture f({}, large_org().model);
  const auto& repo = f.model().repos()[0];
  ASSERT_GT(repo.stars.size(), 40'000U);
  json cursor = nullptr;
  size_t seen = 0;
  json last_edge;
  do {
    const auto doc =
        f.graphql(gql::stargazers_query, {{"owner", "ampere-demo"}, {"name", repo.name}, {"cursor", cursor}});
    const auto& stargazers = doc["data"]["repository"]["stargazers"];
    ASSERT_EQ(stargazers["totalCount"], repo.stars.size()) << doc.dump().substr(0, 500);
    for (const auto& edge : stargazers["edges"]) {
      const auto& truth = repo.stars[seen++];
      if (seen % 997 == 0 || seen == repo.stars.size()) {
        EXPECT_EQ(edge["starredAt"], format_time(truth.starred_at));
        EXPECT_EQ(edge["node"]["databaseId"], f.model().users()[truth.user].id);
      }
    }
    cursor = stargazers["pageInfo"]["hasNextPage"].get<bool>() ? stargazers["pageInfo"]["endCursor"] : json(nullptr);
  } while (!cursor.is_null());
  EXPECT_EQ(seen, repo.stars.size());
}

TEST(Graphql, UsersByNodeIdWithNullAndNotFoundForUnknownIds) {
  SimulatorFixture f;
  const auto& a = f.model().users()[3];
  const auto& b = f.model().users()[250];
  ASSERT_TRUE(f.sim->apply_mutation("delete_user", {{"login", f.model().users()[9].login}}));
  const json ids = {simulator::node_id("User", a.id), "MDQ6VXNlcjE=", simulator::node_id("User", b.id),
                    simulator::node_id("User", f.model().users()[9].id)};
  const auto doc = f.graphql(gql::users_query, {{"ids", ids}});
  const auto& nodes = doc["data"]["nodes"];
  ASSERT_EQ(nodes.size(), 4U);
  EXPECT_EQ(nodes[0]["login"], a.login);
  EXPECT_EQ(nodes[0]["databaseId"], a.id);
  EXPECT_EQ(nodes[0]["name"], a.name);
  EXPECT_EQ(nodes[0]["createdAt"], format_time(a.created_at));
  EXPECT_EQ(nodes[0]["followers"]["totalCount"], f.model().followers(3).size());
  EXPECT_TRUE(nodes[1].is_null());
  EXPECT_EQ(nodes[2]["login"], b.login);
  EXPECT_TRUE(nodes[3].is_null()) << "deleted users do not resolve";
  ASSERT_EQ(doc["errors"].size(), 2U);
  EXPECT_EQ(doc["errors"][0]["type"], "NOT_FOUND");
  EXPECT_EQ(doc["errors"][0]["path"], json({"nodes", 1}));
  EXPECT_EQ(doc["data"]["rateLimit"]["cost"], 1);
}

TEST(Graphql, RateLimitedAfterTheBudgetAndUnknownQueriesAreRefused) {
  simulator::SimulatorOptions options;
  options.graphql_limit = 2;
  SimulatorFixture f(options);
  const json vars = {{"owner", "ampere-demo"}, {"name", "quill"}};
  EXPECT_FALSE(f.graphql(gql::stargazers_query, vars).contains("errors"));
  EXPECT_FALSE(f.graphql(gql::stargazers_query, vars).contains("errors"));
  const auto limited = f.graphql(gql::stargazers_query, vars);
  EXPECT_EQ(limited["errors"][0]["type"], "RATE_LIMITED");
  EXPECT_EQ(f.sim->stats().graphql_remaining, 0);
  EXPECT_EQ(f.sim->stats().rest_remaining, 5000) << "GraphQL and REST budgets are separate";
  f.clock_seconds += 3600;
  EXPECT_FALSE(f.graphql(gql::stargazers_query, vars).contains("errors"));

  const auto unknown = f.graphql("query { viewer { login } }", json::object());
  EXPECT_NE(unknown["errors"][0]["message"].get<std::string>().find("does not implement"), std::string::npos);
}

}  // namespace
}  // namespace ampere::testing
