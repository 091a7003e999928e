#pragma once
// The application's HTTP surface: pages, /api/v1, /healthz, static assets. Routing lives here; the
// transport lives in http/.

#include <string>

#include "db/database.hpp"
#include "http/http_types.hpp"
#include "server/api_server.hpp"
#include "server/page_routes.hpp"
#include "server/server_metrics.hpp"

namespace ampere::server {

/// Routes requests to pages and API handlers reading the warehouse's marts.
class App {
 public:
  /// `warehouse` must outlive the App; each request uses its own connection.
  explicit App(db::Database& warehouse, ApiOptions api_options = {});

  /// Answers one request. Never throws: a failure becomes a 500 whose body says what failed.
  http::Response handle(const http::Request& request);

  /// A build finished (or the data changed otherwise): cached API bodies are dropped.
  void data_changed();

 private:
  http::Response route(const http::Request& request, std::string& route_label);
  http::Response ready();

  PageRoutes pages_;
  ServerMetrics metrics_;
  ApiServer api_;
};

}  // namespace ampere::server
