// GithubClient over real loopback HTTP: headers, pagination, ETags, retries, rate limits, outcomes, redirects.

#include "github/github_client.hpp"

#include <gtest/gtest.h>

#include "github/github_test_support.hpp"
#include "support/temp_dir.hpp"

namespace ampere::github {
namespace {

using std::chrono::seconds;
using testing::Canned;
using testing::FakeClock;
using testing::ScriptedServer;

constexpr std::string_view token = "ghp_TESTTOKEN0123456789abcdefSECRET";

struct Harness {
  explicit Harness(const std::string& base, std::shared_ptr<EtagStore> etags = std::make_shared<EtagStore>()) {
    clock = std::make_shared<FakeClock>(testing::fake_start());
    limiter = std::make_shared<RateLimiter>(clock);
    stats = std::make_shared<RequestStats>();
    store = std::move(etags);
    GithubClientOptions options;
    options.base_url = base;
    options.token = Secret(std::string(token));
    options.retry.jitter = [] { return 1.0; };  // the full ceiling: waits are exact
    options.http.total_timeout = std::chrono::milliseconds(400);
    client = std::make_unique<GithubClient>(std::move(options), limiter, stats, store);
  }
  std::shared_ptr<FakeClock> clock;
  std::shared_ptr<RateLimiter> limiter;
  std::shared_ptr<RequestStats> stats;
  std::shared_ptr<EtagStore> store;
  std::unique_ptr<GithubClient> client;
};

http::Headers link_next(const std::string& url) {
  return {{"Link", "<" + url + ">; rel=\"next\", <{base}/last>; rel=\"last\""}};
}

TEST(GithubClient, SendsGithubHeaders) {
  ScriptedServer server;
  server.push_json(R"({"id":1})");
  server.push_json(R"([])");
  Harness h(server.base());
  auto repo = h.client->get("/repos/o/r");
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(repo->status, 200);
  EXPECT_EQ(repo->body, R"({"id":1})");
  RequestOptions star;
  star.accept = "application/vnd.github.star+json";
  ASSERT_TRUE(h.client->get(server.base() + "/repos/o/r/stargazers", star));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/repos/o/r");
  EXPECT_EQ(r.header("accept"), "application/vnd.github+json");
  EXPECT_EQ(r.header("X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_EQ(r.header("User-Agent"), "ampere/0.1.0");
  EXPECT_EQ(r.header("Authorization"), "Bearer " + std::string(token));
  EXPECT_NE(r.header("Accept-Encoding").value_or("").find("gzip"), std::string::npos);
  EXPECT_EQ(requests[1].header("Accept"), "application/vnd.github.star+json");
  EXPECT_EQ(h.stats->total().requests, 2u);
}

TEST(GithubClient, NoAuthorizationWithoutToken) {
  ScriptedServer server;
  server.push_json("{}");
  GithubClientOptions options;
  options.base_url = server.base() + "/";
  GithubClient client(options, nullptr, nullptr, nullptr);
  EXPECT_EQ(client.graphql_url(), server.base() + "/graphql");
  ASSERT_TRUE(client.get("/rate_limit"));
  EXPECT_FALSE(server.requests().at(0).header("Authorization").has_value());
}

TEST(GithubClient, PaginatesWithPageLinks) {
  ScriptedServer server;
  server.push_json(R"([1,2])", link_next("{base}/repositories/7/issues?state=all&page=2"));
  server.push_json(R"([3,4])", link_next("{base}/repositories/7/issues?state=all&page=3"));
  server.push_json(R"([5])", {{"Link", "<{base}/repositories/7/issues?state=all&page=1>; rel=\"first\""}});
  Harness h(server.base());
  std::vector<std::string> bodies;
  auto result = h.client->paginate("/repos/o/r/issues?state=all&per_page=2", [&](const GithubResponse& page, int n) {
    EXPECT_EQ(n, static_cast<int>(bodies.size()) + 1);
    bodies.push_back(page.body);
    return Expected<PageAction>(PageAction::next);
  });
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1,2]", "[3,4]", "[5]"}));
  EXPECT_EQ(result->pages, 3);
  EXPECT_TRUE(result->complete);
  EXPECT_FALSE(result->stopped_early);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].path, "/repos/o/r/issues");
  EXPECT_EQ(requests[1].path, "/repositories/7/issues");  // the Link URL verbatim, not a URL we built
  EXPECT_EQ(requests[1].param("page"), "2");
  EXPECT_EQ(requests[2].param("page"), "3");
  EXPECT_EQ(h.stats->total().requests, 3u);
}

TEST(GithubClient, PaginatesWithOpaqueAfterCursor) {
  ScriptedServer server;
  server.push_json(R"([1])", link_next("{base}/repos/o/r/issues?per_page=1&after=Y3Vyc29yOnYyOpK5MjAy%3D%3D"));
  server.push_json(R"([2])");
  Harness h(server.base());
  int pages = 0;
  auto result = h.client->paginate("/repos/o/r/issues?per_page=1", [&](const GithubResponse&, int) {
    ++pages;
    return Expected<PageAction>(PageAction::next);
  });
  ASSERT_TRUE(result);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(server.requests().at(1).param("after"), "Y3Vyc29yOnYyOpK5MjAy==");
  EXPECT_FALSE(server.requests().at(1).param("page").has_value());
}

TEST(GithubClient, CallbackStopsEarly) {
  ScriptedServer server;
  server.push_json(R"([{"id":9},{"id":8}])", link_next("{base}/repos/o/r/forks?page=2"));
  server.push_json(R"([{"id":7}])");
  Harness h(server.base());
  auto result = h.client->paginate("/repos/o/r/forks?sort=newest", [&](const GithubResponse& page, int) {
    // "stop at a known fork": id 8 is already in the lake
    return Expected<PageAction>(page.body.find("\"id\":8") != std::string::npos ? PageAction::stop : PageAction::next);
  });
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->stopped_early);
  EXPECT_FALSE(result->complete);
  EXPECT_EQ(result->pages, 1);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(GithubClient, CallbackErrorAbortsListing) {
  ScriptedServer server;
  server.push_json(R"([1])", link_next("{base}/x?page=2"));
  Harness h(server.base());
  auto result = h.client->paginate("/x", [](const GithubResponse&, int) -> Expected<PageAction> {
    return fail(ErrorKind::io, "lake write failed");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "lake write failed");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(GithubClient, FailedPageIsNeverHandedOver) {
  ScriptedServer server;
  server.push_json(R"([1])", link_next("{base}/repos/o/r/stargazers?page=400"));
  server.push(Canned{422, R"({"message":"In order to keep the API fast for everyone, pagination is limited"})"});
  server.push_json(R"([1])", link_next("{base}/repos/o/r/issues?page=2"));
  for (int i = 0; i < max_attempts; ++i) server.push_json(R"([{"id":1},{"id")");  // truncated every time
  Harness h(server.base());
  int pages = 0;
  const auto count = [&](const GithubResponse&, int) {
    ++pages;
    return Expected<PageAction>(PageAction::next);
  };
  auto capped = h.client->paginate("/repos/o/r/stargazers", count);
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->outcome, Outcome::unprocessable);
  EXPECT_EQ(capped->status, 422);
  EXPECT_EQ(capped->pages, 1);
  EXPECT_FALSE(capped->complete);
  EXPECT_EQ(capped->last_url, server.base() + "/repos/o/r/stargazers?page=400");

  pages = 0;
  auto broken = h.client->paginate("/repos/o/r/issues", count);
  ASSERT_FALSE(broken);
  EXPECT_EQ(pages, 1);  // the truncated second page never reached the callback
  EXPECT_NE(broken.error().message.find("page 2"), std::string::npos) << broken.error().message;
  EXPECT_NE(broken.error().message.find("malformed or truncated JSON"), std::string::npos);
}

TEST(GithubClient, EtagRoundTripStagedThenCommitted) {
  ScriptedServer server;
  const http::Headers validators{{"ETag", "W/\"abc\""}, {"Last-Modified", "Sat, 28 Nov 2026 00:00:00 GMT"}};
  server.push_json(R"([1])", validators);
  server.push_json(R"([1])", validators);
  server.push(Canned{304, "", validators});
  Harness h(server.base());

  auto first = h.client->get("/orgs/acme/repos");
  ASSERT_TRUE(first);
  EXPECT_EQ(h.store->staged_count(), 1u);
  EXPECT_EQ(h.store->committed_count(), 0u);
  // Staged validators are not used: the data they cover is not in the lake yet.
  auto second = h.client->get("/orgs/acme/repos");
  ASSERT_TRUE(second);
  EXPECT_FALSE(server.requests().at(1).header("If-None-Match").has_value());

  ASSERT_TRUE(h.store->commit());
  EXPECT_EQ(h.store->committed_count(), 1u);
  auto third = h.client->get("/orgs/acme/repos");
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->not_modified);
  EXPECT_EQ(third->outcome, Outcome::not_modified);
  EXPECT_EQ(third->status, 304);
  EXPECT_EQ(server.requests().at(2).header("If-None-Match"), "W/\"abc\"");
  EXPECT_EQ(server.requests().at(2).header("If-Modified-Since"), "Sat, 28 Nov 2026 00:00:00 GMT");
  EXPECT_EQ(h.stats->total().requests, 2u);  // the 304 is free
  EXPECT_EQ(h.stats->total().not_modified, 1u);
}

TEST(GithubClient, NotModifiedFirstPageEndsListing) {
  ScriptedServer server;
  server.push_json(R"([1])", {{"ETag", "\"p1\""}, {"Link", "<{base}/orgs/acme/repos?page=2>; rel=\"next\""}});
  server.push_json(R"([2])", {{"ETag", "\"p2\""}});
  server.push(Canned{304, ""});
  Harness h(server.base());
  const auto next = [](const GithubResponse&, int) { return Expected<PageAction>(PageAction::next); };
  ASSERT_TRUE(h.client->paginate("/orgs/acme/repos", next));
  EXPECT_EQ(h.store->staged_count(), 1u);  // only the first page is conditional
  ASSERT_TRUE(h.store->commit());
  auto again = h.client->paginate("/orgs/acme/repos", next);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->not_modified);
  EXPECT_EQ(again->pages, 0);
  EXPECT_EQ(server.requests().at(2).header("If-None-Match"), "\"p1\"");
}

