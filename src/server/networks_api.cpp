// /api/v1/networks/stargazers and /api/v1/networks/followers: nodes and edges in columns.
#include <algorithm>
#include <cmath>

#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

/// Significant digits kept of the layout's extent: a millionth of the picture is finer than any screen
/// shows at the pages' deepest zoom, and short numbers make the 50,000-node bodies smaller and quicker
/// to parse.
constexpr int kPositionDigits = 6;

/// Rounds the nodes' x and y to kPositionDigits significant digits of the largest |x| or |y|.
void round_positions(Json& nodes) {
  double extent = 0;
  for (const char* axis : {"x", "y"}) {
    for (const auto& v : nodes[axis]) {
      if (v.is_number()) extent = std::max(extent, std::abs(v.get<double>()));
    }
  }
  if (!(extent > 0) || !std::isfinite(extent)) return;
  const int decimals = std::max(0, kPositionDigits - 1 - static_cast<int>(std::floor(std::log10(extent))));
  const double scale = std::pow(10.0, decimals);
  for (const char* axis : {"x", "y"}) {
    for (auto& v : nodes[axis]) {
      // An exact integer divided by an exact power of ten: the double nearest the short decimal.
      if (v.is_number()) v = std::round(v.get<double>() * scale) / scale;
    }
  }
}

ApiResult network_body(ApiRequest& request, const Expected<warehouse::NetworkTables>& network) {
  if (!network) return tl::unexpected(warehouse_problem(network.error()));
  Json body = list_body(request.connection);
  body.erase("items");
  body["nodes"] = table_columns(network->nodes);
  round_positions(body["nodes"]);
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
