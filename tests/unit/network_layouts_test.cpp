// pipeline::update_network_layouts over hand-made network marts in an in-memory warehouse: what it writes,
// when it recomputes, and what it refuses.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "pipeline/network_layouts.hpp"

namespace ampere::pipeline {
namespace {

class NetworkLayoutsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::Database::open(""));
    connection_.emplace(std::move(*database_->connect()));
    // The columns the layouts read, as the marts have them.
    ASSERT_TRUE(c().execute(
        "create table network_stargazer_nodes (node_id varchar, repo_id bigint, user_id bigint);"
        "create table network_stargazer_edges (user_node_id varchar, repo_node_id varchar, user_id bigint, "
        "repo_id bigint);"
        "create table network_follower_nodes (user_id bigint);"
        "create table network_follower_edges (follower_user_id bigint, followed_user_id bigint);"
        "insert into network_stargazer_nodes values ('repo:1', 1, null), ('repo:2', 2, null), ('user:10', null, 10), "
        "('user:11', null, 11), ('user:12', null, 12);"
        "insert into network_stargazer_edges values ('user:10', 'repo:1', 10, 1), ('user:11', 'repo:1', 11, 1), "
        "('user:11', 'repo:2', 11, 2), ('user:12', 'repo:2', 12, 2);"
        "insert into network_follower_nodes values (10), (11), (12), (13);"
        "insert into network_follower_edges values (10, 11), (11, 10), (12, 10);"));
  }

  db::Connection& c() { return *connection_; }

  int64_t count(const std::string& sql) {
    auto r = c().query(sql);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->int64(0, 0) : -1;
  }

  std::unique_ptr<db::Database> database_;
  std::optional<db::Connection> connection_;
};

TEST_F(NetworkLayoutsTest, WritesOnePositionPerNodeAndARunPerNetwork) {
  auto reports = update_network_layouts(c());
  ASSERT_TRUE(reports) << reports.error().message;
  ASSERT_EQ(reports->size(), 2U);
  EXPECT_EQ((*reports)[0].network, "stargazers");
  EXPECT_TRUE((*reports)[0].recomputed);
  EXPECT_EQ((*reports)[0].nodes, 5U);
  EXPECT_EQ((*reports)[0].edges, 4U);
  EXPECT_EQ((*reports)[0].iterations, 500);
  EXPECT_EQ((*reports)[1].network, "followers");
  EXPECT_EQ((*reports)[1].nodes, 4U);
  EXPECT_EQ((*reports)[1].edges, 3U);

  EXPECT_EQ(count("select count(*) from network_layouts where network = 'stargazers' and node_id in "
                  "(select node_id from network_stargazer_nodes) and isfinite(x) and isfinite(y)"),
            5);
  EXPECT_EQ(count("select count(*) from network_layouts where network = 'followers' and node_id in "
                  "('10', '11', '12', '13')"),
            4);
  EXPECT_EQ(count("select count(*) from network_layout_runs where network = 'stargazers' and nodes = 5 and "
                  "edges = 4 and iterations = 500 and length(edges_hash) = 16 and seconds >= 0"),
            1);
  EXPECT_EQ(count("select count(*) from network_layout_runs"), 2);
}

// As a build's follow-ups do: each network on a connection and a thread of its own.
TEST_F(NetworkLayoutsTest, BothNetworksAtOnceWriteWhatOneAfterTheOtherWrites) {
  ASSERT_TRUE(update_network_layouts(c()));
  ASSERT_TRUE(
      c().execute("create table sequential as select network, node_id, x, y from network_layouts; "
                  "delete from network_layouts; delete from network_layout_runs"));
  const auto at_once = [&] {
    std::vector<Expected<NetworkLayoutReport>> outcomes(2, fail(ErrorKind::internal, "not laid out"));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        auto own = database_->connect();
        outcomes[i] = own ? update_network_layout(*own, network_marts()[i].network) : tl::unexpected(own.error());
      });
    }
    for (auto& thread : threads) thread.join();
    return outcomes;
  };
  auto reports = at_once();
  ASSERT_TRUE(reports[0]) << reports[0].error().message;
  ASSERT_TRUE(reports[1]) << reports[1].error().message;
  EXPECT_EQ(reports[0]->network, "stargazers");
  EXPECT_EQ(reports[1]->network, "followers");
  EXPECT_TRUE(reports[0]->recomputed && reports[1]->recomputed);
  EXPECT_EQ(count("select count(*) from (select network, node_id, x, y from network_layouts except all select * "
                  "from sequential)"),
            0);
  EXPECT_EQ(count("select count(*) from network_layouts"), 9);
  EXPECT_EQ(count("select count(*) from network_layout_runs"), 2);
  // An error in one network reaches its caller; the other is laid out.
  ASSERT_TRUE(c().execute("insert into network_follower_edges values (10, 99)"));
  auto broken = at_once();
  ASSERT_TRUE(broken[0]) << broken[0].error().message;
  ASSERT_FALSE(broken[1]);
  EXPECT_NE(broken[1].error().message.find("network followers"), std::string::npos) << broken[1].error().message;
}

