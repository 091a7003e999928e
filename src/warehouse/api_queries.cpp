#include "warehouse/api_queries.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace ampere::warehouse {

namespace {

using K = ColumnKind;

Expected<std::vector<std::string>> names(db::Connection& connection, std::string_view sql) {
  auto result = connection.query(sql);
  if (!result) return tl::unexpected(result.error());
  std::vector<std::string> out;
  out.reserve(result->row_count());
  for (size_t r = 0; r < result->row_count(); ++r) out.push_back(result->text(0, r));
  return out;
}

Table empty_table(std::span<const Column> columns) {
  Table t;
  t.columns.assign(columns.begin(), columns.end());
  return t;
}

// The SQL of each weekly metric: the column holding the value at the end of the week, and its change.
struct MetricColumns {
  std::string_view metric;
  std::string_view sql;
};
constexpr std::array<MetricColumns, 7> metric_columns{{
    {"stars", "stars, stars_change"},
    {"forks", "forks, forks_change"},
    {"open_issues", "open_issues, open_issues_change"},
    {"open_pull_requests", "open_pull_requests, open_pull_requests_change"},
    {"commits", "commits, commits_change"},
    {"lines_added", "lines_added, lines_added_change"},
    {"lines_deleted", "lines_deleted, lines_deleted_change"},
}};

// The feed's action vocabulary (created, opened, closed, merged, reopened) over the mart's.
constexpr std::string_view feed_action_sql =
    "CASE WHEN action IN ('starred', 'forked', 'committed') THEN 'created' ELSE action END";

// The feed's filters, parameters $1..$6.
std::string feed_where() {
  return fmt::format(
      "($1 = '' OR repo_name = $1) AND ($2 = '' OR event_type = $2) AND ($3 = '' OR {} = $3) "
      "AND ($4 = '' OR lower(actor_login) = lower($4)) "
      "AND event_at >= CAST($5 AS TIMESTAMPTZ) AND event_at < CAST($6 AS TIMESTAMPTZ)",
      feed_action_sql);
}

constexpr std::array<Column, 9> feed_columns{{{"event_id", K::text},
                                              {"event_type", K::text},
                                              {"action", K::text},
                                              {"repo_name", K::text},
                                              {"actor_login", K::text},
                                              {"actor_name", K::text},
                                              {"title", K::text},
                                              {"event_at", K::text},
                                              {"link", K::text}}};

struct IssueSort {
  std::string_view name;
  std::string_view sql;
};
constexpr std::array<IssueSort, 6> issue_sort_sql{{
    {"age_days", "age_days"},
    {"comments", "comments"},
    {"created_at", "created_at"},
    {"repo_name", "repo_name"},
    {"author_login", "lower(author_login)"},
    {"title", "lower(title)"},
}};

constexpr std::array<Column, 9> status_columns{{{"asset", K::text},
                                                {"kind", K::text},
                                                {"pages", K::text_list},
                                                {"row_count", K::integer},
                                                {"newest_data_at", K::text},
                                                {"last_success_at", K::text},
                                                {"hours_stale", K::number},
                                                {"threshold_hours", K::number},
                                                {"state", K::text}}};

constexpr std::array<Column, 11> runs_columns{{{"run_id", K::text},
                                               {"run_kind", K::text},
                                               {"source_name", K::text},
                                               {"status", K::text},
                                               {"error", K::text},
                                               {"started_at", K::text},
                                               {"finished_at", K::text},
                                               {"requests", K::integer},
                                               {"not_modified", K::integer},
                                               {"graphql_points", K::integer},
                                               {"rows_written", K::integer}}};

}  // namespace

