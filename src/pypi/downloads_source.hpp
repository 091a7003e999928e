#pragma once
// Where PyPI download counts come from. Two sources answer the same question through this interface:
// BigQuery's public table (bigquery_source, service-account JWT) and ClickPy's ClickHouse (clickpy_source,
// anonymous). The sync (pipeline/pypi_sync) asks for one window at a time, keeps every row it is given in
// memory until the window is complete, and commits the window to the lake all-or-nothing.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::pypi {

/// A calendar day, UTC.
using Day = std::chrono::sys_days;

/// The days to fetch: [first_day, last_day] inclusive, UTC, for each of `packages` (normalized names,
/// see package_name.hpp). A source never returns rows outside it.
struct DownloadWindow {
  std::vector<std::string> packages;
  Day first_day;
  Day last_day;
};

/// How fine a source's time buckets are.
enum class BucketSize {
  hour,  ///< bucket_start is on the hour (BigQuery, ClickPy's raw table)
  day,   ///< bucket_start is midnight UTC
};

/// One group of downloads: every download of `package` in the bucket with exactly these attributes.
/// A string attribute the source does not know is empty (staging shows it as "unknown"); the source
/// passes values through as the download recorded them (no trimming of versions).
struct DownloadRow {
  Timestamp bucket_start;       ///< start of the hour or day, UTC
  std::string package;          ///< normalized project name, as asked for in the window
  std::string package_version;  ///< file.version: "1.2.3"
  std::string python_version;   ///< details.python: "3.11.4" (BigQuery) or "3.11" (ClickPy)
  std::string system_name;      ///< details.system.name: "Linux", "Windows", "Darwin"
  std::string system_release;   ///< details.system.release: the kernel release, "5.10.0-1234-aws"
  std::string distro_name;      ///< details.distro.name: "Ubuntu", "Amazon Linux"
  std::string distro_version;   ///< details.distro.version: "22.04", "2"
  std::string country;          ///< country_code: ISO 3166 alpha-2, "US"
  std::string installer;        ///< details.installer.name: "pip", "uv", "poetry"
  std::optional<bool> ci;       ///< details.ci; nullopt where the source has no such column (ClickPy)
  int64_t downloads = 0;        ///< > 0
};

/// What a window would cost before running it (shown before a backfill).
struct CostEstimate {
  std::optional<int64_t> bytes_scanned;  ///< nullopt: the source does not bill by bytes (ClickPy)
  std::optional<double> usd;             ///< at on-demand prices, ignoring any free tier
};

/// What one fetch did.
struct FetchStats {
  int64_t rows = 0;             ///< DownloadRows handed to the consumer
  int64_t downloads = 0;        ///< sum of their `downloads`
  int64_t requests = 0;         ///< HTTP requests made (token exchange, query, pages, polls)
  int64_t bytes_processed = 0;  ///< as billed (BigQuery); 0 where unknown
};

/// Receives rows as they are parsed. An error stops the fetch and is returned by fetch() unchanged.
using DownloadRowConsumer = std::function<Expected<void>(DownloadRow&& row)>;

/// A place to fetch download counts from. Not thread-safe; one fetch at a time.
class DownloadsSource {
 public:
  virtual ~DownloadsSource() = default;

  /// "bigquery" or "clickpy": recorded in the query log and the packages mart.
  [[nodiscard]] virtual std::string_view name() const = 0;

  /// The bucket size of the rows fetch() produces.
  [[nodiscard]] virtual BucketSize bucket_size() const = 0;

  /// The longest window the sync should ask for at once (longer gaps are fetched in chunks of this).
  [[nodiscard]] virtual int max_window_days() const = 0;

  /// The newest day the source has complete data for, given that `yesterday` (UTC) is the newest
  /// possible one. The sync never asks past it, so a day a source has not loaded yet is not recorded
  /// as a day without downloads. BigQuery's partitions are complete through yesterday.
  virtual Expected<Day> latest_complete_day(Day yesterday) { return yesterday; }

  /// What fetching `window` would cost, without fetching it (BigQuery: a dry run).
  virtual Expected<CostEstimate> estimate(const DownloadWindow& window) = 0;

  /// Fetches every row of `window`, streaming each to `consume` as soon as it is parsed. A package with
  /// no downloads (or unknown to the source) yields no rows and succeeds. Any failure (network, server
  /// error, a malformed or truncated answer) is an error: the rows already handed over must then be
  /// discarded by the caller, since the window is incomplete.
  virtual Expected<FetchStats> fetch(const DownloadWindow& window, const DownloadRowConsumer& consume) = 0;
};

}  // namespace ampere::pypi
