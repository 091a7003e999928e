// BigQueryClient against the stand-in over loopback: token caching and refresh, polling, paging, dry
// runs and the bytes-billed guard, and every error case with its message.

#include "pypi/bigquery_client.hpp"

#include <gtest/gtest.h>

#include "bigquery/bigquery_test_support.hpp"
#include "http/client.hpp"
#include "pypi/bigquery_downloads_query.hpp"

namespace ampere::pypi {
namespace {

using simulator::BigQueryFault;
using simulator::BigQueryRoute;

DownloadWindow window(int first, int last, std::vector<std::string> packages = {"alpha", "beta-pkg", "gamma"}) {
  return {std::move(packages), testing::test_day(first), testing::test_day(last)};
}

// A small query whose answer the test can check: downloads per package over two days.
BigQueryQuery per_package_query() {
  BigQueryQuery q;
  q.sql =
      "SELECT project, COUNT(*) AS n FROM `bigquery-public-data.pypi.file_downloads` "
      "WHERE `timestamp` >= @start AND `timestamp` < @end GROUP BY project ORDER BY project";
  q.parameters = {BigQueryParameter::scalar("start", "TIMESTAMP", "2026-11-02 00:00:00+00:00"),
                  BigQueryParameter::scalar("end", "TIMESTAMP", "2026-11-04 00:00:00+00:00")};
  return q;
}

// The bytes BigQuery's rule gives for the downloads query over days [first, last], computed here from
// the rows themselves: each referenced leaf's values (STRING 2 + bytes, TIMESTAMP 8, BOOL 1, NULL 0).
int64_t expected_bytes(simulator::BigQueryStandin& standin, const std::string& first, const std::string& end) {
  auto rows = standin.truth(
      "SELECT CAST(count(\"timestamp\") * 8 + count(details.ci) * 1 "
      "+ sum(2 + strlen(project)) + sum(CASE WHEN file.version IS NULL THEN 0 ELSE 2 + strlen(file.version) END) "
      "+ sum(CASE WHEN details.python IS NULL THEN 0 ELSE 2 + strlen(details.python) END) "
      "+ sum(CASE WHEN details.system.name IS NULL THEN 0 ELSE 2 + strlen(details.system.name) END) "
      "+ sum(CASE WHEN details.system.release IS NULL THEN 0 ELSE 2 + strlen(details.system.release) END) "
      "+ sum(CASE WHEN details.distro.name IS NULL THEN 0 ELSE 2 + strlen(details.distro.name) END) "
      "+ sum(CASE WHEN details.distro.version IS NULL THEN 0 ELSE 2 + strlen(details.distro.version) END) "
      "+ sum(CASE WHEN country_code IS NULL THEN 0 ELSE 2 + strlen(country_code) END) "
      "+ sum(CASE WHEN details.installer.name IS NULL THEN 0 ELSE 2 + strlen(details.installer.name) END) "
      "AS BIGINT) FROM file_downloads WHERE \"timestamp\" >= TIMESTAMPTZ '" +
      first + "' AND \"timestamp\" < TIMESTAMPTZ '" + end + "'");
  EXPECT_TRUE(rows) << rows.error().message;
  return std::stoll(rows->at(0).at(0));
}

class BigQueryClientTest : public ::testing::Test {
 protected:
  testing::StandinHarness h;
};

TEST_F(BigQueryClientTest, OneTokenExchangeServesManyQueries) {
  auto source = h.source(h.source_options());
  for (int i = 0; i < 4; ++i) {
    auto result = source->client().query(per_package_query());
    ASSERT_TRUE(result) << result.error().message;
  }
  ASSERT_TRUE(source->client().dry_run(per_package_query()));
  EXPECT_EQ(source->tokens().exchanges(), 1);
  EXPECT_EQ(h.standin->stats().token_exchanges, 1);
  EXPECT_EQ(h.standin->stats().queries, 4);
}

TEST_F(BigQueryClientTest, TokenIsRefreshedShortlyBeforeItExpires) {
  auto source = h.source(h.source_options());
  ASSERT_TRUE(source->client().query(per_package_query()));
  h.clock.advance(std::chrono::seconds(3600) - token_refresh_margin - std::chrono::seconds(5));
  ASSERT_TRUE(source->client().query(per_package_query()));
  EXPECT_EQ(source->tokens().exchanges(), 1);  // still 5 s outside the margin
  h.clock.advance(std::chrono::seconds(10));
  auto result = source->client().query(per_package_query());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(source->tokens().exchanges(), 2);
  EXPECT_EQ(h.standin->stats().unauthorized, 0);  // refreshed before the stand-in would refuse it
}

TEST_F(BigQueryClientTest, PollsWhileTheJobRunsAndPagesUntilEveryRow) {
  auto options = h.source_options();
  options.client.page_rows = 7;
  auto source = h.source(options);
  auto result = source->client().query(bigquery_downloads_query(window(0, 1)));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->polls, 2);  // jobs.query and the first getQueryResults said jobComplete=false
  auto truth = h.standin->truth(
      "SELECT count(*) FROM (SELECT DISTINCT date_trunc('hour', \"timestamp\"), project, file.version, details.python, "
      "details.system.name, details.system.release, details.distro.name, details.distro.version, country_code, "
      "details.installer.name, details.ci FROM file_downloads WHERE \"timestamp\" < TIMESTAMPTZ '2026-11-03')");
  ASSERT_TRUE(truth);
  const auto groups = static_cast<size_t>(std::stoll(truth->at(0).at(0)));
  ASSERT_GT(groups, 100u);
  EXPECT_EQ(result->rows.size(), groups);
  EXPECT_EQ(result->pages, static_cast<int>((groups + 6) / 7));
  EXPECT_EQ(h.standin->stats().pages, result->pages);
  EXPECT_EQ(result->fields.front().name, "bucket_start");
  EXPECT_EQ(result->fields.front().type, "TIMESTAMP");
}

TEST_F(BigQueryClientTest, DryRunBytesFollowTheScanRuleAndTheCost) {
  auto source = h.source(h.source_options());
  auto one_day = source->client().dry_run(bigquery_downloads_query(window(4, 4)));
  ASSERT_TRUE(one_day) << one_day.error().message;
  EXPECT_EQ(one_day->bytes_processed, expected_bytes(*h.standin, "2026-11-05", "2026-11-06"));
  auto all = source->client().dry_run(bigquery_downloads_query(window(0, 9)));
  ASSERT_TRUE(all);
  EXPECT_EQ(all->bytes_processed, expected_bytes(*h.standin, "2026-11-01", "2026-11-11"));
  // Packages do not prune (the table is not partitioned by project): one package costs the same.
  EXPECT_EQ(source->client().dry_run(bigquery_downloads_query(window(4, 4, {"gamma"})))->bytes_processed,
            one_day->bytes_processed);
  // Under 10 MB, the minimum billed applies: 10 MiB at $6.25/TiB.
  EXPECT_DOUBLE_EQ(one_day->cost_usd, 10.0 * 1024 * 1024 / (1024.0 * 1024 * 1024 * 1024) * 6.25);
  EXPECT_EQ(h.standin->stats().queries, 0);  // dry runs run nothing
}

TEST_F(BigQueryClientTest, GuardRefusesAQueryOverTheLimitWithoutRunningIt) {
  auto options = h.source_options();
  options.client.max_bytes_billed = expected_bytes(*h.standin, "2026-11-05", "2026-11-06");
  auto source = h.source(options);
  auto allowed = source->client().query(bigquery_downloads_query(window(4, 4)));
  ASSERT_TRUE(allowed) << allowed.error().message;  // exactly at the limit
  auto refused = source->client().query(bigquery_downloads_query(window(3, 4)));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(refused.error().message.find("refusing a BigQuery query that would scan"), std::string::npos);
  EXPECT_NE(refused.error().message.find("pypi.bigquery_max_bytes_billed"), std::string::npos);
  EXPECT_EQ(h.standin->stats().queries, 1);
  EXPECT_EQ(h.standin->stats().dry_runs, 2);
}

TEST_F(BigQueryClientTest, StandinEnforcesMaximumBytesBilledToo) {
  auto source = h.source(h.source_options());
  auto token = source->tokens().access_token();
  ASSERT_TRUE(token);
  http::Client http;
  const auto response =
      http.post(h.standin->api_url() + "/projects/p/queries",
                R"({"query":"SELECT project FROM `bigquery-public-data.pypi.file_downloads`","useLegacySql":false,)"
                R"("maximumBytesBilled":"1000"})",
                "application/json", {{"Authorization", "Bearer " + token->reveal()}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("bytesBilledLimitExceeded"), std::string::npos);
  // Legacy SQL (jobs.query's default) is refused, as BigQuery refuses parameters and backticks there.
  const auto legacy = http.post(h.standin->api_url() + "/projects/p/queries", R"({"query":"SELECT 1"})",
                                "application/json", {{"Authorization", "Bearer " + token->reveal()}});
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->status, 400);
}

TEST_F(BigQueryClientTest, A401GetsOneFreshTokenThenAClearError) {
  auto source = h.source(h.source_options());
  h.standin->fail_next(BigQueryFault::unauthorized, BigQueryRoute::jobs_query, 1);
  auto recovered = source->client().query(per_package_query());
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_EQ(source->tokens().exchanges(), 2);

  h.standin->fail_next(BigQueryFault::unauthorized, BigQueryRoute::jobs_query, 2);
  auto refused = source->client().query(per_package_query());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("BigQuery rejected the access token (401 authError)"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("ya29."), std::string::npos);
}

TEST_F(BigQueryClientTest, QuotaPermissionAndInvalidQueryEachSayWhatToDo) {
  auto source = h.source(h.source_options());
  h.standin->fail_next(BigQueryFault::quota_exceeded, BigQueryRoute::jobs_query, 1);
  auto quota = source->client().query(per_package_query());
  ASSERT_FALSE(quota);
  EXPECT_NE(quota.error().message.find("BigQuery quota exceeded (403 quotaExceeded)"), std::string::npos);

  h.standin->fail_next(BigQueryFault::access_denied, BigQueryRoute::jobs_query, 1);
  auto denied = source->client().query(per_package_query());
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().message.find("BigQuery denied permission (403 accessDenied)"), std::string::npos);
  EXPECT_NE(denied.error().message.find("BigQuery Job User"), std::string::npos);

