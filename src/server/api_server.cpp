#include "server/api_server.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/gzip.hpp"
#include "http/query_string.hpp"
#include "server/api_docs.hpp"
#include "server/api_problem.hpp"
#include "server/api_routes.hpp"
#include "util/log.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

constexpr std::string_view openapi_path = "/api/v1/openapi.json";
constexpr std::string_view docs_path = "/api/docs";
constexpr std::string_view sync_jobs[] = {"github", "downloads", "all"};

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::vector<std::string> route_paths() {
  std::vector<std::string> paths;
  for (const auto& r : api_routes()) paths.emplace_back(r.path);
  paths.emplace_back(openapi_path);
  paths.emplace_back(docs_path);
  return paths;
}

// The body of a cached entry for this request: 304 when the client has it, gzip when it takes it.
http::Response from_entry(const http::Request& request, const std::shared_ptr<const CachedBody>& cached,
                          std::string cache_control) {
  const CachedBody& entry = *cached;
  http::Response r;
  r.content_type = entry.content_type;
  r.headers.emplace("ETag", entry.etag);
  r.headers.emplace("Cache-Control", std::move(cache_control));
  r.headers.emplace("Vary", "Accept-Encoding");
  if (const auto tags = request.header("If-None-Match"); tags && etag_matches(*tags, entry.etag)) {
    r.status = 304;
    return r;
  }
  if (!entry.gzip_body.empty() && http::accepts_gzip(request.header("Accept-Encoding").value_or(""))) {
    r.share_body(entry.gzip_body, cached);
    r.headers.emplace("Content-Encoding", "gzip");
  } else {
    r.share_body(entry.body, cached);
  }
  return r;
}

}  // namespace

ApiServer::ApiServer(db::Database& warehouse, ApiOptions options)
    : warehouse_(warehouse), options_(std::move(options)), limiter_(options_.rate_limit_per_minute) {}

void ApiServer::data_changed() {
  cache_.clear();
}

std::string ApiServer::cache_control(bool cacheable) const {
  if (!cacheable || !options_.next_build_at) return "no-cache";
  const auto next = options_.next_build_at();
  if (!next) return "no-cache";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*next - now_utc()).count();
  return fmt::format("public, max-age={}", std::max<int64_t>(seconds, 0));
}

void ApiServer::add_cors(const http::Request& request, http::Response& response) const {
  const auto origin = request.header("Origin");
  if (!origin || options_.cors_origins.empty()) return;
  const bool any =
      std::find(options_.cors_origins.begin(), options_.cors_origins.end(), "*") != options_.cors_origins.end();
  const bool listed =
      std::find(options_.cors_origins.begin(), options_.cors_origins.end(), *origin) != options_.cors_origins.end();
  if (!any && !listed) return;
  response.headers.emplace("Access-Control-Allow-Origin", any ? "*" : *origin);
  response.headers.emplace("Access-Control-Expose-Headers",
                           "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining");
  if (!any) response.headers.emplace("Vary", "Origin");
}

http::Response ApiServer::handle(const http::Request& request, std::string& route) {
  http::Response response = dispatch(request, route);
  add_cors(request, response);
  return response;
}

