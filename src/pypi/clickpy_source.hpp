#pragma once
// PyPI downloads from ClickPy: ClickHouse's public copy of BigQuery's PyPI table, queried over
// ClickHouse's HTTP interface as the anonymous `play` user (no Google account, no cost). A local
// clickhouse-server loaded with rows in ClickPy's schema answers the same queries (tests, bench).
//
// Queries carry literals, not query parameters: `{name:Type}` parameters arrived in ClickHouse 19, and
// the Debian server the tests run (18.16) rejects them. Every literal is therefore one we checked or
// made: package names valid per PEP 508 (only [A-Za-z0-9._-], so nothing can leave the quotes) and
// dates we formatted ourselves.

#include <memory>
#include <optional>
#include <string>

#include "http/client.hpp"
#include "pypi/downloads_source.hpp"

namespace ampere::pypi {

/// ClickPy's public endpoint.
inline constexpr const char* kClickpyUrl = "https://clickpy-clickhouse.clickhouse.com";
/// ClickPy's anonymous, quota-limited user.
inline constexpr const char* kClickpyUser = "play";
/// Days per query: a month of hourly rows for one package stays a modest answer.
inline constexpr int kClickpyWindowDays = 31;

/// Where ClickPy (or a stand-in) is and how to talk to it.
struct ClickpyOptions {
  std::string url = kClickpyUrl;  ///< the HTTP interface's root, no trailing path
  std::string user = kClickpyUser;
  std::string database = "pypi";  ///< holds the raw table `pypi` and `pypi_downloads_per_day`
  int max_window_days = kClickpyWindowDays;
  http::ClientOptions http;
};

/// The ClickPy DownloadsSource. Rows come by the hour from the raw table; the pre-aggregated
/// `pypi_downloads_per_day` answers which packages have any downloads in a window (the others are not
/// scanned at all) and which day ClickPy has loaded last.
class ClickpySource final : public DownloadsSource {
 public:
  explicit ClickpySource(ClickpyOptions options);
  ~ClickpySource() override;

  [[nodiscard]] std::string_view name() const override { return "clickpy"; }
  [[nodiscard]] BucketSize bucket_size() const override { return BucketSize::hour; }
  [[nodiscard]] int max_window_days() const override { return options_.max_window_days; }
  Expected<CostEstimate> estimate(const DownloadWindow& window) override;
  Expected<FetchStats> fetch(const DownloadWindow& window, const DownloadRowConsumer& consume) override;
  Expected<Day> latest_complete_day(Day yesterday) override;

  /// Runs `sql` (which must end in FORMAT JSONEachRow) and hands each parsed line to `on_line`.
  /// Fails on a transport failure, a non-200 answer, a line that is not JSON (ClickHouse writes an
  /// exception into a body it has already started) or a body that ends mid-line.
  Expected<int64_t> query_lines(const std::string& sql, const std::function<Expected<void>(std::string_view)>& on_line);

 private:
  ClickpyOptions options_;
  std::unique_ptr<http::Client> client_;
  int64_t requests_ = 0;
};

}  // namespace ampere::pypi