TEST(GithubClient, RedirectFollowedAndFinalUrlExposed) {
  ScriptedServer server;
  server.push(Canned{301, R"({"message":"Moved Permanently"})", {{"Location", "{base}/repositories/42"}}});
  server.push_json(R"({"id":42,"name":"new-name"})");
  Harness h(server.base());
  auto repo = h.client->get("/repos/o/old-name");
  ASSERT_TRUE(repo) << repo.error().message;
  EXPECT_EQ(repo->status, 200);
  EXPECT_TRUE(repo->redirected());
  EXPECT_EQ(repo->url, server.base() + "/repos/o/old-name");
  EXPECT_EQ(repo->final_url, server.base() + "/repositories/42");
  EXPECT_EQ(server.requests().at(1).header("Authorization"), "Bearer " + std::string(token));  // same host
}

TEST(GithubClient, TypedOutcomesAreNotRetried) {
  ScriptedServer server;
  const std::vector<std::pair<int, Outcome>> cases{{404, Outcome::not_found},
                                                   {409, Outcome::conflict},
                                                   {451, Outcome::unavailable_for_legal_reasons},
                                                   {422, Outcome::unprocessable},
                                                   {403, Outcome::forbidden}};
  for (const auto& [status, outcome] : cases) server.push(Canned{status, R"({"message":"no"})"});
  Harness h(server.base());
  for (const auto& [status, outcome] : cases) {
    auto response = h.client->get("/repos/o/r/commits");
    ASSERT_TRUE(response) << status;
    EXPECT_EQ(response->status, status);
    EXPECT_EQ(response->outcome, outcome) << status;
    EXPECT_EQ(response->error_message(), "no");
  }
  EXPECT_EQ(server.requests().size(), cases.size());
  EXPECT_EQ(h.stats->total().retries, 0u);
  EXPECT_TRUE(h.clock->sleeps().empty());
  EXPECT_EQ(h.store->staged_count(), 0u);
}

