#include "server/app.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/log.hpp"
#include "warehouse/repo_queries.hpp"

namespace ampere::server {

namespace {

constexpr std::string_view content_security_policy =
    "default-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'";

http::Response text(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

http::Response problem(int status, std::string_view title, std::string_view detail) {
  http::Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = nlohmann::json{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}}.dump();
  return r;
}

void add_security_headers(http::Response& r) {
  r.headers.emplace("X-Content-Type-Options", "nosniff");
  r.headers.emplace("Referrer-Policy", "no-referrer");
  if (r.content_type.starts_with("text/html")) r.headers.emplace("Content-Security-Policy", content_security_policy);
}

}  // namespace

App::App(db::Database& warehouse) : warehouse_(warehouse), pages_(warehouse) {}

http::Response App::handle(const http::Request& request) {
  http::Response response;
  try {
    const std::string& path = request.path;
    const bool read = request.method == "GET" || request.method == "HEAD";
    const bool known = path == "/healthz" || path == "/api/v1/repos";
    if (auto page = pages_.handle(request)) {
      response = std::move(*page);
    } else if (!known) {
      response = path.starts_with("/api/") ? problem(404, "Not Found", "no such API route: " + path)
                                           : text(404, "not found: " + path);
    } else if (!read) {
      response = problem(405, "Method Not Allowed", request.method + " is not allowed on " + path + "; use GET");
      response.headers.emplace("Allow", "GET, HEAD");
    } else if (path == "/healthz") {
      response = text(200, "ok\n");
    } else if (path == "/api/v1/repos") {
      response = repos_json();
    }
  } catch (const std::exception& e) {
    log::error("{} {}: {}", request.method, request.path, e.what());
    response = problem(500, "Internal Server Error", "the server failed to answer; see its log");
  }
  add_security_headers(response);
  return response;
}

http::Response App::repos_json() {
  auto connection = warehouse_.connect();
  if (!connection) return problem(503, "Service Unavailable", connection.error().message);
  auto repos = warehouse::list_repos(*connection);
  if (!repos) return problem(503, "Service Unavailable", "the repos mart is not built yet; run `ampere build`");
  nlohmann::json data = nlohmann::json::array();
  for (const auto& repo : *repos) {
    data.push_back({{"repo_id", repo.repo_id},
                    {"org", repo.org},
                    {"repo_name", repo.repo_name},
                    {"description", repo.description},
                    {"language", repo.language},
                    {"stars", repo.stars},
                    {"forks", repo.forks},
                    {"open_issues", repo.open_issues},
                    {"html_url", repo.html_url},
                    {"created_at", repo.created_at},
                    {"pushed_at", repo.pushed_at}});
  }
  http::Response r;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"data", data}, {"count", data.size()}}.dump();
  return r;
}

}  // namespace ampere::server
