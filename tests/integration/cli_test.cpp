// The real `ampere` binary, run as a user would: subcommands, config, the demo pipeline and the server
// over loopback HTTP.
#include <signal.h>

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include <regex>

#include "db/database.hpp"
#include "http/client.hpp"
#include "process.hpp"
#include "simulator/github_simulator.hpp"
#include "simulator/pypi_downloads_data.hpp"
#include "simulator/synthetic_org.hpp"
#include "support/temp_dir.hpp"

namespace ampere::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const std::string binary = AMPERE_BINARY;

ProcessResult ampere(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                     const std::string& cwd = "") {
  args.insert(args.begin(), binary);
  // Tests never pick up a developer's own configuration or token.
  env.emplace("AMPERE_CONFIG", "");
  env.emplace("GITHUB_TOKEN", "");
  // Nor the real GitHub: a test that needs one passes the simulator's URL.
  env.emplace("AMPERE_GITHUB_API_URL", "http://127.0.0.1:9");
  return run_process(args, env, cwd);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Cli, HelpListsEverySubcommand) {
  const auto r = ampere({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"init", "config", "sync", "build", "serve", "demo", "status"}) {
    EXPECT_TRUE(contains(r.out, std::string("\n  ") + name + " ")) << name << "\n" << r.out;
  }
  const auto demo_help = ampere({"demo", "--help"});
  EXPECT_EQ(demo_help.exit_code, 0);
  for (const char* flag : {"--data-dir", "--no-serve", "--port"}) EXPECT_TRUE(contains(demo_help.out, flag)) << flag;
}

TEST(Cli, VersionNamesAmpereAndDuckDb) {
  const auto r = ampere({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "ampere 0.1.0 (DuckDB v1.4.4)")) << r.out;
}

TEST(Cli, TypoSuggestsTheCommand) {
  const auto r = ampere({"sevre"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "'sevre' is not an ampere command. Did you mean `ampere serve`?")) << r.err;
  const auto unknown = ampere({"kubernetes"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_FALSE(contains(unknown.err, "Did you mean")) << unknown.err;
}

TEST(Cli, InitThenConfigShowExplainsEveryValue) {
  TempDir dir;
  const auto init = ampere({"init", "mrpowers-io", "--packages", "quinn,chispa"}, {}, dir.path().string());
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const fs::path file = dir.path() / "ampere.toml";
  ASSERT_TRUE(fs::exists(file));

  const auto again = ampere({"init", "mrpowers-io"}, {}, dir.path().string());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.err, "already exists; pass --force")) << again.err;

  const auto show =
      ampere({"config", "show"}, {{"AMPERE_PORT", "9123"}, {"GITHUB_TOKEN", "ghp_supersecret"}}, dir.path().string());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(contains(show.out, "config file: ampere.toml")) << show.out;
  EXPECT_TRUE(contains(show.out, "[\"mrpowers-io\"]")) << show.out;
  EXPECT_TRUE(contains(show.out, "[\"quinn\", \"chispa\"]")) << show.out;
  EXPECT_TRUE(contains(show.out, "9123")) << show.out;
  EXPECT_TRUE(contains(show.out, "env AMPERE_PORT")) << show.out;
  EXPECT_TRUE(contains(show.out, "ampere.toml:")) << show.out;
  EXPECT_TRUE(std::regex_search(show.out, std::regex("github.token +set \\(15 characters\\) +env GITHUB_TOKEN")))
      << show.out;
  EXPECT_FALSE(contains(show.out + show.err, "ghp_supersecret")) << "the token must never be printed";
  // Every key is listed with its help.
  for (const char* key :
       {"data_dir", "github.orgs", "github.token_file", "github.api_url", "pypi.packages", "pypi.dependencies",
        "pypi.source", "schedule.github", "schedule.pypi", "server.bind", "server.port"}) {
    EXPECT_TRUE(contains(show.out, std::string(key) + " ")) << key;
  }
}

