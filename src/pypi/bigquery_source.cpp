#include "pypi/bigquery_source.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "pypi/bigquery_downloads_query.hpp"

namespace ampere::pypi {

namespace {

Expected<int64_t> parse_int(const std::string& text, std::string_view column) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return fail(ErrorKind::protocol, fmt::format("BigQuery's {} is not an integer: '{}'", column, text.substr(0, 40)));
  }
  return value;
}

// TIMESTAMP cells: integer microseconds (formatOptions.useInt64Timestamp) or, from servers that ignore
// it, floating-point seconds ("1.7006976E9").
Expected<Timestamp> parse_timestamp(const std::string& text) {
  if (auto micros = parse_int(text, "bucket_start")) return Timestamp(std::chrono::microseconds(*micros));
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds)) {
    return fail(ErrorKind::protocol,
                fmt::format("BigQuery's bucket_start is not a timestamp: '{}'", text.substr(0, 40)));
  }
  return Timestamp(std::chrono::microseconds(std::llround(seconds * 1e6)));
}

Expected<std::vector<size_t>> column_indexes(const BigQueryResult& result) {
  std::vector<size_t> out;
  for (const char* name : bigquery_download_columns) {
    const auto index = result.column(name);
    if (!index) return fail(ErrorKind::protocol, fmt::format("BigQuery's answer has no column {}", name));
    out.push_back(*index);
  }
  return out;
}

Expected<void> check_window(const DownloadWindow& window) {
  if (window.last_day < window.first_day) {
    return fail(ErrorKind::internal,
                fmt::format("download window ends ({}) before it starts ({})", format_date(Timestamp(window.last_day)),
                            format_date(Timestamp(window.first_day))));
  }
  return {};
}

}  // namespace

BigQuerySource::BigQuerySource(BigQuerySourceOptions options, ServiceAccountKey key)
    : options_(std::move(options)),
      tokens_(std::make_shared<BigQueryTokenSource>(std::move(key), options_.tokens)),
      client_(std::make_unique<BigQueryClient>(options_.client, tokens_)) {}

BigQuerySource::~BigQuerySource() = default;

Expected<std::unique_ptr<BigQuerySource>> BigQuerySource::from_key_file(const std::filesystem::path& key_file,
                                                                        BigQuerySourceOptions options) {
  auto key = load_service_account_key(key_file);
  if (!key) return tl::unexpected(key.error());
  return std::make_unique<BigQuerySource>(std::move(options), std::move(*key));
}

Expected<CostEstimate> BigQuerySource::estimate(const DownloadWindow& window) {
  if (auto ok = check_window(window); !ok) return tl::unexpected(ok.error());
  if (window.packages.empty()) return CostEstimate{0, 0.0};
  auto dry = client_->dry_run(bigquery_downloads_query(window));
  if (!dry) return tl::unexpected(dry.error());
  return CostEstimate{dry->bytes_processed, dry->cost_usd};
}

Expected<FetchStats> BigQuerySource::fetch(const DownloadWindow& window, const DownloadRowConsumer& consume) {
  if (auto ok = check_window(window); !ok) return tl::unexpected(ok.error());
  FetchStats stats;
  if (window.packages.empty()) return stats;
  const int64_t requests_before = client_->requests() + tokens_->exchanges();
  auto result = client_->query(bigquery_downloads_query(window));
  stats.requests = client_->requests() + tokens_->exchanges() - requests_before;
  if (!result) return tl::unexpected(result.error());
  stats.bytes_processed = result->bytes_processed;
  auto columns = column_indexes(*result);
  if (!columns) return tl::unexpected(columns.error());
  const auto& c = *columns;
  for (auto& cells : result->rows) {
    const auto text = [&](size_t i) { return cells[c[i]] ? std::move(*cells[c[i]]) : std::string(); };
    DownloadRow row;
    auto bucket = parse_timestamp(cells[c[0]].value_or(""));
    if (!bucket) return tl::unexpected(bucket.error());
    row.bucket_start = *bucket;
    row.package = text(1);
    row.package_version = text(2);
    row.python_version = text(3);
    row.system_name = text(4);
    row.system_release = text(5);
    row.distro_name = text(6);
    row.distro_version = text(7);
    row.country = text(8);
    row.installer = text(9);
    // details.ci is true when pip detected CI and NULL otherwise.
    row.ci = cells[c[10]].value_or("") == "true";
    auto downloads = parse_int(cells[c[11]].value_or(""), "downloads");
    if (!downloads) return tl::unexpected(downloads.error());
    row.downloads = *downloads;
    ++stats.rows;
    stats.downloads += row.downloads;
    if (auto ok = consume(std::move(row)); !ok) return tl::unexpected(ok.error());
  }
  return stats;
}

}  // namespace ampere::pypi
