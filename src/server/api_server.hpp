#pragma once
// Everything under /api/: the /api/v1 routes of api_routes (parameters checked, bodies cached per
// build with ETag, gzip and CSV), the OpenAPI description and docs page, per-client rate limiting,
// CORS, and the admin sync.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "http/http_types.hpp"
#include "server/api_routes.hpp"
#include "server/client_rate_limiter.hpp"
#include "server/response_cache.hpp"
#include "server/server_metrics.hpp"
#include "server/single_flight.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"
#include "util/time.hpp"

namespace ampere::server {

/// Starts the job named "github", "downloads" or "all" in the background and returns its run id; an
/// error of kind conflict when that job is already running.
using SyncStarter = std::function<Expected<std::string>(const std::string& job)>;

/// How the API behaves; the CLI fills it from the configuration and the environment.
struct ApiOptions {
  int rate_limit_per_minute = 120;        ///< per client address; 0 turns limiting off
  bool trusted_proxy = false;             ///< count clients by X-Forwarded-For (only behind your own proxy)
  std::vector<std::string> cors_origins;  ///< origins allowed to read the API from a browser; "*" for any
  Secret admin_token;                     ///< AMPERE_ADMIN_TOKEN; empty: POST /api/v1/sync is refused
  SyncStarter start_sync;                 ///< runs the admin sync; unset: 503
  /// When the next build is due, for Cache-Control max-age; unset or nullopt: "no-cache".
  std::function<std::optional<Timestamp>()> next_build_at;
};

/// The /api/ half of the App.
class ApiServer {
 public:
  /// `warehouse` must outlive the server.
  ApiServer(db::Database& warehouse, ApiOptions options);

  /// Answers a request whose path starts with /api/. Sets `route` to the route's pattern (for metrics).
  http::Response handle(const http::Request& request, std::string& route);

  /// Forgets cached bodies: call when a build has finished.
  void data_changed();

  /// Gauges for /metrics: seconds since each source's last sync, rate-limit headroom, cache size.
  std::vector<GaugeSample> gauges();

  /// Empty when the warehouse answers and its marts are built; else why not.
  std::string not_ready_reason();

 private:
  http::Response dispatch(const http::Request& request, std::string& route);
  http::Response admin_sync(const http::Request& request);
  void add_cors(const http::Request& request, http::Response& response) const;
  [[nodiscard]] std::string cache_control(bool cacheable) const;
  ApiResult answer(const ApiRoute& route, ApiRequest& request);

  db::Database& warehouse_;
  ApiOptions options_;
  ClientRateLimiter limiter_;
  ResponseCache cache_;
  SingleFlight computing_;        ///< one computation per cache key at a time
  std::mutex over_memory_limit_;  ///< held while a query runs without server.memory_limit_mb
};

}  // namespace ampere::server