Expected<Table> repos_table(db::Connection& connection) {
  static constexpr std::array<Column, 17> columns{{{"repo_name", K::text},
                                                   {"full_name", K::text},
                                                   {"description", K::text},
                                                   {"language", K::text},
                                                   {"license", K::text},
                                                   {"topics", K::text_list},
                                                   {"html_url", K::text},
                                                   {"stars", K::integer},
                                                   {"forks", K::integer},
                                                   {"open_issues", K::integer},
                                                   {"created_at", K::text},
                                                   {"pushed_at", K::text},
                                                   {"age_days", K::integer},
                                                   {"is_archived", K::boolean},
                                                   {"is_fork", K::boolean},
                                                   {"downloads_total", K::integer},
                                                   {"downloads_last_7d", K::integer}}};
  return query_table(connection,
                     "SELECT repo_name, full_name, description, language, license, array_to_string(topics, chr(31)), "
                     "html_url, stars, forks, open_issues, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), "
                     "strftime(pushed_at, '%Y-%m-%dT%H:%M:%SZ'), age_days, is_archived, is_fork, downloads_total, "
                     "downloads_last_7d FROM main.repos ORDER BY stars DESC, repo_name",
                     columns);
}

Expected<std::vector<std::string>> repo_names(db::Connection& connection) {
  return names(connection, "SELECT repo_name FROM main.repos ORDER BY repo_name");
}

Expected<Table> packages_table(db::Connection& connection) {
  static constexpr std::array<Column, 7> columns{{{"package", K::text},
                                                  {"repo_name", K::text},
                                                  {"source", K::text},
                                                  {"first_day", K::text},
                                                  {"last_day", K::text},
                                                  {"downloads_total", K::integer},
                                                  {"downloads_last_7d", K::integer}}};
  if (!table_exists(connection, "packages")) return empty_table(columns);
  return query_table(connection,
                     "SELECT package, repo_name, source, strftime(first_day, '%Y-%m-%d'), "
                     "strftime(last_day, '%Y-%m-%d'), downloads_total, downloads_last_7d FROM main.packages "
                     "ORDER BY package",
                     columns);
}

Expected<std::vector<std::string>> package_names(db::Connection& connection) {
  if (!table_exists(connection, "packages")) return std::vector<std::string>{};
  return names(connection, "SELECT package FROM main.packages ORDER BY package");
}

const std::vector<std::string_view>& weekly_metrics() {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> v;
    for (const auto& m : metric_columns) v.push_back(m.metric);
    return v;
  }();
  return all;
}

Expected<Table> weekly_metric_table(db::Connection& connection, std::string_view metric,
                                    const std::vector<std::string>& repos, const std::string& from_day,
                                    const std::string& to_day) {
  static constexpr std::array<Column, 5> columns{{{"repo_name", K::text},
                                                  {"week_start", K::text},
                                                  {"value", K::integer},
                                                  {"change", K::integer},
                                                  {"is_partial_week", K::boolean}}};
  const auto found = std::find_if(metric_columns.begin(), metric_columns.end(),
                                  [&](const MetricColumns& m) { return m.metric == metric; });
  if (found == metric_columns.end()) return fail(ErrorKind::invalid_input, fmt::format("unknown metric {}", metric));
  std::string repo_list;
  for (const auto& r : repos) {
    if (!repo_list.empty()) repo_list.push_back('\x1f');
    repo_list += r;
  }
  const std::string sql = fmt::format(
      "SELECT repo_name, strftime(week_start, '%Y-%m-%d'), {}, is_partial_week FROM main.repo_metrics_weekly "
      "WHERE ($1 = '' OR list_contains(string_split($1, chr(31)), repo_name)) "
      "AND week_start >= CAST($2 AS DATE) AND week_start <= CAST($3 AS DATE) ORDER BY repo_name, week_start",
      found->sql);
  const std::array<db::Param, 3> params{repo_list, from_day.empty() ? std::string("1970-01-01") : from_day,
                                        to_day.empty() ? std::string("9999-12-31") : to_day};
  return query_table(connection, sql, columns, params);
}

