// Requests in flight change how fast a sync runs, never what it writes: the same org synced with 1 and
// with 10 units of work at once leaves the same rows in every raw table, and staging equals the truth.
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"
#include "support/temp_dir.hpp"
#include "sync/sync_truth.hpp"

namespace ampere {
namespace {

const char* const kRawTables[] = {"repos",  "languages", "stargazers", "forks",     "releases",
                                  "issues", "commits",   "users",      "followers", "listings"};

// Each raw table's rows, keys and payloads (not when or by which sync they were retrieved), as one
// sorted text per table.
std::map<std::string, std::string> lake_content(const std::filesystem::path& data_dir) {
  std::map<std::string, std::string> out;
  auto database = db::Database::open("");
  EXPECT_TRUE(database);
  auto connection = (*database)->connect();
  EXPECT_TRUE(connection);
  EXPECT_TRUE(lake::attach_lake_views(*connection, lake::lake_root(data_dir)));
  for (const char* table : kRawTables) {
    auto r = connection->query(
        fmt::format("SELECT count(*), coalesce(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), '') FROM "
                    "(SELECT * EXCLUDE (retrieved_at, sync_id) FROM raw_github.{}) t",
                    table));
    EXPECT_TRUE(r) << table << ": " << (r ? "" : r.error().message);
    if (r) out[table] = r->text(0, 0) + " rows\n" + r->text(1, 0);
  }
  return out;
}

class GithubSyncConcurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    simulator::SimulatorOptions options;
    options.org.size = simulator::OrgSize::small;
    sim = std::make_unique<simulator::GithubSimulator>(options);
    auto url = sim->start();
    ASSERT_TRUE(url) << url.error().message;
    base_url = *url;
  }
  Expected<pipeline::GithubSyncResult> sync(const std::string& name, size_t in_flight) {
    pipeline::GithubSyncOptions o;
    o.data_dir = dir.path() / name;
    o.org = "ampere-demo";
    o.api_url = base_url;
    o.pace_requests = false;
    o.concurrency = in_flight;
    return pipeline::sync_github(o);
  }
  testing::TempDir dir;
  std::unique_ptr<simulator::GithubSimulator> sim;
  std::string base_url;
};

TEST_F(GithubSyncConcurrency, OneOrTenRequestsInFlightWriteTheSameLake) {
  auto one = sync("one", 1);
  ASSERT_TRUE(one) << one.error().message;
  auto ten = sync("ten", 10);
  ASSERT_TRUE(ten) << ten.error().message;
  EXPECT_EQ(one->report.records, ten->report.records);
  EXPECT_EQ(one->stats.requests, ten->stats.requests);
  EXPECT_EQ(one->stats.graphql_points, ten->stats.graphql_points);
  const auto a = lake_content(dir.path() / "one");
  const auto b = lake_content(dir.path() / "ten");
  for (const char* table : kRawTables) {
    ASSERT_TRUE(a.contains(table) && b.contains(table)) << table;
    EXPECT_FALSE(a.at(table).starts_with("0 rows")) << table << " is empty: the comparison would prove nothing";
    EXPECT_EQ(a.at(table), b.at(table)) << "raw_github." << table << " differs between 1 and 10 in flight";
  }
  testing::expect_staging_equals_truth(dir.path() / "ten", sim->model());
}

TEST_F(GithubSyncConcurrency, ChangesAfterAConcurrentSyncComeThroughExactly) {
  ASSERT_TRUE(sync("data", 10));
  ASSERT_TRUE(sim->mutate([](simulator::OrgModel& m) -> Expected<void> {
    if (auto r = m.add_stars(0, 150); !r) return tl::unexpected(r.error());
    if (auto r = m.remove_stars(1, 2); !r) return tl::unexpected(r.error());
    if (auto r = m.open_issues(2, 3); !r) return tl::unexpected(r.error());
    if (auto r = m.push_commits(5, 4); !r) return tl::unexpected(r.error());
    return {};
  }));
  auto again = sync("data", 10);
  ASSERT_TRUE(again) << again.error().message;
  testing::expect_staging_equals_truth(dir.path() / "data", sim->model());
  // And then nothing is left to fetch: every GET answers 304.
  auto third = sync("data", 10);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->stats.requests, 0);
}

}  // namespace
}  // namespace ampere