http::Response ApiServer::dispatch(const http::Request& request, std::string& route) {
  const std::string& path = request.path;
  const bool is_doc = path == openapi_path || path == docs_path;
  const ApiRoute* found = find_api_route(path);
  if (found == nullptr && !is_doc) {
    route = "unknown";
    auto p = Problem::with_status(404, "Not Found", "no such API route: " + path);
    p.allowed = route_paths();
    return p.to_response();
  }
  route = found != nullptr ? std::string(found->path) : path;
  const bool is_post = found != nullptr && found->method == "POST";
  const std::string allow = is_post ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";

  if (request.method == "OPTIONS") {
    http::Response r;
    r.status = 204;
    r.headers.emplace("Allow", allow);
    if (request.header("Origin")) {
      r.headers.emplace("Access-Control-Allow-Methods", allow);
      r.headers.emplace("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match");
      r.headers.emplace("Access-Control-Max-Age", "600");
    }
    return r;
  }
  const bool method_ok = is_post ? request.method == "POST" : (request.method == "GET" || request.method == "HEAD");
  if (!method_ok) {
    auto r = Problem::with_status(
                 405, "Method Not Allowed",
                 fmt::format("{} is not allowed on {}; use {}", request.method, path, is_post ? "POST" : "GET"))
                 .to_response();
    r.headers.emplace("Allow", allow);
    return r;
  }

  const auto decision = limiter_.take(client_address(request, options_.trusted_proxy));
  if (!decision.allowed) {
    auto r = Problem::with_status(429, "Too Many Requests",
                                  fmt::format("more than {} requests a minute from this client; retry in {} s",
                                              limiter_.per_minute(), decision.retry_after_seconds))
                 .to_response();
    r.headers.emplace("Retry-After", std::to_string(decision.retry_after_seconds));
    r.headers.emplace("X-RateLimit-Limit", std::to_string(limiter_.per_minute()));
    r.headers.emplace("X-RateLimit-Remaining", "0");
    return r;
  }
  const auto with_limit_headers = [&](http::Response r) {
    if (limiter_.per_minute() > 0) {
      r.headers.emplace("X-RateLimit-Limit", std::to_string(limiter_.per_minute()));
      r.headers.emplace("X-RateLimit-Remaining", std::to_string(decision.remaining));
    }
    return r;
  };

  if (path == openapi_path || path == docs_path) {
    static const auto openapi = ResponseCache::make("application/json", std::string(openapi_json()));
    static const auto docs = ResponseCache::make("text/html; charset=utf-8", api_docs_html());
    return with_limit_headers(from_entry(request, path == openapi_path ? openapi : docs, "no-cache"));
  }

  auto parsed = http::parse_query_string(request.raw_query);
  if (!parsed) {
    return with_limit_headers(
        Problem::bad_parameter("", "the query string is malformed: " + parsed.error().message).to_response());
  }
  const ParamReader params(std::move(*parsed), found->params);
  if (auto ok = params.check_names(); !ok) return with_limit_headers(ok.error().to_response());
  if (is_post) return with_limit_headers(admin_sync(request));

  std::string format = "json";
  if (found->tabular) {
    auto chosen = params.choice("format", format_values, "json");
    if (!chosen) return with_limit_headers(chosen.error().to_response());
    format = *chosen;
  }

  const std::string key = route + "?" + params.normalized();
  if (found->cacheable) {
    if (auto entry = cache_.find(key)) return with_limit_headers(from_entry(request, entry, cache_control(true)));
  }
  // Clients asking for the same uncached answer wait for the first one's computation.
  std::optional<SingleFlight::Turn> turn;
  if (found->cacheable) {
    turn.emplace(computing_, key);
    if (auto entry = cache_.find(key)) return with_limit_headers(from_entry(request, entry, cache_control(true)));
  }
  const uint64_t generation = cache_.generation();
  auto connection = warehouse_.connect();
  if (!connection) return with_limit_headers(warehouse_problem(connection.error()).to_response());
  ApiRequest api_request{request, params, *connection};
  ApiResult result = answer(*found, api_request);
  if (!result) return with_limit_headers(result.error().to_response());
  std::string body;
  std::string content_type;
  if (format == "csv") {
    body = items_csv(result->json["items"], documented_item_fields(found->path));
    content_type = "text/csv; charset=utf-8";
  } else {
    body = result->written ? std::move(*result->written) : dump_json(result->json);
    content_type = "application/json";
  }
  auto entry = found->cacheable ? cache_.store(key, generation, content_type, std::move(body))
                                : ResponseCache::make(content_type, std::move(body));
  return with_limit_headers(from_entry(request, entry, cache_control(found->cacheable)));
}

