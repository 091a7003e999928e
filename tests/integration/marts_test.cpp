// The marts, built by the real model runner (the embedded models, tests and sources) over a small
// hand-written org written to a temporary lake with append_raw. Every expected value is worked out by
// hand from the records below; the comments show the arithmetic.
//
// "Now" is the latest retrieved_at: 2024-03-20T12:00:00Z, a Wednesday. So the current ISO week starts
// Monday 2024-03-18, the current calendar month is March 2024, and 90 days ago is 2023-12-21T12:00Z.
//
// The org "acme":
//   repo 1 alpha  created Mon 2024-02-26 10:00, but its first commit is older (Tue 2024-02-20).
//   repo 2 beta   created Wed 2023-11-15 00:00.
//   repo 3 gamma  created Fri 2023-12-01 00:00; nothing ever happened in it.
//   users  101 ann (10 followers, follows 4), 102 bob (4, 2), 105 dee (0, 1): profiles fetched;
//          103 cy: never fetched (no profile); 104: deleted ({"id":104,"deleted":true}).
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/lake_views.hpp"
#include "lake/raw_lake.hpp"
#include "support/temp_dir.hpp"
#include "util/raw_record.hpp"
#include "util/time.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::warehouse {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFirstSync = "2024-03-13T12:00:00Z";
constexpr const char* kNow = "2024-03-20T12:00:00Z";

RawRecord record(std::vector<RawKey> keys, const char* at, std::string payload) {
  return RawRecord{std::move(keys), *parse_iso8601(at), at == std::string(kNow) ? "s2" : "s1", std::move(payload)};
}

RawKey id(int64_t value) {
  return RawKey{value};
}

struct RawBatch {
  RawTable table;
  std::vector<RawRecord> records;
};

std::string repo_json(int64_t repo_id, const char* name, int64_t stars, int64_t forks, int64_t open_issues,
                      const char* created_at) {
  return fmt::format(
      R"({{"id":{0},"name":"{1}","full_name":"acme/{1}","owner":{{"login":"acme","id":9000}},"description":"The {1} repo",)"
      R"("language":"C++","html_url":"https://github.com/acme/{1}","stargazers_count":{2},"forks_count":{3},)"
      R"("open_issues_count":{4},"archived":false,"fork":false,"created_at":"{5}","pushed_at":"2024-03-19T08:00:00Z"}})",
      repo_id, name, stars, forks, open_issues, created_at);
}

std::string star_json(int64_t user_id, const char* login, const char* starred_at) {
  return fmt::format(R"({{"starred_at":"{}","user":{{"login":"{}","id":{}}}}})", starred_at, login, user_id);
}

// An issue or, with `pull_request` set to its JSON, a pull request, as GET /repos/{o}/{r}/issues lists it.
std::string issue_json(int64_t issue_id, const char* repo, int64_t number, const char* title, int64_t author_id,
                       const char* author, const char* created_at, const char* closed_at, const char* pull_request = "",
                       const char* labels = "[]", int64_t comments = 0, const char* body = "null") {
  const bool is_pr = *pull_request != '\0';
  return fmt::format(
      R"({{"id":{0},"number":{1},"title":"{2}","body":{3},"state":"{4}",)"
      R"("html_url":"https://github.com/acme/{5}/{6}/{1}","user":{{"login":"{7}","id":{8}}},"comments":{9},)"
      R"("labels":{10},"created_at":"{11}","updated_at":"{12}","closed_at":{13}{14}}})",
      issue_id, number, title, body, *closed_at != '\0' ? "closed" : "open", repo, is_pr ? "pull" : "issues", author,
      author_id, comments, labels, created_at, *closed_at != '\0' ? closed_at : created_at,
      *closed_at != '\0' ? fmt::format(R"("{}")", closed_at) : "null",
      is_pr ? fmt::format(R"(,"pull_request":{})", pull_request) : "");
}

std::string commit_json(const char* oid, const char* repo, const char* headline, const char* committed_at,
                        int64_t additions, int64_t deletions, const char* author) {
  return fmt::format(
      R"({{"oid":"{0}","messageHeadline":"{2}","url":"https://github.com/acme/{1}/commit/{0}","committedDate":"{3}",)"
      R"("authoredDate":"{3}","additions":{4},"deletions":{5},"changedFiles":1,"author":{6}}})",
      oid, repo, headline, committed_at, additions, deletions, author);
}

std::string user_json(int64_t user_id, const char* login, const char* name, int64_t followers, int64_t following) {
  return fmt::format(
      R"({{"databaseId":{0},"login":"{1}","name":"{2}","url":"https://github.com/{1}","followers":{{"totalCount":{3}}},)"
      R"("following":{{"totalCount":{4}}},"createdAt":"2015-01-01T00:00:00Z"}})",
      user_id, login, name, followers, following);
}

