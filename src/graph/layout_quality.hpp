#pragma once
// How good a layout is, measured the same way whichever program computed it (bench/graph_compare runs
// ours, networkx's and graphology's on the same graph and scores all three with this).

#include <cstdint>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"

namespace ampere::graph {

/// Scale-free quality measures of a layout of a graph.
struct LayoutQuality {
  /// Mean over nodes of |graph neighbours ∩ the deg(i) nearest nodes in the layout| / deg(i): 1 when every
  /// node's nearest nodes are exactly its neighbours. Higher is better.
  double neighbourhood_preservation = 0;
  /// Mean over edges of (s * length - 1)^2, with s the scale that minimizes it: 0 when all edges are equally
  /// long. Lower is better.
  double edge_length_stress = 0;
  /// Mean edge length over the mean distance between random pairs of nodes: how much closer neighbours
  /// are than strangers. Lower is better.
  double edge_length_ratio = 0;
  /// How many nodes neighbourhood_preservation was measured on (all, or a seeded sample of large graphs).
  size_t sampled_nodes = 0;
};

/// Scores `layout` (one position per node of `graph`). Neighbourhood preservation is measured on every
/// node with an edge when there are at most `max_sample` of them, else on a sample of `max_sample` drawn
/// with `seed`.
LayoutQuality measure_layout(const CompactGraph& graph, const Layout& layout, size_t max_sample = 2000,
                             uint64_t seed = 7);

}  // namespace ampere::graph
