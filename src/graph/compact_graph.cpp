#include "graph/compact_graph.hpp"

#include <algorithm>
#include <string>

namespace ampere::graph {

Expected<CompactGraph> CompactGraph::build(size_t node_count, std::span<const Edge> edges) {
  if (node_count >= UINT32_MAX) {
    return fail(ErrorKind::invalid_input,
                "a graph of " + std::to_string(node_count) + " nodes is too large: at most 4294967294 are supported");
  }
  // Count both directions of every edge, then place them (counting sort by source node).
  std::vector<uint64_t> counts(node_count + 1, 0);
  for (size_t e = 0; e < edges.size(); ++e) {
    const auto [a, b] = edges[e];
    if (a >= node_count || b >= node_count) {
      return fail(ErrorKind::invalid_input, "edge " + std::to_string(e) + " (" + std::to_string(a) + " -> " +
                                                std::to_string(b) + ") names a node outside 0.." +
                                                std::to_string(node_count == 0 ? 0 : node_count - 1));
    }
    if (a == b) continue;
    ++counts[a + 1];
    ++counts[b + 1];
  }
  for (size_t i = 0; i < node_count; ++i) counts[i + 1] += counts[i];
  std::vector<NodeIndex> all(counts[node_count]);
  std::vector<uint64_t> fill(counts.begin(), counts.end() - 1);
  for (const auto& [a, b] : edges) {
    if (a == b) continue;
    all[fill[a]++] = b;
    all[fill[b]++] = a;
  }

  // Sort each node's range and merge repeats into weights.
  CompactGraph g;
  g.offsets_.assign(node_count + 1, 0);
  g.degrees_.assign(node_count, 0.0);
  g.neighbours_.reserve(all.size());
  g.weights_.reserve(all.size());
  for (size_t i = 0; i < node_count; ++i) {
    const auto begin = all.begin() + static_cast<std::ptrdiff_t>(counts[i]);
    const auto end = all.begin() + static_cast<std::ptrdiff_t>(counts[i + 1]);
    std::sort(begin, end);
    for (auto it = begin; it != end; ++it) {
      if (!g.neighbours_.empty() && g.neighbours_.size() > g.offsets_[i] && g.neighbours_.back() == *it) {
        g.weights_.back() += 1.0F;
      } else {
        g.neighbours_.push_back(*it);
        g.weights_.push_back(1.0F);
      }
    }
    g.degrees_[i] = static_cast<double>(counts[i + 1] - counts[i]);
    g.offsets_[i + 1] = g.neighbours_.size();
  }
  return g;
}

}  // namespace ampere::graph