std::vector<RawBatch> org() {
  const char* ann = R"({"name":"Ann Archer","email":"ann@example.com","user":{"databaseId":101,"login":"ann"}})";
  const char* bob = R"({"name":"Bob Baker","email":"bob@example.com","user":{"databaseId":102,"login":"bob"}})";
  const char* cy = R"({"name":"Cy Commit","email":"cy@example.com","user":{"databaseId":103,"login":"cy"}})";
  const char* eve = R"({"name":"Eve Outsider","email":"eve@example.org","user":null})";
  const char* merged = R"({"url":"x","merged_at":"2024-03-12T12:00:00Z"})";
  const char* unmerged = R"({"url":"x","merged_at":null})";
  return {
      {{"github", "repos", {"repo_id"}},
       {record({id(1)}, kFirstSync, repo_json(1, "alpha", 4, 1, 2, "2024-02-26T10:00:00Z")),
        record({id(1)}, kNow, repo_json(1, "alpha", 3, 1, 3, "2024-02-26T10:00:00Z")),
        record({id(2)}, kNow, repo_json(2, "beta", 3, 1, 1, "2023-11-15T00:00:00Z")),
        record({id(3)}, kNow, repo_json(3, "gamma", 0, 0, 0, "2023-12-01T00:00:00Z"))}},
      // alpha's stars: the first sync saw ann, bob, cy and dee; the second took a complete listing of alpha
      // (see listings) without dee, who unstarred. beta has no listing, so its stars from either sync stand.
      {{"github", "stargazers", {"repo_id", "user_id"}},
       {record({id(1), id(101)}, kFirstSync, star_json(101, "ann", "2024-02-27T09:00:00Z")),
        record({id(1), id(102)}, kFirstSync, star_json(102, "bob", "2024-03-03T23:30:00Z")),
        record({id(1), id(103)}, kFirstSync, star_json(103, "cy", "2024-03-04T00:10:00Z")),
        record({id(1), id(105)}, kFirstSync, star_json(105, "dee", "2024-03-12T08:00:00Z")),
        record({id(2), id(105)}, kFirstSync, star_json(105, "dee", "2024-03-01T09:00:00Z")),
        record({id(2), id(101)}, kFirstSync, star_json(101, "ann", "2024-03-06T10:00:00Z")),
        record({id(1), id(101)}, kNow, star_json(101, "ann", "2024-02-27T09:00:00Z")),
        record({id(1), id(102)}, kNow, star_json(102, "bob", "2024-03-03T23:30:00Z")),
        record({id(1), id(103)}, kNow, star_json(103, "cy", "2024-03-04T00:10:00Z")),
        record({id(2), id(102)}, kNow, star_json(102, "bob", "2024-03-19T07:00:00Z"))}},
      {{"github", "listings", {"owner_id", "list"}}, {record({id(1), RawKey{std::string("stargazers")}}, kNow, "{}")}},
      {{"github", "forks", {"repo_id", "fork_id"}},
       {record({id(1), id(501)}, kNow,
               R"({"id":501,"full_name":"bob/alpha-fork","html_url":"https://github.com/bob/alpha-fork",)"
               R"("owner":{"login":"bob","id":102},"created_at":"2024-03-10T23:59:00Z"})"),
        record({id(2), id(502)}, kNow,
               R"({"id":502,"full_name":"cy/beta","html_url":"https://github.com/cy/beta",)"
               R"("owner":{"login":"cy","id":103},"created_at":"2024-03-18T00:00:00Z"})")}},
      // Issues and pull requests share one stream; #3, #4 and #7 of alpha are pull requests. Issue 1006 was
      // open at the first sync and still is; 1002 was open then and closed since.
      {{"github", "issues", {"repo_id", "issue_id"}},
       {record({id(1), id(1002)}, kFirstSync,
               issue_json(1002, "alpha", 2, "Typo", 102, "bob", "2024-03-05T08:00:00Z", "")),
        record({id(1), id(1008)}, kNow,
               issue_json(1008, "alpha", 8, "Old question", 102, "bob", "2024-02-27T12:00:00Z", "2024-02-29T12:00:00Z",
                          "", R"([{"name":"question"}])", 1)),
        record({id(1), id(1001)}, kNow,
               issue_json(1001, "alpha", 1, "Crash on start", 101, "ann", "2024-02-28T10:00:00Z", "", "",
                          R"([{"name":"bug"},{"name":"p1"}])", 3, R"("It crashes")")),
        record({id(1), id(1002)}, kNow,
               issue_json(1002, "alpha", 2, "Typo", 102, "bob", "2024-03-05T08:00:00Z", "2024-03-07T20:00:00Z")),
        record({id(1), id(1003)}, kNow,
               issue_json(1003, "alpha", 3, "Add feature", 103, "cy", "2024-03-06T12:00:00Z", "2024-03-12T12:00:00Z",
                          merged)),
        record({id(1), id(1004)}, kNow,
               issue_json(1004, "alpha", 4, "WIP refactor", 101, "ann", "2024-03-13T09:00:00Z", "", unmerged)),
        record({id(1), id(1006)}, kNow,
               issue_json(1006, "alpha", 6, "Feature request", 104, "gone-user", "2024-03-18T06:00:00Z", "")),
        record({id(1), id(1007)}, kNow,
               issue_json(1007, "alpha", 7, "Bad idea", 102, "bob", "2024-03-14T10:00:00Z", "2024-03-15T10:00:00Z",
                          unmerged)),
        record({id(2), id(2001)}, kNow,
               issue_json(2001, "beta", 1, "Ancient", 101, "ann", "2023-11-20T00:00:00Z", "2023-12-01T00:00:00Z")),
        record({id(2), id(2002)}, kNow,
               issue_json(2002, "beta", 2, "Docs", 104, "gone-user", "2024-03-01T00:00:00Z", "")),
        record({id(2), id(2003)}, kNow,
               issue_json(2003, "beta", 3, "Flaky", 105, "dee", "2024-02-10T00:00:00Z", "2024-03-02T00:00:00Z"))}},
      {{"github", "commits", {"repo_id", "sha"}},
       {record({id(1), RawKey{std::string("aaa1")}}, kNow,
               commit_json("aaa1", "alpha", "Initial import", "2024-02-20T10:00:00Z", 100, 0, ann)),
        record({id(1), RawKey{std::string("aaa2")}}, kNow,
               commit_json("aaa2", "alpha", "Fix build", "2024-03-03T23:59:59Z", 20, 5, bob)),
        record({id(1), RawKey{std::string("aaa3")}}, kNow,
               commit_json("aaa3", "alpha", "Docs from a friend", "2024-03-04T00:00:00Z", 7, 3, eve)),
        record({id(1), RawKey{std::string("aaa4")}}, kNow,
               commit_json("aaa4", "alpha", "Vendor big data", "2024-03-19T08:00:00Z", 3'000'000'000, 1, ann)),
        record({id(2), RawKey{std::string("bbb1")}}, kNow,
               commit_json("bbb1", "beta", "Beta start", "2024-03-06T15:00:00Z", 5, 5, cy))}},
      {{"github", "users", {"user_id"}},
       {record({id(101)}, kNow, user_json(101, "ann", "Ann Archer", 10, 4)),
        record({id(102)}, kNow, user_json(102, "bob", "Bob Baker", 4, 2)),
        record({id(104)}, kNow, R"({"id":104,"deleted":true})"),
        record({id(105)}, kNow, user_json(105, "dee", "Dee Dunn", 0, 1))}},
      // follower_id follows user_id: ann and bob follow each other, dee follows ann; 999 (not an org user),
      // cy (no profile) and 104 (deleted) follow too, but they are not nodes of the network.
      {{"github", "followers", {"user_id", "follower_id"}},
       {record({id(101), id(102)}, kNow, R"({"login":"bob","id":102})"),
        record({id(102), id(101)}, kNow, R"({"login":"ann","id":101})"),
        record({id(101), id(105)}, kNow, R"({"login":"dee","id":105})"),
        record({id(101), id(999)}, kNow, R"({"login":"outsider","id":999})"),
        record({id(102), id(103)}, kNow, R"({"login":"cy","id":103})"),
        record({id(101), id(104)}, kNow, R"({"login":"gone-user","id":104})")}},
      // Run records: two GitHub syncs (the second skipped a repo: partial), a failed PyPI sync, the run
      // this build belongs to (still running) and one that never recorded its end (interrupted).
      {{"ampere", "runs", {"run_id"}},
       {record({RawKey{std::string("s1")}}, kFirstSync,
               R"({"kind":"sync","source":"github","status":"success","started_at":"2024-03-13T11:50:00Z",)"
               R"("finished_at":"2024-03-13T12:00:00Z","requests":40,"not_modified":0,"graphql_points":3,)"
               R"("rows_written":25})"),
        record({RawKey{std::string("p1")}}, kFirstSync,
               R"({"kind":"sync","source":"pypi","status":"failed","error":"ClickPy answered 503",)"
               R"("started_at":"2024-03-13T12:00:00Z","finished_at":"2024-03-13T12:01:00Z","requests":1,"rows":0})"),
        record({RawKey{std::string("dead")}}, kFirstSync,
               R"({"kind":"run","source":"github","status":"running","started_at":"2024-03-13T11:49:00Z",)"
               R"("finished_at":null})"),
        record({RawKey{std::string("s2")}}, kNow,
               R"({"kind":"sync","source":"github","status":"partial","started_at":"2024-03-20T11:55:00Z",)"
               R"("finished_at":"2024-03-20T12:00:00Z","requests":12,"not_modified":30,"graphql_points":1,)"
               R"("rows_written":38})"),
        record({RawKey{std::string("live")}}, kNow,
               R"({"kind":"run","source":"github","status":"running","started_at":"2024-03-20T11:54:00Z",)"
               R"("finished_at":null})")}},
  };
}

// A warehouse built from a lake holding `batches`.
class Warehouse {
 public:
  explicit Warehouse(const std::vector<RawBatch>& batches) {
    auto database = db::Database::open("");
    EXPECT_TRUE(database) << database.error().message;
    database_ = std::move(*database);
    auto connection = database_->connect();
    EXPECT_TRUE(connection) << connection.error().message;
    connection_ = std::make_unique<db::Connection>(std::move(*connection));
    append(batches);
  }

  void append(const std::vector<RawBatch>& batches) {
    for (const auto& batch : batches) {
      auto version = lake::append_raw(*connection_, lake(), batch.table, batch.records);
      ASSERT_TRUE(version) << batch.table.name << ": " << version.error().message;
    }
  }

  // Attaches the lake, declares the missing raw tables and builds every embedded model with its tests,
  // as `ampere build` does (two models at a time).
  // `extra_tests` (a models file's text) adds tests to the embedded ones.
  BuildReport build(const std::string& extra_tests = "") {
    auto models = embedded_models();
    auto tests = embedded_data_tests();
    auto sources = embedded_sources();
    EXPECT_TRUE(models && tests && sources);
    if (!extra_tests.empty()) {
      auto extra = parse_data_tests("extra.yml", extra_tests);
      EXPECT_TRUE(extra) << extra.error().message;
      if (extra) tests->insert(tests->end(), extra->begin(), extra->end());
    }
    EXPECT_TRUE(lake::attach_lake_views(*connection_, lake()));
    EXPECT_TRUE(ensure_source_views(*connection_, *sources));
    BuildOptions options;
    options.database = database_.get();
    auto report = build_models(*connection_, *models, *tests, options);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : BuildReport{};
  }

  // The rows of `sql`, each as its cells joined by " | " (NULL for null).
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    auto result = connection_->query(sql);
    EXPECT_TRUE(result) << sql << ": " << result.error().message;
    if (!result) return out;
    for (size_t r = 0; r < result->row_count(); ++r) {
      std::string line;
      for (size_t c = 0; c < result->column_count(); ++c) {
        if (c > 0) line += " | ";
        line += result->is_null(c, r) ? "NULL" : result->text(c, r);
      }
      out.push_back(line);
    }
    return out;
  }

  db::Connection& connection() { return *connection_; }

 private:
  fs::path lake() const { return dir_.path() / "lake"; }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<db::Connection> connection_;
};

class Marts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    warehouse_ = new Warehouse(org());
    // As a scheduled run's build passes them: the build's "now" (half an hour after the last sync) and
    // the run it belongs to; thresholds and sources are the defaults.
    EXPECT_TRUE(set_variables(warehouse_->connection(),
                              {{"ampere_now", "2024-03-20T12:30:00Z"}, {"ampere_live_run_id", "live"}}));
    report_ = new BuildReport(warehouse_->build());
  }
  static void TearDownTestSuite() {
    delete report_;
    delete warehouse_;
  }
  static std::vector<std::string> rows(const std::string& sql) { return warehouse_->rows(sql); }

  static Warehouse* warehouse_;
  static BuildReport* report_;
};

Warehouse* Marts::warehouse_ = nullptr;
BuildReport* Marts::report_ = nullptr;

using Rows = std::vector<std::string>;

