#include "pipeline/sync_state_reader.hpp"

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/lake_views.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::pipeline {

namespace {

// Runs `sql` and hands each row to `row`.
template <class Row>
Expected<void> each_row(db::Connection& c, const std::string& sql, Row&& row) {
  auto result = c.query(sql);
  if (!result) return with_context(result.error(), "reading the sync state");
  for (size_t r = 0; r < result->row_count(); ++r) row(*result, r);
  return {};
}

std::string text_or_empty(const db::Result& result, size_t column, size_t row) {
  return result.is_null(column, row) ? std::string() : result.text(column, row);
}

}  // namespace

Expected<github::SyncState> read_sync_state(const std::filesystem::path& lake_root) {
  auto database = db::Database::open("");
  if (!database) return tl::unexpected(database.error());
  auto connection = (*database)->connect();
  if (!connection) return tl::unexpected(connection.error());
  db::Connection& c = *connection;
  auto sources = warehouse::embedded_sources();
  if (!sources) return tl::unexpected(sources.error());
  if (auto ok = lake::attach_lake_views(c, lake_root); !ok) return tl::unexpected(ok.error());
  if (auto ok = warehouse::ensure_source_views(c, *sources); !ok) return tl::unexpected(ok.error());
  auto all = warehouse::embedded_models();
  if (!all) return tl::unexpected(all.error());
  std::vector<warehouse::Model> staging;
  for (auto& m : *all) {
    if (m.name.starts_with("stg_github__") || m.name.starts_with("base_github__")) staging.push_back(m);
  }
  auto built = warehouse::build_models(c, staging);
  if (!built) return tl::unexpected(built.error());
  if (!built->ok()) {
    for (const auto& m : built->models) {
      if (m.status != warehouse::ModelStatus::built) {
        return fail(ErrorKind::invalid_input,
                    fmt::format("reading the sync state: staging model {} did not build: {}", m.name, m.error));
      }
    }
  }

  github::SyncState state;
  auto ok = each_row(c,
                     "SELECT repo_id, payload->>'$.full_name', payload->>'$.updated_at', payload->>'$.pushed_at', "
                     "CAST(payload->>'$.stargazers_count' AS BIGINT), CAST(payload->>'$.forks_count' AS BIGINT), "
                     "CAST(payload->>'$.open_issues_count' AS BIGINT) FROM raw_github.repos "
                     "QUALIFY row_number() OVER (PARTITION BY repo_id ORDER BY retrieved_at DESC, sync_id DESC) = 1",
                     [&](const db::Result& r, size_t i) {
                       github::RepoState s;
                       s.repo_id = r.int64(0, i);
                       s.full_name = text_or_empty(r, 1, i);
                       s.updated_at = text_or_empty(r, 2, i);
                       s.pushed_at = text_or_empty(r, 3, i);
                       s.stargazers_count = r.is_null(4, i) ? -1 : r.int64(4, i);
                       s.forks_count = r.is_null(5, i) ? -1 : r.int64(5, i);
                       s.open_issues_count = r.is_null(6, i) ? -1 : r.int64(6, i);
                       state.repos[s.repo_id] = std::move(s);
                     });
  if (!ok) return tl::unexpected(ok.error());
  const auto repo = [&](int64_t id) -> github::RepoState* {
    const auto it = state.repos.find(id);
    return it == state.repos.end() ? nullptr : &it->second;
  };
  ok = each_row(c, "SELECT DISTINCT repo_id FROM raw_github.languages", [&](const db::Result& r, size_t i) {
    if (auto* s = repo(r.int64(0, i))) s->has_languages = true;
  });
  if (!ok) return tl::unexpected(ok.error());
  // GitHub lists stars oldest first; the newest known one is where the next page of news starts.
  ok = each_row(c,
                "SELECT repo_id, count(*), arg_max(user_id, (starred_at, user_id)), epoch_us(max(starred_at)) "
                "FROM main.stg_github__stargazers GROUP BY repo_id",
                [&](const db::Result& r, size_t i) {
                  if (auto* s = repo(r.int64(0, i))) {
                    s->known_stars = r.int64(1, i);
                    s->newest_star_user_id = r.int64(2, i);
                    if (!r.is_null(3, i)) s->newest_starred_at = Timestamp(std::chrono::microseconds(r.int64(3, i)));
                  }
                });
  if (!ok) return tl::unexpected(ok.error());
  ok = each_row(c, "SELECT repo_id, fork_id FROM main.stg_github__forks", [&](const db::Result& r, size_t i) {
    if (auto* s = repo(r.int64(0, i))) s->fork_ids.insert(r.int64(1, i));
  });
  if (!ok) return tl::unexpected(ok.error());
  ok = each_row(c, "SELECT repo_id, max(payload->>'$.updated_at') FROM raw_github.issues GROUP BY repo_id",
                [&](const db::Result& r, size_t i) {
                  if (auto* s = repo(r.int64(0, i))) s->issues_updated_since = text_or_empty(r, 1, i);
                });
  if (!ok) return tl::unexpected(ok.error());
  ok = each_row(c,
                "SELECT owner_id, arg_max(payload->>'$.since', retrieved_at), arg_max(payload->>'$.max_updated_at', "
                "retrieved_at) FROM raw_github.listings WHERE list = 'issues_request' GROUP BY owner_id",
                [&](const db::Result& r, size_t i) {
                  if (auto* s = repo(r.int64(0, i))) {
                    s->issues_request_since = text_or_empty(r, 1, i);
                    s->issues_request_max_updated_at = text_or_empty(r, 2, i);
                  }
                });
  if (!ok) return tl::unexpected(ok.error());
  ok = each_row(c,
                "SELECT repo_id, issue_id FROM main.stg_github__issues WHERE state = 'open' UNION ALL "
                "SELECT repo_id, pull_request_id FROM main.stg_github__pull_requests WHERE state = 'open'",
                [&](const db::Result& r, size_t i) {
                  if (auto* s = repo(r.int64(0, i))) s->open_issue_ids.insert(r.int64(1, i));
                });
  if (!ok) return tl::unexpected(ok.error());
  ok = each_row(c, "SELECT repo_id, max(payload->>'$.committedDate') FROM raw_github.commits GROUP BY repo_id",
                [&](const db::Result& r, size_t i) {
                  if (auto* s = repo(r.int64(0, i))) s->commits_since = text_or_empty(r, 1, i);
                });
  if (!ok) return tl::unexpected(ok.error());

  // Users: everyone who interacted (with the node id GitHub gave), and their profiles when fetched.
  ok = each_row(
      c,
      "WITH seen AS ("
      " SELECT CAST(payload->>'$.user.id' AS BIGINT) AS user_id, payload->>'$.user.login' AS login,"
      "        payload->>'$.user.node_id' AS node_id, false AS author FROM raw_github.stargazers"
      " UNION ALL SELECT CAST(payload->>'$.user.id' AS BIGINT), payload->>'$.user.login', payload->>'$.user.node_id',"
      "        true FROM raw_github.issues"
      " UNION ALL SELECT CAST(payload->>'$.owner.id' AS BIGINT), payload->>'$.owner.login', "
      "payload->>'$.owner.node_id',"
      "        false FROM raw_github.forks"
      " UNION ALL SELECT CAST(payload->>'$.author.user.databaseId' AS BIGINT), payload->>'$.author.user.login',"
      "        payload->>'$.author.user.id', false FROM raw_github.commits"
      " UNION ALL SELECT user_id, payload->>'$.login', payload->>'$.id', false FROM raw_github.users"
      "        WHERE payload->>'$.deleted' IS NULL),"
      " known AS (SELECT user_id, any_value(login) AS login, any_value(node_id) AS node_id, bool_or(author) AS author"
      "        FROM seen WHERE user_id IS NOT NULL AND node_id IS NOT NULL GROUP BY user_id),"
      " listed AS (SELECT owner_id AS user_id, CAST(arg_max(payload->>'$.count', retrieved_at) AS BIGINT) AS n"
      "        FROM raw_github.listings WHERE list = 'followers' GROUP BY owner_id)"
      " SELECT known.user_id, coalesce(u.login, known.login), known.node_id,"
      "        epoch_us(u.retrieved_at), u.followers_count, listed.n, coalesce(u.is_deleted, false), known.author"
      " FROM known LEFT JOIN main.stg_github__users u USING (user_id) LEFT JOIN listed USING (user_id)",
      [&](const db::Result& r, size_t i) {
        github::UserState u;
        u.user_id = r.int64(0, i);
        u.login = text_or_empty(r, 1, i);
        u.node_id = text_or_empty(r, 2, i);
        if (!r.is_null(3, i)) u.profile_at = Timestamp(std::chrono::microseconds(r.int64(3, i)));
        u.followers_count = r.is_null(4, i) ? -1 : r.int64(4, i);
        u.followers_listed_count = r.is_null(5, i) ? -1 : r.int64(5, i);
        u.deleted = r.boolean(6, i);
        u.is_author = r.boolean(7, i);
        state.users[u.user_id] = std::move(u);
      });
  if (!ok) return tl::unexpected(ok.error());
  return state;
}

}  // namespace ampere::pipeline
