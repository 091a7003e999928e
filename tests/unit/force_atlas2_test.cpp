// ForceAtlas2 and its Barnes-Hut quadtree: determinism across runs and thread counts, the approximation
// against exact forces, what the layout does to a simple structure, and the degenerate graphs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"

namespace ampere::graph {
namespace {

/// A seeded random graph: `n` nodes, `m` edges (a few repeats and self-loops included, as real input has).
CompactGraph random_graph(size_t n, size_t m, uint64_t seed) {
  std::vector<Edge> edges;
  uint64_t state = seed;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (size_t e = 0; e < m; ++e) {
    edges.emplace_back(static_cast<NodeIndex>(next() % n), static_cast<NodeIndex>(next() % n));
  }
  return *CompactGraph::build(n, edges);
}

bool bit_identical(const Layout& a, const Layout& b) {
  return a.x.size() == b.x.size() && a.y.size() == b.y.size() &&
         std::memcmp(a.x.data(), b.x.data(), a.x.size() * sizeof(double)) == 0 &&
         std::memcmp(a.y.data(), b.y.data(), a.y.size() * sizeof(double)) == 0;
}

bool all_finite(const Layout& layout) {
  for (size_t i = 0; i < layout.x.size(); ++i) {
    if (!std::isfinite(layout.x[i]) || !std::isfinite(layout.y[i])) return false;
  }
  return true;
}

TEST(ForceAtlas2, SameSeedGivesBitIdenticalPositions) {
  const auto g = random_graph(3000, 9000, 1);
  ForceAtlas2Settings s;
  s.iterations = 30;
  s.seed = 11;
  const auto a = force_atlas2(g, s);
  const auto b = force_atlas2(g, s);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(bit_identical(*a, *b));
  EXPECT_TRUE(all_finite(*a));
  s.seed = 12;
  const auto c = force_atlas2(g, s);
  EXPECT_FALSE(bit_identical(*a, *c));
}

TEST(ForceAtlas2, ThreadCountDoesNotChangeABit) {
  const auto g = random_graph(5000, 15000, 2);
  for (const bool barnes_hut : {true, false}) {
    ForceAtlas2Settings s;
    s.iterations = barnes_hut ? 30 : 5;
    s.barnes_hut = barnes_hut;
    s.lin_log = true;
    s.outbound_attraction_distribution = true;
    s.threads = 1;
    const auto one = force_atlas2(g, s);
    s.threads = 2;
    const auto two = force_atlas2(g, s);
    s.threads = 7;
    const auto seven = force_atlas2(g, s);
    ASSERT_TRUE(one && two && seven);
    EXPECT_TRUE(bit_identical(*one, *two)) << "barnes_hut " << barnes_hut;
    EXPECT_TRUE(bit_identical(*one, *seven)) << "barnes_hut " << barnes_hut;
  }
}

/// Relative error of Barnes-Hut repulsion against exact: sum |F_bh - F_exact| / sum |F_exact|.
double repulsion_error(const CompactGraph& g, const Layout& start, double theta) {
  ForceAtlas2Settings exact_settings;
  exact_settings.barnes_hut = false;
  ForceAtlas2 exact(g, exact_settings, start);
  std::vector<double> ex, ey;
  exact.repulsion(ex, ey);
  ForceAtlas2Settings bh_settings;
  bh_settings.theta = theta;
  ForceAtlas2 approx(g, bh_settings, start);
  std::vector<double> bx, by;
  approx.repulsion(bx, by);
  double diff = 0, total = 0;
  for (size_t i = 0; i < ex.size(); ++i) {
    diff += std::hypot(bx[i] - ex[i], by[i] - ey[i]);
    total += std::hypot(ex[i], ey[i]);
  }
  return diff / total;
}

TEST(BarnesHut, RepulsionIsCloseToTheExactForces) {
  const auto g = random_graph(800, 2000, 3);
  const auto start = random_layout(g.node_count(), 5);
  // theta 0 opens every cell: exact up to the order of summation.
  EXPECT_LT(repulsion_error(g, start, 0.0), 1e-12);
  // Measured: 0.0015 at theta 0.5, 0.012 at 1.2 (Gephi's default).
  EXPECT_LT(repulsion_error(g, start, 0.5), 0.005);
  EXPECT_LT(repulsion_error(g, start, 1.2), 0.03);
  // And a coarser approximation is indeed coarser (the tree is not secretly exact).
  EXPECT_GT(repulsion_error(g, start, 1.2), repulsion_error(g, start, 0.5));
}

TEST(BarnesHut, ClusteredPointsStayAccurate) {
  // Most points in one tight clump far from a few others: deep tree, very uneven cells.
  const auto g = random_graph(600, 600, 4);
  Layout start = random_layout(g.node_count(), 6);
  for (size_t i = 0; i < 550; ++i) {
    start.x[i] = 1000 + start.x[i] * 1e-3;
    start.y[i] = -500 + start.y[i] * 1e-3;
  }
  EXPECT_LT(repulsion_error(g, start, 0.5), 0.01);
}

/// Two cliques of `size` nodes, nodes 0..size-1 and size..2*size-1, joined by one edge.
CompactGraph two_cliques(NodeIndex size) {
  std::vector<Edge> edges;
  for (NodeIndex base : {NodeIndex{0}, size}) {
    for (NodeIndex a = 0; a < size; ++a) {
      for (NodeIndex b = a + 1; b < size; ++b) edges.emplace_back(base + a, base + b);
    }
  }
  edges.emplace_back(0, size);
  return *CompactGraph::build(2 * size, edges);
}

TEST(ForceAtlas2, TwoCliquesJoinedByOneEdgeEndUpApart) {
  constexpr NodeIndex kSize = 25;
  const auto g = two_cliques(kSize);
  for (const bool barnes_hut : {true, false}) {
    ForceAtlas2Settings s;
    s.iterations = 300;
    s.barnes_hut = barnes_hut;
    const auto layout = force_atlas2(g, s);
    ASSERT_TRUE(layout);
    ASSERT_TRUE(all_finite(*layout));
    double cx[2] = {0, 0}, cy[2] = {0, 0};
    for (NodeIndex i = 0; i < 2 * kSize; ++i) {
      cx[i / kSize] += layout->x[i] / kSize;
      cy[i / kSize] += layout->y[i] / kSize;
    }
    const double between = std::hypot(cx[0] - cx[1], cy[0] - cy[1]);
    double within = 0;  // mean distance of a node to its own clique's centre
    for (NodeIndex i = 0; i < 2 * kSize; ++i) {
      within += std::hypot(layout->x[i] - cx[i / kSize], layout->y[i] - cy[i / kSize]) / (2 * kSize);
    }
    EXPECT_GT(between, 3 * within) << "barnes_hut " << barnes_hut << ": between " << between << ", within " << within;
    // Every node is nearer its own clique's centre than the other's.
    for (NodeIndex i = 0; i < 2 * kSize; ++i) {
      const int own = static_cast<int>(i / kSize);
      EXPECT_LT(std::hypot(layout->x[i] - cx[own], layout->y[i] - cy[own]),
                std::hypot(layout->x[i] - cx[1 - own], layout->y[i] - cy[1 - own]))
          << "node " << i;
    }
  }
}

TEST(ForceAtlas2, EmptyGraphGivesAnEmptyLayout) {
  const auto g = *CompactGraph::build(0, {});
  const auto layout = force_atlas2(g, ForceAtlas2Settings{});
  ASSERT_TRUE(layout);
  EXPECT_TRUE(layout->x.empty());
  EXPECT_TRUE(layout->y.empty());
}

TEST(ForceAtlas2, OneNodeStaysFinite) {
  const auto g = *CompactGraph::build(1, {});
  for (const bool strong : {false, true}) {
    ForceAtlas2Settings s;
    s.strong_gravity = strong;
    const auto layout = force_atlas2(g, s);
    ASSERT_TRUE(layout);
    ASSERT_EQ(layout->x.size(), 1U);
    EXPECT_TRUE(all_finite(*layout));
    // Gravity pulls it towards the origin from wherever it started.
    const auto start = random_layout(1, s.seed);
    EXPECT_LT(std::hypot(layout->x[0], layout->y[0]), std::hypot(start.x[0], start.y[0]));
  }
}

TEST(ForceAtlas2, DisconnectedComponentsStayFiniteAndBounded) {
  // Ten separate paths of five nodes and twenty isolated nodes.
  std::vector<Edge> edges;
  for (NodeIndex c = 0; c < 10; ++c) {
    for (NodeIndex k = 0; k < 4; ++k) edges.emplace_back(c * 5 + k, c * 5 + k + 1);
  }
  const auto g = *CompactGraph::build(70, edges);
  for (const bool lin_log : {false, true}) {
    ForceAtlas2Settings s;
    s.iterations = 500;
    s.lin_log = lin_log;
    s.barnes_hut = lin_log;  // both repulsion paths
    const auto layout = force_atlas2(g, s);
    ASSERT_TRUE(layout);
    ASSERT_TRUE(all_finite(*layout));
    for (size_t i = 0; i < 70; ++i) EXPECT_LT(std::hypot(layout->x[i], layout->y[i]), 1000.0) << i;
  }
}

TEST(ForceAtlas2, CoincidentNodesDoNotProduceNaN) {
  // Every node starts on the same point: zero distances everywhere.
  const auto g = random_graph(200, 400, 9);
  Layout start;
  start.x.assign(200, 3.0);
  start.y.assign(200, -4.0);
  for (const bool barnes_hut : {true, false}) {
    ForceAtlas2Settings s;
    s.barnes_hut = barnes_hut;
    ForceAtlas2 layout(g, s, start);
    for (int i = 0; i < 50; ++i) layout.step();
    EXPECT_TRUE(all_finite(layout.layout()));
    EXPECT_TRUE(std::isfinite(layout.speed()));
  }
}

TEST(ForceAtlas2, SettingsOutOfRangeAreRefusedByName) {
  ForceAtlas2Settings s;
  s.theta = -1;
  auto r = validate(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "ForceAtlas2 setting theta must be 0 or more (0 is exact)");
  s = {};
  s.scaling_ratio = 0;
  EXPECT_FALSE(validate(s));
  s = {};
  s.iterations = -5;
  EXPECT_FALSE(force_atlas2(*CompactGraph::build(0, {}), s));
  EXPECT_TRUE(validate(ForceAtlas2Settings{}));
}

}  // namespace
}  // namespace ampere::graph
