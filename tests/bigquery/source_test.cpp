// BigQuerySource end to end against the stand-in: the rows it hands over add up, per day and per group,
// to exactly what the stand-in's table holds.

#include "pypi/bigquery_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "bigquery/bigquery_test_support.hpp"

namespace ampere::pypi {
namespace {

std::vector<DownloadRow> fetch_all(BigQuerySource& source, const DownloadWindow& window, FetchStats* stats = nullptr) {
  std::vector<DownloadRow> rows;
  auto fetched = source.fetch(window, [&](DownloadRow&& row) -> Expected<void> {
    rows.push_back(std::move(row));
    return {};
  });
  EXPECT_TRUE(fetched) << fetched.error().message;
  if (fetched && stats != nullptr) *stats = *fetched;
  return rows;
}

std::string line(const DownloadRow& r) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", format_iso8601(r.bucket_start), r.package,
                     r.package_version, r.python_version, r.system_name, r.system_release, r.distro_name,
                     r.distro_version, r.country, r.installer, r.ci.value() ? "true" : "false", r.downloads);
}

class BigQuerySourceTest : public ::testing::Test {
 protected:
  testing::StandinHarness h;
};

TEST_F(BigQuerySourceTest, EveryHourlyGroupEqualsTheStandinsTruth) {
  auto source = h.source(h.source_options());
  FetchStats stats;
  const DownloadWindow window{{"alpha", "beta-pkg", "gamma"}, testing::test_day(2), testing::test_day(5)};
  const auto rows = fetch_all(*source, window, &stats);
  std::vector<std::string> got;
  for (const auto& r : rows) got.push_back(line(r));
  std::sort(got.begin(), got.end());

  auto truth = h.standin->truth(
      "SELECT strftime(date_trunc('hour', \"timestamp\"), '%Y-%m-%dT%H:%M:%SZ') || '|' || project || '|' || "
      "coalesce(file.version, '') || '|' || coalesce(details.python, '') || '|' || "
      "coalesce(details.system.name, '') || '|' || coalesce(details.system.release, '') || '|' || "
      "coalesce(details.distro.name, '') || '|' || coalesce(details.distro.version, '') || '|' || "
      "coalesce(country_code, '') || '|' || coalesce(details.installer.name, '') || '|' || "
      "CASE WHEN details.ci THEN 'true' ELSE 'false' END || '|' || count(*) "
      "FROM file_downloads WHERE \"timestamp\" >= TIMESTAMPTZ '2026-11-03' AND \"timestamp\" < TIMESTAMPTZ "
      "'2026-11-07' GROUP BY date_trunc('hour', \"timestamp\"), project, file.version, details.python, "
      "details.system.name, details.system.release, details.distro.name, details.distro.version, country_code, "
      "details.installer.name, details.ci ORDER BY 1");
  ASSERT_TRUE(truth) << truth.error().message;
  std::vector<std::string> expected;
  for (const auto& row : *truth) expected.push_back(row.at(0));
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(stats.rows, static_cast<int64_t>(rows.size()));
  EXPECT_GT(stats.bytes_processed, 0);
  EXPECT_GE(stats.requests, 3);  // token, jobs.query, polls
}

TEST_F(BigQuerySourceTest, SumsPerDayAndGroupMatch) {
  auto source = h.source(h.source_options());
  const auto rows = fetch_all(*source, {{"alpha", "gamma"}, testing::test_day(0), testing::test_day(9)});
  std::map<std::string, int64_t> per_day_package;
  std::map<std::string, int64_t> per_day_installer;
  std::map<std::string, int64_t> per_day_ci;
  for (const auto& r : rows) {
    const std::string day = format_date(r.bucket_start);
    per_day_package[day + "|" + r.package] += r.downloads;
    per_day_installer[day + "|" + r.installer] += r.downloads;
    per_day_ci[day + "|" + (r.ci.value() ? "true" : "false")] += r.downloads;
    EXPECT_EQ(r.bucket_start, std::chrono::floor<std::chrono::hours>(r.bucket_start));
  }
  const auto truth = [&](const std::string& group) {
    std::map<std::string, int64_t> out;
    auto result = h.standin->truth("SELECT strftime(\"timestamp\", '%Y-%m-%d') || '|' || " + group +
                                   ", count(*) FROM file_downloads WHERE project IN ('alpha', 'gamma') GROUP BY 1");
    EXPECT_TRUE(result) << result.error().message;
    for (const auto& row : *result) out[row.at(0)] = std::stoll(row.at(1));
    return out;
  };
  EXPECT_EQ(per_day_package, truth("project"));
  EXPECT_EQ(per_day_installer, truth("coalesce(details.installer.name, '')"));
  EXPECT_EQ(per_day_ci, truth("CASE WHEN details.ci THEN 'true' ELSE 'false' END"));
  EXPECT_EQ(per_day_package.size(), 20u);  // 10 days x 2 packages, each with downloads every day
}

TEST_F(BigQuerySourceTest, UnknownPackageIsZeroRowsNotAnError) {
  auto source = h.source(h.source_options());
  FetchStats stats;
  const auto rows = fetch_all(*source, {{"no-such-package"}, testing::test_day(0), testing::test_day(1)}, &stats);
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(stats.rows, 0);
  EXPECT_EQ(h.standin->stats().queries, 1);
}

TEST_F(BigQuerySourceTest, EstimateIsTheDryRun) {
  auto source = h.source(h.source_options());
  auto one_day = source->estimate({{"alpha"}, testing::test_day(0), testing::test_day(0)});
  auto month = source->estimate({{"alpha"}, testing::test_day(0), testing::test_day(9)});
  ASSERT_TRUE(one_day && month);
  ASSERT_TRUE(one_day->bytes_scanned && month->bytes_scanned && one_day->usd);
  EXPECT_GT(*month->bytes_scanned, 8 * *one_day->bytes_scanned);
  EXPECT_EQ(h.standin->stats().dry_runs, 2);
  EXPECT_EQ(h.standin->stats().queries, 0);
}

TEST_F(BigQuerySourceTest, MissingKeyFileIsAClearError) {
  auto source = BigQuerySource::from_key_file(h.dir.path() / "absent.json", h.source_options());
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().message.find("no such file"), std::string::npos);
}

}  // namespace
}  // namespace ampere::pypi
