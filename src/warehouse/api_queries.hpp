#pragma once
// The reads of the marts behind /api/v1 and the CLI reports. Every value a request chooses is bound
// as a parameter ($1, $2, ...); the only text put into SQL comes from the fixed tables in
// api_queries.cpp, picked by values the caller has already checked against them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "warehouse/query_table.hpp"

namespace ampere::warehouse {

/// Days and times are bound as ISO 8601 text; these bound the open ends of a range.
inline constexpr const char* open_range_start = "1970-01-01T00:00:00Z";
inline constexpr const char* open_range_end = "9999-12-31T00:00:00Z";

/// The repos mart in the API's columns, most stars first (ties by name).
Expected<Table> repos_table(db::Connection& connection);

/// Every repository name, sorted.
Expected<std::vector<std::string>> repo_names(db::Connection& connection);

/// The packages mart, by package name.
Expected<Table> packages_table(db::Connection& connection);

/// Every tracked package name, sorted.
Expected<std::vector<std::string>> package_names(db::Connection& connection);

/// The weekly metrics the API accepts, in the order it lists them.
const std::vector<std::string_view>& weekly_metrics();

/// Weekly values of `metric` (one of weekly_metrics()) for `repos` (all when empty), weeks starting
/// within [from_day, to_day] ("YYYY-MM-DD"), by repo then week.
Expected<Table> weekly_metric_table(db::Connection& connection, std::string_view metric,
                                    const std::vector<std::string>& repos, const std::string& from_day,
                                    const std::string& to_day);

/// Downloads of `package` per period, for one granularity and group, periods starting in [from, to).
Expected<Table> downloads_table(db::Connection& connection, const std::string& package, const std::string& granularity,
                                const std::string& group, const std::string& from, const std::string& to);

/// The feed's filters; empty strings mean "any".
struct FeedFilter {
  std::string repo;
  std::string type;                     ///< star, fork, commit, issue, pull_request
  std::string action;                   ///< created, opened, closed, merged, reopened
  std::string user;                     ///< login, compared case-insensitively
  std::string from = open_range_start;  ///< inclusive, ISO 8601
  std::string to = open_range_end;      ///< exclusive, ISO 8601
};

/// Where a page of the feed continues: after this event in the chosen order.
struct FeedPosition {
  int64_t event_at_us = 0;
  std::string event_id;
};

/// A page of the feed.
struct FeedPage {
  Table items;  ///< event_id, event_type, action, repo_name, actor_login, actor_name, title, event_at, link
  std::optional<FeedPosition> next;  ///< the last item's position when more follow
};

/// Up to `limit` events matching `filter`, newest first unless `ascending`, after `after` if given.
Expected<FeedPage> feed_page(db::Connection& connection, const FeedFilter& filter, bool ascending, int64_t limit,
                             const std::optional<FeedPosition>& after);

/// first_event_at, last_event_at (ISO 8601 or "" when none), count of the events matching `filter`
/// (its date range ignored).
struct FeedBounds {
  std::string first_event_at;
  std::string last_event_at;
  int64_t count = 0;
};
Expected<FeedBounds> feed_bounds(db::Connection& connection, const FeedFilter& filter);

/// The orders the issues list accepts.
const std::vector<std::string_view>& issue_sorts();

/// Which open issues, in which order, which slice.
struct IssueQuery {
  std::string repo;                    ///< all repos when empty
  std::string text;                    ///< in title, body or author login, case-insensitive; all when empty
  std::string_view sort = "age_days";  ///< one of issue_sorts()
  bool ascending = false;
  int64_t limit = 100;
  int64_t offset = 0;
};

/// A slice of the open issues and how many match in all.
struct IssuePage {
  Table items;  ///< repo_name, issue_number, title, body, author_login, labels, comments, created_at, age_days, link
  int64_t total = 0;
};

/// The open issues matching `query`, ties broken by repo and number so pages never overlap.
Expected<IssuePage> issues_page(db::Connection& connection, const IssueQuery& query);

/// The issues_summary mart, by repo name.
Expected<Table> issues_summary_table(db::Connection& connection);

/// A network: nodes (laid-out x, y from network_layouts, null before the first layout) and edges as
/// indexes into the nodes, as query results to be read column by column. Not Tables: a million edges
/// held as rows of cells take ten times the memory of the JSON written from them.
struct NetworkResults {
  std::span<const Column> node_columns;
  db::Result nodes;
  std::span<const Column> edge_columns;
  db::Result edges;
};

/// The stargazer network: nodes id, type, label, group, x, y, followers; edges source, target.
Expected<NetworkResults> stargazer_network(db::Connection& connection);

/// The follower network: nodes id, label, name, x, y, followers, following, internal_followers,
/// internal_following; edges source, target, mutual.
Expected<NetworkResults> follower_network(db::Connection& connection);

/// The status mart (empty, with its columns, while it does not exist).
Expected<Table> status_table(db::Connection& connection);

/// The newest `limit` rows of the runs mart (empty while it does not exist).
Expected<Table> runs_table(db::Connection& connection, int64_t limit);

/// Seconds since the last successful sync of each source ("github", "pypi"), from the run records.
struct SyncAge {
  std::string source;
  double seconds = 0;
};
Expected<std::vector<SyncAge>> last_sync_ages(db::Connection& connection);

}  // namespace ampere::warehouse