TEST(GithubClient, RetriesServerErrorsWithExponentialBackoff) {
  ScriptedServer server;
  server.push(Canned{502, "<html>bad gateway</html>", {}, "text/html"});
  server.push(Canned{503, "{}"});
  server.push_json(R"({"ok":true})");
  Harness h(server.base());
  auto response = h.client->get("/repos/o/r");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(1), seconds(2)}));
  EXPECT_EQ(h.stats->total().retries, 2u);
  EXPECT_DOUBLE_EQ(h.stats->total().wait_seconds, 3.0);
}

TEST(GithubClient, BackoffIsCappedAndJittered) {
  ScriptedServer server;
  for (int i = 0; i < 3; ++i) server.push(Canned{500, "{}"});
  server.push_json("{}");
  auto clock = std::make_shared<FakeClock>(testing::fake_start());
  GithubClientOptions options;
  options.base_url = server.base();
  options.retry.base = std::chrono::milliseconds(1000);
  options.retry.cap = std::chrono::milliseconds(1500);
  options.retry.jitter = [] { return 0.5; };
  GithubClient client(options, std::make_shared<RateLimiter>(clock), nullptr, nullptr);
  ASSERT_TRUE(client.get("/x"));
  EXPECT_EQ(clock->sleeps(),
            (std::vector<std::chrono::microseconds>{std::chrono::milliseconds(500), std::chrono::milliseconds(750),
                                                    std::chrono::milliseconds(750)}));
}

