#pragma once
// BigQuery STAND-IN, not Google: a local HTTP server that answers the parts of Google's OAuth token
// endpoint and BigQuery's REST API that ampere uses, over a deterministic synthetic copy of
// `bigquery-public-data.pypi.file_downloads`, for tests, benchmarks and `ampere demo`.
//
//   POST /token                                      JWT bearer grant: the assertion's RS256 signature is
//                                                    checked against the service account's public key,
//                                                    with issuer, audience, scope and lifetime
//   POST /bigquery/v2/projects/{p}/queries           jobs.query: named parameters, dryRun,
//                                                    maximumBytesBilled, maxResults, requestId
//   GET  /bigquery/v2/projects/{p}/queries/{jobId}   jobs.getQueryResults: pageToken paging
//
// Queries are translated to DuckDB and executed for real, so answers are computed, not canned. Jobs say
// jobComplete=false for the first polls, totalBytesProcessed follows BigQuery's on-demand rule
// (referenced leaf columns x day partitions scanned), and faults (401, 403 quota or permission,
// 400 invalid query, 5xx, dropped connections) can be injected per route.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/http_types.hpp"
#include "simulator/pypi_downloads_data.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// A failure the stand-in can be told to answer with.
enum class BigQueryFault {
  unauthorized,     ///< 401 authError "Invalid Credentials"
  quota_exceeded,   ///< 403 quotaExceeded
  access_denied,    ///< 403 accessDenied
  invalid_query,    ///< 400 invalidQuery
  backend_error,    ///< 503 backendError (retryable)
  drop_connection,  ///< the connection closes without an answer
};

/// Which requests a fault applies to.
enum class BigQueryRoute {
  token,          ///< POST /token
  jobs_query,     ///< POST .../queries
  query_results,  ///< GET .../queries/{jobId} (any)
  next_page,      ///< GET .../queries/{jobId} with a pageToken
};

/// How the stand-in behaves.
struct BigQueryStandinOptions {
  DownloadsSpec data;                     ///< the synthetic table
  std::string public_key_pem;             ///< the service account's public key; assertions must verify with it
  std::string client_email;               ///< the service account; empty: any issuer
  int64_t token_lifetime_seconds = 3600;  ///< expires_in of issued access tokens
  int pending_polls = 2;                  ///< answers per job that say jobComplete=false before it is done
  std::function<Timestamp()> clock;       ///< empty: the real time (tests inject their own)
};

/// What the stand-in has served.
struct BigQueryStandinStats {
  int64_t token_exchanges = 0;      ///< access tokens issued
  int64_t assertions_rejected = 0;  ///< token requests refused
  int64_t queries = 0;              ///< jobs.query calls that ran a job
  int64_t dry_runs = 0;             ///< jobs.query calls with dryRun
  int64_t result_requests = 0;      ///< getQueryResults calls
  int64_t pages = 0;                ///< answers that carried rows of a finished job
  int64_t unauthorized = 0;         ///< API requests refused for a missing, unknown or expired token
  int64_t faults = 0;               ///< injected faults answered
};

/// The stand-in: owns the DuckDB database with the synthetic table and answers requests.
class BigQueryStandin {
 public:
  /// Builds the synthetic table; fails if the spec is invalid.
  static Expected<std::unique_ptr<BigQueryStandin>> create(BigQueryStandinOptions options);
  ~BigQueryStandin();
  BigQueryStandin(const BigQueryStandin&) = delete;
  BigQueryStandin& operator=(const BigQueryStandin&) = delete;

  /// Binds host:port (0 = any free port) and serves on a background thread; returns the base URL
  /// "http://127.0.0.1:<port>". The token endpoint is base + "/token", the API root base + "/bigquery/v2".
  Expected<std::string> start(const std::string& host = "127.0.0.1", int port = 0);
  /// Stops serving and joins the thread. Idempotent.
  void stop();
  /// The base URL once started.
  [[nodiscard]] const std::string& base_url() const { return base_url_; }
  /// base_url() + "/token".
  [[nodiscard]] std::string token_url() const { return base_url_ + "/token"; }
  /// base_url() + "/bigquery/v2".
  [[nodiscard]] std::string api_url() const { return base_url_ + "/bigquery/v2"; }

  /// Answers one request (what the server calls).
  http::Response handle(const http::Request& request);

  /// Answers the next `count` requests to `route` with `fault`.
  void fail_next(BigQueryFault fault, BigQueryRoute route, int count = 1);
  /// Counters so far.
  [[nodiscard]] BigQueryStandinStats stats() const;

  /// Runs DuckDB SQL against the synthetic table (named file_downloads) and returns every cell as text
  /// ("" for NULL): the truth tests compare ampere's results with.
  Expected<std::vector<std::vector<std::string>>> truth(const std::string& duckdb_sql);

 private:
  struct Impl;
  explicit BigQueryStandin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string base_url_;
  std::thread thread_;
};

}  // namespace ampere::simulator
