// /api/v1/issues and /api/v1/issues/summary.
#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {
constexpr std::string_view orders[] = {"desc", "asc"};
}  // namespace

ApiResult issues_handler(ApiRequest& request) {
  const auto& p = request.params;
  warehouse::IssueQuery query;
  if (const auto given = p.text("repo")) {
    auto known = known_repo(request.connection, "repo", *given);
    if (!known) return tl::unexpected(known.error());
    query.repo = *known;
  }
  query.text = p.text("q").value_or("");
  auto sort = p.choice("sort", warehouse::issue_sorts(), "age_days");
  if (!sort) return tl::unexpected(sort.error());
  query.sort = *sort;
  auto order = p.choice("order", orders, "desc");
  if (!order) return tl::unexpected(order.error());
  query.ascending = *order == "asc";
  auto limit = p.integer("limit", 1, 1000, 100);
  if (!limit) return tl::unexpected(limit.error());
  query.limit = *limit;
  auto offset = p.integer("offset", 0, 100'000'000, 0);
  if (!offset) return tl::unexpected(offset.error());
  query.offset = *offset;
  auto page = warehouse::issues_page(request.connection, query);
  if (!page) return tl::unexpected(warehouse_problem(page.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(page->items);
  body["total"] = page->total;
  const int64_t next = query.offset + static_cast<int64_t>(page->items.rows.size());
  body["next_offset"] = next < page->total ? Json(next) : Json(nullptr);
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
