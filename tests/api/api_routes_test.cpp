// Every /api/v1 route over the small hand-written warehouse (api_fixture.hpp): the data, each class of
// bad input, ETag/304, gzip, CSV, Cache-Control.
#include <algorithm>
#include <set>

#include "api/api_fixture.hpp"
#include "server/api_routes.hpp"

namespace ampere::testing {
namespace {

using nlohmann::json;

class ApiRoutes : public ApiFixture {};

std::vector<std::string> field(const json& items, const char* name) {
  std::vector<std::string> out;
  for (const auto& item : items)
    out.push_back(item[name].is_string() ? item[name].get<std::string>() : item[name].dump());
  return out;
}

void expect_problem(const Answer& a, const std::string& parameter, int status = 400) {
  EXPECT_EQ(a.response.status, status) << a.response.body;
  EXPECT_EQ(a.response.content_type, "application/problem+json");
  ASSERT_TRUE(a.json.is_object()) << a.response.body;
  for (const char* key : {"type", "title", "status", "detail", "parameter", "allowed"}) {
    EXPECT_TRUE(a.json.contains(key)) << key << " in " << a.response.body;
  }
  EXPECT_EQ(a.json["status"], status);
  if (!parameter.empty()) {
    EXPECT_EQ(a.json["parameter"], parameter) << a.response.body;
  }
}

TEST_F(ApiRoutes, ReposInContractFieldsByStars) {
  const auto a = call("/api/v1/repos");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.response.content_type, "application/json");
  EXPECT_EQ(a.json["as_of"], "2024-03-20T12:00:00Z");
  const auto& items = a.json["items"];
  EXPECT_EQ(field(items, "repo_name"), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  std::vector<std::string> keys;
  for (const auto& [k, v] : items[0].items()) keys.push_back(k);
  const std::set<std::string> expected{
      "repo_name", "full_name",   "description", "language",        "license",          "topics",
      "html_url",  "stars",       "forks",       "open_issues",     "created_at",       "pushed_at",
      "age_days",  "is_archived", "is_fork",     "downloads_total", "downloads_last_7d"};
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), expected);
  EXPECT_EQ(items[0]["topics"], json::array({"db", "fast"}));
  EXPECT_EQ(items[0]["created_at"], "2024-02-26T10:00:00Z");
  EXPECT_EQ(items[0]["stars"], 5);
  EXPECT_EQ(items[0]["downloads_last_7d"], 40);
  EXPECT_TRUE(items[1]["license"].is_null());
  EXPECT_TRUE(items[1]["description"].is_null());
  EXPECT_EQ(items[1]["topics"], json::array());
  EXPECT_EQ(items[2]["is_archived"], true);
}

