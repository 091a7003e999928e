// /api/v1/issues and /api/v1/issues/summary.
#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {
constexpr std::string_view orders[] = {"desc", "asc"};
}  // namespace

ApiResult issues_handler(ApiRequest& request) {
  const auto& p = request.params;
  std::string repo;
  if (const auto given = p.text("repo")) {
    auto known = known_repo(request.connection, "repo", *given);
    if (!known) return tl::unexpected(known.error());
    repo = *known;
  }
  auto sort = p.choice("sort", warehouse::issue_sorts(), "age_days");
  if (!sort) return tl::unexpected(sort.error());
  auto order = p.choice("order", orders, "desc");
  if (!order) return tl::unexpected(order.error());
  auto table = warehouse::issues_table(request.connection, repo, p.text("q").value_or(""), *sort, *order == "asc");
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  return body;
}

ApiResult issues_summary_handler(ApiRequest& request) {
  auto table = warehouse::issues_summary_table(request.connection);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  return body;
}

}  // namespace ampere::server
