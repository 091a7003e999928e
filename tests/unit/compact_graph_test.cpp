// The CSR graph: neighbours, merged repeats, dropped self-loops, and bad edges.
#include <gtest/gtest.h>

#include <vector>

#include "graph/compact_graph.hpp"

namespace ampere::graph {
namespace {

TEST(CompactGraph, HoldsBothDirectionsSortedWithRepeatsAsWeights) {
  // 0-1 twice (once each way), 1-2, 2-2 (self-loop, dropped), node 3 alone.
  const std::vector<Edge> edges = {{0, 1}, {2, 1}, {1, 0}, {2, 2}};
  auto g = CompactGraph::build(4, edges);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->node_count(), 4U);
  EXPECT_EQ(g->edge_count(), 2U);
  EXPECT_EQ(g->offsets(), (std::vector<uint64_t>{0, 1, 3, 4, 4}));
  EXPECT_EQ(g->neighbours(), (std::vector<NodeIndex>{1, 0, 2, 1}));
  EXPECT_EQ(g->weights(), (std::vector<float>{2, 2, 1, 1}));
  EXPECT_EQ(g->degree(0), 2.0);
  EXPECT_EQ(g->degree(1), 3.0);
  EXPECT_EQ(g->degree(2), 1.0);
  EXPECT_EQ(g->degree(3), 0.0);
}

TEST(CompactGraph, EmptyGraph) {
  auto g = CompactGraph::build(0, {});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->node_count(), 0U);
  EXPECT_EQ(g->edge_count(), 0U);
}

TEST(CompactGraph, AnEdgeToAMissingNodeIsAnError) {
  const std::vector<Edge> edges = {{0, 1}, {1, 5}};
  auto g = CompactGraph::build(3, edges);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(g.error().message, "edge 1 (1 -> 5) names a node outside 0..2");
}

}  // namespace
}  // namespace ampere::graph