TEST_F(ApiRoutes, ReposAsCsv) {
  const auto a = call("/api/v1/repos?format=csv");
  ASSERT_EQ(a.response.status, 200);
  EXPECT_EQ(a.response.content_type, "text/csv; charset=utf-8");
  const std::string& csv = a.response.body;
  EXPECT_TRUE(
      csv.starts_with("repo_name,full_name,description,language,license,topics,html_url,stars,forks,"
                      "open_issues,created_at,pushed_at,age_days,is_archived,is_fork,downloads_total,"
                      "downloads_last_7d\r\n"))
      << csv;
  EXPECT_NE(csv.find("alpha,acme/alpha,The alpha repo,C++,MIT,db;fast,https://github.com/acme/alpha,5,2,3,"
                     "2024-02-26T10:00:00Z,2024-03-19T08:00:00Z,23,false,false,100,40\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"Gamma, \"\"quoted\"\"\""), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

TEST_F(ApiRoutes, WeeklyMetrics) {
  auto a = call("/api/v1/metrics/weekly?metric=stars&repos=alpha");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["metric"], "stars");
  const auto& items = a.json["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(field(items, "week_start"), (std::vector<std::string>{"2024-03-04", "2024-03-11", "2024-03-18"}));
  EXPECT_EQ(field(items, "value"), (std::vector<std::string>{"2", "4", "5"}));
  EXPECT_EQ(field(items, "change"), (std::vector<std::string>{"2", "2", "1"}));
  EXPECT_EQ(items[2]["is_partial_week"], true);

  a = call("/api/v1/metrics/weekly?metric=commits&from=2024-03-11&to=2024-03-17");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(field(a.json["items"], "repo_name"), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(field(a.json["items"], "value"), (std::vector<std::string>{"12", "0"}));

  a = call("/api/v1/metrics/weekly?metric=forks&repos=alpha,beta&from=2024-03-18T08:00:00Z");
  EXPECT_EQ(field(a.json["items"], "value"), (std::vector<std::string>{"2", "0"}));

  expect_problem(call("/api/v1/metrics/weekly"), "metric");
  a = call("/api/v1/metrics/weekly?metric=likes");
  expect_problem(a, "metric");
  EXPECT_EQ(a.json["allowed"].size(), 7u);
  a = call("/api/v1/metrics/weekly?metric=stars&repos=alpha,alpah");
  expect_problem(a, "repos");
  EXPECT_NE(a.json["detail"].get<std::string>().find("did you mean 'alpha'"), std::string::npos) << a.json["detail"];
  EXPECT_EQ(a.json["allowed"], json::array({"alpha", "beta", "gamma"}));
}

TEST_F(ApiRoutes, PackagesAndDownloads) {
  auto a = call("/api/v1/packages");
  ASSERT_EQ(a.response.status, 200);
  EXPECT_EQ(field(a.json["items"], "package"), (std::vector<std::string>{"alpha-py", "pyspark"}));
  EXPECT_EQ(a.json["items"][0]["first_day"], "2024-03-01");
  EXPECT_TRUE(a.json["items"][1]["repo_name"].is_null());

  a = call("/api/v1/downloads?package=alpha-py&granularity=day");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["package"], "alpha-py");
  EXPECT_EQ(a.json["granularity"], "day");
  EXPECT_EQ(a.json["group"], "overall");
  EXPECT_EQ(field(a.json["items"], "downloads"), (std::vector<std::string>{"10", "20", "30", "40"}));
  EXPECT_EQ(a.json["items"][0]["period_start"], "2024-03-01T00:00:00Z");
  EXPECT_EQ(a.json["items"][0]["group_value"], "overall");

  a = call("/api/v1/downloads?package=alpha-py&granularity=day&from=2024-03-02&to=2024-03-03");
  EXPECT_EQ(field(a.json["items"], "downloads"), (std::vector<std::string>{"20", "30"}));
  a = call("/api/v1/downloads?package=alpha-py");  // week, overall by default
  EXPECT_EQ(field(a.json["items"], "downloads"), (std::vector<std::string>{"60", "40"}));
  a = call("/api/v1/downloads?package=alpha-py&group=country");
  EXPECT_EQ(field(a.json["items"], "group_value"), (std::vector<std::string>{"US", "other"}));

  a = call("/api/v1/downloads?package=alpha-pi");
  expect_problem(a, "package");
  EXPECT_EQ(a.json["allowed"], json::array({"alpha-py", "pyspark"}));
  expect_problem(call("/api/v1/downloads"), "package");
  a = call("/api/v1/downloads?package=alpha-py&granularity=daily");
  expect_problem(a, "granularity");
  EXPECT_EQ(a.json["allowed"], json::array({"hour", "day", "week", "month"}));
  expect_problem(call("/api/v1/downloads?package=alpha-py&group=planet"), "group");
}

TEST_F(ApiRoutes, FeedFiltersAndOrder) {
  auto a = call("/api/v1/feed");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  const auto& items = a.json["items"];
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0]["event_id"], "issue:2:5:closed");
  EXPECT_TRUE(a.json["next_cursor"].is_null());
  // Fields in the contract's order.
  EXPECT_TRUE(a.response.body.starts_with(
      R"({"as_of":"2024-03-20T12:00:00Z","items":[{"event_id":"issue:2:5:closed","event_type":"issue",)"
      R"("action":"closed","repo_name":"beta","actor_login":null,"actor_name":null,"title":"Crash on start",)"
      R"("event_at":"2024-03-19T14:00:00Z","link":"https://github.com/acme/beta/issues/5"},)"))
      << a.response.body;
  EXPECT_EQ(items[5]["action"], "created");  // a star
  EXPECT_EQ(items[5]["event_at"], "2024-03-01T09:00:00Z");

  a = call("/api/v1/feed?order=asc");
  EXPECT_EQ(a.json["items"][0]["event_id"], "star:1:101");
  a = call("/api/v1/feed?type=issue");
  EXPECT_EQ(field(a.json["items"], "event_id"), (std::vector<std::string>{"issue:2:5:closed", "issue:2:5:opened"}));
  a = call("/api/v1/feed?action=created&order=asc");
  EXPECT_EQ(field(a.json["items"], "event_id"), (std::vector<std::string>{"star:1:101", "fork:1:7", "commit:1:abc"}));
  a = call("/api/v1/feed?user=ANN");
  EXPECT_EQ(a.json["items"].size(), 2u);
  a = call("/api/v1/feed?repo=beta&action=closed");
  EXPECT_EQ(field(a.json["items"], "event_id"), (std::vector<std::string>{"issue:2:5:closed"}));
  a = call("/api/v1/feed?from=2024-03-05&to=2024-03-12");
  EXPECT_EQ(field(a.json["items"], "event_id"),
            (std::vector<std::string>{"issue:2:5:opened", "commit:1:abc", "fork:1:7"}));
  a = call("/api/v1/feed?action=reopened");
  EXPECT_EQ(a.json["items"].size(), 0u);
}

TEST_F(ApiRoutes, FeedCursorWalksEveryEventOnce) {
  for (const std::string order : {"desc", "asc"}) {
    const auto all = call("/api/v1/feed?order=" + order).json["items"];
    json walked = json::array();
    std::string cursor;
    int pages = 0;
    do {
      const auto a = call("/api/v1/feed?limit=4&order=" + order + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(a.response.status, 200) << a.response.body;
      for (const auto& item : a.json["items"]) walked.push_back(item);
      cursor = a.json["next_cursor"].is_null() ? "" : a.json["next_cursor"].get<std::string>();
      ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 2) << order;
    EXPECT_EQ(walked, all) << order;
  }
  const auto first = call("/api/v1/feed?limit=1").json;
  const std::string cursor = first["next_cursor"];
  expect_problem(call("/api/v1/feed?limit=1&order=asc&cursor=" + cursor), "cursor");
  expect_problem(call("/api/v1/feed?cursor=zz"), "cursor");
  expect_problem(call("/api/v1/feed?cursor=6162"), "cursor");
  expect_problem(call("/api/v1/feed?limit=0"), "limit");
  expect_problem(call("/api/v1/feed?limit=1001"), "limit");
  expect_problem(call("/api/v1/feed?limit=ten"), "limit");
  expect_problem(call("/api/v1/feed?type=stars"), "type");
  expect_problem(call("/api/v1/feed?action=updated"), "action");
  expect_problem(call("/api/v1/feed?order=up"), "order");
  expect_problem(call("/api/v1/feed?repo=delta"), "repo");
}

TEST_F(ApiRoutes, FeedBounds) {
  auto a = call("/api/v1/feed/bounds");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["first_event_at"], "2024-03-01T09:00:00Z");
  EXPECT_EQ(a.json["last_event_at"], "2024-03-19T14:00:00Z");
  EXPECT_EQ(a.json["count"], 6);
  a = call("/api/v1/feed/bounds?repo=beta");
  EXPECT_EQ(a.json["count"], 2);
  a = call("/api/v1/feed/bounds?repo=gamma");
  EXPECT_EQ(a.json["count"], 0);
  EXPECT_TRUE(a.json["first_event_at"].is_null());
  expect_problem(call("/api/v1/feed/bounds?from=2024-01-01"), "from");
  expect_problem(call("/api/v1/feed/bounds?format=csv"), "format");
}

TEST_F(ApiRoutes, IssuesAndSummary) {
  auto a = call("/api/v1/issues");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"7", "1", "2"}));
  EXPECT_EQ(a.json["items"][1]["labels"], json::array({"bug", "perf"}));
  a = call("/api/v1/issues?q=slow");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"7", "1"}));
  a = call("/api/v1/issues?repo=alpha&sort=comments&order=asc");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"2", "1"}));
  a = call("/api/v1/issues?sort=created_at&order=asc");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"7", "1", "2"}));
  expect_problem(call("/api/v1/issues?sort=votes"), "sort");
  expect_problem(call("/api/v1/issues?repo=Alpha"), "repo");

  // The author's login is searched too; the title sort is case-insensitive.
  a = call("/api/v1/issues?q=ANN");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"1"}));
  a = call("/api/v1/issues?sort=title&order=asc");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"7", "2", "1"}));
  a = call("/api/v1/issues?sort=author_login&order=asc");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"1", "2", "7"}));
}