TEST(GithubClient, RetriesMalformedJson) {
  ScriptedServer server;
  server.push_json(R"({"id":1,"name":"tru)");
  server.push_json("");
  server.push_json(R"({"id":1})");
  Harness h(server.base());
  auto response = h.client->get("/repos/o/r");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"({"id":1})");
  EXPECT_EQ(h.stats->total().retries, 2u);
}

TEST(GithubClient, RetriesTimeouts) {
  ScriptedServer server;
  server.push(Canned{200, "[]", {}, "application/json", std::chrono::milliseconds(1200)});
  server.push_json("[1]");
  Harness h(server.base());  // total timeout 400 ms
  auto response = h.client->get("/repos/o/r/issues");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "[1]");
  EXPECT_EQ(h.stats->total().retries, 1u);
}

TEST(GithubClient, RetriesConnectionResets) {
  testing::RawServer server({"", "",
                             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
                             "Connection: close\r\n\r\n{\"a\":1}"});
  Harness h(server.base());
  auto response = h.client->get("/repos/o/r");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, R"({"a":1})");
  EXPECT_EQ(h.stats->total().retries, 2u);
}

TEST(GithubClient, GivesUpWithClearError) {
  ScriptedServer server;
  for (int i = 0; i < max_attempts; ++i) server.push(Canned{502, "{}"});
  Harness h(server.base());
  auto response = h.client->get("/repos/o/r/issues?since=2026-01-01T00:00:00Z");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::network);
  EXPECT_EQ(
      response.error().message,
      "GitHub GET /repos/o/r/issues?since=2026-01-01T00:00:00Z: gave up after 5 attempts; last failure: HTTP 502");
  EXPECT_EQ(server.requests().size(), static_cast<size_t>(max_attempts));
  EXPECT_EQ(h.clock->sleeps().size(), static_cast<size_t>(max_attempts - 1));
}

TEST(GithubClient, TruncatedTransferIsRetried) {
  testing::RawServer server(
      {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
       "Connection: close\r\n\r\n[{\"id\":1}",
       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
       "Connection: close\r\n\r\n[]"});
  Harness h(server.base());
  auto response = h.client->get("/repos/o/r/issues");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "[]");
  EXPECT_EQ(h.stats->total().retries, 1u);
}

TEST(GithubClient, PrimaryRateLimitWaitsUntilResetPlusOneSecond) {
  ScriptedServer server;
  const auto reset = testing::fake_start() + seconds(600);
  const std::string reset_text = std::to_string(std::chrono::duration_cast<seconds>(reset.time_since_epoch()).count());
  server.push(Canned{403,
                     R"({"message":"API rate limit exceeded for user ID 1."})",
                     {{"x-ratelimit-limit", "5000"},
                      {"x-ratelimit-remaining", "0"},
                      {"x-ratelimit-used", "5000"},
                      {"x-ratelimit-reset", reset_text},
                      {"x-ratelimit-resource", "core"}}});
  server.push_json("[]", {{"x-ratelimit-limit", "5000"},
                          {"x-ratelimit-remaining", "4999"},
                          {"x-ratelimit-reset", std::to_string(std::stoll(reset_text) + 3600)}});
  Harness h(server.base());
  std::optional<Timestamp> eta;
  h.clock->on_sleep = [&](Timestamp) { eta = h.limiter->waiting_until(); };
  auto response = h.client->get("/orgs/acme/repos");
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(601)}));
  EXPECT_EQ(eta, reset + seconds(1));  // what a progress display shows as "waiting until"
  EXPECT_FALSE(h.limiter->waiting_until().has_value());
  EXPECT_EQ(h.stats->total().rate_limit_waits, 1u);
  EXPECT_EQ(h.stats->total().retries, 0u);
  EXPECT_EQ(h.limiter->state(Budget::rest).remaining, 4999);
}