  BigQueryQuery bad;
  bad.sql = "SELECT no_such_column FROM `bigquery-public-data.pypi.file_downloads`";
  auto invalid = source->client().query(bad);
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().message.find("BigQuery rejected the query (400 invalidQuery)"), std::string::npos);
  EXPECT_NE(invalid.error().message.find("no_such_column"), std::string::npos);

  h.standin->fail_next(BigQueryFault::invalid_query, BigQueryRoute::jobs_query, 1);
  EXPECT_FALSE(source->client().dry_run(per_package_query()));
}

TEST_F(BigQueryClientTest, TransientFailuresAreRetried) {
  auto source = h.source(h.source_options());
  h.standin->fail_next(BigQueryFault::backend_error, BigQueryRoute::jobs_query, 1);
  h.standin->fail_next(BigQueryFault::drop_connection, BigQueryRoute::query_results, 1);
  auto result = source->client().query(per_package_query());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->rows.size(), 3u);
}

TEST_F(BigQueryClientTest, NetworkFailureMidPaginationReturnsNothing) {
  auto options = h.source_options();
  options.client.page_rows = 50;
  options.client.attempts = 2;
  auto source = h.source(options);
  h.standin->fail_next(BigQueryFault::drop_connection, BigQueryRoute::next_page, 2);
  int64_t handed_over = 0;
  auto fetched = source->fetch(window(0, 1), [&](DownloadRow&&) -> Expected<void> {
    ++handed_over;
    return {};
  });
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().kind, ErrorKind::network);
  EXPECT_NE(fetched.error().message.find("jobs.getQueryResults"), std::string::npos);
  EXPECT_NE(fetched.error().message.find("after 2 attempts"), std::string::npos);
  EXPECT_EQ(handed_over, 0);
  EXPECT_GE(h.standin->stats().pages, 1);  // the first page had arrived
}

