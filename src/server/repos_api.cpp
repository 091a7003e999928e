// /api/v1/repos and /api/v1/packages.
#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

ApiResult repos_handler(ApiRequest& request) {
  auto table = warehouse::repos_table(request.connection);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  return body;
}

ApiResult packages_handler(ApiRequest& request) {
  auto table = warehouse::packages_table(request.connection);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  return body;
}

}  // namespace ampere::server
