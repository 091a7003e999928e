// `sync_pypi` over the BigQuery source: packages missing the same days share one query (BigQuery bills
// the day partitions a query scans, whatever the number of packages), and each package's downloads
// still equal the stand-in's truth.

#include "pipeline/pypi_sync.hpp"

#include <gtest/gtest.h>

#include <map>

#include "bigquery/bigquery_test_support.hpp"

namespace ampere::pypi {
namespace {

TEST(BigQuerySync, PackagesMissingTheSameDaysShareOneQueryAndEachEqualsTheTruth) {
  testing::StandinHarness h(/*pending_polls=*/0);
  auto source = h.source(h.source_options());
  pipeline::PypiSyncOptions options;
  options.data_dir = h.dir.path() / "data";
  options.packages = {{"alpha", ""}, {"beta-pkg", ""}, {"gamma", ""}};
  options.today = testing::test_day(10);  // the stand-in's table ends the day before
  // A first sync covers 30 days, 2026-10-12..11-10: three 14-day windows per package (the stand-in's
  // table begins on 11-01, so the first window is empty).

  auto first = pipeline::sync_pypi(*source, options);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->windows.size(), 9U);
  EXPECT_EQ(first->failed, 0);
  EXPECT_EQ(h.standin->stats().queries, 3) << "one query per run of days for the three packages, not nine";
  auto truth = h.standin->truth("SELECT project, count(*) FROM file_downloads GROUP BY project ORDER BY project");
  ASSERT_TRUE(truth) << truth.error().message;
  ASSERT_EQ(truth->size(), 3U);
  std::map<std::string, int64_t> downloads;
  int64_t requests = 0;
  for (const auto& w : first->windows) {
    EXPECT_EQ(w.outcome, "ok");
    downloads[w.window.packages.front()] += w.stats.downloads;
    requests += w.stats.requests > 0 ? 1 : 0;
  }
  for (const auto& row : *truth) EXPECT_EQ(std::to_string(downloads[row.at(0)]), row.at(1)) << row.at(0);
  EXPECT_EQ(requests, 3) << "a query's cost is counted once, on its first package";

  // Nothing is missing any more: no query at all. A package added later is fetched on its own.
  auto again = pipeline::sync_pypi(*source, options);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->windows.empty());
  EXPECT_EQ(h.standin->stats().queries, 3);
  options.packages.push_back({"delta-new", ""});
  auto added = pipeline::sync_pypi(*source, options);
  ASSERT_TRUE(added) << added.error().message;
  ASSERT_EQ(added->windows.size(), 3U);
  for (const auto& w : added->windows) {
    EXPECT_EQ(w.outcome, "ok");
    EXPECT_EQ(w.stats.rows, 0) << "an unknown package is zero rows, recorded";
  }
  EXPECT_EQ(h.standin->stats().queries, 6);
}

}  // namespace
}  // namespace ampere::pypi
