// /api/v1/metrics/weekly.
#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

ApiResult weekly_metrics_handler(ApiRequest& request) {
  const auto& p = request.params;
  auto metric = p.choice("metric", warehouse::weekly_metrics(), "");
  if (!metric) return tl::unexpected(metric.error());
  const auto repos = p.list("repos");
  for (const auto& repo : repos) {
    if (auto ok = known_repo(request.connection, "repos", repo); !ok) return tl::unexpected(ok.error());
  }
  auto range = p.day_range();
  if (!range) return tl::unexpected(range.error());
  auto table = warehouse::weekly_metric_table(request.connection, *metric, repos, range->from_day(), range->to_day());
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["metric"] = *metric;
  body["items"] = table_items(*table);
  return body;
}

}  // namespace ampere::server