TEST_F(Marts, EveryModelBuildsAndEveryDeclaredTestPasses) {
  auto tests = embedded_data_tests();
  ASSERT_TRUE(tests);
  size_t run = 0;
  for (const auto& m : report_->models) {
    EXPECT_EQ(m.status, ModelStatus::built) << m.name << ": " << m.error;
    for (const auto& f : m.failures) ADD_FAILURE() << m.name << ": " << f.test.label() << " " << f.sample.at(0);
    run += m.tests;
  }
  EXPECT_TRUE(report_->ok());
  EXPECT_EQ(run, tests->size());
  // None of the marts' tests passed for want of rows.
  for (const char* mart :
       {"repos", "repo_metrics_weekly", "feed_events", "issues", "issues_summary", "network_stargazer_nodes",
        "network_stargazer_edges", "network_follower_nodes", "network_follower_edges"}) {
    EXPECT_NE(rows(fmt::format("select count(*) from main.{}", mart)), Rows{"0"}) << mart;
  }
}

TEST_F(Marts, RunsAreInTheirFinalStates) {
  // partial -> succeeded; "running" is running only for the live run, else interrupted.
  EXPECT_EQ(
      rows("select run_id, run_kind, source_name, status, error, cast(started_at as varchar), "
           "cast(finished_at as varchar), requests, not_modified, graphql_points, rows_written "
           "from main.runs order by started_at, run_id"),
      (Rows{"dead | run | github | interrupted | NULL | 2024-03-13 11:49:00+00 | NULL | NULL | NULL | NULL | NULL",
            "s1 | sync | github | succeeded | NULL | 2024-03-13 11:50:00+00 | 2024-03-13 12:00:00+00 | 40 | 0 | 3 | 25",
            "p1 | sync | pypi | failed | ClickPy answered 503 | 2024-03-13 12:00:00+00 | 2024-03-13 12:01:00+00 | 1 | "
            "NULL | NULL | 0",
            "live | run | github | running | NULL | 2024-03-20 11:54:00+00 | NULL | NULL | NULL | NULL | NULL",
            "s2 | sync | github | succeeded | NULL | 2024-03-20 11:55:00+00 | 2024-03-20 12:00:00+00 | 12 | 30 | 1 | "
            "38"}));
}

constexpr const char* kStatusColumns =
    "select asset, kind, cast(pages as varchar), row_count, cast(newest_data_at as varchar), "
    "cast(last_success_at as varchar), hours_stale, threshold_hours, state from main.status ";

TEST_F(Marts, StatusMeasuresFreshnessFromTheLastSuccessfulSync) {
  // Read at 18:00, six hours after the last GitHub sync ended (s2, partial, counts as a success).
  // GitHub: threshold 8 h, so ok. PyPI: no rows and no successful sync: missing. A mart is as fresh as
  // its sources: repos reads GitHub and PyPI, but PyPI never synced, so GitHub sets it; downloads reads
  // only PyPI, so it is missing. A mart's last success is its build (12:30).
  ASSERT_TRUE(warehouse_->connection().execute("SET VARIABLE ampere_now = '2024-03-20T18:00:00Z'"));
  const std::string which =
      "where asset in ('github.repos', 'github.stargazers', 'github.releases', 'pypi.downloads', 'marts.repos', "
      "'marts.downloads', 'marts.network_follower_edges') order by asset";
  EXPECT_EQ(
      rows(kStatusColumns + which),
      (Rows{"github.releases | source | [] | 0 | NULL | 2024-03-20 12:00:00+00 | 6.0 | 8.0 | ok",
            "github.repos | source | [/, /about, /feed, /issues, /network-stargazers] | 4 | 2024-03-20 12:00:00+00 | "
            "2024-03-20 12:00:00+00 | 6.0 | 8.0 | ok",
            "github.stargazers | source | [/, /feed, /network-stargazers] | 10 | 2024-03-20 12:00:00+00 | "
            "2024-03-20 12:00:00+00 | 6.0 | 8.0 | ok",
            "marts.downloads | model | [/downloads] | 0 | NULL | 2024-03-20 12:30:00+00 | NULL | 36.0 | missing",
            "marts.network_follower_edges | model | [/network-followers] | 3 | 2024-03-20 12:00:00+00 | "
            "2024-03-20 12:30:00+00 | 6.0 | 8.0 | ok",
            "marts.repos | model | [/, /about] | 3 | 2024-03-20 12:00:00+00 | 2024-03-20 12:30:00+00 | 6.0 | 8.0 | ok",
            "pypi.downloads | source | [/downloads, /about] | 0 | NULL | NULL | NULL | 36.0 | missing"}));
  // Three hours later GitHub is past its 8 hours: every GitHub asset is stale, at 9 hours.
  ASSERT_TRUE(warehouse_->connection().execute("SET VARIABLE ampere_now = '2024-03-20T21:00:00Z'"));
  EXPECT_EQ(rows("select state, hours_stale, count(*) from main.status group by all order by all"),
            (Rows{"missing | NULL | 4", "stale | 9.0 | 19"}));
  ASSERT_TRUE(warehouse_->connection().execute("RESET VARIABLE ampere_now"));
}

TEST_F(Marts, NowIsTheLatestRetrievedAt) {
  EXPECT_EQ(rows("select cast(now_at as varchar), today, current_week_start, current_month_start from main.int_clock"),
            Rows{"2024-03-20 12:00:00+00 | 2024-03-20 | 2024-03-18 | 2024-03-01"});
}

TEST_F(Marts, ReposKeepTheirColumnsAndAddAge) {
  // age_days: whole days to 2024-03-20 12:00: alpha from 02-26 10:00 is 23 d 2 h; beta from 2023-11-15
  // is 126 d 12 h; gamma from 2023-12-01 is 110 d 12 h. The latest snapshot of alpha (3 stars) wins.
  EXPECT_EQ(
      rows("select repo_id, org, repo_name, full_name, html_url, stars, forks, open_issues, "
           "cast(created_at as varchar), cast(pushed_at as varchar), cast(retrieved_at as varchar), is_archived, "
           "age_days from main.repos order by repo_id"),
      (Rows{"1 | acme | alpha | acme/alpha | https://github.com/acme/alpha | 3 | 1 | 3 | 2024-02-26 10:00:00+00 | "
            "2024-03-19 08:00:00+00 | 2024-03-20 12:00:00+00 | false | 23",
            "2 | acme | beta | acme/beta | https://github.com/acme/beta | 3 | 1 | 1 | 2023-11-15 00:00:00+00 | "
            "2024-03-19 08:00:00+00 | 2024-03-20 12:00:00+00 | false | 126",
            "3 | acme | gamma | acme/gamma | https://github.com/acme/gamma | 0 | 0 | 0 | 2023-12-01 00:00:00+00 | "
            "2024-03-19 08:00:00+00 | 2024-03-20 12:00:00+00 | false | 110"}));
}

constexpr const char* kWeekColumns =
    "select week_start, is_partial_week, stars, stars_change, forks, forks_change, open_issues, open_issues_change, "
    "open_pull_requests, open_pull_requests_change, commits, commits_change, lines_added, lines_added_change, "
    "lines_deleted, lines_deleted_change from main.repo_metrics_weekly";