Expected<Table> downloads_table(db::Connection& connection, const std::string& package, const std::string& granularity,
                                const std::string& group, const std::string& from, const std::string& to) {
  static constexpr std::array<Column, 3> columns{
      {{"period_start", K::text}, {"group_value", K::text}, {"downloads", K::integer}}};
  if (!table_exists(connection, "downloads")) return empty_table(columns);
  const std::array<db::Param, 5> params{package, granularity, group, from, to};
  return query_table(connection,
                     "SELECT strftime(period_start, '%Y-%m-%dT%H:%M:%SZ'), group_value, downloads FROM main.downloads "
                     "WHERE package = $1 AND granularity = $2 AND group_name = $3 "
                     "AND period_start >= CAST($4 AS TIMESTAMPTZ) AND period_start < CAST($5 AS TIMESTAMPTZ) "
                     "ORDER BY period_start, group_value",
                     columns, params);
}

Expected<FeedPage> feed_page(db::Connection& connection, const FeedFilter& filter, bool ascending, int64_t limit,
                             const std::optional<FeedPosition>& after) {
  // Two fixed orders; the cursor continues strictly after the last event shown in that order.
  const std::string_view direction = ascending ? "ASC" : "DESC";
  const std::string_view beyond = ascending ? ">" : "<";
  const std::string sql = fmt::format(
      "SELECT event_id, event_type, {0}, repo_name, actor_login, actor_name, title_or_message, "
      "strftime(event_at, '%Y-%m-%dT%H:%M:%SZ'), link, epoch_us(event_at) FROM main.feed_events WHERE {1} "
      "AND ($7 = 0 OR epoch_us(event_at) {2} $8 OR (epoch_us(event_at) = $8 AND event_id {2} $9)) "
      "ORDER BY event_at {3}, event_id {3} LIMIT $10",
      feed_action_sql, feed_where(), beyond, direction);
  std::vector<Column> columns(feed_columns.begin(), feed_columns.end());
  columns.push_back({"event_at_us", K::integer});
  const std::array<db::Param, 10> params{filter.repo,
                                         filter.type,
                                         filter.action,
                                         filter.user,
                                         filter.from,
                                         filter.to,
                                         after ? 1 : 0,
                                         static_cast<int64_t>(after ? after->event_at_us : 0),
                                         after ? after->event_id : std::string(),
                                         static_cast<int64_t>(limit + 1)};
  auto table = query_table(connection, sql, columns, params);
  if (!table) return tl::unexpected(table.error());
  FeedPage page;
  if (static_cast<int64_t>(table->rows.size()) > limit) {
    table->rows.resize(static_cast<size_t>(limit));
    const auto& last = table->rows.back();
    page.next = FeedPosition{std::get<int64_t>(last[9]), std::get<std::string>(last[0])};
  }
  for (auto& row : table->rows) row.pop_back();
  table->columns.pop_back();
  page.items = std::move(*table);
  return page;
}

Expected<FeedBounds> feed_bounds(db::Connection& connection, const FeedFilter& filter) {
  const std::string sql = fmt::format(
      "SELECT strftime(min(event_at), '%Y-%m-%dT%H:%M:%SZ'), strftime(max(event_at), '%Y-%m-%dT%H:%M:%SZ'), "
      "count(*) FROM main.feed_events WHERE {}",
      feed_where());
  auto result =
      connection.query(sql, filter.repo, filter.type, filter.action, filter.user, open_range_start, open_range_end);
  if (!result) return tl::unexpected(result.error());
  return FeedBounds{result->text(0, 0), result->text(1, 0), result->int64(2, 0)};
}

const std::vector<std::string_view>& issue_sorts() {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> names;
    for (const auto& s : issue_sort_sql) names.push_back(s.name);
    return names;
  }();
  return all;
}

