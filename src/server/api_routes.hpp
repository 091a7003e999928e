#pragma once
// The table of /api/v1 routes: path, method, parameters, handler. The App dispatches through it and
// the OpenAPI test checks docs/openapi.json against it, so the two cannot drift apart.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "http/http_types.hpp"
#include "server/api_json.hpp"
#include "server/param_reader.hpp"

namespace ampere::server {

/// What a handler reads: the request, its checked parameter names, a warehouse connection.
struct ApiRequest {
  const http::Request& http;
  const ParamReader& params;
  db::Connection& connection;
};

/// The body of a 200: a JSON value, or JSON text a handler wrote itself (the networks: a tree of a
/// million values would take many times the text's memory).
struct ApiBody {
  ApiBody(Json value) : json(std::move(value)) {}  // NOLINT(google-explicit-constructor): handlers return Json
  static ApiBody text(std::string json_text) {
    ApiBody body(Json(nullptr));
    body.written = std::move(json_text);
    return body;
  }
  Json json;                           ///< the items of tabular routes (CSV) are read from here
  std::optional<std::string> written;  ///< when set, the body as is
};

/// The body of a 200, or the Problem to answer instead.
using ApiResult = Checked<ApiBody>;

/// Answers one route.
using ApiHandler = ApiResult (*)(ApiRequest&);

/// One route of /api/v1.
struct ApiRoute {
  std::string_view method;               ///< GET or POST
  std::string_view path;                 ///< "/api/v1/feed"
  std::string_view summary;              ///< one line, for the docs
  std::vector<std::string_view> params;  ///< every query parameter it accepts (with "format" when tabular)
  bool tabular = false;                  ///< answers ?format=csv with its items
  bool cacheable = true;                 ///< same data until the next build (status and runs are marts too)
  ApiHandler handler = nullptr;          ///< nullptr: the App answers it (the admin sync)
};

/// Every route, in the order the docs list them.
std::span<const ApiRoute> api_routes();

/// The route at `path` (any method), or nullptr.
const ApiRoute* find_api_route(std::string_view path);

/// The values of ?format= on tabular routes.
inline constexpr std::string_view format_values[] = {"json", "csv"};

// The handlers, one file per area (repos_api.cpp, metrics_api.cpp, ...).
ApiResult repos_handler(ApiRequest& request);
ApiResult packages_handler(ApiRequest& request);
ApiResult weekly_metrics_handler(ApiRequest& request);
ApiResult downloads_handler(ApiRequest& request);
ApiResult feed_handler(ApiRequest& request);
ApiResult feed_bounds_handler(ApiRequest& request);
ApiResult issues_handler(ApiRequest& request);
ApiResult issues_summary_handler(ApiRequest& request);
ApiResult stargazer_network_handler(ApiRequest& request);
ApiResult follower_network_handler(ApiRequest& request);
ApiResult status_handler(ApiRequest& request);
ApiResult runs_handler(ApiRequest& request);

/// Shared by the handlers: {"as_of": <data as of>, "items": []} to fill.
Json list_body(db::Connection& connection);

/// `name` when it is a repository, else a 400 naming `parameter`, the nearest name and every name.
Checked<std::string> known_repo(db::Connection& connection, std::string_view parameter, const std::string& name);

/// A warehouse failure as a 503 (the mart is missing or the database refused): never a 500.
Problem warehouse_problem(const Error& error);

}  // namespace ampere::server