TEST_F(Marts, WeeklyMetricsAreEndOfWeekValuesAndChanges) {
  // alpha, from the week of its first commit (Mon 02-19; the repo was created in the next one) to the
  // current, partial week. Columns: week, partial, then value/change for stars, forks, open issues,
  // open PRs, commits, lines added, lines deleted.
  //  02-19: commit aaa1 (+100/-0).
  //  02-26: stars ann 02-27, bob Sun 03-03 23:30 (+2); issue #8 opened 02-27 and closed 02-29, #1 opened
  //         02-28: +1 open at the end of the week, though 2 were open on 02-28 (the original took that max);
  //         commit aaa2 Sun 23:59:59 (+20/-5).
  //  03-04: star cy Mon 00:10 (+1); fork 501 Sun 03-10 23:59 (+1); issue #2 opened 03-05 and closed 03-07
  //         (0); PR #3 opened 03-06 (+1); commit aaa3 Mon 00:00:00 (+7/-3).
  //  03-11: dee's star of 03-12 is gone (unstarred: not in the complete listing), so 0; PR #3 merged 03-12
  //         (-1), #4 opened 03-13 (+1), #7 opened 03-14 and closed 03-15 (0): open PRs stay at 1.
  //  03-18: issue #6 opened (+1); commit aaa4 with 3,000,000,000 additions (past 2^31) and 1 deletion.
  EXPECT_EQ(rows(std::string(kWeekColumns) + " where repo_name = 'alpha' order by week_start"),
            (Rows{"2024-02-19 | false | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 | 100 | 100 | 0 | 0",
                  "2024-02-26 | false | 2 | 2 | 0 | 0 | 1 | 1 | 0 | 0 | 2 | 1 | 120 | 20 | 5 | 5",
                  "2024-03-04 | false | 3 | 1 | 1 | 1 | 1 | 0 | 1 | 1 | 3 | 1 | 127 | 7 | 8 | 3",
                  "2024-03-11 | false | 3 | 0 | 1 | 0 | 1 | 0 | 1 | 0 | 3 | 0 | 127 | 0 | 8 | 0",
                  "2024-03-18 | true | 3 | 0 | 1 | 0 | 2 | 1 | 1 | 0 | 4 | 1 | 3000000127 | 3000000000 | 9 | 1"}));

  // beta: 19 weeks from the week of its creation (Mon 2023-11-13) to 2024-03-18.
  //  11-20: issue #1 opened (+1). 11-27: #1 closed Fri 12-01 (-1). 02-05: #3 opened Sat 02-10 (+1).
  //  02-26: star dee Fri 03-01; #2 opened 03-01 00:00 and #3 closed 03-02: open issues stay at 1.
  //  03-04: star ann 03-06; commit bbb1 (+5/-5). 03-18: star bob 03-19; fork 502 Mon 03-18 00:00.
  //  Every other week carries the value with a change of 0.
  EXPECT_EQ(rows(std::string(kWeekColumns) +
                 " where repo_name = 'beta' and week_start in ('2023-11-13', '2023-11-20', '2023-11-27', "
                 "'2024-01-29', '2024-02-05', '2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18') order by 1"),
            (Rows{"2023-11-13 | false | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2023-11-20 | false | 0 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2023-11-27 | false | 0 | 0 | 0 | 0 | 0 | -1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2024-01-29 | false | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2024-02-05 | false | 0 | 0 | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2024-02-26 | false | 1 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
                  "2024-03-04 | false | 2 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 1 | 5 | 5 | 5 | 5",
                  "2024-03-11 | false | 2 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 5 | 0 | 5 | 0",
                  "2024-03-18 | true | 3 | 1 | 1 | 1 | 1 | 0 | 0 | 0 | 1 | 0 | 5 | 0 | 5 | 0"}));
  // 2023-11-13 .. 2024-03-18 is 126 days: 19 Mondays. Between the rows above nothing changes:
  // 12-04 .. 01-29 have 0 open issues, 02-12 and 02-19 have 1.
  EXPECT_EQ(rows("select count(*), count(*) filter (where week_start between '2023-12-04' and '2024-01-29' and "
                 "open_issues = 0 and open_issues_change = 0 and stars = 0), count(*) filter (where week_start in "
                 "('2024-02-12', '2024-02-19') and open_issues = 1 and open_issues_change = 0) from "
                 "main.repo_metrics_weekly where repo_name = 'beta'"),
            Rows{"19 | 9 | 2"});

  // gamma: no events, 17 weeks (Mon 2023-11-27 .. 2024-03-18, 112 days) of zeros; only the last is partial.
  EXPECT_EQ(rows("select count(*), min(week_start), max(week_start), sum(stars + forks + open_issues + "
                 "open_pull_requests + commits + lines_added + lines_deleted), count(*) filter (where "
                 "is_partial_week), max(week_end) from main.repo_metrics_weekly where repo_name = 'gamma'"),
            Rows{"17 | 2023-11-27 | 2024-03-18 | 0 | 1 | 2024-03-24"});

  // Every count is a BIGINT: no narrowing cast can overflow.
  EXPECT_EQ(rows("select column_type, count(*) from (describe main.repo_metrics_weekly) where column_name not in "
                 "('repo_id', 'repo_name', 'week_start', 'week_end', 'is_partial_week') group by all"),
            Rows{"BIGINT | 14"});
}

TEST_F(Marts, FeedHasOneRowPerEventWithActorsAndLinks) {
  // 29 events: 6 stars (alpha: ann, bob, cy; beta: dee, ann, bob; dee's unstarred alpha star is gone),
  // 2 forks, 5 commits, 11 issue events (7 opened; #8, #2 of alpha and #1, #3 of beta closed) and 5 pull
  // request events (#3, #4, #7 opened; #3 merged, not closed; #7 closed). Pull requests are never issues.
  // cy (103) has no profile: kept, with the login the event carried and no name. 104 is deleted: 'ghost'.
  // aaa3's author has no GitHub account: no login, the git name. Who closed or merged is unknown.
  // Each expected row is split over two literals. NOLINTBEGIN(bugprone-suspicious-missing-comma)
  EXPECT_EQ(
      rows("select event_id, event_type, action, repo_name, actor_user_id, actor_login, actor_name, title_or_message, "
           "strftime(event_at, '%Y-%m-%d %H:%M:%S'), link from main.feed_events order by event_at, event_id"),
      (Rows{
          "issue:2001:opened | issue | opened | beta | 101 | ann | Ann Archer | Ancient | 2023-11-20 00:00:00 | "
          "https://github.com/acme/beta/issues/1",
          "issue:2001:closed | issue | closed | beta | NULL | NULL | NULL | Ancient | 2023-12-01 00:00:00 | "
          "https://github.com/acme/beta/issues/1",
          "issue:2003:opened | issue | opened | beta | 105 | dee | Dee Dunn | Flaky | 2024-02-10 00:00:00 | "
          "https://github.com/acme/beta/issues/3",
          "commit:1:aaa1 | commit | committed | alpha | 101 | ann | Ann Archer | Initial import | 2024-02-20 10:00:00 "
          "| https://github.com/acme/alpha/commit/aaa1",
          "star:1:101 | star | starred | alpha | 101 | ann | Ann Archer | NULL | 2024-02-27 09:00:00 | "
          "https://github.com/ann",
          "issue:1008:opened | issue | opened | alpha | 102 | bob | Bob Baker | Old question | 2024-02-27 12:00:00 | "
          "https://github.com/acme/alpha/issues/8",
          "issue:1001:opened | issue | opened | alpha | 101 | ann | Ann Archer | Crash on start | 2024-02-28 10:00:00 "
          "| https://github.com/acme/alpha/issues/1",
          "issue:1008:closed | issue | closed | alpha | NULL | NULL | NULL | Old question | 2024-02-29 12:00:00 | "
          "https://github.com/acme/alpha/issues/8",
          "issue:2002:opened | issue | opened | beta | 104 | ghost | NULL | Docs | 2024-03-01 00:00:00 | "
          "https://github.com/acme/beta/issues/2",
          "star:2:105 | star | starred | beta | 105 | dee | Dee Dunn | NULL | 2024-03-01 09:00:00 | "
          "https://github.com/dee",
          "issue:2003:closed | issue | closed | beta | NULL | NULL | NULL | Flaky | 2024-03-02 00:00:00 | "
          "https://github.com/acme/beta/issues/3",
          "star:1:102 | star | starred | alpha | 102 | bob | Bob Baker | NULL | 2024-03-03 23:30:00 | "
          "https://github.com/bob",
          "commit:1:aaa2 | commit | committed | alpha | 102 | bob | Bob Baker | Fix build | 2024-03-03 23:59:59 | "
          "https://github.com/acme/alpha/commit/aaa2",
          "commit:1:aaa3 | commit | committed | alpha | NULL | NULL | Eve Outsider | Docs from a friend | 2024-03-04 "
          "00:00:00 | https://github.com/acme/alpha/commit/aaa3",
          "star:1:103 | star | starred | alpha | 103 | cy | NULL | NULL | 2024-03-04 00:10:00 | https://github.com/cy",
          "issue:1002:opened | issue | opened | alpha | 102 | bob | Bob Baker | Typo | 2024-03-05 08:00:00 | "
          "https://github.com/acme/alpha/issues/2",
          "star:2:101 | star | starred | beta | 101 | ann | Ann Archer | NULL | 2024-03-06 10:00:00 | "
          "https://github.com/ann",
          "pull_request:1003:opened | pull_request | opened | alpha | 103 | cy | NULL | Add feature | 2024-03-06 "
          "12:00:00 | https://github.com/acme/alpha/pull/3",
          "commit:2:bbb1 | commit | committed | beta | 103 | cy | NULL | Beta start | 2024-03-06 15:00:00 | "
          "https://github.com/acme/beta/commit/bbb1",
          "issue:1002:closed | issue | closed | alpha | NULL | NULL | NULL | Typo | 2024-03-07 20:00:00 | "
          "https://github.com/acme/alpha/issues/2",
          "fork:501 | fork | forked | alpha | 102 | bob | Bob Baker | bob/alpha-fork | 2024-03-10 23:59:00 | "
          "https://github.com/bob/alpha-fork",
          "pull_request:1003:merged | pull_request | merged | alpha | NULL | NULL | NULL | Add feature | 2024-03-12 "
          "12:00:00 | https://github.com/acme/alpha/pull/3",
          "pull_request:1004:opened | pull_request | opened | alpha | 101 | ann | Ann Archer | WIP refactor | "
          "2024-03-13 09:00:00 | https://github.com/acme/alpha/pull/4",
          "pull_request:1007:opened | pull_request | opened | alpha | 102 | bob | Bob Baker | Bad idea | 2024-03-14 "
          "10:00:00 | https://github.com/acme/alpha/pull/7",
          "pull_request:1007:closed | pull_request | closed | alpha | NULL | NULL | NULL | Bad idea | 2024-03-15 "
          "10:00:00 | https://github.com/acme/alpha/pull/7",
          "fork:502 | fork | forked | beta | 103 | cy | NULL | cy/beta | 2024-03-18 00:00:00 | "
          "https://github.com/cy/beta",
          "issue:1006:opened | issue | opened | alpha | 104 | ghost | NULL | Feature request | 2024-03-18 06:00:00 | "
          "https://github.com/acme/alpha/issues/6",
          "star:2:102 | star | starred | beta | 102 | bob | Bob Baker | NULL | 2024-03-19 07:00:00 | "
          "https://github.com/bob",
          "commit:1:aaa4 | commit | committed | alpha | 101 | ann | Ann Archer | Vendor big data | 2024-03-19 08:00:00 "
          "| https://github.com/acme/alpha/commit/aaa4"}));
  // NOLINTEND(bugprone-suspicious-missing-comma)
}

