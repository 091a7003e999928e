#pragma once
// The dashboard's pages (/, /downloads, /feed, /issues, /network-stargazers, /network-followers,
// /status, /about) and their static assets (/assets/<content-hashed name>). The pages are HTML shells
// built by web/build.mjs; their scripts read only /api/v1.

#include <optional>

#include "db/database.hpp"
#include "http/http_types.hpp"

namespace ampere::server {

/// Answers requests for pages and assets; everything else is left to the caller.
class PageRoutes {
 public:
  /// `warehouse` must outlive the routes; it is read for the org's name and the "data as of" time.
  explicit PageRoutes(db::Database& warehouse);

  /// The response for a page or asset path, or nullopt when `request.path` is neither.
  std::optional<http::Response> handle(const http::Request& request);

 private:
  http::Response page(std::string_view shell);
  static http::Response asset(std::string_view name, const http::Request& request);

  db::Database& warehouse_;
};

}  // namespace ampere::server
