#pragma once
// PyPI downloads from BigQuery's public table `bigquery-public-data.pypi.file_downloads` (what the seed
// used): one parameterized query per window, hourly counts by every DownloadRow attribute, run through
// BigQueryClient (service-account JWT, polling, paging, dry runs, the bytes-billed guard).

#include <filesystem>
#include <memory>

#include "pypi/bigquery_client.hpp"
#include "pypi/bigquery_token_source.hpp"
#include "pypi/downloads_source.hpp"

namespace ampere::pypi {

/// Days per query. Bytes scanned grow with the days, not with the chunking, so the cost of a backfill
/// is the same; shorter windows keep each answer (and a retry after a failure) small.
inline constexpr int bigquery_window_days = 14;

/// How to reach BigQuery.
struct BigQuerySourceOptions {
  BigQueryClientOptions client;  ///< API root, billing project, max bytes billed, paging
  TokenSourceOptions tokens;     ///< token refresh and its clock
  int max_window_days = bigquery_window_days;
};

/// The BigQuery DownloadsSource. Rows are handed over only after every page of a window arrived, so a
/// failure mid-pagination hands over nothing.
class BigQuerySource final : public DownloadsSource {
 public:
  BigQuerySource(BigQuerySourceOptions options, ServiceAccountKey key);
  ~BigQuerySource() override;

  /// Reads the key file (GOOGLE_APPLICATION_CREDENTIALS) and builds the source; errors say what is
  /// wrong with the file.
  static Expected<std::unique_ptr<BigQuerySource>> from_key_file(const std::filesystem::path& key_file,
                                                                 BigQuerySourceOptions options);

  [[nodiscard]] std::string_view name() const override { return "bigquery"; }
  [[nodiscard]] BucketSize bucket_size() const override { return BucketSize::hour; }
  [[nodiscard]] int max_window_days() const override { return options_.max_window_days; }
  /// A dry run: the bytes the window's query would scan and their on-demand price.
  Expected<CostEstimate> estimate(const DownloadWindow& window) override;
  Expected<FetchStats> fetch(const DownloadWindow& window, const DownloadRowConsumer& consume) override;

  /// The client (tests read its request count; the CLI prints its settings).
  [[nodiscard]] BigQueryClient& client() { return *client_; }
  /// The token source (tests count exchanges).
  [[nodiscard]] BigQueryTokenSource& tokens() { return *tokens_; }

 private:
  BigQuerySourceOptions options_;
  std::shared_ptr<BigQueryTokenSource> tokens_;
  std::unique_ptr<BigQueryClient> client_;
};

}  // namespace ampere::pypi
