#pragma once
// An undirected graph in compressed sparse row form: the neighbours of node i are
// neighbours()[offsets()[i] .. offsets()[i + 1]), each with the weight of the edge (how many input edges
// joined the two nodes). Built once from an edge list; what a layout iterates over millions of times.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace ampere::graph {

/// Index of a node: 0 .. node_count() - 1.
using NodeIndex = uint32_t;

/// One input edge between two node indexes (direction is ignored).
using Edge = std::pair<NodeIndex, NodeIndex>;

/// An undirected, weighted graph in CSR form. Self-loops are dropped; repeated edges (a->b twice, or a->b
/// and b->a) become one neighbour entry per side whose weight counts them.
class CompactGraph {
 public:
  /// An empty graph (no nodes).
  CompactGraph() = default;

  /// Builds the graph of `node_count` nodes from `edges`. An error names the first edge whose endpoint is
  /// not below node_count.
  static Expected<CompactGraph> build(size_t node_count, std::span<const Edge> edges);

  /// How many nodes.
  [[nodiscard]] size_t node_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  /// How many distinct undirected edges (each counted once, whatever its weight).
  [[nodiscard]] size_t edge_count() const { return neighbours_.size() / 2; }
  /// Start of each node's neighbour range; node_count() + 1 entries.
  [[nodiscard]] const std::vector<uint64_t>& offsets() const { return offsets_; }
  /// Neighbour indexes, grouped by node, ascending within a node.
  [[nodiscard]] const std::vector<NodeIndex>& neighbours() const { return neighbours_; }
  /// The weight of each neighbour entry (parallel to neighbours()).
  [[nodiscard]] const std::vector<float>& weights() const { return weights_; }
  /// Weighted degree of node i: the sum of its neighbour entries' weights.
  [[nodiscard]] double degree(NodeIndex i) const { return degrees_[i]; }

 private:
  std::vector<uint64_t> offsets_;
  std::vector<NodeIndex> neighbours_;
  std::vector<float> weights_;
  std::vector<double> degrees_;
};

}  // namespace ampere::graph
