#include "server/api_routes.hpp"

#include <fmt/format.h>

#include "util/log.hpp"
#include "util/strings.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

const std::vector<ApiRoute>& routes() {
  static const std::vector<ApiRoute> all{
      {"GET",
       "/api/v1/repos",
       "Repositories with stars, forks, open issues and downloads, most stars first",
       {"format"},
       true,
       true,
       repos_handler},
      {"GET",
       "/api/v1/metrics/weekly",
       "One metric per repository and ISO week (Monday start)",
       {"metric", "repos", "from", "to", "format"},
       true,
       true,
       weekly_metrics_handler},
      {"GET", "/api/v1/packages", "The tracked PyPI packages", {"format"}, true, true, packages_handler},
      {"GET",
       "/api/v1/downloads",
       "Downloads of one package per period and group value",
       {"package", "granularity", "group", "from", "to", "format"},
       true,
       true,
       downloads_handler},
      {"GET",
       "/api/v1/feed",
       "Events (stars, forks, commits, issues, pull requests), one page at a time",
       {"repo", "type", "action", "user", "from", "to", "order", "limit", "cursor", "format"},
       true,
       true,
       feed_handler},
      {"GET",
       "/api/v1/feed/bounds",
       "First and last event and their count for the feed's filters",
       {"repo", "type", "action", "user"},
       false,
       true,
       feed_bounds_handler},
      {"GET",
       "/api/v1/issues",
       "Open issues, one page at a time",
       {"repo", "q", "sort", "order", "limit", "offset", "format"},
       true,
       true,
       issues_handler},
      {"GET", "/api/v1/issues/summary", "Issue figures per repository", {"format"}, true, true, issues_summary_handler},
      {"GET",
       "/api/v1/networks/stargazers",
       "Repositories and their stargazers, laid out",
       {},
       false,
       true,
       stargazer_network_handler},
      {"GET",
       "/api/v1/networks/followers",
       "Who follows whom among the organization's users, laid out",
       {},
       false,
       true,
       follower_network_handler},
      {"GET",
       "/api/v1/status",
       "Freshness of every source and model, and of each page",
       {"format"},
       true,
       true,
       status_handler},
      {"GET", "/api/v1/runs", "The latest syncs and builds", {"limit", "format"}, true, true, runs_handler},
      {"POST", "/api/v1/sync", "Starts a sync and build (admin token required)", {}, false, false, nullptr},
  };
  return all;
}

}  // namespace

std::span<const ApiRoute> api_routes() {
  return routes();
}

const ApiRoute* find_api_route(std::string_view path) {
  for (const auto& route : routes()) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

Json list_body(db::Connection& connection) {
  const std::string as_of = warehouse::data_as_of(connection);
  Json body = Json::object();
  body["as_of"] = as_of.empty() ? Json(nullptr) : Json(as_of);
  body["items"] = Json::array();
  return body;
}

Checked<std::string> known_repo(db::Connection& connection, std::string_view parameter, const std::string& name) {
  auto names = warehouse::repo_names(connection);
  if (!names) return tl::unexpected(warehouse_problem(names.error()));
  for (const auto& n : *names) {
    if (n == name) return name;
  }
  const auto suggestion = closest_match(name, *names);
  return tl::unexpected(Problem::bad_parameter(
      std::string(parameter),
      fmt::format("unknown repo '{}'{}", name, suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : ""),
      *names));
}

Problem warehouse_problem(const Error& error) {
  log::warn("warehouse read failed: {}", error.message);
  return Problem::with_status(503, "Service Unavailable",
                              "the warehouse could not answer (is it built? run `ampere build`): " + error.message);
}

}  // namespace ampere::server