TEST_F(BigQueryClientTest, RejectedAssertionIsATokenExchangeError) {
  auto other = simulator::generate_test_key_pair();
  ASSERT_TRUE(other);
  const auto wrong_key = h.dir.write(
      "wrong.json",
      simulator::service_account_key_json(*other, testing::kTestEmail, testing::kTestProject, h.standin->token_url()));
  auto source = BigQuerySource::from_key_file(wrong_key, h.source_options());
  ASSERT_TRUE(source);
  auto result = (*source)->fetch(window(0, 0), [](DownloadRow&&) -> Expected<void> { return {}; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(result.error().message.find("exchanging the service-account assertion for an access token"),
            std::string::npos);
  EXPECT_NE(result.error().message.find("400 invalid_grant): Invalid JWT Signature."), std::string::npos);
  EXPECT_EQ(result.error().message.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(h.standin->stats().assertions_rejected, 1);
  EXPECT_EQ(h.standin->stats().queries, 0);
}

TEST_F(BigQueryClientTest, AnAssertionFromASlowClockIsRefusedAsExpired) {
  auto options = h.source_options();
  options.tokens.clock = [this] { return h.clock.now() - std::chrono::hours(2); };
  auto source = h.source(options);
  auto result = source->client().dry_run(per_package_query());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("Token must be a short-lived token"), std::string::npos);
  EXPECT_NE(result.error().message.find("clock"), std::string::npos);
}

TEST_F(BigQueryClientTest, UnreachableTokenEndpointIsANetworkError) {
  const auto dead =
      h.dir.write("dead.json", simulator::service_account_key_json(testing::test_key_pair(), testing::kTestEmail, "p",
                                                                   "http://127.0.0.1:1/token"));
  auto source = BigQuerySource::from_key_file(dead, h.source_options());
  ASSERT_TRUE(source);
  auto estimate = (*source)->estimate(window(0, 0));
  ASSERT_FALSE(estimate);
  EXPECT_EQ(estimate.error().kind, ErrorKind::network);
  EXPECT_NE(estimate.error().message.find("exchanging the service-account assertion"), std::string::npos);
}

}  // namespace
}  // namespace ampere::pypi
