#pragma once
// A small warehouse written by hand in an in-memory DuckDB (the marts' tables with the columns the API
// reads), and an App serving it in-process. Every expected value in the API tests is read off these rows.
//
// Now (int_clock) is 2024-03-20T12:00:00Z. Repos: alpha (5 stars), beta (2), gamma (0).
// Feed: 6 events between 2024-03-01 and 2024-03-19. Packages: alpha-py (4 daily rows).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "http/http_types.hpp"
#include "server/app.hpp"

namespace ampere::testing {

inline constexpr const char* small_marts_sql = R"sql(
CREATE TABLE main.int_clock AS SELECT TIMESTAMPTZ '2024-03-20 12:00:00+00' AS now_at;
CREATE TABLE main.repos (repo_id BIGINT, org VARCHAR, repo_name VARCHAR, full_name VARCHAR, description VARCHAR,
  language VARCHAR, license VARCHAR, topics VARCHAR[], html_url VARCHAR, stars BIGINT, forks BIGINT, open_issues BIGINT,
  created_at TIMESTAMPTZ, pushed_at TIMESTAMPTZ, retrieved_at TIMESTAMPTZ, is_archived BOOLEAN, is_fork BOOLEAN,
  age_days BIGINT, downloads_total BIGINT, downloads_last_7d BIGINT);
INSERT INTO main.repos VALUES
  (1, 'acme', 'alpha', 'acme/alpha', 'The alpha repo', 'C++', 'MIT', ['db', 'fast'], 'https://github.com/acme/alpha',
   5, 2, 3, '2024-02-26 10:00:00+00', '2024-03-19 08:00:00+00', '2024-03-20 12:00:00+00', false, false, 23, 100, 40),
  (2, 'acme', 'beta', 'acme/beta', NULL, 'Python', NULL, [], 'https://github.com/acme/beta',
   2, 0, 1, '2023-11-15 00:00:00+00', '2024-03-01 00:00:00+00', '2024-03-20 12:00:00+00', false, true, 126, 0, 0),
  (3, 'acme', 'gamma', 'acme/gamma', 'Gamma, "quoted"', NULL, 'Apache-2.0', [], 'https://github.com/acme/gamma',
   0, 0, 0, '2023-12-01 00:00:00+00', '2023-12-01 00:00:00+00', '2024-03-20 12:00:00+00', true, false, 110, 0, 0);
CREATE TABLE main.repo_metrics_weekly AS SELECT * FROM (VALUES
  (1, 'alpha', DATE '2024-03-04', false, 2, 2, 0, 0, 10, 10),
  (1, 'alpha', DATE '2024-03-11', false, 4, 2, 1, 1, 12, 2),
  (1, 'alpha', DATE '2024-03-18', true, 5, 1, 2, 1, 15, 3),
  (2, 'beta', DATE '2024-03-11', false, 1, 1, 0, 0, 0, 0),
  (2, 'beta', DATE '2024-03-18', true, 2, 1, 0, 0, 1, 1))
  AS t(repo_id, repo_name, week_start, is_partial_week, stars, stars_change, forks, forks_change, commits, commits_change);
ALTER TABLE main.repo_metrics_weekly ADD COLUMN open_issues BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN open_issues_change BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN open_pull_requests BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN open_pull_requests_change BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN lines_added BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN lines_added_change BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN lines_deleted BIGINT DEFAULT 0;
ALTER TABLE main.repo_metrics_weekly ADD COLUMN lines_deleted_change BIGINT DEFAULT 0;
CREATE TABLE main.feed_events (event_id VARCHAR, event_type VARCHAR, action VARCHAR, repo_id BIGINT, repo_name VARCHAR,
  actor_user_id BIGINT, actor_login VARCHAR, actor_name VARCHAR, title_or_message VARCHAR, event_at TIMESTAMPTZ, link VARCHAR);
INSERT INTO main.feed_events VALUES
  ('star:1:101', 'star', 'starred', 1, 'alpha', 101, 'Ann', 'Ann A', NULL, '2024-03-01 09:00:00+00', 'https://github.com/Ann'),
  ('fork:1:7', 'fork', 'forked', 1, 'alpha', 102, 'bob', NULL, NULL, '2024-03-05 10:00:00+00', 'https://github.com/bob/alpha'),
  ('commit:1:abc', 'commit', 'committed', 1, 'alpha', 101, 'Ann', 'Ann A', 'Fix, the "bug"', '2024-03-10 11:00:00+00', 'https://github.com/acme/alpha/commit/abc'),
  ('issue:2:5:opened', 'issue', 'opened', 2, 'beta', 102, 'bob', NULL, 'Crash on start', '2024-03-12 12:00:00+00', 'https://github.com/acme/beta/issues/5'),
  ('pr:1:9:merged', 'pull_request', 'merged', 1, 'alpha', NULL, NULL, NULL, 'Add feature', '2024-03-15 13:00:00+00', 'https://github.com/acme/alpha/pull/9'),
  ('issue:2:5:closed', 'issue', 'closed', 2, 'beta', NULL, NULL, NULL, 'Crash on start', '2024-03-19 14:00:00+00', 'https://github.com/acme/beta/issues/5');
CREATE TABLE main.issues (issue_id BIGINT, repo_id BIGINT, repo_name VARCHAR, issue_number BIGINT, title VARCHAR, body VARCHAR,
  author_user_id BIGINT, author_login VARCHAR, labels VARCHAR[], comments BIGINT, created_at TIMESTAMPTZ, age_days BIGINT, link VARCHAR);
INSERT INTO main.issues VALUES
  (501, 1, 'alpha', 1, 'Slow query', 'It takes a minute', 101, 'Ann', ['bug', 'perf'], 4, '2024-03-01 00:00:00+00', 19, 'https://github.com/acme/alpha/issues/1'),
  (502, 1, 'alpha', 2, 'Docs', '', 102, 'bob', [], 0, '2024-03-15 00:00:00+00', 5, 'https://github.com/acme/alpha/issues/2'),
  (503, 2, 'beta', 7, 'Crash in parser', 'SLOW and crashes', 102, 'bob', ['bug'], 1, '2024-02-01 00:00:00+00', 49, 'https://github.com/acme/beta/issues/7');
CREATE TABLE main.issues_summary (repo_id BIGINT, repo_name VARCHAR, open_issues BIGINT, median_age_days DOUBLE,
  opened_this_month BIGINT, closed_this_month BIGINT, open_pull_requests BIGINT, median_days_to_close_last_90d DOUBLE);
INSERT INTO main.issues_summary VALUES (1, 'alpha', 2, 12.0, 2, 0, 1, NULL), (2, 'beta', 1, 49.0, 0, 1, 0, 3.5),
  (3, 'gamma', 0, NULL, 0, 0, 0, NULL);
CREATE TABLE main.network_stargazer_nodes (node_id VARCHAR, node_type VARCHAR, repo_id BIGINT, user_id BIGINT, label VARCHAR,
  user_name VARCHAR, followers_count BIGINT, stargazers BIGINT, starred_repos BIGINT,
  group_repo_name VARCHAR, link VARCHAR);
INSERT INTO main.network_stargazer_nodes VALUES
  ('repo:1', 'repo', 1, NULL, 'alpha', NULL, NULL, 2, NULL, 'alpha', ''),
  ('repo:2', 'repo', 2, NULL, 'beta', NULL, NULL, 1, NULL, 'beta', ''),
  ('user:101', 'user', NULL, 101, 'Ann', 'Ann A', 10, NULL, 2, 'alpha', ''),
  ('user:102', 'user', NULL, 102, 'bob', NULL, 4, NULL, 1, 'alpha', '');
CREATE TABLE main.network_stargazer_edges (user_node_id VARCHAR, repo_node_id VARCHAR, user_id BIGINT, repo_id BIGINT);
INSERT INTO main.network_stargazer_edges VALUES ('user:101', 'repo:1', 101, 1), ('user:101', 'repo:2', 101, 2),
  ('user:102', 'repo:1', 102, 1);
CREATE TABLE main.network_follower_nodes (user_id BIGINT, login VARCHAR, user_name VARCHAR, followers_count BIGINT,
  following_count BIGINT, internal_followers BIGINT, internal_following BIGINT);
INSERT INTO main.network_follower_nodes VALUES (101, 'Ann', 'Ann A', 10, 4, 1, 1), (102, 'bob', NULL, 4, 2, 1, 1),
  (105, 'dee', NULL, 0, 1, 0, 0);
CREATE TABLE main.network_follower_edges (follower_user_id BIGINT, followed_user_id BIGINT, is_mutual BOOLEAN);
INSERT INTO main.network_follower_edges VALUES (101, 102, true), (102, 101, true);
CREATE TABLE main.network_layouts (network VARCHAR, node_id VARCHAR, x DOUBLE, y DOUBLE);
INSERT INTO main.network_layouts VALUES ('stargazers', 'repo:1', 1.5, -2.0), ('stargazers', 'user:101', 0.25, 0.5),
  ('followers', '101', 3.14159265358979, -1234.56789012);
CREATE TABLE main.packages (package VARCHAR, repo_name VARCHAR, source VARCHAR, first_day DATE, last_day DATE,
  downloads_total BIGINT, downloads_last_7d BIGINT);
INSERT INTO main.packages VALUES ('alpha-py', 'alpha', 'clickpy', '2024-03-01', '2024-03-04', 100, 100),
  ('pyspark', NULL, 'bigquery', '2024-03-01', '2024-03-01', 7, 7);
CREATE TABLE main.downloads (package VARCHAR, granularity VARCHAR, period_start TIMESTAMPTZ, group_name VARCHAR,
  group_value VARCHAR, downloads BIGINT);
INSERT INTO main.downloads VALUES
  ('alpha-py', 'day', '2024-03-01 00:00:00+00', 'overall', 'overall', 10),
  ('alpha-py', 'day', '2024-03-02 00:00:00+00', 'overall', 'overall', 20),
  ('alpha-py', 'day', '2024-03-03 00:00:00+00', 'overall', 'overall', 30),
  ('alpha-py', 'day', '2024-03-04 00:00:00+00', 'overall', 'overall', 40),
  ('alpha-py', 'week', '2024-02-26 00:00:00+00', 'overall', 'overall', 60),
  ('alpha-py', 'week', '2024-03-04 00:00:00+00', 'overall', 'overall', 40),
  ('alpha-py', 'week', '2024-02-26 00:00:00+00', 'country', 'US', 50),
  ('alpha-py', 'week', '2024-02-26 00:00:00+00', 'country', 'other', 10),
  ('pyspark', 'day', '2024-03-01 00:00:00+00', 'overall', 'overall', 7);
CREATE TABLE main.stg_ampere__runs (run_id VARCHAR, run_kind VARCHAR, source_name VARCHAR, status VARCHAR,
  finished_at TIMESTAMPTZ);
INSERT INTO main.stg_ampere__runs VALUES ('r1', 'sync', 'github', 'success', '2024-03-20 12:00:00+00');
)sql";