Expected<IssuePage> issues_page(db::Connection& connection, const IssueQuery& query) {
  static constexpr std::array<Column, 10> columns{{{"repo_name", K::text},
                                                   {"issue_number", K::integer},
                                                   {"title", K::text},
                                                   {"body", K::text},
                                                   {"author_login", K::text},
                                                   {"labels", K::text_list},
                                                   {"comments", K::integer},
                                                   {"created_at", K::text},
                                                   {"age_days", K::integer},
                                                   {"link", K::text}}};
  static constexpr std::array<Column, 1> count_column{{{"total", K::integer}}};
  const auto found = std::find_if(issue_sort_sql.begin(), issue_sort_sql.end(),
                                  [&](const IssueSort& s) { return s.name == query.sort; });
  if (found == issue_sort_sql.end()) return fail(ErrorKind::invalid_input, fmt::format("unknown sort {}", query.sort));
  const std::string where =
      "FROM main.issues WHERE ($1 = '' OR repo_name = $1) "
      "AND ($2 = '' OR contains(lower(title), lower($2)) OR contains(lower(body), lower($2)) "
      "OR contains(lower(author_login), lower($2))) ";
  const std::string sql = fmt::format(
      "SELECT repo_name, issue_number, title, body, author_login, array_to_string(labels, chr(31)), comments, "
      "strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), age_days, link {0}"
      "ORDER BY {1} {2}, repo_name, issue_number LIMIT $3 OFFSET $4",
      where, found->sql, query.ascending ? "ASC" : "DESC");
  const std::array<db::Param, 4> params{query.repo, query.text, query.limit, query.offset};
  auto items = query_table(connection, sql, columns, params);
  if (!items) return tl::unexpected(items.error());
  const std::array<db::Param, 2> count_params{query.repo, query.text};
  auto count = query_table(connection, "SELECT count(*) " + where, count_column, count_params);
  if (!count) return tl::unexpected(count.error());
  IssuePage page{std::move(*items), 0};
  if (!count->rows.empty()) page.total = std::get<int64_t>(count->rows[0][0]);
  return page;
}

Expected<Table> issues_summary_table(db::Connection& connection) {
  static constexpr std::array<Column, 7> columns{{{"repo_name", K::text},
                                                  {"open_issues", K::integer},
                                                  {"median_age_days", K::number},
                                                  {"opened_this_month", K::integer},
                                                  {"closed_this_month", K::integer},
                                                  {"open_pull_requests", K::integer},
                                                  {"median_days_to_close_90d", K::number}}};
  return query_table(connection,
                     "SELECT repo_name, open_issues, median_age_days, opened_this_month, closed_this_month, "
                     "open_pull_requests, median_days_to_close_last_90d FROM main.issues_summary ORDER BY repo_name",
                     columns);
}

Expected<NetworkResults> stargazer_network(db::Connection& connection) {
  static constexpr std::array<Column, 7> node_columns{{{"id", K::text},
                                                       {"type", K::text},
                                                       {"label", K::text},
                                                       {"group", K::text},
                                                       {"x", K::number},
                                                       {"y", K::number},
                                                       {"followers", K::integer}}};
  static constexpr std::array<Column, 2> edge_columns{{{"source", K::integer}, {"target", K::integer}}};
  const bool laid_out = table_exists(connection, "network_layouts");
  // Nodes in a fixed order (repos first, then users, by id); edges refer to them by that index.
  const std::string indexed =
      "WITH indexed AS (SELECT *, row_number() OVER (ORDER BY node_type, node_id) - 1 AS idx "
      "FROM main.network_stargazer_nodes) ";
  auto nodes = query_columns(
      connection,
      indexed + (laid_out ? "SELECT n.node_id, n.node_type, n.label, n.group_repo_name, l.x, l.y, n.followers_count "
                            "FROM indexed n LEFT JOIN main.network_layouts l "
                            "ON l.network = 'stargazers' AND l.node_id = n.node_id ORDER BY n.idx"
                          : "SELECT node_id, node_type, label, group_repo_name, CAST(NULL AS DOUBLE), "
                            "CAST(NULL AS DOUBLE), followers_count FROM indexed ORDER BY idx"),
      node_columns);
  if (!nodes) return tl::unexpected(nodes.error());
  auto edges =
      query_columns(connection,
                    indexed +
                        "SELECT s.idx, t.idx FROM main.network_stargazer_edges e "
                        "JOIN indexed s ON s.node_id = e.user_node_id JOIN indexed t ON t.node_id = e.repo_node_id "
                        "ORDER BY s.idx, t.idx",
                    edge_columns);
  if (!edges) return tl::unexpected(edges.error());
  return NetworkResults{node_columns, std::move(*nodes), edge_columns, std::move(*edges)};
}

