// Network layouts computed at build time: `ampere demo` leaves a position for every node of both networks,
// and a rebuild over unchanged data does not lay them out again.
#include <gtest/gtest.h>

#include <filesystem>

#include "db/database.hpp"
#include "process.hpp"
#include "support/temp_dir.hpp"

namespace ampere::testing {
namespace {

namespace fs = std::filesystem;

ProcessResult run_ampere(std::vector<std::string> args) {
  args.insert(args.begin(), AMPERE_BINARY);
  return run_process(args, {{"AMPERE_CONFIG", ""}, {"GITHUB_TOKEN", ""}});
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The rows of network_layout_runs, as text, in a stable order.
std::vector<std::string> layout_runs(db::Connection& c) {
  auto r = c.query(
      "select network || ' ' || edges_hash || ' ' || nodes || ' ' || edges || ' ' || iterations || ' ' || computed_at "
      "from main.network_layout_runs order by network, computed_at");
  EXPECT_TRUE(r) << r.error().message;
  std::vector<std::string> rows;
  for (size_t i = 0; r && i < r->row_count(); ++i) rows.push_back(r->text(0, i));
  return rows;
}

TEST(NetworkLayouts, DemoLaysOutEveryNodeOnceAndRebuildsKeepIt) {
  TempDir dir;
  const auto data = dir.path() / "demo";
  const auto demo = run_ampere({"demo", "--no-serve", "--data-dir", data.string()});
  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_TRUE(contains(demo.out, "layout stargazers")) << demo.out;
  EXPECT_TRUE(contains(demo.out, "layout followers")) << demo.out;
  EXPECT_TRUE(contains(demo.out, "iterations")) << demo.out;

  std::vector<std::string> runs;
  {
    auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
    ASSERT_TRUE(database) << database.error().message;
    auto c = (*database)->connect();
    ASSERT_TRUE(c);
    // Every node of each network has exactly one finite position, and nothing else has one.
    for (const auto& [network, nodes_sql] :
         {std::pair<std::string, std::string>{"stargazers", "select node_id from main.network_stargazer_nodes"},
          {"followers", "select cast(user_id as varchar) as node_id from main.network_follower_nodes"}}) {
      auto counts = c->query("with nodes as (" + nodes_sql +
                                 "), layout as (select * from main.network_layouts where network = $1) "
                                 "select (select count(*) from nodes), (select count(*) from layout), "
                                 "(select count(*) from nodes where node_id not in (select node_id from layout)), "
                                 "(select count(*) from layout where node_id not in (select node_id from nodes)), "
                                 "(select count(distinct node_id) from layout), "
                                 "(select count(*) from layout where isfinite(x) and isfinite(y)), "
                                 "(select count(distinct x::varchar || ',' || y::varchar) from layout)",
                             network);
      ASSERT_TRUE(counts) << counts.error().message;
      const int64_t nodes = counts->int64(0, 0);
      EXPECT_GT(nodes, 10) << network;
      EXPECT_EQ(counts->int64(1, 0), nodes) << network;
      EXPECT_EQ(counts->int64(2, 0), 0) << network << ": nodes without a position";
      EXPECT_EQ(counts->int64(3, 0), 0) << network << ": positions of no node";
      EXPECT_EQ(counts->int64(4, 0), nodes) << network;
      EXPECT_EQ(counts->int64(5, 0), nodes) << network << ": non-finite positions";
      EXPECT_EQ(counts->int64(6, 0), nodes) << network << ": nodes on top of each other";
    }
    auto run_counts = c->query(
        "select r.network, r.nodes, r.edges, (select count(*) from main.network_stargazer_nodes), "
        "(select count(*) from main.network_stargazer_edges), (select count(*) from main.network_follower_nodes), "
        "(select count(*) from main.network_follower_edges) from main.network_layout_runs r order by network");
    ASSERT_TRUE(run_counts) << run_counts.error().message;
    ASSERT_EQ(run_counts->row_count(), 2U);
    EXPECT_EQ(run_counts->text(0, 0), "followers");
    EXPECT_EQ(run_counts->int64(1, 0), run_counts->int64(5, 0));
    EXPECT_EQ(run_counts->int64(2, 0), run_counts->int64(6, 0));
    EXPECT_EQ(run_counts->text(0, 1), "stargazers");
    EXPECT_EQ(run_counts->int64(1, 1), run_counts->int64(3, 1));
    EXPECT_EQ(run_counts->int64(2, 1), run_counts->int64(4, 1));
    runs = layout_runs(*c);
  }

  // A rebuild over the same data: the marts are kept as they are (nothing they are built from changed),
  // and so are the layouts.
  const auto build = run_ampere({"build", "--data-dir", data.string()});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  EXPECT_TRUE(contains(build.out, "unchanged    network_follower_edges")) << build.out;
  EXPECT_TRUE(contains(build.out, "unchanged    feed_events")) << build.out;
  EXPECT_TRUE(contains(build.out, "edges unchanged")) << build.out;
  EXPECT_FALSE(contains(build.out, "iterations")) << build.out;
  auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
  ASSERT_TRUE(database) << database.error().message;
  auto c = (*database)->connect();
  ASSERT_TRUE(c);
  EXPECT_EQ(layout_runs(*c), runs);
}

TEST(NetworkLayouts, AnIncompleteLayoutIsComputedAgain) {
  TempDir dir;
  const auto data = dir.path() / "demo";
  ASSERT_EQ(run_ampere({"demo", "--no-serve", "--data-dir", data.string()}).exit_code, 0);
  {
    // Someone's layout went missing: the next build notices the incomplete layout and recomputes it.
    auto database = db::Database::open(data / "warehouse.duckdb");
    ASSERT_TRUE(database) << database.error().message;
    auto c = (*database)->connect();
    ASSERT_TRUE(
        c->execute("delete from main.network_layouts where network = 'followers' and node_id in "
                   "(select node_id from main.network_layouts where network = 'followers' limit 1)"));
  }
  const auto build = run_ampere({"build", "--data-dir", data.string()});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  EXPECT_TRUE(contains(build.out, "layout stargazers")) << build.out;
  auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
  auto c = (*database)->connect();
  auto r = c->query("select network, count(*) from main.network_layout_runs group by network order by network");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->row_count(), 2U);
  EXPECT_EQ(r->int64(1, 0), 2) << "followers: laid out again";
  EXPECT_EQ(r->int64(1, 1), 1) << "stargazers: unchanged";
  auto complete = c->query(
      "select count(*) = (select count(*) from main.network_follower_nodes) from main.network_layouts "
      "where network = 'followers'");
  EXPECT_TRUE(complete->boolean(0, 0));
}

}  // namespace
}  // namespace ampere::testing
