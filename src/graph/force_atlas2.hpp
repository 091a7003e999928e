#pragma once
// ForceAtlas2 (Jacomy, Venturini, Heymann, Bastian 2014, PLoS ONE 9(6): e98679), as Gephi implements it:
// nodes repel each other in proportion to (degree + 1) of both, edges attract, gravity pulls towards the
// origin, and a global speed adapts to how much the nodes swing (change direction) versus how much they
// travel usefully (traction), with each node slowed further by its own swinging. Repulsion uses a
// Barnes-Hut quadtree (theta configurable) or, for small graphs and tests, exact pairwise forces.
//
// Seeded and deterministic: the same graph, settings and seed give bit-identical positions on any number
// of threads (every node's force is summed in a fixed order, and global sums run in node order).

#include <cstdint>
#include <vector>

#include "graph/barnes_hut_tree.hpp"
#include "graph/compact_graph.hpp"
#include "util/error.hpp"

namespace ampere::graph {

/// Node positions: x[i], y[i] for node i.
struct Layout {
  std::vector<double> x;
  std::vector<double> y;
};

/// ForceAtlas2's parameters. Defaults are Gephi's for graphs of 100 nodes or more.
struct ForceAtlas2Settings {
  int iterations = 100;                           ///< force_atlas2() runs this many steps
  uint64_t seed = 1;                              ///< seeds the random initial positions
  double scaling_ratio = 2.0;                     ///< k_r: repulsion strength (larger spreads the graph)
  double gravity = 1.0;                           ///< k_g: pull towards the origin (keeps components together)
  bool strong_gravity = false;                    ///< gravity grows with distance instead of being constant
  bool lin_log = false;                           ///< attraction log(1 + d) instead of d: tighter clusters
  bool outbound_attraction_distribution = false;  ///< divide attraction by degree + 1: hubs to the borders
  double jitter_tolerance = 1.0;                  ///< how much swinging the speed tolerates
  bool barnes_hut = true;                         ///< approximate repulsion with the quadtree (else exact)
  double theta = 1.2;                             ///< Barnes-Hut: a cell acts as one when width < theta * distance
  unsigned threads = 0;                           ///< 0: one per core; never changes the result
};

/// An error naming the first setting out of range (negative strengths, theta, iterations).
Expected<void> validate(const ForceAtlas2Settings& settings);

/// Seeded random positions in a square whose side grows with the square root of the node count.
Layout random_layout(size_t node_count, uint64_t seed);

/// Runs ForceAtlas2 step by step from a given layout.
class ForceAtlas2 {
 public:
  /// Starts from `start` (one position per node of `graph`). `graph` must outlive the object; the
  /// settings must pass validate().
  ForceAtlas2(const CompactGraph& graph, const ForceAtlas2Settings& settings, Layout start);

  /// One iteration: forces, speed adaptation, displacement.
  void step();

  /// The current positions.
  [[nodiscard]] const Layout& layout() const { return layout_; }
  /// The current global speed.
  [[nodiscard]] double speed() const { return speed_; }

  /// The repulsion on every node at the current positions (Barnes-Hut or exact, as the settings say),
  /// without moving anything: for tests of the approximation.
  void repulsion(std::vector<double>& fx, std::vector<double>& fy);

 private:
  void compute_forces(bool repulsion_only);
  void adapt_speed();
  void move();

  const CompactGraph& graph_;
  ForceAtlas2Settings settings_;
  Layout layout_;
  std::vector<double> mass_;
  std::vector<double> dx_, dy_, old_dx_, old_dy_;
  std::vector<double> xy_;  ///< positions interleaved, for the attraction loop
  double outbound_compensation_ = 1.0;
  double speed_ = 1.0;
  double speed_efficiency_ = 1.0;
  BarnesHutTree tree_;
};

/// Lays out `graph` with settings.iterations steps of ForceAtlas2 from random_layout(n, settings.seed).
Expected<Layout> force_atlas2(const CompactGraph& graph, const ForceAtlas2Settings& settings);

}  // namespace ampere::graph