TEST_F(ApiRoutes, IssuesComeInPages) {
  auto a = call("/api/v1/issues");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["total"], 3);
  EXPECT_TRUE(a.json["next_offset"].is_null());
  a = call("/api/v1/issues?limit=2");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"7", "1"}));
  EXPECT_EQ(a.json["total"], 3);
  EXPECT_EQ(a.json["next_offset"], 2);
  a = call("/api/v1/issues?limit=2&offset=2");
  EXPECT_EQ(field(a.json["items"], "issue_number"), (std::vector<std::string>{"2"}));
  EXPECT_TRUE(a.json["next_offset"].is_null());
  // Past the end: no items, the total still right.
  a = call("/api/v1/issues?offset=10");
  EXPECT_TRUE(a.json["items"].empty());
  EXPECT_EQ(a.json["total"], 3);
  // The total follows the filters, not the page.
  a = call("/api/v1/issues?repo=alpha&limit=1");
  EXPECT_EQ(a.json["total"], 2);
  EXPECT_EQ(a.json["next_offset"], 1);
  a = call("/api/v1/issues?limit=1&offset=1&format=csv");
  EXPECT_EQ(std::count(a.response.body.begin(), a.response.body.end(), '\n'), 2) << a.response.body;
  EXPECT_NE(a.response.body.find("Slow query"), std::string::npos);
  expect_problem(call("/api/v1/issues?limit=0"), "limit");
  expect_problem(call("/api/v1/issues?limit=1001"), "limit");
  expect_problem(call("/api/v1/issues?offset=-1"), "offset");
}

