// /api/v1/status and /api/v1/runs (empty lists until the pipeline's status and runs marts exist).
#include <map>

#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

int state_rank(const std::string& state) {
  if (state == "missing") return 2;
  if (state == "stale") return 1;
  return 0;
}

// Per page: the worst state of the assets it shows, its oldest data and the most hours stale.
Json page_states(const Json& items) {
  struct PageState {
    std::string state = "ok";
    Json oldest = nullptr;
    Json hours = nullptr;
  };
  std::map<std::string, PageState> pages;
  for (const auto& item : items) {
    for (const auto& page : item["pages"]) {
      auto& s = pages[page.get<std::string>()];
      const std::string state = item["state"].is_string() ? item["state"].get<std::string>() : "missing";
      if (state_rank(state) > state_rank(s.state)) s.state = state;
      const auto& newest = item["newest_data_at"];
      if (newest.is_string() && (s.oldest.is_null() || newest.get<std::string>() < s.oldest.get<std::string>())) {
        s.oldest = newest;
      }
      const auto& hours = item["hours_stale"];
      if (hours.is_number() && (s.hours.is_null() || hours.get<double>() > s.hours.get<double>())) s.hours = hours;
    }
  }
  Json out = Json::array();
  for (const auto& [page, s] : pages) {
    out.push_back(Json{{"page", page}, {"state", s.state}, {"oldest_data_at", s.oldest}, {"hours_stale", s.hours}});
  }
  return out;
}

}  // namespace

ApiResult status_handler(ApiRequest& request) {
  auto table = warehouse::status_table(request.connection);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  body["pages"] = page_states(body["items"]);
  return body;
}

ApiResult runs_handler(ApiRequest& request) {
  auto limit = request.params.integer("limit", 1, 1000, 20);
  if (!limit) return tl::unexpected(limit.error());
  auto table = warehouse::runs_table(request.connection, *limit);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(*table);
  return body;
}

}  // namespace ampere::server
