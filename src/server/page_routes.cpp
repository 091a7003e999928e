#include "server/page_routes.hpp"

#include <array>
#include <cstdlib>
#include <utility>

#include "http/gzip.hpp"
#include "server/html.hpp"
#include "server/static_assets.hpp"
#include "util/strings.hpp"
#include "warehouse/repo_queries.hpp"

namespace ampere::server {

namespace {

constexpr std::string_view asset_prefix = "/assets/";
constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";

/// URL path -> the page's HTML shell (web/build.mjs writes pages/<name>.html).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> pages = {{
    {"/", "pages/home.html"},
    {"/downloads", "pages/downloads.html"},
    {"/feed", "pages/feed.html"},
    {"/issues", "pages/issues.html"},
    {"/network-stargazers", "pages/stargazers.html"},
    {"/network-followers", "pages/followers.html"},
    {"/status", "pages/status.html"},
    {"/about", "pages/about.html"},
}};

http::Response plain(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

/// "2026-11-28T10:00:00Z" -> "2026-11-28 10:00 UTC", the format the pages' scripts use too.
std::string readable_time(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

}  // namespace

PageRoutes::PageRoutes(db::Database& warehouse) : warehouse_(warehouse) {}

std::optional<http::Response> PageRoutes::handle(const http::Request& request) {
  const std::string& path = request.path;
  const bool is_asset = path.starts_with(asset_prefix);
  std::string_view shell;
  for (const auto& [route, file] : pages) {
    if (path == route) shell = file;
  }
  if (!is_asset && shell.empty()) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") {
    http::Response r = plain(405, request.method + " is not allowed on " + path + "; use GET");
    r.headers.emplace("Allow", "GET, HEAD");
    return r;
  }
  if (is_asset) return asset(std::string_view(path).substr(asset_prefix.size()), request);
  return page(shell);
}

http::Response PageRoutes::page(std::string_view shell) {
  const StaticAsset* html = find_asset(shell);
  if (html == nullptr) return plain(500, "the page " + std::string(shell) + " was not built into this binary");
  std::string org;
  std::string as_of;
  if (auto connection = warehouse_.connect()) {
    if (auto repos = warehouse::list_repos(*connection); repos && !repos->empty()) org = repos->front().org;
    if (auto built = warehouse::last_build_time(*connection)) as_of = *built;
  }
  http::Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = fill_template(html->bytes,
                         {{"org", escape_html(org)},
                          {"data_as_of", escape_html(as_of)},
                          {"data_as_of_text", as_of.empty() ? "not built yet" : escape_html(readable_time(as_of))}});
  r.headers.emplace("Cache-Control", "no-cache");
  return r;
}

http::Response PageRoutes::asset(std::string_view name, const http::Request& request) {
  const StaticAsset* found = name.ends_with(".gz") ? nullptr : find_asset("assets/" + std::string(name));
  if (found == nullptr) return plain(404, "no such asset: " + std::string(name));
  const std::string etag = "\"" + found->hash + "\"";
  http::Response r;
  r.content_type = std::string(found->content_type);
  r.headers.emplace("ETag", etag);
  r.headers.emplace("Cache-Control", immutable_cache);
  r.headers.emplace("Vary", "Accept-Encoding");
  if (request.header("If-None-Match") == etag) {
    r.status = 304;
    return r;
  }
  if (!found->gzip.empty() && http::accepts_gzip(request.header("Accept-Encoding").value_or(""))) {
    r.headers.emplace("Content-Encoding", "gzip");
    r.share_body(found->gzip, nullptr);
  } else {
    r.share_body(found->bytes, nullptr);
  }
  return r;
}

}  // namespace ampere::server