TEST_F(ApiRoutes, IssuesSummary) {
  auto a = call("/api/v1/issues/summary");
  ASSERT_EQ(a.response.status, 200);
  const auto& items = a.json["items"];
  EXPECT_EQ(field(items, "repo_name"), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(items[1]["median_days_to_close_90d"], 3.5);
  EXPECT_TRUE(items[0]["median_days_to_close_90d"].is_null());
  EXPECT_EQ(items[0]["open_pull_requests"], 1);
  a = call("/api/v1/issues/summary?format=csv");
  EXPECT_TRUE(
      a.response.body.starts_with("repo_name,open_issues,median_age_days,opened_this_month,"
                                  "closed_this_month,open_pull_requests,median_days_to_close_90d\r\n"))
      << a.response.body;
  EXPECT_NE(a.response.body.find("beta,1,49,0,1,0,3.5\r\n"), std::string::npos) << a.response.body;
}

TEST_F(ApiRoutes, Networks) {
  auto a = call("/api/v1/networks/stargazers");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  const auto& nodes = a.json["nodes"];
  EXPECT_EQ(nodes["id"], json::array({"repo:1", "repo:2", "user:101", "user:102"}));
  EXPECT_EQ(nodes["type"], json::array({"repo", "repo", "user", "user"}));
  EXPECT_EQ(nodes["group"], json::array({"alpha", "beta", "alpha", "alpha"}));
  EXPECT_EQ(nodes["x"], json::array({1.5, nullptr, 0.25, nullptr}));
  EXPECT_EQ(nodes["y"], json::array({-2.0, nullptr, 0.5, nullptr}));
  EXPECT_EQ(nodes["followers"], json::array({nullptr, nullptr, 10, 4}));
  EXPECT_EQ(a.json["edges"]["source"], json::array({2, 2, 3}));
  EXPECT_EQ(a.json["edges"]["target"], json::array({0, 1, 0}));
  EXPECT_FALSE(a.json.contains("items"));

  a = call("/api/v1/networks/followers");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["nodes"]["id"], json::array({"101", "102", "105"}));
  EXPECT_EQ(a.json["nodes"]["label"], json::array({"Ann", "bob", "dee"}));
  EXPECT_EQ(a.json["nodes"]["name"], json::array({"Ann A", nullptr, nullptr}));
  // Positions keep 6 significant digits of the layout's extent (1234.57: two decimals).
  EXPECT_EQ(a.json["nodes"]["x"], json::array({3.14, nullptr, nullptr}));
  EXPECT_EQ(a.json["nodes"]["y"], json::array({-1234.57, nullptr, nullptr}));
  EXPECT_NE(a.response.body.find("[3.14,null,null]"), std::string::npos) << "short decimals on the wire";
  EXPECT_EQ(a.json["nodes"]["internal_following"], json::array({1, 1, 0}));
  EXPECT_EQ(a.json["edges"]["source"], json::array({0, 1}));
  EXPECT_EQ(a.json["edges"]["target"], json::array({1, 0}));
  EXPECT_EQ(a.json["edges"]["mutual"], json::array({true, true}));
  expect_problem(call("/api/v1/networks/followers?format=csv"), "format");
}

