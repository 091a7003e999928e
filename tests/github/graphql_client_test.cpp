// GraphqlClient over loopback: request shape, cost accounting, RATE_LIMITED, NOT_FOUND, failures.

#include "github/graphql_client.hpp"

#include <gtest/gtest.h>

#include "github/github_test_support.hpp"
#include "github/graphql_queries.hpp"

namespace ampere::github {
namespace {

using std::chrono::seconds;
using testing::Canned;
using testing::FakeClock;
using testing::ScriptedServer;

struct Harness {
  explicit Harness(const std::string& base) {
    clock = std::make_shared<FakeClock>(testing::fake_start());
    GithubClientOptions options;
    options.base_url = base;
    options.token = Secret("ghp_graphqlTOKEN");
    options.retry.jitter = [] { return 1.0; };
    rest = std::make_unique<GithubClient>(std::move(options), std::make_shared<RateLimiter>(clock),
                                          std::make_shared<RequestStats>(), nullptr);
    graphql = std::make_unique<GraphqlClient>(*rest);
  }
  std::shared_ptr<FakeClock> clock;
  std::unique_ptr<GithubClient> rest;
  std::unique_ptr<GraphqlClient> graphql;
};

TEST(GraphqlClient, PostsQueryAndCountsPoints) {
  ScriptedServer server;
  server.push_json(
      R"({"data":{"repository":{"stargazerCount":2},"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-28T01:00:00Z"}}})");
  server.push_json(R"({"data":{"nodes":[],"rateLimit":{"cost":3,"remaining":4996,"resetAt":"2026-11-28T01:00:00Z"}}})");
  Harness h(server.base());
  auto stars = h.graphql->query(queries::stargazers, {{"owner", "o"}, {"name", "r"}, {"cursor", nullptr}});
  ASSERT_TRUE(stars) << stars.error().message;
  EXPECT_EQ(stars->data["repository"]["stargazerCount"], 2);
  EXPECT_EQ(stars->cost, 1);
  EXPECT_EQ(stars->remaining, 4999);
  auto users = h.graphql->query(queries::users, {{"ids", {"U_1"}}});
  ASSERT_TRUE(users) << users.error().message;
  EXPECT_EQ(h.rest->stats().total().graphql_points, 4u);
  EXPECT_EQ(h.rest->stats().by_family().at("/graphql").requests, 2u);
  EXPECT_EQ(h.rest->limiter().state(Budget::graphql).remaining, 4996);

  const auto request = server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/graphql");
  EXPECT_EQ(request.header("Authorization"), "Bearer ghp_graphqlTOKEN");
  EXPECT_NE(request.header("Content-Type").value_or("").find("application/json"), std::string::npos);
  const auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["query"], std::string(queries::stargazers));
  EXPECT_EQ(body["variables"]["owner"], "o");
  EXPECT_TRUE(body["variables"]["cursor"].is_null());
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(1)}));  // >= 1 s apart
}

TEST(GraphqlClient, RateLimitedWaitsUntilResetThenRetries) {
  ScriptedServer server;
  const long reset = std::chrono::duration_cast<seconds>(testing::fake_start().time_since_epoch()).count() + 300;
  server.push_json(R"({"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]})",
                   {{"x-ratelimit-remaining", "0"},
                    {"x-ratelimit-reset", std::to_string(reset)},
                    {"x-ratelimit-resource", "graphql"}});
  server.push_json(R"({"data":{"nodes":[],"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-28T02:00:00Z"}}})");
  Harness h(server.base());
  auto answer = h.graphql->query(queries::users, {{"ids", nlohmann::json::array()}});
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(301)}));
  EXPECT_EQ(h.rest->stats().total().graphql_points, 1u);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(GraphqlClient, NotFoundNodesComeBackWithPartialData) {
  ScriptedServer server;
  server.push_json(
      R"({"data":{"nodes":[{"login":"a"},null],"rateLimit":{"cost":1,"remaining":10,"resetAt":"2026-11-28T01:00:00Z"}},)"
      R"("errors":[{"type":"NOT_FOUND","path":["nodes",1],"message":"Could not resolve to a node with the global id of 'U_x'"}]})");
  Harness h(server.base());
  auto answer = h.graphql->query(queries::users, {{"ids", {"U_a", "U_x"}}});
  ASSERT_TRUE(answer) << answer.error().message;
  ASSERT_EQ(answer->not_found.size(), 1u);
  EXPECT_EQ(answer->not_found[0].path, "nodes.1");
  EXPECT_EQ(answer->data["nodes"][0]["login"], "a");
  EXPECT_TRUE(answer->data["nodes"][1].is_null());
}

TEST(GraphqlClient, OtherErrorsFailClearly) {
  ScriptedServer server;
  server.push_json(R"({"errors":[{"message":"Field 'bogus' doesn't exist on type 'Repository'","path":["query"]}]})");
  server.push(Canned{401, R"({"message":"Bad credentials"})"});
  Harness h(server.base());
  auto invalid = h.graphql->query("query{ repository(owner:\"o\",name:\"r\"){ bogus } }", nlohmann::json::object());
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, ErrorKind::protocol);
  EXPECT_EQ(invalid.error().message,
            "GraphQL query failed: error: Field 'bogus' doesn't exist on type 'Repository' (at query)");
  auto unauthorized = h.graphql->query(queries::users, {{"ids", nlohmann::json::array()}});
  ASSERT_FALSE(unauthorized);
  EXPECT_EQ(unauthorized.error().message, "GraphQL query: HTTP 401 (unauthorized): Bad credentials");
  EXPECT_EQ(unauthorized.error().message.find("ghp_graphqlTOKEN"), std::string::npos);
}

// GitHub's answer to a query it could not execute (a timeout on its side): asked again after the backoff,
// and counted as a retry; past the policy's attempts, the error says what GitHub said.
TEST(GraphqlClient, AQueryGithubCouldNotExecuteIsAskedAgain) {
  const std::string not_executed =
      R"({"data":null,"errors":[{"message":"Something went wrong while executing your query. This may be the )"
      R"(result of a timeout, or it could be a GitHub bug."}]})";
  ScriptedServer server;
  server.push_json(not_executed);
  server.push_json(R"({"data":{"nodes":[],"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2026-11-28T02:00:00Z"}}})");
  for (int i = 0; i < max_attempts; ++i) server.push_json(not_executed);
  Harness h(server.base());
  auto answer = h.graphql->query(queries::users, {{"ids", nlohmann::json::array()}});
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(h.rest->stats().total().retries, 1u);
  auto failed = h.graphql->query(queries::users, {{"ids", nlohmann::json::array()}});
  ASSERT_FALSE(failed);
  EXPECT_EQ(server.requests().size(), 2u + max_attempts);
  EXPECT_NE(failed.error().message.find("Something went wrong while executing your query"), std::string::npos)
      << failed.error().message;
}

TEST(GraphqlClient, QueriesAskForTheirCost) {
  for (const std::string_view q : {queries::commits, queries::stargazers, queries::users}) {
    EXPECT_NE(q.find("rateLimit{cost remaining resetAt}"), std::string_view::npos) << q;
  }
}

}  // namespace
}  // namespace ampere::github