TEST_F(Marts, IssuesAreOpenIssuesOnlyWithTheirAge) {
  // Open issues: alpha #1 (02-28 10:00: 21 d 2 h old), #6 (03-18 06:00: 2 d 6 h), beta #2 (03-01 00:00:
  // 19 d 12 h). The open pull request #4 is not an issue. #6 and beta #2 are by the deleted 104: 'ghost'.
  EXPECT_EQ(rows("select repo_name, issue_number, title, body, author_login, cast(labels as varchar), comments, "
                 "cast(created_at as varchar), age_days, "
                 "link from main.issues order by repo_name, issue_number"),
            (Rows{"alpha | 1 | Crash on start | It crashes | ann | [bug, p1] | 3 | 2024-02-28 10:00:00+00 | 21 | "
                  "https://github.com/acme/alpha/issues/1",
                  "alpha | 6 | Feature request |  | ghost | [] | 0 | 2024-03-18 06:00:00+00 | 2 | "
                  "https://github.com/acme/alpha/issues/6",
                  "beta | 2 | Docs |  | ghost | [] | 0 | 2024-03-01 00:00:00+00 | 19 | "
                  "https://github.com/acme/beta/issues/2"}));
}

TEST_F(Marts, IssuesSummaryCountsCalendarMonthsAndMedians) {
  // alpha: open #1 (21 days) and #6 (2): median 11.5. Opened in March: #2 (03-05), #6 (03-18) = 2 (#1, #8
  //   are February's). Closed in March: #2 = 1 (#8 closed 02-29). Open pull requests: #4 = 1 (#3 merged,
  //   #7 closed). Closed in the last 90 days: #8 in 2.0 days (02-27 12:00 -> 02-29 12:00, a leap year) and
  //   #2 in 2.5 (03-05 08:00 -> 03-07 20:00): median 2.25.
  // beta: open #2 (19 days). Opened in March: #2, at 03-01 00:00:00 exactly. Closed in March: #3 (03-02).
  //   Closed in the last 90 days (after 2023-12-21 12:00): #3 in 21.0 days (02-10 -> 03-02); #1 closed
  //   2023-12-01 is older.
  // gamma: nothing; its medians are null, not 0.
  EXPECT_EQ(rows("select repo_name, open_issues, median_age_days, opened_this_month, closed_this_month, "
                 "open_pull_requests, median_days_to_close_last_90d from main.issues_summary order by repo_name"),
            (Rows{"alpha | 2 | 11.5 | 2 | 1 | 1 | 2.25", "beta | 1 | 19.0 | 1 | 1 | 0 | 21.0",
                  "gamma | 0 | NULL | 0 | 0 | 0 | NULL"}));
}

TEST_F(Marts, StargazerNetworkHasRepoAndUserNodesAndStarEdges) {
  // Repos: alpha 3 stars (dee's is gone), beta 3, gamma 0. Users: ann and bob starred both (first alpha),
  // cy only alpha (no profile: no name, no followers), dee only beta (her alpha star was taken back).
  EXPECT_EQ(rows("select node_id, node_type, label, user_name, followers_count, stargazers, starred_repos, "
                 "group_repo_name, link from main.network_stargazer_nodes order by node_id"),
            (Rows{"repo:1 | repo | alpha | NULL | NULL | 3 | NULL | alpha | https://github.com/acme/alpha",
                  "repo:2 | repo | beta | NULL | NULL | 3 | NULL | beta | https://github.com/acme/beta",
                  "repo:3 | repo | gamma | NULL | NULL | 0 | NULL | gamma | https://github.com/acme/gamma",
                  "user:101 | user | ann | Ann Archer | 10 | NULL | 2 | alpha | https://github.com/ann",
                  "user:102 | user | bob | Bob Baker | 4 | NULL | 2 | alpha | https://github.com/bob",
                  "user:103 | user | cy | NULL | NULL | NULL | 1 | alpha | https://github.com/cy",
                  "user:105 | user | dee | Dee Dunn | 0 | NULL | 1 | beta | https://github.com/dee"}));
  EXPECT_EQ(
      rows("select e.user_node_id, e.repo_node_id, u.label, r.label, strftime(e.starred_at, '%Y-%m-%d %H:%M') "
           "from main.network_stargazer_edges e join main.network_stargazer_nodes u on u.node_id = e.user_node_id "
           "join main.network_stargazer_nodes r on r.node_id = e.repo_node_id order by e.starred_at"),
      (Rows{"user:101 | repo:1 | ann | alpha | 2024-02-27 09:00", "user:105 | repo:2 | dee | beta | 2024-03-01 09:00",
            "user:102 | repo:1 | bob | alpha | 2024-03-03 23:30", "user:103 | repo:1 | cy | alpha | 2024-03-04 00:10",
            "user:101 | repo:2 | ann | beta | 2024-03-06 10:00", "user:102 | repo:2 | bob | beta | 2024-03-19 07:00"}));
}

TEST_F(Marts, FollowerNetworkCountsInternalEdgesAndShares) {
  // Org users: ann, bob, dee (104 is deleted, cy has no profile, 999 is not an org user). Edges among them:
  // bob -> ann and ann -> bob (mutual), dee -> ann (solo).
  EXPECT_EQ(
      rows("select f.login, t.login, e.is_mutual from main.network_follower_edges e join main.network_follower_nodes f "
           "on f.user_id = e.follower_user_id join main.network_follower_nodes t on t.user_id = e.followed_user_id "
           "order by 1, 2"),
      (Rows{"ann | bob | true", "bob | ann | true", "dee | ann | false"}));
  // ann: 2 of 10 followers are org users (20%), 1 of 4 followees (25%). bob: 1 of 4 (25%), 1 of 2 (50%).
  // dee: no followers at all (0%, not a division by zero), follows 1, ann: 100%.
  EXPECT_EQ(
      rows("select login, user_name, link, followers_count, internal_followers, internal_followers_pct, "
           "following_count, internal_following, internal_following_pct from main.network_follower_nodes order by "
           "login"),
      (Rows{"ann | Ann Archer | https://github.com/ann | 10 | 2 | 20.0 | 4 | 1 | 25.0",
            "bob | Bob Baker | https://github.com/bob | 4 | 1 | 25.0 | 2 | 1 | 50.0",
            "dee | Dee Dunn | https://github.com/dee | 0 | 0 | 0.0 | 1 | 1 | 100.0"}));
}

// The labels of the declared tests of `model` that fail on the warehouse as it is, with their failing rows.
std::set<std::string> failing_tests(Warehouse& warehouse, const std::string& model) {
  auto tests = embedded_data_tests();
  EXPECT_TRUE(tests);
  std::vector<DataTest> own;
  for (const auto& t : *tests) {
    if (t.model == model) own.push_back(t);
  }
  auto failures = run_data_tests(warehouse.connection(), own);
  EXPECT_TRUE(failures) << failures.error().message;
  std::set<std::string> out;
  for (const auto& f : *failures) out.insert(fmt::format("{} [{} rows]", f.test.label(), f.failing_rows));
  return out;
}

// Breaks one mart in a transaction, returns the tests that then fail, and rolls back.
std::set<std::string> failing_after(Warehouse& warehouse, const std::string& model, const std::string& breakage) {
  EXPECT_TRUE(warehouse.connection().execute("BEGIN TRANSACTION"));
  EXPECT_TRUE(warehouse.connection().execute(breakage));
  auto failing = failing_tests(warehouse, model);
  EXPECT_TRUE(warehouse.connection().execute("ROLLBACK"));
  return failing;
}

