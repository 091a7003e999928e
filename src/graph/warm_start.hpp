#pragma once
// Where ForceAtlas2 starts when a network changed a little since its last layout: the nodes it had keep
// their positions, and a new node starts beside the neighbours it has there. A few steps then settle the
// new nodes and the neighbourhoods they joined, instead of laying out the whole network from scratch.

#include <cstdint>
#include <vector>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"

namespace ampere::graph {

/// Starting positions for `graph` from a previous layout: node i keeps (previous.x[i], previous.y[i]) when
/// known[i]. A new node is placed at the mean of its placed neighbours (new nodes are placed in rounds, in
/// index order, so a chain of new nodes grows out of the known ones), nudged by a seeded offset of about
/// a tenth of the mean distance between known nodes, so that new nodes never share a spot; a new node
/// with no placed neighbour gets a seeded random spot within the known nodes' extent. The same inputs
/// always give the same positions. `previous` and `known` have one entry per node of `graph`.
Layout warm_start(const CompactGraph& graph, const Layout& previous, const std::vector<bool>& known, uint64_t seed);

}  // namespace ampere::graph