TEST(Cli, InitSuggestsTheOrgsPythonReposWithReleasesAsPackages) {
  simulator::GithubSimulator github(simulator::SimulatorOptions{});
  auto url = github.start("127.0.0.1", 0);
  ASSERT_TRUE(url) << url.error().message;
  std::vector<std::string> expected;
  for (const auto& package : simulator::python_packages_of(github.model())) expected.push_back(package.name);
  ASSERT_FALSE(expected.empty()) << "the small org must have Python repos with releases";
  ASSERT_LT(static_cast<int64_t>(expected.size()), static_cast<int64_t>(github.model().counts().repos))
      << "and repos that are not, for the test to mean something";

  TempDir dir;
  const auto init = ampere({"init", "ampere-demo"}, {{"AMPERE_GITHUB_API_URL", *url}}, dir.path().string());
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string quoted;
  for (const auto& name : expected) quoted += (quoted.empty() ? "\"" : ", \"") + name + "\"";
  const auto show = ampere({"config", "show"}, {}, dir.path().string());
  EXPECT_TRUE(contains(show.out, "[" + quoted + "]")) << show.out << "\nexpected " << quoted;

  // GitHub unreachable: the file is still written, with no packages and a warning saying what to do.
  TempDir offline;
  const auto unreachable = ampere({"init", "ampere-demo"}, {}, offline.path().string());
  EXPECT_EQ(unreachable.exit_code, 0) << unreachable.err;
  EXPECT_TRUE(contains(unreachable.err, "pypi.packages left empty: edit it, or rerun with --packages"))
      << unreachable.err;
  EXPECT_TRUE(fs::exists(offline.path() / "ampere.toml"));
  github.stop();
}

TEST(Cli, InitRejectsAnInvalidOrganization) {
  TempDir dir;
  const auto r = ampere({"init", "not an org"}, {}, dir.path().string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "'not an org', which is not a GitHub organization")) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "ampere.toml"));
}

TEST(Cli, InvalidConfigStopsWithFileLineKeyAndAcceptedValues) {
  TempDir dir;
  const auto file = dir.write("bad.toml", "[github]\norgs = [\"x\"]\n[server]\nport = 99999\n");
  const auto r = ampere({"--config", file.string(), "config", "show"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, file.string() + ":4: server.port is 99999, out of range; accepted: a whole number from "
                                              "0 to 65535"))
      << r.err;
}

// The expected mart: the synthetic org generated for today, ordered by stars.
std::vector<simulator::SyntheticRepo> expected_repos() {
  simulator::OrgSpec spec;
  spec.now = start_of_day(now_utc());
  auto repos = simulator::generate_org(spec).repos;
  std::sort(repos.begin(), repos.end(), [](const auto& a, const auto& b) {
    return a.stargazers_count != b.stargazers_count ? a.stargazers_count > b.stargazers_count : a.name < b.name;
  });
  return repos;
}

TEST(Demo, BuildsAWarehouseWhoseMartHasTheOrgsRepos) {
  TempDir dir;
  const auto data = dir.path() / "demo";
  const auto r = ampere({"demo", "--no-serve", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "sync ampere-demo: 8 repos (8 changed), 3282 records")) << r.out;
  EXPECT_TRUE(contains(r.out, "sync pypi: ")) << r.out;
  ASSERT_TRUE(fs::exists(data / "warehouse.duckdb"));

  const auto expected = expected_repos();
  {
    auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
    ASSERT_TRUE(database) << database.error().message;
    auto c = (*database)->connect();
    auto rows = c->query(
        "SELECT repo_name, stars, forks, open_issues, org, html_url FROM main.repos "
        "ORDER BY stars DESC, repo_name");
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->row_count(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(rows->text(0, i), expected[i].name);
      EXPECT_EQ(rows->int64(1, i), expected[i].stargazers_count);
      EXPECT_EQ(rows->int64(2, i), expected[i].forks_count);
      EXPECT_EQ(rows->int64(3, i), expected[i].open_issues_count);
      EXPECT_EQ(rows->text(4, i), "ampere-demo");
      EXPECT_EQ(rows->text(5, i), "https://github.com/ampere-demo/" + expected[i].name);
    }
  }

  // Running it again is idempotent: nothing new is loaded and the mart is unchanged.
  const auto again = ampere({"demo", "--no-serve", "--data-dir", data.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "sync ampere-demo: 8 repos (0 changed), 0 records")) << again.out;
  EXPECT_TRUE(contains(again.out, ": 0 REST requests (")) << again.out;
  EXPECT_TRUE(contains(again.out, "sync pypi: up to date")) << again.out;
  auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
  ASSERT_TRUE(database);
  auto c = (*database)->connect();
  EXPECT_EQ(c->query("SELECT count(*) FROM main.repos")->int64(0, 0), 8);
  // The demo's Python packages have 90 days of downloads from the BigQuery stand-in, on the repos too.
  auto packages = c->query(
      "SELECT count(*), min(downloads_total), min(last_day - first_day), "
      "count(*) FILTER (WHERE repo_name IS NOT NULL) FROM main.packages");
  ASSERT_TRUE(packages) << packages.error().message;
  EXPECT_GT(packages->int64(0, 0), 0);
  EXPECT_GT(packages->int64(1, 0), 0);
  EXPECT_GE(packages->int64(2, 0), 88);
  EXPECT_EQ(packages->int64(3, 0), packages->int64(0, 0)) << "each package belongs to its repo";
  EXPECT_GT(c->query("SELECT sum(downloads_total) FROM main.repos")->int64(0, 0), 0);
}

