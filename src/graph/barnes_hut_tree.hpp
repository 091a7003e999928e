#pragma once
// A Barnes-Hut quadtree over weighted points, for ForceAtlas2's repulsion: a far group of points acts as
// one point at its centre of mass. Built each step by sorting the points along a Morton (Z-order) curve,
// so that every cell is a contiguous range of the sorted points and the cells are stored in depth-first
// order: a cell's first child is the next cell and `skip` jumps over its subtree, so the walk needs no
// stack. Leaves hold up to a few points; each leaf walks the tree once for all its points (its interaction
// list), then sums that list for each of them. Flat arrays reused from one build to the next: no
// allocation per point or per step once they have grown.

#include <cstdint>
#include <span>
#include <vector>

#include "graph/compact_graph.hpp"

namespace ampere::graph {

/// The quadtree. build() it over the current positions, then ask repulsion() for every point.
class BarnesHutTree {
 public:
  /// Rebuilds the tree over points (x[i], y[i]) with masses mass[i] > 0. A cell whose size (the larger
  /// side of its points' bounding box) is less than `theta` times its distance to a point acts on that
  /// point as a whole; theta 0 opens every cell, which is exact. The spans must stay valid until the next
  /// build.
  void build(std::span<const double> x, std::span<const double> y, std::span<const double> mass, double theta);

  /// Sets (fx[i], fy[i]) to the repulsion that every other point exerts on point i: the sum over j of
  /// k * mass_i * mass_j / d along the vector from j to i (coincident points exert none). Runs on
  /// `threads` threads (0: one per core); the result does not depend on how many.
  void repulsion(double k, std::span<double> fx, std::span<double> fy, unsigned threads) const;

  /// The points in Z-order: neighbours in space are mostly neighbours in this order.
  [[nodiscard]] const std::vector<NodeIndex>& spatial_order() const { return index_; }

 private:
  /// A cell: its points are sorted positions [begin, end); its subtree ends before cell `skip`.
  struct Cell {
    double x, y, mass;  ///< centre of mass and total mass
    double far2;        ///< (size / theta)^2: beyond this squared distance the cell acts as one point
    uint32_t begin, end, skip;
    uint32_t leaf;  ///< 1 for a leaf (its points are summed one by one when it is near)
  };
  /// The bounding box of a cell's points.
  struct Box {
    double x0, y0, x1, y1;
  };
  /// What a leaf's points interact with: positions and masses (struct of arrays, for the inner loop).
  struct Interactions {
    std::vector<double> x, y, mass;
  };

  void sort_points(std::span<const double> x, std::span<const double> y, std::span<const double> mass);
  uint32_t build_cell(uint32_t begin, uint32_t end, int level);
  void collect(uint32_t leaf, Interactions& list) const;

  double theta2_ = 0;
  std::vector<uint64_t> codes_, codes_scratch_;
  std::vector<NodeIndex> index_, index_scratch_;
  std::vector<double> px_, py_, pm_;  ///< positions and masses in sorted order
  std::vector<Cell> cells_;
  std::vector<Box> boxes_;
  std::vector<uint32_t> leaves_;
};

}  // namespace ampere::graph