TEST_F(NetworkLayoutsTest, RecomputesOnlyTheNetworkWhoseEdgesChanged) {
  ASSERT_TRUE(update_network_layouts(c()));
  auto same = update_network_layouts(c());
  ASSERT_TRUE(same);
  EXPECT_FALSE((*same)[0].recomputed);
  EXPECT_FALSE((*same)[1].recomputed);
  EXPECT_EQ(count("select count(*) from network_layout_runs"), 2);

  ASSERT_TRUE(c().execute("insert into network_follower_edges values (13, 12)"));
  auto changed = update_network_layouts(c());
  ASSERT_TRUE(changed);
  EXPECT_FALSE((*changed)[0].recomputed);
  EXPECT_TRUE((*changed)[1].recomputed);
  EXPECT_EQ((*changed)[1].edges, 4U);
  EXPECT_EQ(count("select count(*) from network_layout_runs where network = 'followers'"), 2);
  EXPECT_EQ(count("select count(distinct edges_hash) from network_layout_runs where network = 'followers'"), 2);
  EXPECT_EQ(count("select count(*) from network_layouts where network = 'followers'"), 4);

  // A new node without edges changes the node set: laid out again, with a position for it.
  ASSERT_TRUE(c().execute("insert into network_stargazer_nodes values ('repo:3', 3, null)"));
  auto grown = update_network_layouts(c());
  ASSERT_TRUE(grown);
  EXPECT_TRUE((*grown)[0].recomputed);
  EXPECT_EQ(count("select count(*) from network_layouts where network = 'stargazers' and node_id = 'repo:3'"), 1);
}

TEST_F(NetworkLayoutsTest, TheSameDataGivesTheSamePositions) {
  ASSERT_TRUE(update_network_layouts(c()));
  ASSERT_TRUE(c().execute("create table first as select * from network_layouts; delete from network_layout_runs"));
  ASSERT_TRUE(update_network_layouts(c()));
  EXPECT_EQ(count("select count(*) from network_layouts join first using (network, node_id) "
                  "where network_layouts.x = first.x and network_layouts.y = first.y"),
            9);
}