TEST(Serve, AnswersHealthPageApiAndStopsCleanly) {
  TempDir dir;
  const auto data = dir.path() / "demo";
  ASSERT_EQ(ampere({"demo", "--no-serve", "--data-dir", data.string()}).exit_code, 0);

  BackgroundProcess server({binary, "serve", "--data-dir", data.string(), "--port", "0"},
                           {{"AMPERE_CONFIG", ""}, {"GITHUB_TOKEN", ""}});
  const std::string base = server.wait_for_line("dashboard: ", seconds(20));
  ASSERT_TRUE(base.starts_with("http://127.0.0.1:")) << server.output();
  ASSERT_TRUE(fs::exists(data / "ampere.lock"));

  http::Client client;
  auto health = client.get(base + "healthz");
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, 200);

  auto page = client.get(base);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_TRUE(contains(page->content_type, "text/html"));
  EXPECT_TRUE(page->header("Content-Security-Policy").has_value());
  EXPECT_TRUE(contains(page->body, "<span class=\"org\">ampere-demo</span>")) << page->body;
  for (const char* path :
       {"downloads", "feed", "issues", "network-stargazers", "network-followers", "status", "about"}) {
    auto other = client.get(base + path);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200) << path;
    EXPECT_TRUE(contains(other->body, "type=\"module\"")) << path;
  }

  auto api = client.get(base + "api/v1/repos");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  for (const auto& repo : expected_repos()) {
    EXPECT_TRUE(contains(api->body, "\"repo_name\":\"" + repo.name + "\"")) << api->body;
  }

  // The stylesheet is embedded in the binary under a content-hashed name, cached for a year.
  const size_t style_at = page->body.find("/assets/style-");
  ASSERT_NE(style_at, std::string::npos) << page->body;
  const std::string style = page->body.substr(style_at + 1, page->body.find('"', style_at) - style_at - 1);
  auto css = client.get(base + style);
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_TRUE(contains(css->body, "prefers-color-scheme:dark"));  // minified by esbuild
  EXPECT_EQ(css->header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  const auto etag = css->header("ETag");
  ASSERT_TRUE(etag);
  auto cached = client.get(base + style, {{"If-None-Match", *etag}});
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);

  auto missing = client.get(base + "api/v1/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/problem+json");
  auto traversal = client.get(base + "assets/../CMakeLists.txt");
  ASSERT_TRUE(traversal);
  EXPECT_EQ(traversal->status, 404);
  auto post = client.post(base + "healthz", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);

  // A second server on the same data dir is refused with a message naming the first one.
  const auto second = ampere({"serve", "--data-dir", data.string(), "--port", "0"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(contains(second.err, "already serves")) << second.err;
  EXPECT_TRUE(contains(second.err, std::to_string(server.pid()))) << second.err;

  const auto status = ampere({"status", "--data-dir", data.string()});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_TRUE(contains(status.out, "server:    running (pid " + std::to_string(server.pid()))) << status.out;

  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_FALSE(fs::exists(data / "ampere.lock"));
}

TEST(Status, ReportsBuildAndTables) {
  TempDir dir;
  const auto data = dir.path() / "demo";
  const auto none = ampere({"status", "--data-dir", data.string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_TRUE(contains(none.err, "no warehouse at")) << none.err;
  ASSERT_EQ(ampere({"demo", "--no-serve", "--data-dir", data.string()}).exit_code, 0);
  const auto r = ampere({"status", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "last build: 20")) << r.out;
  EXPECT_TRUE(contains(r.out, "repos")) << r.out;
}

TEST(Sync, WithoutAnOrganizationSaysHowToConfigureOne) {
  TempDir dir;
  const auto r = ampere({"sync"}, {}, dir.path().string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "no organization configured; run `ampere init ORG`")) << r.err;
}

}  // namespace
}  // namespace ampere::testing
