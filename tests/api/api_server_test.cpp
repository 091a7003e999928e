// The API's machinery over the small warehouse: rate limiting, CORS, the admin sync, the OpenAPI
// description against the route table, /metrics and /readyz.
#include <set>

#include "api/api_fixture.hpp"
#include "server/api_routes.hpp"

namespace ampere::testing {
namespace {

using nlohmann::json;

class ApiServer : public ApiFixture {};

TEST_F(ApiServer, RateLimitPerClientAnswers429WithRetryAfter) {
  server::ApiOptions options;
  options.rate_limit_per_minute = 3;
  open(std::move(options));
  for (int i = 0; i < 3; ++i) {
    const auto a = call("/api/v1/repos");
    ASSERT_EQ(a.response.status, 200) << i;
    EXPECT_EQ(a.response.header("X-RateLimit-Remaining").value_or(""), std::to_string(2 - i));
  }
  const auto limited = call("/api/v1/repos");
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.response.content_type, "application/problem+json");
  const int retry_after = std::stoi(limited.response.header("Retry-After").value_or("0"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 20);
  // Another client has its own bucket; X-Forwarded-For is not trusted by default.
  EXPECT_EQ(call("/api/v1/repos", {}, "GET", "", "10.0.0.2").response.status, 200);
  EXPECT_EQ(call("/api/v1/repos", {{"X-Forwarded-For", "10.9.9.9"}}).response.status, 429);
  // Pages and probes are not limited.
  EXPECT_EQ(call("/healthz").response.status, 200);
}

TEST_F(ApiServer, TrustedProxyCountsTheForwardedClient) {
  server::ApiOptions options;
  options.rate_limit_per_minute = 1;
  options.trusted_proxy = true;
  open(std::move(options));
  EXPECT_EQ(call("/api/v1/repos", {{"X-Forwarded-For", "1.1.1.1, 10.0.0.5"}}, "GET", "", "10.0.0.1").response.status,
            200);
  EXPECT_EQ(call("/api/v1/repos", {{"X-Forwarded-For", "10.0.0.6"}}, "GET", "", "10.0.0.1").response.status, 200);
  EXPECT_EQ(call("/api/v1/repos", {{"X-Forwarded-For", "9.9.9.9, 10.0.0.5"}}, "GET", "", "10.0.0.1").response.status,
            429);
}

TEST_F(ApiServer, CorsOnlyForConfiguredOrigins) {
  EXPECT_FALSE(call("/api/v1/repos", {{"Origin", "https://a.example"}}).response.header("Access-Control-Allow-Origin"));
  server::ApiOptions options;
  options.cors_origins = {"https://a.example"};
  open(std::move(options));
  auto a = call("/api/v1/repos", {{"Origin", "https://a.example"}});
  EXPECT_EQ(a.response.header("Access-Control-Allow-Origin").value_or(""), "https://a.example");
  EXPECT_FALSE(call("/api/v1/repos", {{"Origin", "https://b.example"}}).response.header("Access-Control-Allow-Origin"));
  a = call("/api/v1/feed", {{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "GET"}}, "OPTIONS");
  EXPECT_EQ(a.response.status, 204);
  EXPECT_EQ(a.response.header("Access-Control-Allow-Origin").value_or(""), "https://a.example");
  EXPECT_TRUE(a.response.header("Access-Control-Allow-Methods"));
}

TEST_F(ApiServer, AdminSyncNeedsTheToken) {
  EXPECT_EQ(call("/api/v1/sync", {}, "POST", R"({"job":"all"})").response.status, 403);  // no token configured

  std::vector<std::string> started;
  server::ApiOptions options;
  options.admin_token = Secret("s3cret-token");
  options.start_sync = [&started](const std::string& job) -> Expected<std::string> {
    if (!started.empty() && started.back() == job) return fail(ErrorKind::conflict, "the " + job + " job is running");
    started.push_back(job);
    return "run-" + job;
  };
  open(std::move(options));
  EXPECT_EQ(call("/api/v1/sync", {}, "POST", R"({"job":"all"})").response.status, 401);
  EXPECT_EQ(call("/api/v1/sync", {{"Authorization", "Bearer wrong"}}, "POST", R"({"job":"all"})").response.status, 401);
  EXPECT_EQ(call("/api/v1/sync", {{"Authorization", "Bearer s3cret-toke"}}, "POST", R"({"job":"all"})").response.status,
            401);
  const http::Headers auth{{"Authorization", "Bearer s3cret-token"}};
  auto a = call("/api/v1/sync", auth, "POST", R"({"job":"everything"})");
  EXPECT_EQ(a.response.status, 400);
  EXPECT_EQ(a.json["parameter"], "job");
  EXPECT_EQ(a.json["allowed"], json::array({"github", "downloads", "all"}));
  EXPECT_EQ(call("/api/v1/sync", auth, "POST", "not json").response.status, 400);
  a = call("/api/v1/sync", auth, "POST", R"({"job":"github"})");
  EXPECT_EQ(a.response.status, 202);
  EXPECT_EQ(a.json["run_id"], "run-github");
  EXPECT_EQ(call("/api/v1/sync", auth, "POST", R"({"job":"github"})").response.status, 409);
  EXPECT_EQ(started, std::vector<std::string>{"github"});
  // The token never shows up in an answer.
  EXPECT_EQ(a.response.body.find("s3cret"), std::string::npos);
}

TEST_F(ApiServer, OpenApiDescribesExactlyTheRoutesServed) {
  const auto a = call("/api/v1/openapi.json");
  ASSERT_EQ(a.response.status, 200);
  ASSERT_TRUE(a.json.is_object()) << a.response.body.substr(0, 200);
  EXPECT_EQ(a.json["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, item] : a.json["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      documented.insert(method + " " + path);
      const auto* route = server::find_api_route(path);
      ASSERT_NE(route, nullptr) << path << " is documented but not served";
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(c));
      EXPECT_EQ(upper, route->method) << path;
      std::set<std::string> params;
      for (const auto& p : op["parameters"]) params.insert(p["name"].get<std::string>());
      EXPECT_EQ(params, std::set<std::string>(route->params.begin(), route->params.end())) << path;
      // Every documented enum is what the route accepts: probe the first and a wrong value.
      for (const auto& p : op["parameters"]) {
        if (!p["schema"].contains("enum") || route->method != "GET") continue;
        std::string base = std::string(path) + "?";
        if (path == "/api/v1/metrics/weekly" && p["name"] != "metric") base += "metric=stars&";
        if (path == "/api/v1/downloads") base += "package=alpha-py&";
        for (const auto& value : p["schema"]["enum"]) {
          const auto ok = call(base + p["name"].get<std::string>() + "=" + value.get<std::string>());
          EXPECT_EQ(ok.response.status, 200) << path << " " << p["name"] << "=" << value << ": " << ok.response.body;
        }
        const auto bad = call(base + p["name"].get<std::string>() + "=not-a-value");
        EXPECT_EQ(bad.response.status, 400) << path << " " << p["name"];
        EXPECT_EQ(bad.json["allowed"], p["schema"]["enum"]) << path << " " << p["name"];
      }
    }
  }
  std::set<std::string> served;
  for (const auto& route : server::api_routes()) {
    std::string method(route.method);
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    served.insert(method + " " + std::string(route.path));
  }
  EXPECT_EQ(documented, served);