TEST_F(Marts, ABrokenRowFailsTheTestThatGuardsIt) {
  Warehouse& w = *warehouse_;
  EXPECT_EQ(failing_after(w, "feed_events",
                          "insert into main.feed_events select * from main.feed_events "
                          "where event_id = 'fork:501'"),
            std::set<std::string>{"unique(event_id) [1 rows]"});
  EXPECT_EQ(failing_after(w, "feed_events",
                          "update main.feed_events set event_type = 'issue' where event_id = "
                          "'pull_request:1003:merged'"),
            std::set<std::string>{"expression_is_true(action <> 'merged' or event_type = 'pull_request') [1 rows]"});
  EXPECT_EQ(
      failing_after(w, "feed_events",
                    "update main.feed_events set action = 'reopened' where event_id = "
                    "'issue:1008:closed'"),
      std::set<std::string>{"accepted_values(action: starred, forked, committed, opened, closed, merged) [1 rows]"});
  // A week whose end value is not the running total of its changes shows up as a negative value here.
  EXPECT_EQ(failing_after(w, "repo_metrics_weekly",
                          "update main.repo_metrics_weekly set stars = stars - 1 "
                          "where repo_name = 'alpha' and week_start = '2024-02-19'"),
            std::set<std::string>{
                "expression_is_true(stars >= 0 and forks >= 0 and open_issues >= 0 and open_pull_requests >= 0 and "
                "commits >= 0 and lines_added >= 0 and lines_deleted >= 0) [1 rows]"});
  EXPECT_EQ(failing_after(w, "repo_metrics_weekly",
                          "update main.repo_metrics_weekly set open_issues = 1 "
                          "where repo_name = 'alpha' and is_partial_week"),
            std::set<std::string>{
                "expression_is_true(not is_partial_week or open_issues = (select count(*) from main.stg_github__issues "
                "i where i.repo_id = repo_metrics_weekly.repo_id and i.state = 'open')) [1 rows]"});
  // The open pull request #4 slipped into the issues.
  EXPECT_EQ(failing_after(w, "issues",
                          "insert into main.issues select 1004, repo_id, repo_name, 4, 'WIP refactor', "
                          "'', 101, 'ann', [], 0, created_at, 7, link from main.issues where "
                          "issue_number = 1 and repo_name = 'alpha'"),
            (std::set<std::string>{
                "expression_is_true(issue_id not in (select pull_request_id from main.stg_github__pull_requests)) [1 "
                "rows]",
                "relationships(issue_id -> stg_github__issues.issue_id) [1 rows]"}));
  EXPECT_EQ(failing_after(w, "issues_summary",
                          "update main.issues_summary set open_issues = 3 where repo_name = "
                          "'alpha'"),
            std::set<std::string>{
                "expression_is_true(open_issues = (select count(*) from main.stg_github__issues i where i.repo_id = "
                "issues_summary.repo_id and i.state = 'open')) [1 rows]"});
  EXPECT_EQ(
      failing_after(w, "network_follower_edges",
                    "update main.network_follower_edges set is_mutual = false "
                    "where follower_user_id = 101"),
      std::set<std::string>{"expression_is_true(is_mutual = exists (select 1 from main.network_follower_edges r where "
                            "r.follower_user_id = network_follower_edges.followed_user_id and r.followed_user_id = "
                            "network_follower_edges.follower_user_id)) [1 rows]"});
  EXPECT_EQ(failing_after(w, "network_stargazer_edges",
                          "update main.network_stargazer_edges set repo_node_id = "
                          "'repo:9' where user_id = 103"),
            std::set<std::string>{"relationships(repo_node_id -> network_stargazer_nodes.node_id) [1 rows]"});
  // After the rollbacks, everything passes again.
  for (const char* mart : {"feed_events", "repo_metrics_weekly", "issues", "issues_summary", "network_follower_edges",
                           "network_stargazer_edges"}) {
    EXPECT_EQ(failing_tests(w, mart), std::set<std::string>{}) << mart;
  }
}

// The runner orders models by their ref()s only, so a test that reads another model must read one built
// before its own (else a first build fails and later ones test against the previous version).
TEST(MartsBuild, EveryTestReadsOnlyItsModelAndModelsUpstreamOfIt) {
  auto models = embedded_models();
  auto tests = embedded_data_tests();
  ASSERT_TRUE(models && tests);
  std::map<std::string, std::set<std::string>> upstream;
  for (const auto& m : *models) {
    std::set<std::string> all;
    for (const auto& r : m.refs) {
      all.insert(r.name);
      all.insert(upstream[r.name].begin(), upstream[r.name].end());
    }
    upstream[m.name] = std::move(all);
  }
  const std::regex relation(R"re(main\."?(\w+))re");
  size_t checked = 0;
  for (const auto& t : *tests) {
    std::vector<std::string> read;
    if (!t.to_model.empty()) read.push_back(t.to_model);
    for (std::sregex_iterator it(t.expression.begin(), t.expression.end(), relation), end; it != end; ++it) {
      read.push_back((*it)[1]);
    }
    for (const auto& name : read) {
      if (name == t.model) continue;
      ++checked;
      EXPECT_TRUE(upstream[t.model].contains(name))
          << t.path << ":" << t.line << ": " << t.label() << " reads " << name << ", not upstream of " << t.model;
    }
  }
  EXPECT_GT(checked, 10U);
}

TEST(MartsBuild, ARawCommitWithoutADateFailsItsModelsAndKeepsThePreviousMarts) {
  Warehouse w(org());
  ASSERT_TRUE(w.build().ok());
  // The next sync brings a commit whose payload lacks committedDate.
  w.append({{{"github", "commits", {"repo_id", "sha"}},
             {RawRecord{{RawKey{int64_t{1}}, RawKey{std::string("aaa5")}},
                        *parse_iso8601(kNow),
                        "s3",
                        R"({"oid":"aaa5","messageHeadline":"No date","additions":1,"deletions":0})"}}}});
  const auto report = w.build();
  EXPECT_FALSE(report.ok());
  std::vector<std::string> outcome;
  for (const auto& m : report.models) {
    if (m.status == ModelStatus::built) continue;
    std::string line = m.name + ": " + (m.status == ModelStatus::skipped ? m.error : "");
    for (const auto& f : m.failures) line += fmt::format("{} [{} rows]", f.test.label(), f.failing_rows);
    outcome.push_back(line);
  }
  EXPECT_EQ(outcome, (std::vector<std::string>{
                         "feed_events: not_null(event_at) [1 rows]",
                         "int_repo_metric_changes_unioned: not_null(changed_at) [1 rows]",
                         "repo_metrics_weekly: skipped: int_repo_metric_changes_unioned did not build",
                         // The status reads every mart: it keeps its previous version too (and its
                         // hours_stale, computed when read, keeps growing).
                         "int_status_assets: skipped: repo_metrics_weekly did not build",
                         "status: skipped: int_status_assets did not build",
                     }));
  // Readers still see the previous, tested marts.
  EXPECT_EQ(w.rows("select count(*) from main.repo_metrics_weekly"), Rows{"41"});
  EXPECT_EQ(w.rows("select count(*) from main.feed_events"), Rows{"29"});
  EXPECT_EQ(w.rows("select count(*) from main.stg_github__commits"), Rows{"6"});
}

TEST(MartsBuild, AnIncrementalModelWithLateDataEqualsAFullBuild) {
  const char* dee = R"({"name":"Dee","email":"dee@example.com","user":{"databaseId":105,"login":"dee"}})";
  const RawTable commits{"github", "commits", {"repo_id", "sha"}};
  const auto commit = [&](const char* sha, const char* headline, const char* retrieved_at, const char* sync_id) {
    return RawRecord{{RawKey{int64_t{1}}, RawKey{std::string(sha)}},
                     *parse_iso8601(retrieved_at),
                     sync_id,
                     commit_json(sha, "alpha", headline, "2024-03-19T09:00:00Z", 1, 1, dee)};
  };
  // After the first build, three syncs land: a new commit, a newer snapshot of aaa2 (renamed), and a
  // backfill whose retrieved_at is OLDER than what the model has seen (an older aaa3 and a new aaa6).
  const std::vector<RawBatch> late{{commits,
                                    {commit("aaa5", "New work", "2024-03-20T13:00:00Z", "s3"),
                                     commit("aaa2", "Fix build (amended)", "2024-03-20T13:00:00Z", "s3")}},
                                   {commits,
                                    {commit("aaa3", "Old headline", "2024-03-01T00:00:00Z", "s0"),
                                     commit("aaa6", "Backfilled", "2024-03-01T00:00:00Z", "s0")}}};
  const std::string columns =
      "select repo_id, sha, message_headline, additions, cast(retrieved_at as varchar) from main.stg_github__commits "
      "order by all";

  Warehouse incremental(org());
  ASSERT_TRUE(incremental.build().ok());
  incremental.append(late);
  ASSERT_TRUE(incremental.build().ok());
  // It took the incremental path: the first build's syncs, then s3 and s0.
  EXPECT_EQ(incremental.rows("select string_agg(sync_id, ',' order by sync_id) from ampere.incremental_syncs where "
                             "model = 'stg_github__commits'"),
            Rows{"s0,s2,s3"});

  std::vector<RawBatch> everything = org();
  everything.insert(everything.end(), late.begin(), late.end());
  Warehouse full(everything);
  ASSERT_TRUE(full.build().ok());
  const auto expected = full.rows(columns);
  EXPECT_EQ(incremental.rows(columns), expected);
  // The newer aaa2 won, the older aaa3 did not, and the backfilled aaa6 is there.
  EXPECT_EQ(incremental.rows("select sha, message_headline from main.stg_github__commits where sha in ('aaa2', "
                             "'aaa3', 'aaa6') order by sha"),
            (Rows{"aaa2 | Fix build (amended)", "aaa3 | Docs from a friend", "aaa6 | Backfilled"}));
  // The marts downstream rebuilt from it agree too.
  EXPECT_EQ(incremental.rows("select * from main.repo_metrics_weekly order by all"),
            full.rows("select * from main.repo_metrics_weekly order by all"));
}