/// The pipeline's status and runs marts, added by tests that need them.
inline constexpr const char* status_marts_sql = R"sql(
CREATE TABLE main.status (asset VARCHAR, kind VARCHAR, pages VARCHAR[], row_count BIGINT, newest_data_at TIMESTAMPTZ,
  last_success_at TIMESTAMPTZ, hours_stale DOUBLE, threshold_hours DOUBLE, state VARCHAR);
INSERT INTO main.status VALUES
  ('github.stargazers', 'source', ['/', '/network-stargazers'], 7, '2024-03-20 10:00:00+00', '2024-03-20 12:00:00+00', 2.0, 12.0, 'ok'),
  ('pypi.downloads', 'source', ['/downloads', '/'], 9, '2024-03-18 00:00:00+00', '2024-03-18 01:00:00+00', 60.0, 36.0, 'stale');
CREATE TABLE main.runs (run_id VARCHAR, run_kind VARCHAR, source_name VARCHAR, status VARCHAR, error VARCHAR,
  started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, requests BIGINT, not_modified BIGINT, graphql_points BIGINT, rows_written BIGINT);
INSERT INTO main.runs VALUES
  ('r1', 'sync', 'github', 'succeeded', NULL, '2024-03-20 11:00:00+00', '2024-03-20 11:05:00+00', 40, 10, 3, 120),
  ('r2', 'build', NULL, 'failed', 'model x failed', '2024-03-20 11:06:00+00', '2024-03-20 11:07:00+00', NULL, NULL, NULL, NULL);
)sql";

