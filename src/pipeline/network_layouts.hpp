#pragma once
// The positions of the dashboard's two networks, computed after a build (ForceAtlas2, graph/) and kept
// in the warehouse so that pages load them instead of computing them: `network_layouts` (one row per
// node) and `network_layout_runs` (one row per computation), as docs/contracts.md describes. A network
// is laid out again only when the hash of its node and edge sets (and of the layout's settings) changed:
// from scratch the first time or after a big change, else continued from its previous layout for a few
// steps (graph/warm_start), which is what a build after a small sync does.

#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"

namespace ampere::pipeline {

/// What happened to one network.
struct NetworkLayoutReport {
  std::string network;         ///< "stargazers" or "followers"
  size_t nodes = 0;            ///< nodes in the network's mart
  size_t edges = 0;            ///< edge rows in the network's mart
  bool recomputed = false;     ///< false: the sets were unchanged and the stored layout stands
  bool missing_marts = false;  ///< the network's marts are not built yet: nothing was done
  bool warm_started = false;   ///< continued from the previous layout (new nodes beside their neighbours)
  int iterations = 0;          ///< ForceAtlas2 steps run (0 when not recomputed)
  double seconds = 0;          ///< time spent laying out (reading and writing included)
};

/// Lays out the stargazer network (network_stargazer_nodes, network_stargazer_edges user -> repo) and the
/// follower network (network_follower_nodes, network_follower_edges) of the warehouse behind `connection`
/// when their node or edge sets changed since the last layout, and writes the positions. An error when
/// an edge names a node that is not in the nodes mart, or the warehouse refuses a write (the previous
/// layout then stands: each network is replaced in one transaction). A build lays the networks out one
/// by one instead (update_network_layout), each as soon as its marts are built.
Expected<std::vector<NetworkLayoutReport>> update_network_layouts(db::Connection& connection);

/// A network and the two marts it is laid out from.
struct NetworkMarts {
  std::string network;
  std::string nodes;
  std::string edges;
};
std::vector<NetworkMarts> network_marts();

/// Creates network_layouts and network_layout_runs when missing: before laying networks out one by one
/// (update_network_layout), on connections that would otherwise both create them.
Expected<void> create_layout_tables(db::Connection& connection);

/// Lays out one network of network_marts() as update_network_layouts does; the tables must exist. Two
/// networks may be laid out at once, on two connections of the warehouse.
Expected<NetworkLayoutReport> update_network_layout(db::Connection& connection, std::string_view network);

}  // namespace ampere::pipeline
