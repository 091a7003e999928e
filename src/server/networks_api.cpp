// /api/v1/networks/stargazers and /api/v1/networks/followers: nodes and edges in columns.
#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

ApiResult network_body(ApiRequest& request, const Expected<warehouse::NetworkTables>& network) {
  if (!network) return tl::unexpected(warehouse_problem(network.error()));
  Json body = list_body(request.connection);
  body.erase("items");
  body["nodes"] = table_columns(network->nodes);
  body["edges"] = table_columns(network->edges);
  return body;
}

}  // namespace

ApiResult stargazer_network_handler(ApiRequest& request) {
  return network_body(request, warehouse::stargazer_network(request.connection));
}

ApiResult follower_network_handler(ApiRequest& request) {
  return network_body(request, warehouse::follower_network(request.connection));
}

}  // namespace ampere::server