// A network too big for server.memory_limit_mb is still answered (once without the limit, with a
// warning saying to raise it), and the limit is back afterwards.
TEST_F(ApiRoutes, AQueryOverTheMemoryLimitIsAnsweredWithoutIt) {
  run_sql(
      "INSERT INTO main.network_follower_nodes SELECT 1000 + i, 'u' || i, NULL, 0, 0, 0, 0 FROM range(200000) t(i);"
      "INSERT INTO main.network_follower_edges SELECT 1000 + i % 200000, 1000 + (i * 7919) % 200000, false "
      "FROM range(3000000) t(i)");
  ASSERT_TRUE(db_->set_memory_limit_mb(8));
  ::testing::internal::CaptureStderr();
  auto a = call("/api/v1/networks/followers");
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(a.response.status, 200) << a.response.body.substr(0, 300) << "\n" << log;
  EXPECT_EQ(a.json["edges"]["source"].size(), 3000002U);
  EXPECT_NE(log.find("needed more than server.memory_limit_mb (8 MiB)"), std::string::npos) << log;
  EXPECT_EQ(db_->memory_limit_mb(), 8);
}

TEST_F(ApiRoutes, StatusAndRunsEmptyUntilTheirMartsExist) {
  auto a = call("/api/v1/status");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["items"], json::array());
  EXPECT_EQ(a.json["pages"], json::array());
  a = call("/api/v1/runs");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(a.json["items"], json::array());
  EXPECT_TRUE(call("/api/v1/runs?format=csv").response.body.starts_with("run_id,run_kind,source_name,status"))
      << call("/api/v1/runs?format=csv").response.body;

  run_sql(status_marts_sql);
  app_->data_changed();
  a = call("/api/v1/status");
  ASSERT_EQ(a.response.status, 200) << a.response.body;
  EXPECT_EQ(field(a.json["items"], "asset"), (std::vector<std::string>{"github.stargazers", "pypi.downloads"}));
  EXPECT_EQ(a.json["items"][1]["pages"], json::array({"/downloads", "/"}));
  const auto& pages = a.json["pages"];
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(
      pages[0],
      json({{"page", "/"}, {"state", "stale"}, {"oldest_data_at", "2024-03-18T00:00:00Z"}, {"hours_stale", 60.0}}));
  EXPECT_EQ(pages[2]["page"], "/network-stargazers");
  EXPECT_EQ(pages[2]["state"], "ok");

  a = call("/api/v1/runs");
  EXPECT_EQ(field(a.json["items"], "run_id"), (std::vector<std::string>{"r2", "r1"}));
  EXPECT_EQ(a.json["items"][1]["rows_written"], 120);
  EXPECT_EQ(a.json["items"][0]["error"], "model x failed");
  a = call("/api/v1/runs?limit=1");
  EXPECT_EQ(a.json["items"].size(), 1u);
  expect_problem(call("/api/v1/runs?limit=-1"), "limit");
}

