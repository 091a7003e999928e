#include "server/app.hpp"

#include <chrono>

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

App::App(db::Database& warehouse, ApiOptions api_options)
    : pages_(warehouse), api_(warehouse, std::move(api_options)) {}

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
    const bool known = path == "/healthz" || path == "/readyz" || path == "/metrics";
    if (known) route_label = path;
    if (path.starts_with("/api/")) {
      response = api_.handle(request, route_label);
    } else if (auto page = pages_.handle(request)) {
      route_label = path.starts_with("/assets/") ? "/assets" : path;
      response = std::move(*page);
    } else if (!known) {
      response = text(404, "not found: " + path);
    } else if (!read) {
      response = problem(405, "Method Not Allowed", request.method + " is not allowed on " + path + "; use GET");
      response.headers.emplace("Allow", "GET, HEAD");
    } else if (path == "/healthz") {
      response = text(200, "ok\n");
    } else if (path == "/readyz") {
      response = ready();
    } else {
      response = text(200, metrics_.prometheus(api_.gauges()));
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.headers.emplace("Cache-Control", "no-store");
    }
  } catch (const std::exception& e) {
    log::error("{} {}: {}", request.method, request.path, e.what());
    response = problem(500, "Internal Server Error", "the server failed to answer; see its log");
  }
  add_security_headers(response);
  return response;
}

http::Response App::ready() {
  const std::string reason = api_.not_ready_reason();
  http::Response r = reason.empty() ? text(200, "ready\n") : text(503, "not ready: " + reason + "\n");
  r.headers.emplace("Cache-Control", "no-store");
  return r;
}

}  // namespace ampere::server