TEST_F(NetworkLayoutsTest, AnEdgeToAMissingNodeIsAnErrorThatKeepsTheOldLayout) {
  ASSERT_TRUE(update_network_layouts(c()));
  ASSERT_TRUE(c().execute("insert into network_stargazer_edges values ('user:99', 'repo:1', 99, 1)"));
  auto r = update_network_layouts(c());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("the edge user:99 -> repo:1 in network_stargazer_edges names a node missing"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(count("select count(*) from network_layouts where network = 'stargazers'"), 5);
}

TEST_F(NetworkLayoutsTest, MissingMartsAreSkipped) {
  ASSERT_TRUE(c().execute("drop table network_follower_edges"));
  auto r = update_network_layouts(c());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE((*r)[0].recomputed);
  EXPECT_TRUE((*r)[1].missing_marts);
  EXPECT_EQ(count("select count(*) from network_layout_runs where network = 'followers'"), 0);
}

TEST_F(NetworkLayoutsTest, ATinyChangeTakesFewerStepsInProportionToItsNewNodes) {
  ASSERT_TRUE(c().execute(
      "delete from network_follower_nodes; delete from network_follower_edges;"
      "insert into network_follower_nodes select range from range(400);"
      "insert into network_follower_edges select range, (range // 20) * 20 + (range + 1) % 20 from range(400);"));
  ASSERT_TRUE(update_network_layouts(c()));
  // One new user of 401 (0.25%) and one new edge between old users: 10 steps.
  ASSERT_TRUE(
      c().execute("insert into network_follower_nodes values (400); insert into network_follower_edges "
                  "values (400, 0), (1, 300)"));
  auto tiny = update_network_layouts(c());
  ASSERT_TRUE(tiny) << tiny.error().message;
  EXPECT_TRUE((*tiny)[1].warm_started);
  EXPECT_EQ((*tiny)[1].iterations, 10);
  // Four more (1.2% of 405): steps in proportion, ceil(30 * 4 / 405 / 2%) = 15.
  ASSERT_TRUE(
      c().execute("insert into network_follower_nodes select range from range(401, 405);"
                  "insert into network_follower_edges select range, range % 20 from range(401, 405)"));
  auto small = update_network_layouts(c());
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_TRUE((*small)[1].warm_started);
  EXPECT_EQ((*small)[1].iterations, 15);
}

TEST_F(NetworkLayoutsTest, ASmallChangeContinuesFromThePreviousLayoutDeterministically) {
  // A follower network of 200 users in 10 rings of 20.
  ASSERT_TRUE(c().execute(
      "delete from network_follower_nodes; delete from network_follower_edges;"
      "insert into network_follower_nodes select range from range(200);"
      "insert into network_follower_edges select range, (range // 20) * 20 + (range + 1) % 20 from range(200);"));
  auto first = update_network_layouts(c());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE((*first)[1].warm_started);
  EXPECT_EQ((*first)[1].iterations, 500);
  ASSERT_TRUE(c().execute("create table laid as select * from network_layouts where network = 'followers'"));

  // Five new users joining ring 0, and one new edge: 200 of 205 nodes (98%) keep a position to start from.
  ASSERT_TRUE(
      c().execute("insert into network_follower_nodes select range from range(200, 205);"
                  "insert into network_follower_edges select range, range % 20 from range(200, 205);"
                  "insert into network_follower_edges values (0, 100)"));
  auto warm = update_network_layouts(c());
  ASSERT_TRUE(warm) << warm.error().message;
  EXPECT_FALSE((*warm)[0].recomputed);
  EXPECT_TRUE((*warm)[1].recomputed);
  EXPECT_TRUE((*warm)[1].warm_started);
  EXPECT_EQ((*warm)[1].iterations, 30);
  EXPECT_EQ(count("select count(*) from network_layouts where network = 'followers' and isfinite(x) and isfinite(y)"),
            205);
  // The old nodes moved little: the picture is the same one, settled, not a new one.
  EXPECT_EQ(count("with d as (select sqrt((a.x - b.x) ^ 2 + (a.y - b.y) ^ 2) as moved, "
                  "(select max(x) - min(x) from laid) as width from network_layouts a join laid b using (network, "
                  "node_id)) select count(*) from d where moved > 0.2 * width"),
            0);
  // The new users start beside ring 0 and stay there: nearer its nodes than the centre of the others.
  EXPECT_EQ(count("with ring as (select avg(x) as x, avg(y) as y from network_layouts where network = 'followers' "
                  "and cast(node_id as int) < 20), far as (select avg(x) as x, avg(y) as y from network_layouts "
                  "where network = 'followers' and cast(node_id as int) between 20 and 199), n as (select x, y "
                  "from network_layouts where network = 'followers' and cast(node_id as int) >= 200) "
                  "select count(*) from n, ring, far where (n.x - ring.x) ^ 2 + (n.y - ring.y) ^ 2 < "
                  "(n.x - far.x) ^ 2 + (n.y - far.y) ^ 2"),
            5);

  // The same previous layout and the same change give bit-identical positions.
  ASSERT_TRUE(
      c().execute("create table warm as select * from network_layouts where network = 'followers';"
                  "delete from network_layouts where network = 'followers';"
                  "insert into network_layouts select * from laid;"
                  "delete from network_layout_runs where network = 'followers' and iterations = 30"));
  auto again = update_network_layouts(c());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE((*again)[1].warm_started);
  EXPECT_EQ(count("select count(*) from network_layouts a join warm b using (network, node_id) "
                  "where a.x = b.x and a.y = b.y"),
            205);

  // A big change (a third of the nodes new) is laid out from scratch.
  ASSERT_TRUE(
      c().execute("insert into network_follower_nodes select range from range(205, 305);"
                  "insert into network_follower_edges select range, range - 100 from range(205, 305)"));
  auto big = update_network_layouts(c());
  ASSERT_TRUE(big) << big.error().message;
  EXPECT_FALSE((*big)[1].warm_started);
  EXPECT_EQ((*big)[1].iterations, 500);
}

}  // namespace
}  // namespace ampere::pipeline