TEST_F(ApiRoutes, BadDatesAreProblemsNamingTheParameter) {
  for (const std::string route :
       {"/api/v1/feed?", "/api/v1/metrics/weekly?metric=stars&", "/api/v1/downloads?package=alpha-py&"}) {
    expect_problem(call(route + "from=2024-13-01"), "from");
    expect_problem(call(route + "to=yesterday"), "to");
    expect_problem(call(route + "from=2024-03-10&to=2024-03-09"), "from");
    expect_problem(call(route + "from=1999-12-31"), "from");
    expect_problem(call(route + "to=2100-01-01"), "to");
    EXPECT_EQ(call(route + "from=2024-03-10&to=2024-03-10").response.status, 200);
    EXPECT_EQ(call(route + "from=2024-03-10T23:59:59%2B02:00").response.status, 200);
  }
  const auto a = call("/api/v1/feed?from=2024-13-01");
  EXPECT_NE(a.json["detail"].get<std::string>().find("YYYY-MM-DD"), std::string::npos);
}

TEST_F(ApiRoutes, UnknownParametersAndMalformedQueries) {
  auto a = call("/api/v1/repos?sort=stars");
  expect_problem(a, "sort");
  EXPECT_EQ(a.json["allowed"], json::array({"format"}));
  a = call("/api/v1/feed?limit=5&limit=6");
  expect_problem(a, "limit");
  a = call("/api/v1/feed?repo=%zz");
  expect_problem(a, "");
  a = call("/api/v1/repos?format=xml");
  expect_problem(a, "format");
  EXPECT_EQ(a.json["allowed"], json::array({"json", "csv"}));
  // An empty value counts as not given.
  EXPECT_EQ(call("/api/v1/feed?repo=&type=").response.status, 200);
}

TEST_F(ApiRoutes, UnknownRouteIs404AndWrongMethodIs405) {
  auto a = call("/api/v1/nothing");
  EXPECT_EQ(a.response.status, 404);
  EXPECT_EQ(a.response.content_type, "application/problem+json");
  a = call("/api/v1/repos", {}, "POST");
  EXPECT_EQ(a.response.status, 405);
  EXPECT_EQ(a.response.header("Allow").value_or(""), "GET, HEAD, OPTIONS");
  EXPECT_EQ(call("/api/v1/feed", {}, "DELETE").response.status, 405);
  a = call("/api/v1/sync");
  EXPECT_EQ(a.response.status, 405);
  EXPECT_EQ(a.response.header("Allow").value_or(""), "POST, OPTIONS");
  EXPECT_EQ(call("/api/v1/repos", {}, "HEAD").response.status, 200);
  EXPECT_EQ(call("/api/v1/repos", {}, "OPTIONS").response.status, 204);
}

TEST_F(ApiRoutes, EtagAnswers304AndChangesWithTheData) {
  const auto first = call("/api/v1/repos");
  const auto etag = first.response.header("ETag");
  ASSERT_TRUE(etag.has_value());
  EXPECT_EQ(etag->size(), 18u);
  EXPECT_EQ(first.response.header("Cache-Control").value_or(""), "no-cache");
  const auto again = call("/api/v1/repos", {{"If-None-Match", *etag}});
  EXPECT_EQ(again.response.status, 304);
  EXPECT_TRUE(again.response.body.empty());
  EXPECT_EQ(again.response.header("ETag"), etag);
  EXPECT_EQ(call("/api/v1/repos", {{"If-None-Match", "\"other\", W/" + *etag}}).response.status, 304);
  EXPECT_EQ(call("/api/v1/repos", {{"If-None-Match", "\"other\""}}).response.status, 200);
  // The CSV form is a different body with its own tag.
  EXPECT_NE(call("/api/v1/repos?format=csv").response.header("ETag"), etag);
  // Parameter order does not matter to the cache or the tag.
  EXPECT_EQ(call("/api/v1/feed?type=star&limit=2").response.header("ETag"),
            call("/api/v1/feed?limit=2&type=star").response.header("ETag"));

  run_sql("UPDATE main.repos SET stars = 6 WHERE repo_name = 'alpha'");
  EXPECT_EQ(call("/api/v1/repos", {{"If-None-Match", *etag}}).response.status, 304);  // cached until a build
  app_->data_changed();
  const auto changed = call("/api/v1/repos", {{"If-None-Match", *etag}});
  EXPECT_EQ(changed.response.status, 200);
  EXPECT_EQ(changed.json["items"][0]["stars"], 6);
  EXPECT_NE(changed.response.header("ETag"), etag);
}

