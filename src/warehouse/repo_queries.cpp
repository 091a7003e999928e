#include "warehouse/repo_queries.hpp"

namespace ampere::warehouse {

Expected<std::vector<RepoRow>> list_repos(db::Connection& connection) {
  auto result = connection.query(
      "SELECT repo_id, org, repo_name, coalesce(description, ''), coalesce(language, ''), stars, forks, open_issues, "
      "html_url, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(pushed_at, '%Y-%m-%dT%H:%M:%SZ') "
      "FROM main.repos ORDER BY stars DESC, repo_name");
  if (!result) return tl::unexpected(result.error());
  std::vector<RepoRow> rows;
  rows.reserve(result->row_count());
  for (size_t r = 0; r < result->row_count(); ++r) {
    rows.push_back(RepoRow{result->int64(0, r), result->text(1, r), result->text(2, r), result->text(3, r),
                           result->text(4, r), result->int64(5, r), result->int64(6, r), result->int64(7, r),
                           result->text(8, r), result->text(9, r), result->text(10, r)});
  }
  return rows;
}

Expected<std::string> last_build_time(db::Connection& connection) {
  auto result = connection.query(
      "SELECT strftime(max(finished_at), '%Y-%m-%dT%H:%M:%SZ') FROM ampere.builds WHERE status = 'success'");
  if (!result) return std::string();  // no builds table yet: never built
  return result->text(0, 0);
}

}  // namespace ampere::warehouse
