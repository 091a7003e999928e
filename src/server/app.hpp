#pragma once
// The application's HTTP surface: pages, /api/v1, /healthz, static assets. Routing lives here; the
// transport lives in http/.

#include <string>

#include "db/database.hpp"
#include "http/http_types.hpp"
#include "server/page_routes.hpp"

namespace ampere::server {

/// Routes requests to pages and API handlers reading the warehouse's marts.
class App {
 public:
  /// `warehouse` must outlive the App; each request uses its own connection.
  explicit App(db::Database& warehouse);

  /// Answers one request. Never throws: a failure becomes a 500 whose body says what failed.
  http::Response handle(const http::Request& request);

 private:
  http::Response repos_json();

  db::Database& warehouse_;
  PageRoutes pages_;
};

}  // namespace ampere::server