TEST_F(ApiRoutes, CachedBodiesAreSharedNotCopied) {
  // Every answer from the cache points at the one stored body: 64 clients fetching a 20 MB network
  // must not hold 64 copies of it.
  http::Request request;
  request.method = "GET";
  request.path = "/api/v1/repos";
  request.remote_address = "127.0.0.1";
  const http::Response first = app_->handle(request);
  const http::Response second = app_->handle(request);
  ASSERT_EQ(first.status, 200);
  ASSERT_TRUE(first.shared_body && second.shared_body);
  EXPECT_TRUE(first.body.empty());
  EXPECT_EQ(first.payload().data(), second.payload().data());
  EXPECT_FALSE(nlohmann::json::parse(first.payload(), nullptr, false).is_discarded());
  // The bytes stay valid after the cache forgets them (a build finished while the answer was written).
  app_->data_changed();
  const http::Response third = app_->handle(request);
  EXPECT_NE(third.payload().data(), first.payload().data());
  EXPECT_EQ(third.payload(), first.payload());
}

TEST_F(ApiRoutes, GzipWhenAskedAndCacheControlUntilTheNextBuild) {
  server::ApiOptions options;
  options.next_build_at = [] { return std::optional<Timestamp>(now_utc() + std::chrono::hours(1)); };
  open(std::move(options));
  const auto plain = call("/api/v1/feed");
  const auto zipped = call("/api/v1/feed", {{"Accept-Encoding", "br, gzip"}});
  ASSERT_EQ(zipped.response.status, 200);
  EXPECT_EQ(zipped.response.header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(zipped.response.header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_TRUE(zipped.response.body.starts_with("\x1f\x8b")) << zipped.response.body.substr(0, 10);
  EXPECT_LT(zipped.response.body.size(), plain.response.body.size());
  EXPECT_EQ(zipped.response.header("ETag"), plain.response.header("ETag"));
  EXPECT_FALSE(call("/api/v1/feed", {{"Accept-Encoding", "gzip;q=0"}}).response.header("Content-Encoding"));
  const std::string cache_control = plain.response.header("Cache-Control").value_or("");
  EXPECT_TRUE(cache_control == "public, max-age=3600" || cache_control == "public, max-age=3599") << cache_control;
  // Runs are a mart: cached until the next build like the others.
  EXPECT_TRUE(call("/api/v1/runs").response.header("Cache-Control").value_or("").starts_with("public, max-age="));
}

TEST_F(ApiRoutes, NoBadInputEverAnswers500) {
  server::ApiOptions unlimited;
  unlimited.rate_limit_per_minute = 0;
  open(std::move(unlimited));
  const std::vector<std::string> values{"",
                                        "%00",
                                        "%C0%AF",
                                        "%ED%A0%80",
                                        "%FF",
                                        "%0A",
                                        "x",
                                        "-1",
                                        "99999999999999999999",
                                        "2024-02-30",
                                        "'; DROP TABLE repos; --",
                                        "%E2%82",
                                        "a,b,,c",
                                        "%27%20OR%201%3D1",
                                        "1e3",
                                        "desc%0A"};
  for (const auto& route : server::api_routes()) {
    for (const auto& name : route.params) {
      for (const auto& value : values) {
        const auto a =
            call(std::string(route.path) + "?" + std::string(name) + "=" + value, {}, std::string(route.method));
        EXPECT_LT(a.response.status, 500) << route.path << "?" << name << "=" << value << ": " << a.response.body;
      }
    }
  }
  EXPECT_EQ(call("/api/v1/repos").json["items"].size(), 3u);  // still there
}

}  // namespace
}  // namespace ampere::testing
