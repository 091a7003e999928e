// Continuing a layout after a small change (graph/warm_start): where new nodes start, determinism, and the
// quality after the few steps a build runs, against laying the changed graph out from scratch.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"
#include "graph/layout_quality.hpp"
#include "graph/splitmix64.hpp"
#include "graph/warm_start.hpp"

namespace ampere::graph {
namespace {

/// splitmix64, for a seeded graph.
struct Random {
  uint64_t state;
  uint64_t next() { return next_random(state); }
  NodeIndex below(size_t n) { return static_cast<NodeIndex>(next() % n); }
};

/// `nodes` nodes in 20 communities: 4 edges per node inside its community, 1 in 5 nodes with one outside.
std::vector<Edge> communities(size_t nodes, Random& random) {
  std::vector<Edge> edges;
  const size_t size = nodes / 20;
  for (size_t i = 0; i < nodes; ++i) {
    const size_t community = i / size;
    for (int k = 0; k < 4; ++k) {
      edges.emplace_back(static_cast<NodeIndex>(i), static_cast<NodeIndex>(community * size + random.below(size)));
    }
    if (i % 5 == 0) edges.emplace_back(static_cast<NodeIndex>(i), random.below(nodes));
  }
  return edges;
}

ForceAtlas2Settings settings(int iterations) {
  ForceAtlas2Settings s;
  s.iterations = iterations;
  s.barnes_hut = true;
  return s;
}

Layout run(const CompactGraph& g, const ForceAtlas2Settings& s, Layout start) {
  ForceAtlas2 layout(g, s, std::move(start));
  for (int i = 0; i < s.iterations; ++i) layout.step();
  return layout.layout();
}

// The layout of the first `before_nodes` nodes, grown to `after_nodes` (new nodes at 0, not known): what
// the build passes to warm_start after a sync added nodes.
std::pair<Layout, std::vector<bool>> grown(const Layout& laid, size_t before_nodes, size_t after_nodes) {
  Layout previous = laid;
  previous.x.resize(after_nodes, 0.0);
  previous.y.resize(after_nodes, 0.0);
  std::vector<bool> known(after_nodes, false);
  for (size_t i = 0; i < before_nodes; ++i) known[i] = true;
  return {std::move(previous), std::move(known)};
}

// A warm-started layout is as good as a full one: neighbourhoods within 10%, edge lengths within 20%.
void expect_as_good_as(const LayoutQuality& warm, const LayoutQuality& cold) {
  EXPECT_GE(warm.neighbourhood_preservation, 0.9 * cold.neighbourhood_preservation)
      << warm.neighbourhood_preservation << " vs " << cold.neighbourhood_preservation;
  EXPECT_LE(warm.edge_length_ratio, 1.2 * cold.edge_length_ratio)
      << warm.edge_length_ratio << " vs " << cold.edge_length_ratio;
  EXPECT_LE(warm.edge_length_stress, 1.2 * cold.edge_length_stress)
      << warm.edge_length_stress << " vs " << cold.edge_length_stress;
}

TEST(WarmStart, KnownNodesKeepTheirPositionsAndNewOnesStartBesideTheirNeighbours) {
  // 0-1-2 known; 3 hangs off 2; 4 hangs off 3 (placed in a second round); 5 has no edge.
  const auto g = *CompactGraph::build(6, std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}, {3, 4}});
  Layout previous{{0.0, 10.0, 20.0, 0.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 0.0, 0.0, 0.0}};
  const std::vector<bool> known{true, true, true, false, false, false};
  const auto start = warm_start(g, previous, known, 1);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(start.x[i], previous.x[i]);
    EXPECT_EQ(start.y[i], previous.y[i]);
  }
  // Near node 2 (within the nudge, a fraction of the known nodes' spacing), then node 4 near node 3.
  EXPECT_LT(std::hypot(start.x[3] - 20.0, start.y[3]), 5.0);
  EXPECT_GT(std::hypot(start.x[3] - 20.0, start.y[3]), 0.0);
  EXPECT_LT(std::hypot(start.x[4] - start.x[3], start.y[4] - start.y[3]), 5.0);
  EXPECT_GE(start.x[5], 0.0);
  EXPECT_LE(start.x[5], 20.0);
  EXPECT_EQ(start.y[5], 0.0);  // the known extent has no height
  // The same inputs, the same start.
  const auto again = warm_start(g, previous, known, 1);
  EXPECT_EQ(again.x, start.x);
  EXPECT_EQ(again.y, start.y);
}

TEST(WarmStart, AFewStepsAfterASmallChangeKeepTheQualityOfAFullLayout) {
  Random random{42};
  const size_t before_nodes = 2000, after_nodes = 2040;  // 2% new nodes
  auto edges = communities(before_nodes, random);
  const auto before = *CompactGraph::build(before_nodes, edges);
  const auto laid = *force_atlas2(before, settings(500));

  // 40 new nodes, each joining a community with 3 edges; 100 new edges between old nodes.
  for (size_t i = before_nodes; i < after_nodes; ++i) {
    const size_t community = random.below(20);
    for (int k = 0; k < 3; ++k) {
      edges.emplace_back(static_cast<NodeIndex>(i), static_cast<NodeIndex>(community * 100 + random.below(100)));
    }
  }
  for (int k = 0; k < 100; ++k) edges.emplace_back(random.below(before_nodes), random.below(before_nodes));
  const auto after = *CompactGraph::build(after_nodes, edges);

  const auto [previous, known] = grown(laid, before_nodes, after_nodes);
  const auto warm = run(after, settings(30), warm_start(after, previous, known, 1));
  const auto cold = *force_atlas2(after, settings(500));

  const auto warm_quality = measure_layout(after, warm);
  const auto cold_quality = measure_layout(after, cold);
  const auto start_quality = measure_layout(after, warm_start(after, previous, known, 1));
  expect_as_good_as(warm_quality, cold_quality);
  // The steps did settle something: the new edges' lengths even out with the others'.
  EXPECT_LT(warm_quality.edge_length_stress, start_quality.edge_length_stress)
      << warm_quality.edge_length_stress << " vs " << start_quality.edge_length_stress;

  // Deterministic: the same previous layout and change give bit-identical positions.
  const auto warm_again = run(after, settings(30), warm_start(after, previous, known, 1));
  EXPECT_EQ(warm_again.x, warm.x);
  EXPECT_EQ(warm_again.y, warm.y);
}

TEST(WarmStart, TenStepsAfterATinyChangeKeepTheQualityOfAFullLayout) {
  Random random{7};
  const size_t before_nodes = 2000, after_nodes = 2002;  // 0.1% new nodes: what a six-hourly sync brings
  auto edges = communities(before_nodes, random);
  const auto before = *CompactGraph::build(before_nodes, edges);
  const auto laid = *force_atlas2(before, settings(500));
  for (size_t i = before_nodes; i < after_nodes; ++i) {
    for (int k = 0; k < 3; ++k) edges.emplace_back(static_cast<NodeIndex>(i), random.below(100));
  }
  for (int k = 0; k < 20; ++k) edges.emplace_back(random.below(before_nodes), random.below(before_nodes));
  const auto after = *CompactGraph::build(after_nodes, edges);
  const auto [previous, known] = grown(laid, before_nodes, after_nodes);

  const auto warm = run(after, settings(10), warm_start(after, previous, known, 1));
  const auto cold = *force_atlas2(after, settings(500));
  const auto warm_quality = measure_layout(after, warm);
  const auto cold_quality = measure_layout(after, cold);
  expect_as_good_as(warm_quality, cold_quality);
}

}  // namespace
}  // namespace ampere::graph
