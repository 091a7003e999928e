// The reports (`ampere repos`, `feed`, `downloads`, `issues`) and the API over the demo's synthetic
// organization: table, JSON and CSV from the local warehouse, exit codes and messages for bad options,
// then the same reports through `--server` against a running `ampere serve`, and the API over real HTTP
// (every route, ETag/304, gzip, /metrics, /readyz).
#include <signal.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "process.hpp"
#include "support/temp_dir.hpp"

namespace ampere::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::seconds;

const std::string binary = AMPERE_BINARY;

ProcessResult ampere(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), binary);
  env.emplace("AMPERE_CONFIG", "");
  env.emplace("GITHUB_TOKEN", "");
  env.emplace("NO_COLOR", "1");
  return run_process(args, env);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class Reports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto r = ampere({"demo", "--no-serve", "--data-dir", data().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path data() { return dir_->path() / "demo"; }

  static ProcessResult report(std::vector<std::string> args) {
    args.push_back("--data-dir");
    args.push_back(data().string());
    return ampere(std::move(args));
  }

  static TempDir* dir_;
};

TempDir* Reports::dir_ = nullptr;

TEST_F(Reports, ReposAsTableJsonAndCsv) {
  const auto j = report({"repos", "--format", "json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto body = json::parse(j.out);
  ASSERT_EQ(body["items"].size(), 8u) << j.out;
  const std::string top = body["items"][0]["repo_name"];
  EXPECT_GE(body["items"][0]["stars"].get<int>(), body["items"][1]["stars"].get<int>());
  EXPECT_TRUE(body["as_of"].is_string());

  const auto csv = report({"repos", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("repo_name,full_name,description,")) << csv.out;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 9);

  const auto table = ampere({"repos", "--data-dir", data().string()}, {{"COLUMNS", "80"}});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("Repositories\nrepo ")) << table.out;
  EXPECT_TRUE(contains(table.out, "\n" + top + " ")) << table.out;
  EXPECT_FALSE(contains(table.out, "\x1b[")) << "no colour without a TTY";
  // The demo tracks packages of some repos only: the others' downloads are a dash, not 0.
  EXPECT_TRUE(contains(table.out, " — ")) << table.out;
  std::istringstream lines(table.out);
  for (std::string line; std::getline(lines, line);) {
    size_t width = 0;
    for (const char c : line) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    EXPECT_LE(width, 80u) << line;
  }
}

TEST_F(Reports, FeedListAndSummary) {
  const auto bounds_run = report({"feed", "list", "--format", "json", "--limit", "100000", "--asc"});
  ASSERT_EQ(bounds_run.exit_code, 0) << bounds_run.err;
  const auto all = json::parse(bounds_run.out)["items"];
  ASSERT_GT(all.size(), 10u);
  EXPECT_LE(all[0]["event_at"].get<std::string>(), all[all.size() - 1]["event_at"].get<std::string>());

  const auto five = report({"feed", "list", "--format", "json", "-l", "5"});
  ASSERT_EQ(five.exit_code, 0) << five.err;
  const auto newest = json::parse(five.out)["items"];
  ASSERT_EQ(newest.size(), 5u);
  EXPECT_EQ(newest[0], all[all.size() - 1]);

  const auto stars = report({"feed", "list", "--format", "csv", "-e", "star", "-l", "3"});
  ASSERT_EQ(stars.exit_code, 0) << stars.err;
  EXPECT_TRUE(
      stars.out.starts_with("event_id,event_type,action,repo_name,actor_login,actor_name,title,event_at,link\r\n"))
      << stars.out;
  EXPECT_EQ(std::count(stars.out.begin(), stars.out.end(), '\n'), 4);

  const auto table = report({"feed", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("Feed events\n")) << table.out;

  // The summary counts every event of the window once.
  const auto summary = report({"feed", "summary", "-g", "month", "--n-periods", "600", "--format", "json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  int64_t total = 0;
  const auto periods = json::parse(summary.out);
  for (const auto& period : periods["items"]) total += period["total"].get<int64_t>();
  EXPECT_EQ(total, static_cast<int64_t>(all.size()));
  const auto summary_table = report({"feed", "summary", "-g", "weekly"});
  ASSERT_EQ(summary_table.exit_code, 0) << summary_table.err;
  EXPECT_TRUE(contains(summary_table.out, "GRAND TOTAL")) << summary_table.out;
  EXPECT_TRUE(contains(summary_table.out, "Feed summary by week (")) << summary_table.out;
}

TEST_F(Reports, IssuesAndDownloads) {
  const auto issues = report({"issues", "--format", "json"});
  ASSERT_EQ(issues.exit_code, 0) << issues.err;
  const auto items = json::parse(issues.out)["items"];
  for (size_t i = 1; i < items.size(); ++i) EXPECT_GE(items[i - 1]["age_days"], items[i]["age_days"]);
  const auto summary = report({"issues", "--summary", "--format", "csv"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_TRUE(summary.out.starts_with("repo_name,open_issues,median_age_days,")) << summary.out;
  EXPECT_EQ(report({"issues"}).exit_code, 0);

  // A page at a time: --limit and --offset walk the list; the table says how to get the next page.
  const auto all = json::parse(report({"issues", "--limit", "1000", "--format", "json"}).out);
  const int64_t total = all["total"];
  ASSERT_GT(total, 3);
  ASSERT_EQ(static_cast<int64_t>(all["items"].size()), total);
  const auto second = json::parse(report({"issues", "--limit", "2", "--offset", "2", "--format", "json"}).out);
  ASSERT_EQ(second["items"].size(), 2U);
  EXPECT_EQ(second["items"][0], all["items"][2]);
  EXPECT_EQ(second["next_offset"], 4);
  const auto table = report({"issues", "--limit", "2"});
  EXPECT_TRUE(contains(table.out, "2 of " + std::to_string(total) + " open issues shown; --offset 2")) << table.out;
  const auto bad_limit = report({"issues", "--limit", "0"});
  EXPECT_EQ(bad_limit.exit_code, 2);
  EXPECT_TRUE(contains(bad_limit.err, "limit")) << bad_limit.err;

  // The demo's packages have downloads (from the BigQuery stand-in); a list needs a package.
  const auto downloads = report({"downloads", "summary", "--format", "csv"});
  EXPECT_EQ(downloads.exit_code, 0) << downloads.err;
  EXPECT_FALSE(contains(downloads.out, "No downloads found.")) << downloads.out;
  EXPECT_TRUE(contains(downloads.out, "tessera")) << downloads.out;
  const auto no_package = report({"downloads", "list"});
  EXPECT_EQ(no_package.exit_code, 2);
  EXPECT_TRUE(contains(no_package.err, "parameter 'package' is required")) << no_package.err;
}

// A summary compares whole periods: a month not over yet (the data ends before its last day) is shown
// beside them as "so far", not set against a whole month (it read as a fall of 90%).
TEST_F(Reports, DownloadsSummaryComparesWholePeriods) {
  const auto newest =
      json::parse(report({"downloads", "list", "-p", "tessera", "-g", "day", "--desc", "-l", "1", "--format", "json"})
                      .out)["items"][0]["period_start"]
          .get<std::string>();
  const std::chrono::year_month_day last_day{
      std::chrono::sys_days{std::chrono::year{std::stoi(newest.substr(0, 4))} / std::stoi(newest.substr(5, 2)) /
                            std::stoi(newest.substr(8, 2))}};
  const bool month_over =
      std::chrono::year_month_day{std::chrono::sys_days{last_day} + std::chrono::days{1}}.day() == std::chrono::day{1};
  const std::string newest_month = newest.substr(0, 7);
  const auto r = report({"downloads", "summary", "-p", "tessera", "-g", "month", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = json::parse(r.out);
  ASSERT_FALSE(summary["items"].empty()) << r.out;
  if (month_over) {
    EXPECT_EQ(summary["this_period"], newest_month) << r.out;
    EXPECT_TRUE(summary["so_far_period"].is_null()) << r.out;
  } else {
    EXPECT_EQ(summary["so_far_period"], newest_month) << r.out;
    EXPECT_LT(summary["this_period"].get<std::string>(), newest_month) << r.out;
  }
  for (const auto& item : summary["items"]) {
    EXPECT_EQ(item["so_far"].is_null(), month_over) << item;
    const double last = item["last_period"].get<double>();
    const double now = item["this_period"].get<double>();
    if (last > 0) {
      EXPECT_NEAR(item["pct_change"].get<double>(), 100.0 * (now - last) / last, 1e-9) << item;
    }
  }
  const auto table = report({"downloads", "summary", "-p", "tessera", "-g", "month"});
  EXPECT_EQ(contains(table.out, "month so far"), !month_over) << table.out;
}

TEST_F(Reports, BadOptionsListTheValidChoices) {
  const auto repos = json::parse(report({"repos", "--format", "json"}).out)["items"];
  const std::string name = repos[0]["repo_name"];
  const std::string typo = name.substr(0, name.size() - 1) + "x";
  const auto r = report({"feed", "list", "--repo", typo});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "unknown repo '" + typo + "'; did you mean '" + name + "'?")) << r.err;
  EXPECT_TRUE(contains(r.err, "valid repos: ")) << r.err;
  for (const auto& repo : repos) EXPECT_TRUE(contains(r.err, repo["repo_name"].get<std::string>())) << r.err;

  const auto event = report({"feed", "list", "-e", "likes"});
  EXPECT_EQ(event.exit_code, 2);
  EXPECT_TRUE(contains(event.err, "valid events: star, fork, commit, issue, pull_request")) << event.err;
  const auto sort = report({"issues", "--sort", "votes"});
  EXPECT_EQ(sort.exit_code, 2);
  EXPECT_TRUE(contains(sort.err, "valid sorts: age_days, comments, created_at")) << sort.err;
  const auto format = report({"repos", "--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_TRUE(contains(format.err, "table")) << format.err;
  const auto missing = ampere({"repos", "--data-dir", (dir_->path() / "nothing").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "no warehouse")) << missing.err;
}

TEST_F(Reports, ThroughARunningServeAndTheApiOverHttp) {
  const auto local = report({"repos", "--format", "json"});
  const auto local_feed = report({"feed", "list", "--format", "csv", "-l", "20"});
  BackgroundProcess server({binary, "serve", "--data-dir", data().string(), "--port", "0"},
                           {{"AMPERE_CONFIG", ""}, {"GITHUB_TOKEN", ""}, {"AMPERE_RATE_LIMIT_PER_MINUTE", "0"}});
  std::string base = server.wait_for_line("dashboard: ", seconds(20));
  ASSERT_TRUE(base.starts_with("http://127.0.0.1:")) << server.output();
  base.pop_back();  // the trailing '/'

  const auto remote = ampere({"repos", "--format", "json", "--server", base});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.out, local.out);
  // The data dir held by the server is read through it.
  const auto held = report({"feed", "list", "--format", "csv", "-l", "20"});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  EXPECT_EQ(held.out, local_feed.out);
  const auto typo = ampere({"feed", "list", "--repo", "nope", "--server", base});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_TRUE(contains(typo.err, "valid repos: ")) << typo.err;
  const auto unreachable = ampere({"repos", "--server", "http://127.0.0.1:1"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_TRUE(contains(unreachable.err, "cannot reach ampere at http://127.0.0.1:1")) << unreachable.err;

  http::Client client;
  const std::string repo = json::parse(local.out)["items"][0]["repo_name"];
  const std::vector<std::string> routes{"/api/v1/repos",
                                        "/api/v1/metrics/weekly?metric=stars",
                                        "/api/v1/packages",
                                        "/api/v1/feed?limit=10",
                                        "/api/v1/feed/bounds",
                                        "/api/v1/issues",
                                        "/api/v1/issues/summary",
                                        "/api/v1/networks/stargazers",
                                        "/api/v1/networks/followers",
                                        "/api/v1/status",
                                        "/api/v1/runs",
                                        "/api/v1/openapi.json",
                                        "/api/docs",
                                        "/api/v1/feed?repo=" + repo + "&type=star&order=asc"};
  for (const auto& route : routes) {
    auto r = client.get(base + route);
    ASSERT_TRUE(r) << route;
    EXPECT_EQ(r->status, 200) << route << ": " << r->body.substr(0, 300);
    const auto etag = r->header("ETag");
    ASSERT_TRUE(etag) << route;
    auto again = client.get(base + route, {{"If-None-Match", *etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304) << route;
  }
  auto network = client.get(base + "/api/v1/networks/stargazers");
  const auto nodes = json::parse(network->body)["nodes"];
  EXPECT_EQ(nodes["id"].size(), nodes["x"].size());
  EXPECT_TRUE(nodes["x"][0].is_number()) << "laid out at build time";
  auto weekly = client.get(base + "/api/v1/metrics/weekly?metric=stars&repos=" + repo);
  const auto weeks = json::parse(weekly->body);
  ASSERT_FALSE(weeks["items"].empty());
  for (const auto& week : weeks["items"]) EXPECT_EQ(week["repo_name"], repo);

  // gzip on the wire: curl asks for it and decodes; the header says it was used.
  auto zipped = client.get(base + "/api/v1/feed?limit=200", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->header("Content-Encoding").value_or(""), "gzip");
  EXPECT_TRUE(json::parse(zipped->body)["items"].is_array());

  auto bad = client.get(base + "/api/v1/feed?from=2024-02-30");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->content_type, "application/problem+json");
  EXPECT_EQ(client.get(base + "/api/v1/nothing")->status, 404);
  EXPECT_EQ(client.post(base + "/api/v1/repos", "", "text/plain")->status, 405);
  EXPECT_EQ(client.post(base + "/api/v1/sync", R"({"job":"all"})", "application/json")->status, 403);
  EXPECT_EQ(client.get(base + "/readyz")->status, 200);
  const auto metrics = client.get(base + "/metrics");
  EXPECT_TRUE(contains(metrics->body, "ampere_http_requests_total{route=\"/api/v1/repos\",status=\"200\"}"))
      << metrics->body;
  EXPECT_TRUE(contains(metrics->body, "ampere_last_sync_age_seconds{source=\"github\"}")) << metrics->body;
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST_F(Reports, AdminSyncWithTheToken) {
  BackgroundProcess server({binary, "serve", "--data-dir", data().string(), "--port", "0"},
                           {{"AMPERE_CONFIG", ""}, {"GITHUB_TOKEN", ""}, {"AMPERE_ADMIN_TOKEN", "t0ken"}});
  std::string base = server.wait_for_line("dashboard: ", seconds(20));
  ASSERT_FALSE(base.empty()) << server.output();
  http::Client client;
  EXPECT_EQ(client.post(base + "api/v1/sync", R"({"job":"all"})", "application/json")->status, 401);
  EXPECT_EQ(client.post(base + "api/v1/sync", R"({"job":"all"})", "application/json", {{"Authorization", "Bearer x"}})
                ->status,
            401);
  // No organization is configured here: the scheduler runs only the "all" job, and says so.
  auto unconfigured =
      client.post(base + "api/v1/sync", R"({"job":"github"})", "application/json", {{"Authorization", "Bearer t0ken"}});
  ASSERT_TRUE(unconfigured);
  EXPECT_EQ(unconfigured->status, 400) << unconfigured->body;
  EXPECT_TRUE(contains(unconfigured->body, "the jobs are: all")) << unconfigured->body;
  auto started =
      client.post(base + "api/v1/sync", R"({"job":"all"})", "application/json", {{"Authorization", "Bearer t0ken"}});
  ASSERT_TRUE(started);
  EXPECT_EQ(started->status, 202) << started->body;
  EXPECT_TRUE(json::parse(started->body)["run_id"].is_string());
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace ampere::testing
