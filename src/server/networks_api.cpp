// /api/v1/networks/stargazers and /api/v1/networks/followers: nodes and edges in columns.
#include <algorithm>
#include <cmath>
#include <optional>

#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

/// Significant digits kept of the layout's extent: a millionth of the picture is finer than any screen
/// shows at the pages' deepest zoom, and short numbers make the 50,000-node bodies smaller and quicker
/// to parse.
constexpr int kPositionDigits = 6;

/// Decimals that keep kPositionDigits significant digits of the largest |x| or |y| (none when every
/// position is null or zero).
std::optional<int> position_decimals(const warehouse::NetworkResults& network) {
  double extent = 0;
  for (size_t c = 0; c < network.node_columns.size(); ++c) {
    if (network.node_columns[c].kind != warehouse::ColumnKind::number) continue;
    for (size_t r = 0; r < network.nodes.row_count(); ++r) {
      if (!network.nodes.is_null(c, r)) extent = std::max(extent, std::abs(network.nodes.real(c, r)));
    }
  }
  if (!(extent > 0) || !std::isfinite(extent)) return std::nullopt;
  return std::max(0, kPositionDigits - 1 - static_cast<int>(std::floor(std::log10(extent))));
}

/// {"as_of": ..., "nodes": {columns}, "edges": {columns}}, written straight from the query results.
ApiResult network_body(ApiRequest& request, const Expected<warehouse::NetworkResults>& network) {
  if (!network) return tl::unexpected(warehouse_problem(network.error()));
  const std::string as_of = warehouse::data_as_of(request.connection);
  std::string out = R"({"as_of":)" + dump_json(as_of.empty() ? Json(nullptr) : Json(as_of)) + R"(,"nodes":)";
  append_json_columns(out, network->nodes, network->node_columns, position_decimals(*network));
  out += R"(,"edges":)";
  append_json_columns(out, network->edges, network->edge_columns);
  out.push_back('}');
  return ApiBody::text(std::move(out));
}

}  // namespace

ApiResult stargazer_network_handler(ApiRequest& request) {
  return network_body(request, warehouse::stargazer_network(request.connection));
}

ApiResult follower_network_handler(ApiRequest& request) {
  return network_body(request, warehouse::follower_network(request.connection));
}

}  // namespace ampere::server
