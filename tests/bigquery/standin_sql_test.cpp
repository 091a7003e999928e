// The stand-in's reading of GoogleSQL: translation to DuckDB and BigQuery's scan rule (referenced leaf
// columns x day partitions).

#include <gtest/gtest.h>

#include "pypi/bigquery_downloads_query.hpp"
#include "simulator/bigquery_scan_plan.hpp"
#include "simulator/bigquery_sql_translator.hpp"
#include "simulator/pypi_downloads_data.hpp"

namespace ampere::simulator {
namespace {

std::vector<StandinParameter> window_parameters(const std::string& start, const std::string& end) {
  return {{"start", "TIMESTAMP", false, {start}},
          {"end", "TIMESTAMP", false, {end}},
          {"packages", "STRING", true, {"alpha", "o'brien"}}};
}

ScanPlan plan(const std::string& sql, const std::vector<StandinParameter>& parameters = {}) {
  auto tokens = lex_bigquery_sql(sql);
  EXPECT_TRUE(tokens) << tokens.error().message;
  auto planned = plan_scan(*tokens, parameters, file_downloads_leaf_columns());
  EXPECT_TRUE(planned) << planned.error().message;
  return *planned;
}

TEST(BigQueryStandinSql, TranslatesTableParametersTruncationAndUnnest) {
  auto tokens = lex_bigquery_sql(
      "SELECT TIMESTAMP_TRUNC(`timestamp`, HOUR) AS h, 'it\\'s' AS s, \"dq\" AS d -- comment\n"
      "FROM `bigquery-public-data.pypi.file_downloads` WHERE `timestamp` >= @start AND project IN UNNEST(@packages) "
      "AND `timestamp` < @start + INTERVAL 1 DAY");
  ASSERT_TRUE(tokens) << tokens.error().message;
  auto translated = translate_to_duckdb(*tokens, window_parameters("2026-11-02 00:00:00+00:00", "x"));
  ASSERT_TRUE(translated) << translated.error().message;
  EXPECT_EQ(translated->sql,
            "SELECT date_trunc('hour', \"timestamp\") AS h, 'it''s' AS s, 'dq' AS d  \n"
            "FROM file_downloads WHERE \"timestamp\" >= CAST($1 AS TIMESTAMPTZ) AND project IN "
            "(SELECT unnest(CAST(from_json($2, '[\"VARCHAR\"]') AS VARCHAR[]))) "
            "AND \"timestamp\" < CAST($1 AS TIMESTAMPTZ) + INTERVAL 1 DAY");
  // Values are bound, never spliced: the quote in o'brien stays inside the JSON parameter.
  EXPECT_EQ(translated->bind_values, (std::vector<std::string>{"2026-11-02 00:00:00+00:00", R"(["alpha","o'brien"])"}));
}

TEST(BigQueryStandinSql, RefusesWhatIsNotASelectAndUnknownParameters) {
  auto drop = lex_bigquery_sql("DROP TABLE file_downloads");
  EXPECT_FALSE(translate_to_duckdb(*drop, {}));
  auto missing = lex_bigquery_sql("SELECT @nope");
  auto translated = translate_to_duckdb(*missing, {});
  ASSERT_FALSE(translated);
  EXPECT_EQ(translated.error().message, "Query parameter 'nope' not found");
  EXPECT_FALSE(lex_bigquery_sql("SELECT 'unterminated"));
}

TEST(BigQueryStandinSql, DownloadsQueryReadsItsElevenLeavesInTheWindowsDays) {
  pypi::DownloadWindow window;
  window.packages = {"alpha"};
  window.first_day = std::chrono::sys_days(std::chrono::year(2026) / 11 / 3);
  window.last_day = std::chrono::sys_days(std::chrono::year(2026) / 11 / 5);
  const auto query = pypi::bigquery_downloads_query(window);
  std::vector<StandinParameter> parameters;
  for (const auto& p : query.parameters) parameters.push_back({p.name, p.type, p.is_array, p.values});
  const ScanPlan scan = plan(query.sql, parameters);
  EXPECT_EQ(scan.columns,
            (std::set<std::string>{"timestamp", "project", "file.version", "details.python", "details.system.name",
                                   "details.system.release", "details.distro.name", "details.distro.version",
                                   "country_code", "details.installer.name", "details.ci"}));
  ASSERT_TRUE(scan.first_day && scan.last_day);
  EXPECT_EQ(format_date(*scan.first_day), "2026-11-03");
  EXPECT_EQ(format_date(*scan.last_day), "2026-11-05");  // @end is the exclusive midnight of 11-06
}

TEST(BigQueryStandinSql, StarReadsEveryLeafAndNoFilterReadsEveryDay) {
  const ScanPlan all = plan("SELECT * FROM `bigquery-public-data.pypi.file_downloads`");
  EXPECT_EQ(all.columns.size(), file_downloads_leaf_columns().size());
  EXPECT_FALSE(all.first_day);
  EXPECT_FALSE(all.last_day);
  const ScanPlan count = plan("SELECT COUNT(*) FROM `bigquery-public-data.pypi.file_downloads`");
  EXPECT_TRUE(count.columns.empty());
  const ScanPlan record = plan("SELECT details.installer FROM `bigquery-public-data.pypi.file_downloads`");
  EXPECT_EQ(record.columns, (std::set<std::string>{"details.installer.name", "details.installer.version"}));
}

TEST(BigQueryStandinSql, DatePredicatesAndLiteralsPrune) {
  const ScanPlan day =
      plan("SELECT project FROM `bigquery-public-data.pypi.file_downloads` WHERE DATE(`timestamp`) = '2026-11-04'");
  ASSERT_TRUE(day.first_day && day.last_day);
  EXPECT_EQ(format_date(*day.first_day), "2026-11-04");
  EXPECT_EQ(format_date(*day.last_day), "2026-11-04");
  const ScanPlan between = plan(
      "SELECT project FROM `bigquery-public-data.pypi.file_downloads` "
      "WHERE `timestamp` BETWEEN TIMESTAMP '2026-11-02 10:00:00+00' AND TIMESTAMP '2026-11-03 23:59:59+00'");
  EXPECT_EQ(format_date(*between.first_day), "2026-11-02");
  EXPECT_EQ(format_date(*between.last_day), "2026-11-03");
  EXPECT_EQ(between.columns, (std::set<std::string>{"project", "timestamp"}));
}

}  // namespace
}  // namespace ampere::simulator