/// A parsed answer.
struct Answer {
  http::Response response;
  nlohmann::json json;  ///< the body parsed when it is JSON, else null
};

/// An in-memory warehouse holding the small marts and an App over it.
class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open(server::ApiOptions options = {}) {
    app_.reset();
    if (!db_) {
      auto db = db::Database::open("");
      ASSERT_TRUE(db) << db.error().message;
      db_ = std::move(*db);
      run_sql(small_marts_sql);
    }
    app_ = std::make_unique<server::App>(*db_, std::move(options));
  }

  void run_sql(const char* sql) {
    auto connection = db_->connect();
    ASSERT_TRUE(connection);
    auto ok = connection->execute(sql);
    ASSERT_TRUE(ok) << ok.error().message;
  }

  /// GET (or `method`) of "path?query" with `headers`.
  Answer call(const std::string& target, http::Headers headers = {}, const std::string& method = "GET",
              const std::string& body = "", const std::string& remote = "127.0.0.1") {
    http::Request request;
    request.method = method;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.raw_query = target.substr(q + 1);
    request.headers = std::move(headers);
    request.body = body;
    request.remote_address = remote;
    Answer a;
    a.response = app_->handle(request);
    // The tests read `body`; a cached answer is shared, not copied, by the server.
    if (a.response.shared_body) a.response.body = std::string(a.response.payload());
    if (a.response.content_type.find("json") != std::string::npos && !a.response.body.empty() &&
        !a.response.header("Content-Encoding")) {
      a.json = nlohmann::json::parse(a.response.body, nullptr, false);
    }
    return a;
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<server::App> app_;
};

}  // namespace ampere::testing