// After an incremental build, an incremental model's tests check the rows it wrote (an unchanged row
// passed them before); when its tests changed, it is built in full and every row is checked.
TEST(MartsBuild, AnIncrementalModelWhoseTestsChangedIsBuiltAndTestedInFull) {
  const char* dee = R"({"name":"Dee","email":"dee@example.com","user":{"databaseId":105,"login":"dee"}})";
  const RawTable commits{"github", "commits", {"repo_id", "sha"}};
  const std::vector<RawBatch> sync{
      {commits,
       {RawRecord{{RawKey{int64_t{1}}, RawKey{std::string("aaa5")}},
                  *parse_iso8601("2024-03-20T13:00:00Z"),
                  "s3",
                  commit_json("aaa5", "alpha", "New work", "2024-03-19T09:00:00Z", 1, 1, dee)}}}};
  // aaa1, from the first sync, breaks this test; aaa5 does not.
  const std::string no_initial_import = R"(version: 2
models:
  - name: stg_github__commits
    tests:
      - expression_is_true: {expression: "sha <> 'aaa1'"}
)";
  const auto commits_result = [](const BuildReport& report) {
    for (const auto& m : report.models) {
      if (m.name == "stg_github__commits") return m;
    }
    return ModelResult{};
  };

  Warehouse w(org());
  ASSERT_TRUE(w.build().ok());
  w.append(sync);
  const BuildReport changed_tests = w.build(no_initial_import);
  EXPECT_EQ(commits_result(changed_tests).status, ModelStatus::tests_failed);
  ASSERT_EQ(commits_result(changed_tests).failures.size(), 1U);
  EXPECT_EQ(commits_result(changed_tests).failures[0].failing_rows, 1);
  // The failed build kept the model as it was: the next build with the declared tests takes s3 alone.
  const BuildReport same_tests = w.build();
  EXPECT_TRUE(same_tests.ok());
  EXPECT_EQ(w.rows("select string_agg(sync_id, ',' order by sync_id) from ampere.incremental_syncs where model = "
                   "'stg_github__commits'"),
            Rows{"s2,s3"});
  EXPECT_EQ(w.rows("select count(*) from main.stg_github__commits where sha = 'aaa5'"), Rows{"1"});
}

