// BigQuery scan benchmark (issue 5): the bytes BigQuery's dry run reports for ampere's downloads query
// over a one-day incremental window vs a 30-day window, against the BigQuery stand-in, whose
// totalBytesProcessed follows BigQuery's on-demand rule (the referenced leaf columns of the day
// partitions scanned), and the time to fetch each window through the full client (JWT, polling, paging).
// Run: build/bench/bigquery_scan_bench [downloads per package per day, default 5000]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "pypi/bigquery_source.hpp"
#include "simulator/bigquery_standin.hpp"
#include "simulator/bigquery_test_key.hpp"

namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr int kDays = 31;
constexpr const char* kFirstDay = "2026-10-01";

ampere::pypi::Day day(int d) {
  return std::chrono::sys_days(std::chrono::year(2026) / std::chrono::October / 1) + std::chrono::days(d);
}

double seconds_since(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

int fail(const ampere::Error& e) {
  fmt::print(stderr, "bigquery_scan_bench: {}\n", e.message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t daily = argc > 1 ? std::atoll(argv[1]) : 5000;
  auto pair = ampere::simulator::generate_test_key_pair();
  if (!pair) return fail(pair.error());

  ampere::simulator::BigQueryStandinOptions options;
  options.data.packages = {{"pyspark", {"3.4.1", "3.5.0", "3.5.1", "4.0.0"}, daily},
                           {"deltalake", {"0.15.0", "0.16.0", "0.17.0"}, daily / 2},
                           {"ampere-demo", {"1.0.0", "1.1.0"}, daily / 10}};
  options.data.first_day = kFirstDay;
  options.data.days = kDays;
  options.public_key_pem = pair->public_key_pem;
  const auto generate_start = SteadyClock::now();
  auto standin = ampere::simulator::BigQueryStandin::create(options);
  if (!standin) return fail(standin.error());
  const double generate_seconds = seconds_since(generate_start);
  auto url = (*standin)->start();
  if (!url) return fail(url.error());
  auto table_rows = (*standin)->truth("SELECT count(*) FROM file_downloads");
  if (!table_rows) return fail(table_rows.error());

  const fs::path key_file = fs::temp_directory_path() / fmt::format("ampere-bench-key-{}.json", ::getpid());
  std::ofstream(key_file) << ampere::simulator::service_account_key_json(*pair, "bench@standin.iam.gserviceaccount.com",
                                                                         "bench-project", (*standin)->token_url());
  ampere::pypi::BigQuerySourceOptions source_options;
  source_options.client.api_url = (*standin)->api_url();
  source_options.max_window_days = kDays;
  auto source = ampere::pypi::BigQuerySource::from_key_file(key_file, source_options);
  fs::remove(key_file);
  if (!source) return fail(source.error());

  fmt::print(
      "bigquery_scan_bench: stand-in file_downloads with {} rows (3 packages, {} days from {}, ~{} downloads "
      "a day for the largest), generated in {:.1f}s\n",
      table_rows->at(0).at(0), kDays, kFirstDay, daily, generate_seconds);
  fmt::print("{:<26} {:>14} {:>12} {:>10} {:>10} {:>10}\n", "window (all 3 packages)", "dry-run bytes", "bytes/day",
             "rows", "downloads", "fetch s");
  int64_t one_day_bytes = 0;
  int64_t month_bytes = 0;
  for (const int days : {1, 7, 30}) {
    const ampere::pypi::DownloadWindow window{
        {"pyspark", "deltalake", "ampere-demo"}, day(kDays - days), day(kDays - 1)};
    auto estimate = (*source)->estimate(window);
    if (!estimate) return fail(estimate.error());
    const auto start = SteadyClock::now();
    auto fetched = (*source)->fetch(window, [](ampere::pypi::DownloadRow&&) -> ampere::Expected<void> { return {}; });
    if (!fetched) return fail(fetched.error());
    const int64_t bytes = estimate->bytes_scanned.value_or(0);
    if (days == 1) one_day_bytes = bytes;
    if (days == 30) month_bytes = bytes;
    fmt::print("{:<26} {:>14} {:>12} {:>10} {:>10} {:>10.2f}\n", fmt::format("{} day(s)", days), bytes, bytes / days,
               fetched->rows, fetched->downloads, seconds_since(start));
  }
  fmt::print("30-day / 1-day bytes: {:.1f}x; a daily incremental sync scans {:.1f}% of what a 30-day re-query does\n",
             static_cast<double>(month_bytes) / static_cast<double>(one_day_bytes),
             100.0 * static_cast<double>(one_day_bytes) / static_cast<double>(month_bytes));
  const auto stats = (*standin)->stats();
  fmt::print("stand-in: {} token exchange(s), {} dry runs, {} queries, {} getQueryResults, {} pages\n",
             stats.token_exchanges, stats.dry_runs, stats.queries, stats.result_requests, stats.pages);
  fmt::print("command: build/bench/bigquery_scan_bench {}\n", daily);
  (*standin)->stop();
  return 0;
}