Expected<NetworkResults> follower_network(db::Connection& connection) {
  static constexpr std::array<Column, 9> node_columns{{{"id", K::text},
                                                       {"label", K::text},
                                                       {"name", K::text},
                                                       {"x", K::number},
                                                       {"y", K::number},
                                                       {"followers", K::integer},
                                                       {"following", K::integer},
                                                       {"internal_followers", K::integer},
                                                       {"internal_following", K::integer}}};
  static constexpr std::array<Column, 3> edge_columns{
      {{"source", K::integer}, {"target", K::integer}, {"mutual", K::boolean}}};
  const bool laid_out = table_exists(connection, "network_layouts");
  const std::string indexed =
      "WITH indexed AS (SELECT *, CAST(user_id AS VARCHAR) AS node_id, row_number() OVER (ORDER BY user_id) - 1 AS idx "
      "FROM main.network_follower_nodes) ";
  auto nodes = query_columns(
      connection,
      indexed + (laid_out
                     ? "SELECT n.node_id, n.login, n.user_name, l.x, l.y, n.followers_count, n.following_count, "
                       "n.internal_followers, n.internal_following FROM indexed n LEFT JOIN main.network_layouts l "
                       "ON l.network = 'followers' AND l.node_id = n.node_id ORDER BY n.idx"
                     : "SELECT node_id, login, user_name, CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), "
                       "followers_count, following_count, internal_followers, internal_following FROM indexed "
                       "ORDER BY idx"),
      node_columns);
  if (!nodes) return tl::unexpected(nodes.error());
  auto edges = query_columns(connection,
                             indexed +
                                 "SELECT s.idx, t.idx, e.is_mutual FROM main.network_follower_edges e "
                                 "JOIN indexed s ON s.user_id = e.follower_user_id "
                                 "JOIN indexed t ON t.user_id = e.followed_user_id ORDER BY s.idx, t.idx",
                             edge_columns);
  if (!edges) return tl::unexpected(edges.error());
  return NetworkResults{node_columns, std::move(*nodes), edge_columns, std::move(*edges)};
}

Expected<Table> status_table(db::Connection& connection) {
  if (!table_exists(connection, "status")) return empty_table(status_columns);
  return query_table(connection,
                     "SELECT asset, kind, array_to_string(pages, chr(31)), row_count, "
                     "strftime(newest_data_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(last_success_at, '%Y-%m-%dT%H:%M:%SZ'), "
                     "hours_stale, threshold_hours, state FROM main.status ORDER BY asset",
                     status_columns);
}

Expected<Table> runs_table(db::Connection& connection, int64_t limit) {
  if (!table_exists(connection, "runs")) return empty_table(runs_columns);
  const std::array<db::Param, 1> params{limit};
  return query_table(connection,
                     "SELECT run_id, run_kind, source_name, status, error, "
                     "strftime(started_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ'), "
                     "requests, not_modified, graphql_points, rows_written FROM main.runs "
                     "ORDER BY started_at DESC NULLS LAST, run_id DESC LIMIT $1",
                     runs_columns, params);
}

Expected<std::vector<SyncAge>> last_sync_ages(db::Connection& connection) {
  std::vector<SyncAge> ages;
  if (!table_exists(connection, "stg_ampere__runs")) return ages;
  auto result = connection.query(
      "SELECT source_name, epoch(current_timestamp) - epoch(max(finished_at)) FROM main.stg_ampere__runs "
      "WHERE run_kind = 'sync' AND status IN ('success', 'succeeded') AND source_name IS NOT NULL "
      "GROUP BY source_name ORDER BY source_name");
  if (!result) return tl::unexpected(result.error());
  for (size_t r = 0; r < result->row_count(); ++r) ages.push_back({result->text(0, r), result->real(1, r)});
  return ages;
}

}  // namespace ampere::warehouse
