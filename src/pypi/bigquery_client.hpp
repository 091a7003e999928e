#pragma once
// BigQuery's REST API for read-only queries: jobs.query with named parameters, polling
// jobs.getQueryResults while the job runs, pageToken paging until every row is in, dry runs that say
// how many bytes a query would scan, and a maximum-bytes-billed guard that refuses a query over it.
// A query returns all its rows or an error: a failure on any page returns nothing partial.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/client.hpp"
#include "pypi/bigquery_query.hpp"
#include "pypi/bigquery_token_source.hpp"
#include "util/error.hpp"

namespace ampere::pypi {

/// BigQuery's REST root; tests and the demo point the client at the local stand-in instead.
inline constexpr std::string_view bigquery_api_url = "https://bigquery.googleapis.com/bigquery/v2";
/// On-demand price per TiB scanned (US multi-region, where bigquery-public-data lives).
inline constexpr double on_demand_usd_per_tib = 6.25;
/// BigQuery bills at least this much for a query that scans anything.
inline constexpr int64_t minimum_billed_bytes = 10LL * 1024 * 1024;
/// Rows per page asked of BigQuery (it also caps a page at 10 MB).
inline constexpr int64_t default_page_rows = 50'000;
/// How long one jobs.query / getQueryResults call may wait on the server for the job to finish.
inline constexpr std::chrono::milliseconds default_server_wait{10'000};
/// How long a query may run in total before the client gives up on it.
inline constexpr std::chrono::seconds default_job_deadline{900};
/// Attempts per request for failures that may pass (5xx, rateLimitExceeded, dropped connections).
inline constexpr int default_attempts = 3;
/// Pause before the second attempt; doubles each time.
inline constexpr std::chrono::milliseconds default_backoff{2'000};

/// How the client talks to BigQuery.
struct BigQueryClientOptions {
  std::string api_url = std::string(bigquery_api_url);
  std::string project;           ///< the project jobs run (and are billed) in
  std::string location;          ///< job location; empty lets BigQuery choose (the public dataset is in US)
  int64_t max_bytes_billed = 0;  ///< > 0: dry-run first and refuse a query that would scan more
  int64_t page_rows = default_page_rows;
  std::chrono::milliseconds server_wait = default_server_wait;
  std::chrono::seconds job_deadline = default_job_deadline;
  int attempts = default_attempts;
  std::chrono::milliseconds backoff = default_backoff;
  http::ClientOptions http;
};

/// What a dry run says about a query.
struct BigQueryDryRun {
  int64_t bytes_processed = 0;  ///< totalBytesProcessed: what the query would scan
  double cost_usd = 0.0;        ///< on-demand price of that (with the 10 MB minimum), before any free tier
};

/// "4.61 GiB (~$0.03 on demand)".
std::string describe_scan(const BigQueryDryRun& dry_run);

/// One column of a result.
struct BigQueryField {
  std::string name;
  std::string type;  ///< INTEGER, STRING, TIMESTAMP, ...
};

/// All rows of a finished query. Values are BigQuery's JSON strings (TIMESTAMP as integer microseconds
/// since the epoch); nullopt is NULL.
struct BigQueryResult {
  std::vector<BigQueryField> fields;
  std::vector<std::vector<std::optional<std::string>>> rows;
  int64_t bytes_processed = 0;
  std::string job_id;
  int pages = 0;  ///< pages of rows read
  int polls = 0;  ///< answers that said the job was still running

  /// The index of the column named `name`.
  [[nodiscard]] std::optional<size_t> column(std::string_view name) const;
};

/// A BigQuery client for one billing project. Not thread-safe (one http::Client).
class BigQueryClient {
 public:
  BigQueryClient(BigQueryClientOptions options, std::shared_ptr<BigQueryTokenSource> tokens);
  ~BigQueryClient();
  BigQueryClient(const BigQueryClient&) = delete;
  BigQueryClient& operator=(const BigQueryClient&) = delete;

  /// Asks BigQuery what the query would scan, without running it (dry runs are free).
  Expected<BigQueryDryRun> dry_run(const BigQueryQuery& query);

  /// Runs the query and returns every row. With max_bytes_billed set, dry-runs first and refuses a query
  /// over the limit (and asks BigQuery to enforce the same limit).
  Expected<BigQueryResult> query(const BigQueryQuery& query);

  /// HTTP requests sent to the BigQuery API so far (token exchanges not included).
  [[nodiscard]] int64_t requests() const { return requests_; }

  [[nodiscard]] const BigQueryClientOptions& options() const { return options_; }

 private:
  struct Call;
  Expected<std::string> send(const Call& call);
  std::string job_url(const std::string& job_id, const std::string& location, const std::string& page_token) const;

  BigQueryClientOptions options_;
  std::shared_ptr<BigQueryTokenSource> tokens_;
  std::unique_ptr<http::Client> http_;
  int64_t requests_ = 0;
};

}  // namespace ampere::pypi