ApiResult ApiServer::answer(const ApiRoute& route, ApiRequest& request) {
  ApiResult result = route.handler(request);
  const int64_t limit = warehouse_.memory_limit_mb();
  if (result || limit == 0 || result.error().status != 503 ||
      result.error().detail.find("Out of Memory") == std::string::npos) {
    return result;
  }
  // Too big for server.memory_limit_mb (a far larger org than it was set for): answer it without the
  // limit, one such query at a time, and say what to change.
  std::lock_guard lock(over_memory_limit_);
  log::warn("{} needed more than server.memory_limit_mb ({} MiB); answered without the limit: raise the setting",
            route.path, limit);
  auto lift = warehouse_.lift_memory_limit();
  if (!lift) return result;
  return route.handler(request);
}

http::Response ApiServer::admin_sync(const http::Request& request) {
  if (options_.admin_token.empty()) {
    return Problem::with_status(403, "Forbidden",
                                "admin actions are turned off: start `ampere serve` with AMPERE_ADMIN_TOKEN set")
        .to_response();
  }
  const std::string authorization = request.header("Authorization").value_or("");
  constexpr std::string_view bearer = "Bearer ";
  if (!authorization.starts_with(bearer) ||
      !constant_time_equal(std::string_view(authorization).substr(bearer.size()), options_.admin_token.reveal())) {
    auto r = Problem::with_status(401, "Unauthorized",
                                  "send the admin token as `Authorization: Bearer <AMPERE_ADMIN_TOKEN>`")
                 .to_response();
    r.headers.emplace("WWW-Authenticate", "Bearer realm=\"ampere admin\"");
    return r;
  }
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  const std::string job =
      body.is_object() && body.contains("job") && body["job"].is_string() ? body["job"].get<std::string>() : "";
  if (std::find(std::begin(sync_jobs), std::end(sync_jobs), job) == std::end(sync_jobs)) {
    return Problem::bad_parameter("job", R"(the body must be JSON {"job": "github" | "downloads" | "all"})",
                                  to_strings(sync_jobs))
        .to_response();
  }
  if (!options_.start_sync) {
    return Problem::with_status(503, "Service Unavailable", "this server runs no jobs").to_response();
  }
  auto run_id = options_.start_sync(job);
  if (!run_id) {
    if (run_id.error().kind == ErrorKind::conflict) {
      return Problem::with_status(409, "Conflict", run_id.error().message).to_response();
    }
    if (run_id.error().kind == ErrorKind::not_found) {  // a job this server's config does not run
      return Problem::bad_parameter("job", run_id.error().message).to_response();
    }
    return Problem::with_status(503, "Service Unavailable", run_id.error().message).to_response();
  }
  http::Response r;
  r.status = 202;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"run_id", *run_id}}.dump();
  r.headers.emplace("Cache-Control", "no-store");
  return r;
}

std::vector<GaugeSample> ApiServer::gauges() {
  std::vector<GaugeSample> out;
  if (auto connection = warehouse_.connect()) {
    if (auto ages = warehouse::last_sync_ages(*connection)) {
      for (const auto& age : *ages) {
        out.push_back({"ampere_last_sync_age_seconds", "Seconds since the last successful sync of each source.",
                       fmt::format("source=\"{}\"", age.source), age.seconds});
      }
    }
  }
  out.push_back({"ampere_rate_limit_per_minute", "Requests a minute each client may make (0: no limit).", "",
                 static_cast<double>(limiter_.per_minute())});
  out.push_back({"ampere_rate_limit_remaining_min", "Fewest requests any client has left before being limited.", "",
                 static_cast<double>(limiter_.lowest_remaining())});
  out.push_back(
      {"ampere_rate_limit_clients", "Clients the rate limiter tracks.", "", static_cast<double>(limiter_.clients())});
  out.push_back({"ampere_response_cache_entries", "API bodies cached for the current build.", "",
                 static_cast<double>(cache_.size())});
  return out;
}

std::string ApiServer::not_ready_reason() {
  auto connection = warehouse_.connect();
  if (!connection) return "the warehouse does not answer: " + connection.error().message;
  if (!warehouse::table_exists(*connection, "repos")) return "the marts are not built yet: run `ampere build`";
  return "";
}

}  // namespace ampere::server
