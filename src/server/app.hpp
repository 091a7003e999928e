#pragma once
// The application's HTTP surface: pages, /api/v1, /healthz, static assets. Routing lives here; the
// transport lives in http/.

#include <string>

#include "db/database.hpp"
#include "http/http_types.hpp"

namespace ampere::server {

/// Routes requests to pages and API handlers reading the warehouse's marts.
class App {
 public:
  /// `warehouse` must outlive the App; each request uses its own connection.
  explicit App(db::Database& warehouse);

  /// Answers one request. Never throws: a failure becomes a 500 whose body says what failed.
  http::Response handle(const http::Request& request);

 private:
  http::Response home_page();
  http::Response repos_json();
  http::Response asset(const std::string& path, const http::Request& request);

  db::Database& warehouse_;
};

}  // namespace ampere::server