  const auto docs = call("/api/docs");
  EXPECT_EQ(docs.response.status, 200);
  EXPECT_TRUE(docs.response.content_type.starts_with("text/html"));
  for (const auto& route : server::api_routes()) {
    EXPECT_NE(docs.response.body.find(std::string(route.path)), std::string::npos) << route.path;
  }
}

TEST_F(ApiServer, MetricsInPrometheusFormat) {
  call("/api/v1/repos");
  call("/api/v1/repos");
  call("/api/v1/feed?limit=0");
  call("/api/v1/nothing/here");
  const auto a = call("/metrics");
  ASSERT_EQ(a.response.status, 200);
  EXPECT_TRUE(a.response.content_type.starts_with("text/plain; version=0.0.4"));
  const std::string& text = a.response.body;
  for (const char* line : {"ampere_http_requests_total{route=\"/api/v1/repos\",status=\"200\"} 2\n",
                           "ampere_http_requests_total{route=\"/api/v1/feed\",status=\"400\"} 1\n",
                           "ampere_http_requests_total{route=\"unknown\",status=\"404\"} 1\n",
                           "ampere_http_request_duration_seconds_count{route=\"/api/v1/repos\"} 2\n",
                           "ampere_http_request_duration_seconds_bucket{route=\"/api/v1/repos\",le=\"+Inf\"} 2\n",
                           "# TYPE ampere_http_request_duration_seconds histogram\n",
                           "ampere_rate_limit_per_minute 120\n", "ampere_rate_limit_remaining_min 11"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_NE(text.find("ampere_last_sync_age_seconds{source=\"github\"} "), std::string::npos) << text;
}

TEST_F(ApiServer, ReadyWhenTheMartsAreBuilt) {
  EXPECT_EQ(call("/readyz").response.status, 200);
  EXPECT_EQ(call("/healthz").response.status, 200);
  auto empty = db::Database::open("");
  ASSERT_TRUE(empty);
  server::App bare(**empty);
  http::Request request;
  request.method = "GET";
  request.path = "/readyz";
  const auto r = bare.handle(request);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("ampere build"), std::string::npos) << r.body;
  // The API over an unbuilt warehouse: 503, never 500.
  request.path = "/api/v1/repos";
  EXPECT_EQ(bare.handle(request).status, 503);
  request.path = "/api/v1/status";
  EXPECT_EQ(bare.handle(request).status, 200);
}

}  // namespace
}  // namespace ampere::testing