TEST(MartsBuild, ASyncTouchingMostKeysOfABigIncrementalModelEqualsAFullBuild) {
  // 12,000 commits, then a sync that brings all of them again (half renamed) and 100 new ones: more
  // than the runner's threshold, so it builds the model in full; the rows are a full build's either way.
  const char* dee = R"({"name":"Dee","email":"dee@example.com","user":{"databaseId":105,"login":"dee"}})";
  const RawTable commits{"github", "commits", {"repo_id", "sha"}};
  const auto batch = [&](int from, int to, const char* headline, const char* at, const char* sync_id) {
    RawBatch b{commits, {}};
    for (int i = from; i < to; ++i) {
      const std::string sha = fmt::format("c{:05}", i);
      b.records.push_back(RawRecord{
          {RawKey{int64_t{2}}, RawKey{sha}},
          *parse_iso8601(at),
          sync_id,
          commit_json(sha.c_str(), "beta", (i % 2 == 0 ? headline : "Same"), "2024-03-18T09:00:00Z", i % 7, 1, dee)});
    }
    return b;
  };
  const std::vector<RawBatch> first{batch(0, 12'000, "Same", "2024-03-20T12:00:00Z", "s3")};
  const std::vector<RawBatch> again{batch(0, 12'100, "Renamed", "2024-03-20T13:00:00Z", "s4")};
  std::vector<RawBatch> base = org();
  base.insert(base.end(), first.begin(), first.end());
  Warehouse incremental(base);
  ASSERT_TRUE(incremental.build().ok());
  incremental.append(again);
  ASSERT_TRUE(incremental.build().ok());

  base.insert(base.end(), again.begin(), again.end());
  Warehouse full(base);
  ASSERT_TRUE(full.build().ok());
  const std::string sql = "select * from main.stg_github__commits order by all";
  EXPECT_EQ(incremental.rows("select count(*), count(*) filter (where message_headline = 'Renamed') from "
                             "main.stg_github__commits where repo_id = 2"),
            Rows{"12101 | 6050"});
  EXPECT_EQ(incremental.rows(sql), full.rows(sql));
  EXPECT_EQ(incremental.rows("select string_agg(distinct sync_id, ',' order by sync_id) from ampere.incremental_syncs "
                             "where model = 'stg_github__commits'"),
            Rows{"s2,s3,s4"});
}

TEST(MartsBuild, IncrementalStarsFollowersAndForksWithLateDataEqualAFullBuild) {
  const RawTable stargazers{"github", "stargazers", {"repo_id", "user_id"}};
  const RawTable followers{"github", "followers", {"user_id", "follower_id"}};
  const RawTable forks{"github", "forks", {"repo_id", "fork_id"}};
  const auto star = [&](int64_t repo, int64_t user, const char* login, const char* starred_at, const char* at,
                        const char* sync_id) {
    return RawRecord{{id(repo), id(user)}, *parse_iso8601(at), sync_id, star_json(user, login, starred_at)};
  };
  const auto follow = [&](int64_t user, int64_t follower, const char* login, const char* at, const char* sync_id) {
    return RawRecord{{id(user), id(follower)},
                     *parse_iso8601(at),
                     sync_id,
                     fmt::format(R"({{"login":"{}","id":{}}})", login, follower)};
  };
  // After the first build: a sync with a new star on beta, a newer snapshot of ann's star on beta and a
  // new follow edge; then a backfill OLDER than everything the models have seen: an old snapshot of
  // bob's beta star (which must not win), a star of alpha's before alpha's complete listing (which must
  // stay filtered out), and an old snapshot of bob following ann with another login (which must not win).
  const std::vector<RawBatch> late{
      {stargazers,
       {star(2, 103, "cy", "2024-03-20T12:40:00Z", "2024-03-20T13:00:00Z", "s3"),
        star(2, 101, "ann-renamed", "2024-03-06T10:00:00Z", "2024-03-20T13:00:00Z", "s3")}},
      {followers, {follow(102, 105, "dee", "2024-03-20T13:00:00Z", "s3")}},
      {stargazers,
       {star(2, 102, "bob-old", "2024-03-19T07:00:00Z", "2024-03-01T00:00:00Z", "s0"),
        star(1, 104, "gone-user", "2024-02-28T00:00:00Z", "2024-03-01T00:00:00Z", "s0")}},
      {followers, {follow(101, 102, "bob-old", "2024-03-01T00:00:00Z", "s0")}},
      // Forks: a new one of beta, and an older snapshot of bob's alpha fork under another name (must not win).
      {forks,
       {RawRecord{{id(2), id(503)},
                  *parse_iso8601("2024-03-20T13:00:00Z"),
                  "s3",
                  R"({"id":503,"full_name":"dee/beta","html_url":"https://github.com/dee/beta",)"
                  R"("owner":{"login":"dee","id":105},"created_at":"2024-03-20T12:00:00Z"})"},
        RawRecord{{id(1), id(501)},
                  *parse_iso8601("2024-03-01T00:00:00Z"),
                  "s0",
                  R"({"id":501,"full_name":"bob/old-name","html_url":"https://github.com/bob/old-name",)"
                  R"("owner":{"login":"bob","id":102},"created_at":"2024-03-10T23:59:00Z"})"}}}};

  Warehouse incremental(org());
  ASSERT_TRUE(incremental.build().ok());
  incremental.append(late);
  ASSERT_TRUE(incremental.build().ok());
  EXPECT_EQ(incremental.rows("select model, string_agg(distinct sync_id, ',' order by sync_id) from "
                             "ampere.incremental_syncs where model in ('base_github__followers', "
                             "'base_github__stargazers', 'base_github__forks') group by model "
                             "order by model"),
            (Rows{"base_github__followers | s0,s2,s3", "base_github__forks | s0,s2,s3",
                  "base_github__stargazers | s0,s1,s2,s3"}));

  std::vector<RawBatch> everything = org();
  everything.insert(everything.end(), late.begin(), late.end());
  Warehouse full(everything);
  ASSERT_TRUE(full.build().ok());
  for (const char* model :
       {"base_github__stargazers", "stg_github__stargazers", "base_github__followers", "stg_github__followers",
        "network_stargazer_nodes", "network_stargazer_edges", "network_follower_nodes", "network_follower_edges",
        "feed_events", "base_github__forks", "stg_github__forks"}) {
    const std::string sql = fmt::format("select * from main.{} order by all", model);
    EXPECT_EQ(incremental.rows(sql), full.rows(sql)) << model;
  }
  EXPECT_EQ(incremental.rows("select repo_id, user_id, user_login from main.stg_github__stargazers where repo_id = 2 "
                             "order by user_id"),
            (Rows{"2 | 101 | ann-renamed", "2 | 102 | bob", "2 | 103 | cy", "2 | 105 | dee"}));
  EXPECT_EQ(incremental.rows("select follower_login from main.stg_github__followers where user_id = 101 and "
                             "follower_id = 102"),
            Rows{"bob"});
  EXPECT_EQ(incremental.rows("select fork_id, fork_full_name from main.stg_github__forks order by fork_id"),
            (Rows{"501 | bob/alpha-fork", "502 | cy/beta", "503 | dee/beta"}));
}

TEST(MartsBuild, TheFeedRebuildsOnlyThePeriodsWhoseEventsOrNamesChangedAndEqualsAFullBuild) {
  const RawTable repos{"github", "repos", {"repo_id"}};
  const RawTable stargazers{"github", "stargazers", {"repo_id", "user_id"}};
  const RawTable users{"github", "users", {"user_id"}};
  const RawTable commits{"github", "commits", {"repo_id", "sha"}};
  const RawTable listings{"github", "listings", {"owner_id", "list"}};
  const auto at = [](const char* sync_id, const char* time, std::vector<RawKey> keys, std::string payload) {
    return RawRecord{std::move(keys), *parse_iso8601(time), sync_id, std::move(payload)};
  };
  const char* fay = R"({"name":"Fay","email":"fay@example.com","user":{"databaseId":106,"login":"fay"}})";
  // Syncs after the first build, each followed by a build compared with a full build of the same data.
  const std::vector<std::vector<RawBatch>> syncs{
      // The feed's partitions before, repo:period (30 days from 1970; 659 from 2024-02-17, 660 from
      // 2024-03-18): 1:659, 1:660, 2:656, 2:658, 2:659, 2:660 and 3:660.
      // 1. A new star on gamma (by a user without a profile), and ann's follower count changes (a profile
      //    refresh that the feed does not show): only gamma's latest period is rebuilt.
      {{stargazers,
        {at("s3", "2024-03-21T12:00:00Z", {id(3), id(106)}, star_json(106, "fay", "2024-03-21T11:00:00Z"))}},
       {users, {at("s3", "2024-03-21T12:00:00Z", {id(101)}, user_json(101, "ann", "Ann Archer", 11, 4))}}},
      // 2. bob renames himself: the periods with an event of his (alpha's 659, beta's 660).
      {{users, {at("s4", "2024-03-22T12:00:00Z", {id(102)}, user_json(102, "bobby", "Robert Baker", 4, 2))}}},
      // 3. beta is renamed and dee deletes her account (her events are all in beta): beta's four periods,
      //    more than half of the partitions, so the feed is built in full.
      {{repos, {at("s5", "2024-03-23T12:00:00Z", {id(2)}, repo_json(2, "beta2", 3, 1, 1, "2023-11-15T00:00:00Z"))}},
       {users, {at("s5", "2024-03-23T12:00:00Z", {id(105)}, R"({"id":105,"deleted":true})")}}},
      // 4. A new repo with a commit, and beta's complete star listing without bob (he had starred it in
      //    period 660): beta's other periods are kept.
      {{repos, {at("s6", "2024-03-24T12:00:00Z", {id(4)}, repo_json(4, "delta", 0, 0, 0, "2024-03-24T00:00:00Z"))}},
       {commits,
        {at("s6", "2024-03-24T12:00:00Z", {id(4), RawKey{std::string("ddd1")}},
            commit_json("ddd1", "delta", "Hello", "2024-03-24T10:00:00Z", 1, 0, fay))}},
       {stargazers,
        {at("s6", "2024-03-24T12:00:00Z", {id(2), id(101)}, star_json(101, "ann", "2024-03-06T10:00:00Z")),
         at("s6", "2024-03-24T12:00:00Z", {id(2), id(105)}, star_json(105, "dee", "2024-03-01T09:00:00Z"))}},
       {listings, {at("s6", "2024-03-24T12:00:00Z", {id(2), RawKey{std::string("stargazers")}}, "{}")}}}};
  // The partitions whose feed rows were written again by each build (a kept row keeps its rowid).
  const std::vector<Rows> rebuilt{{"3:660"},
                                  {"1:659", "2:660"},
                                  {"1:659", "1:660", "2:656", "2:658", "2:659", "2:660", "3:660"},
                                  {"2:660", "4:660"}};

  Warehouse incremental(org());
  ASSERT_TRUE(incremental.build().ok());
  std::vector<RawBatch> everything = org();
  const std::string feed = "select * from main.feed_events order by all";
  for (size_t i = 0; i < syncs.size(); ++i) {
    SCOPED_TRACE(fmt::format("sync {}", i + 1));
    // A row kept in place keeps its rowid (rows inserted in place get new ones); a table built in full is
    // another table (its oid), whose rows may reuse the old rowids: all of them were written.
    const std::string oid =
        "select table_oid from duckdb_tables() where schema_name = 'main' and table_name = 'feed_events'";
    const Rows oid_before = incremental.rows(oid);
    ASSERT_TRUE(incremental.connection().execute(
        "create or replace temp table before as select event_id, rowid as row_id from main.feed_events"));
    incremental.append(syncs[i]);
    ASSERT_TRUE(incremental.build().ok());
    const std::string written = incremental.rows(oid) == oid_before ? "b.row_id is distinct from f.rowid" : "true";
    EXPECT_EQ(incremental.rows("select distinct f.repo_id || ':' || f.feed_partition % 10000 from main.feed_events f "
                               "left join before b using (event_id) where " +
                               written + " order by 1"),
              rebuilt[i]);
    everything.insert(everything.end(), syncs[i].begin(), syncs[i].end());
    Warehouse full(everything);
    ASSERT_TRUE(full.build().ok());
    EXPECT_EQ(incremental.rows(feed), full.rows(feed));
  }
  // What the syncs changed is in the feed: the new names, the deleted account, the unstar, the new repo.
  EXPECT_EQ(incremental.rows("select repo_name, actor_login, coalesce(actor_name, '-') from main.feed_events where "
                             "event_type = 'star' and repo_id in (2, 3) order by all"),
            (Rows{"beta2 | ann | Ann Archer", "beta2 | ghost | -", "gamma | fay | -"}));
  EXPECT_EQ(incremental.rows("select actor_login, actor_name from main.feed_events where event_id = 'commit:4:ddd1'"),
            Rows{"fay | NULL"});
}

TEST(MartsBuild, AModelIsKeptOnlyWhileNothingItIsBuiltFromChanged) {
  const auto unchanged = [](const BuildReport& report) {
    std::vector<std::string> names;
    for (const auto& m : report.models) {
      EXPECT_EQ(m.status, ModelStatus::built) << m.name << ": " << m.error;
      if (m.unchanged) names.push_back(m.name);
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto has = [](const std::vector<std::string>& names, const char* name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  Warehouse kept(org());
  const BuildReport first = kept.build();
  EXPECT_TRUE(unchanged(first).empty());

  // Nothing new: everything is kept but what reads the clock or the build's variables.
  const BuildReport again = kept.build();
  const auto same = unchanged(again);
  for (const auto& m : again.models) {
    const bool volatile_model =
        m.name == "int_clock" || m.name == "int_status_assets" || m.name == "runs" || m.name == "status";
    EXPECT_EQ(has(same, m.name.c_str()), !volatile_model) << m.name;
    if (m.unchanged) {
      EXPECT_EQ(m.tests, 0U) << m.name;
    }
  }
  // int_clock was rebuilt, but to the same content, so what reads it was kept.
  EXPECT_TRUE(has(same, "repos"));
  EXPECT_TRUE(has(same, "repo_metrics_weekly"));

  // A new star on beta (user 102, bob), in a later sync: the stargazer models and what is downstream of
  // them are rebuilt; the commits and follower models are not; the result equals a full build.
  const std::vector<RawBatch> star{{{"github", "stargazers", {"repo_id", "user_id"}},
                                    {RawRecord{{id(2), id(102)},
                                               *parse_iso8601("2024-03-20T12:30:00Z"),
                                               "s3",
                                               star_json(102, "bob", "2024-03-20T12:10:00Z")}}}};
  kept.append(star);
  const auto after_star = unchanged(kept.build());
  for (const char* rebuilt : {"stg_github__stargazers", "int_clock", "int_feed_events_unioned", "feed_events",
                              "repo_metrics_weekly", "network_stargazer_nodes", "network_stargazer_edges", "repos"}) {
    EXPECT_FALSE(has(after_star, rebuilt)) << rebuilt;
  }
  for (const char* same_model : {"stg_github__commits", "stg_github__followers", "stg_github__issues",
                                 "stg_github__forks", "network_follower_edges", "stg_pypi__downloads"}) {
    EXPECT_TRUE(has(after_star, same_model)) << same_model;
  }
  std::vector<RawBatch> everything = org();
  everything.insert(everything.end(), star.begin(), star.end());
  Warehouse full(everything);
  ASSERT_TRUE(full.build().ok());
  for (const char* mart :
       {"repos", "repo_metrics_weekly", "feed_events", "issues", "issues_summary", "network_stargazer_nodes",
        "network_stargazer_edges", "network_follower_nodes", "network_follower_edges"}) {
    const std::string sql = fmt::format("select * from main.{} order by all", mart);
    EXPECT_EQ(kept.rows(sql), full.rows(sql)) << mart;
  }

  // A changed model SQL or a dropped table is rebuilt even when its inputs did not change.
  ASSERT_TRUE(kept.connection().execute("drop table main.issues"));
  const auto after_drop = unchanged(kept.build());
  EXPECT_FALSE(has(after_drop, "issues"));
  EXPECT_TRUE(has(after_drop, "issues_summary"));
}

}  // namespace
}  // namespace ampere::warehouse