TEST(GithubClient, SecondaryRateLimitHonoursRetryAfter) {
  ScriptedServer server;
  server.push(Canned{403,
                     R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes."})",
                     {{"retry-after", "30"}, {"x-ratelimit-remaining", "4000"}}});
  server.push_json("[]");
  Harness h(server.base());
  ASSERT_TRUE(h.client->get("/repos/o/r/issues"));
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(30)}));
}

TEST(GithubClient, SecondaryRateLimitWithoutRetryAfterWaitsAMinuteThenBacksOff) {
  ScriptedServer server;
  const std::string body = R"({"message":"You have exceeded a secondary rate limit"})";
  server.push(Canned{429, body});
  server.push(Canned{403, body});
  server.push_json("[]");
  Harness h(server.base());
  ASSERT_TRUE(h.client->get("/repos/o/r/issues"));
  EXPECT_EQ(h.clock->sleeps(), (std::vector<std::chrono::microseconds>{seconds(60), seconds(120)}));
  EXPECT_EQ(h.stats->total().rate_limit_waits, 2u);
}

TEST(GithubClient, TokenNeverAppearsInErrorsOrLogs) {
  ::testing::internal::CaptureStderr();
  std::vector<std::string> messages;
  {
    ScriptedServer server;
    for (int i = 0; i < max_attempts; ++i) server.push(Canned{500, std::string(R"({"message":"boom"})")});
    server.push(Canned{429, R"({"message":"secondary rate limit"})"});
    server.push_json("{\"broken");
    server.push_json("{}");
    server.push(Canned{401, R"({"message":"Bad credentials"})"});
    Harness h(server.base());
    auto failed = h.client->get("/repos/o/r");
    ASSERT_FALSE(failed);
    messages.push_back(failed.error().message);
    ASSERT_TRUE(h.client->get("/repos/o/r"));
    auto unauthorized = h.client->get("/user");
    ASSERT_TRUE(unauthorized);
    EXPECT_EQ(unauthorized->outcome, Outcome::unauthorized);
    EXPECT_EQ(server.requests().at(0).header("Authorization"), "Bearer " + std::string(token));
  }
  {
    Harness h("http://user:" + std::string(token) + "@127.0.0.1:1");  // nothing listens on port 1
    auto refused = h.client->get("/repos/o/r");
    ASSERT_FALSE(refused);
    messages.push_back(refused.error().message);
    EXPECT_NE(refused.error().message.find("connection failed"), std::string::npos) << refused.error().message;
  }
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(logged.find("retrying"), std::string::npos) << logged;
  EXPECT_EQ(logged.find(token), std::string::npos) << logged;
  for (const auto& message : messages) EXPECT_EQ(message.find(token), std::string::npos) << message;
}

TEST(GithubClient, EndpointFamiliesAreCountedApart) {
  ScriptedServer server;
  server.push_json("[]");
  server.push_json("[]");
  server.push(Canned{304, ""});
  Harness h(server.base());
  ASSERT_TRUE(h.client->get("/repos/a/b/issues?page=2"));
  ASSERT_TRUE(h.client->get("/repos/c/d/issues"));
  ASSERT_TRUE(h.client->get("/orgs/acme/repos"));
  const auto families = h.stats->by_family();
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families.at("/repos/{owner}/{repo}/issues").requests, 2u);
  EXPECT_EQ(families.at("/orgs/{org}/repos").not_modified, 1u);
  const std::string summary = h.stats->summary();
  EXPECT_NE(summary.find("GitHub total: 2 requests, 1 not modified (free)"), std::string::npos) << summary;
}

}  // namespace
}  // namespace ampere::github
