// PyPI downloads ingest benchmark (issue 5): rows per second from a local clickhouse-server in ClickPy's
// schema into the lake, for one package with 3 years of daily downloads by version x python x system
// (10 x 6 x 4 = 240 combinations, each downloaded twice a day at different hours: 480 hourly rows a
// day). It measures the ClickPy source alone (HTTP + JSONEachRow parsing) and the whole backfill
// (`sync_pypi`: windows of 31 days, each committed to the lake all-or-nothing, then logged).
// Run: build/bench/pypi_bench [port]   (starts its own clickhouse-server on 127.0.0.1:port, default 19150)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "pipeline/pypi_sync.hpp"
#include "pypi/clickpy_source.hpp"
#include "pypi/local_clickhouse.hpp"
#include "support/temp_dir.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using ampere::pypi::Day;

constexpr int kDays = 3 * 365 + 1;
constexpr int kCombinations = 240;
constexpr int kCopies = 2;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 19150;
  ampere::testing::LocalClickhouse ch(port, port + 9);
  if (!ch.ok()) {
    std::fprintf(stderr, "pypi_bench: %s\n", ch.error().c_str());
    return 1;
  }
  const Day today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const Day first = today - std::chrono::days(kDays);
  const long long first_epoch = std::chrono::duration_cast<std::chrono::seconds>(first.time_since_epoch()).count();
  const auto load_start = Clock::now();
  const std::string load = fmt::format(
      "INSERT INTO pypi.pypi (timestamp, country_code, project, file, installer, python, distro, system) "
      "SELECT toDateTime({0} + intDiv(number, {1}) * 86400 + ((number % {2}) + intDiv(number % {1}, {2}) * 12) % 24 "
      "* 3600), 'US', 'benchpkg', tuple('f', 'benchpkg', concat('1.', toString(number % 10), '.0'), 'sdist'), "
      "tuple('pip', '24.0'), ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'][intDiv(number % {2}, 10) % 6 + 1], "
      "tuple('Ubuntu', '22.04', 'jammy', tuple('glibc', '2.35')), "
      "tuple(['Linux', 'Darwin', 'Windows', 'FreeBSD'][intDiv(number % {2}, 60) + 1], '6.5.0-1017-aws') "
      "FROM system.numbers LIMIT {3}",
      first_epoch, kCombinations * kCopies, kCombinations, static_cast<long long>(kDays) * kCombinations * kCopies);
  std::string r = ch.query(load);
  if (r.starts_with("ERROR")) {
    std::fprintf(stderr, "pypi_bench: loading: %s\n", r.c_str());
    return 1;
  }
  r = ch.query(fmt::format(
      "INSERT INTO pypi.pypi (timestamp, project) SELECT toDateTime({} + number * 86400), 'pip' FROM system.numbers "
      "LIMIT {}",
      first_epoch, kDays));
  if (r.starts_with("ERROR")) {
    std::fprintf(stderr, "pypi_bench: loading pip: %s\n", r.c_str());
    return 1;
  }
  const double load_seconds = seconds_since(load_start);

  ampere::pypi::ClickpyOptions options;
  options.url = ch.url();
  // 1. The source alone: every hourly row of the 3 years, in 31-day windows, parsed and counted.
  ampere::pypi::ClickpySource source(options);
  int64_t rows = 0;
  int64_t downloads = 0;
  const auto fetch_start = Clock::now();
  for (Day a = first; a < today; a += std::chrono::days(31)) {
    const Day b = std::min<Day>(a + std::chrono::days(30), today - std::chrono::days(1));
    auto stats =
        source.fetch({{"benchpkg"}, a, b}, [](ampere::pypi::DownloadRow&&) -> ampere::Expected<void> { return {}; });
    if (!stats) {
      std::fprintf(stderr, "pypi_bench: %s\n", stats.error().message.c_str());
      return 1;
    }
    rows += stats->rows;
    downloads += stats->downloads;
  }
  const double fetch_seconds = seconds_since(fetch_start);

  // 2. The whole backfill into a fresh lake.
  ampere::testing::TempDir dir;
  ampere::pipeline::PypiSyncOptions sync_options;
  sync_options.data_dir = dir.path() / "data";
  sync_options.packages = {{"benchpkg", ""}};
  sync_options.backfill_since = first;
  ampere::pypi::ClickpySource sync_source(options);
  const auto sync_start = Clock::now();
  auto synced = ampere::pipeline::sync_pypi(sync_source, sync_options);
  const double sync_seconds = seconds_since(sync_start);
  if (!synced || synced->failed > 0) {
    std::fprintf(stderr, "pypi_bench: sync failed: %s\n",
                 synced ? synced->windows.back().error.c_str() : synced.error().message.c_str());
    return 1;
  }

  fmt::print(
      "pypi_bench: benchpkg, {} days x {} combinations x {} hours = {} raw downloads in ClickHouse {} (loaded "
      "in {:.1f}s)\n",
      kDays, kCombinations, kCopies, static_cast<long long>(kDays) * kCombinations * kCopies,
      ch.query("SELECT version()").substr(0, 7), load_seconds);
  fmt::print("source only (HTTP + JSONEachRow parse): {} rows ({} downloads) in {:.2f}s = {:.0f} rows/s\n", rows,
             downloads, fetch_seconds, static_cast<double>(rows) / fetch_seconds);
  fmt::print("backfill into the lake (sync_pypi, {} windows of <= 31 days): {} rows in {:.2f}s = {:.0f} rows/s\n",
             synced->windows.size(), synced->rows, sync_seconds, static_cast<double>(synced->rows) / sync_seconds);
  fmt::print("command: build/bench/pypi_bench {}\n", port);
  return 0;
}
