#include "server/app.hpp"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/html.hpp"
#include "server/static_assets.hpp"
#include "util/log.hpp"
#include "warehouse/repo_queries.hpp"

namespace ampere::server {

namespace {

constexpr std::string_view content_security_policy =
    "default-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'";
constexpr std::string_view asset_prefix = "/assets/";
constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";

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

App::App(db::Database& warehouse, ApiOptions api_options)
    : warehouse_(warehouse), api_(warehouse, std::move(api_options)) {}

void App::data_changed() {
  api_.data_changed();
}

http::Response App::handle(const http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_label = "other";
  http::Response response = route(request, route_label);
  metrics_.record(route_label, response.status,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return response;
}

http::Response App::route(const http::Request& request, std::string& route_label) {
  http::Response response;
  try {
    const std::string& path = request.path;
    const bool read = request.method == "GET" || request.method == "HEAD";
    const bool known = path == "/" || path == "/about" || path == "/healthz" || path == "/readyz" ||
                       path == "/metrics" || path.starts_with(asset_prefix);
    if (known) route_label = path.starts_with(asset_prefix) ? "/assets" : path;
    if (path.starts_with("/api/")) {
      response = api_.handle(request, route_label);
    } else if (!known) {
      response = text(404, "not found: " + path);
    } else if (!read) {
      response = problem(405, "Method Not Allowed", request.method + " is not allowed on " + path + "; use GET");
      response.headers.emplace("Allow", "GET, HEAD");
    } else if (path == "/healthz") {
      response = text(200, "ok\n");
    } else if (path == "/" || path == "/about") {
      response = home_page();
    } else if (path == "/readyz") {
      response = ready();
    } else if (path == "/metrics") {
      response = text(200, metrics_.prometheus(api_.gauges()));
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.headers.emplace("Cache-Control", "no-store");
    } else {
      response = asset(path.substr(asset_prefix.size()), request);
    }
  } catch (const std::exception& e) {
    log::error("{} {}: {}", request.method, request.path, e.what());
    response = problem(500, "Internal Server Error", "the server failed to answer; see its log");
  }
  add_security_headers(response);
  return response;
}

http::Response App::home_page() {
  auto connection = warehouse_.connect();
  if (!connection) return problem(503, "Service Unavailable", connection.error().message);
  auto repos = warehouse::list_repos(*connection);
  if (!repos) {
    return problem(503, "Service Unavailable", "the repos mart is not built yet; run `ampere build`");
  }
  std::string rows;
  std::string org;
  for (const auto& repo : *repos) {
    org = repo.org;
    rows += fmt::format(
        "      <tr><td><a href=\"{}\" rel=\"noopener\">{}</a></td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape_html(repo.html_url), escape_html(repo.repo_name), escape_html(repo.language), repo.stars, repo.forks,
        repo.open_issues, escape_html(repo.description));
  }
  const auto as_of = warehouse::last_build_time(*connection);
  const StaticAsset* page = find_asset("index.html");
  http::Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = fill_template(page->bytes, {{"org", escape_html(org)},
                                       {"rows", rows},
                                       {"data_as_of", escape_html(as_of ? *as_of : "")},
                                       {"style_version", find_asset("style.css")->hash},
                                       {"theme_version", find_asset("theme.js")->hash}});
  r.headers.emplace("Cache-Control", "no-cache");
  return r;
}

http::Response App::ready() {
  const std::string reason = api_.not_ready_reason();
  http::Response r = reason.empty() ? text(200, "ready\n") : text(503, "not ready: " + reason + "\n");
  r.headers.emplace("Cache-Control", "no-store");
  return r;
}

http::Response App::asset(const std::string& path, const http::Request& request) {
  const StaticAsset* found = path == "index.html" ? nullptr : find_asset(path);
  if (found == nullptr) return text(404, "no such asset: " + path);
  const std::string etag = "\"" + found->hash + "\"";
  http::Response r;
  r.headers.emplace("ETag", etag);
  r.headers.emplace("Cache-Control", immutable_cache);
  if (request.header("If-None-Match") == etag) {
    r.status = 304;
    r.content_type = std::string(found->content_type);
    return r;
  }
  r.content_type = std::string(found->content_type);
  r.body = std::string(found->bytes);
  return r;
}

}  // namespace ampere::server
