// The layout quality measures the benchmark compares programs with.
#include <gtest/gtest.h>

#include <vector>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"
#include "graph/layout_quality.hpp"

namespace ampere::graph {
namespace {

CompactGraph path(NodeIndex n) {
  std::vector<Edge> edges;
  for (NodeIndex i = 0; i + 1 < n; ++i) edges.emplace_back(i, i + 1);
  return *CompactGraph::build(n, edges);
}

TEST(LayoutQuality, APathOnALineIsPerfect) {
  const auto g = path(50);
  Layout line;
  for (int i = 0; i < 50; ++i) {
    line.x.push_back(2.0 * i);
    line.y.push_back(0.0);
  }
  const auto q = measure_layout(g, line);
  EXPECT_EQ(q.sampled_nodes, 50U);
  // Every inner node's 2 nearest nodes are its neighbours; the ends' nearest is theirs.
  EXPECT_DOUBLE_EQ(q.neighbourhood_preservation, 1.0);
  EXPECT_NEAR(q.edge_length_stress, 0.0, 1e-12);
  // Edges are 2 long; random pairs are about 2 * 50 / 3 apart.
  EXPECT_NEAR(q.edge_length_ratio, 2.0 / (2.0 * 51.0 / 3.0), 0.01);
}

TEST(LayoutQuality, ALaidOutGraphBeatsItsRandomStart) {
  std::vector<Edge> edges;
  for (NodeIndex c = 0; c < 20; ++c) {
    for (NodeIndex a = 0; a < 10; ++a) {
      for (NodeIndex b = a + 1; b < 10; ++b) edges.emplace_back(c * 10 + a, c * 10 + b);
    }
    edges.emplace_back(c * 10, ((c + 1) % 20) * 10);
  }
  const auto g = *CompactGraph::build(200, edges);
  const auto start = random_layout(200, 3);
  ForceAtlas2Settings s;
  s.iterations = 300;
  const auto laid = force_atlas2(g, s);
  const auto before = measure_layout(g, start);
  const auto after = measure_layout(g, *laid);
  EXPECT_LT(before.neighbourhood_preservation, 0.2);
  EXPECT_GT(after.neighbourhood_preservation, 0.7);
  EXPECT_LT(after.edge_length_ratio, before.edge_length_ratio / 3);
}

TEST(LayoutQuality, LargeGraphsAreSampled) {
  const auto g = path(5000);
  const auto q = measure_layout(g, random_layout(5000, 1), 300);
  EXPECT_EQ(q.sampled_nodes, 300U);
}

}  // namespace
}  // namespace ampere::graph
