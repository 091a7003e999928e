#include "graph/warm_start.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "graph/splitmix64.hpp"

namespace ampere::graph {

Layout warm_start(const CompactGraph& graph, const Layout& previous, const std::vector<bool>& known, uint64_t seed) {
  const size_t n = graph.node_count();
  Layout layout;
  layout.x.assign(n, 0.0);
  layout.y.assign(n, 0.0);
  std::vector<bool> placed(n, false);
  double x0 = std::numeric_limits<double>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
  size_t known_count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!known[i]) continue;
    layout.x[i] = previous.x[i];
    layout.y[i] = previous.y[i];
    placed[i] = true;
    ++known_count;
    x0 = std::min(x0, previous.x[i]);
    x1 = std::max(x1, previous.x[i]);
    y0 = std::min(y0, previous.y[i]);
    y1 = std::max(y1, previous.y[i]);
  }
  if (known_count == 0) return random_layout(n, seed);
  // About the distance between neighbouring known nodes, were they spread evenly over their extent.
  const double spacing =
      std::max(std::sqrt(std::max(x1 - x0, 1.0) * std::max(y1 - y0, 1.0) / static_cast<double>(known_count)), 1e-6);
  uint64_t state = seed;
  const auto& offsets = graph.offsets();
  const auto& neighbours = graph.neighbours();
  // Rounds: each places the new nodes with a neighbour placed in an earlier round.
  std::vector<NodeIndex> waiting;
  for (size_t i = 0; i < n; ++i) {
    if (!placed[i]) waiting.push_back(static_cast<NodeIndex>(i));
  }
  while (!waiting.empty()) {
    std::vector<NodeIndex> now_placed, still_waiting;
    std::vector<double> nx, ny;
    for (const NodeIndex i : waiting) {
      double sx = 0, sy = 0;
      size_t count = 0;
      for (uint64_t e = offsets[i]; e < offsets[i + 1]; ++e) {
        if (!placed[neighbours[e]]) continue;
        sx += layout.x[neighbours[e]];
        sy += layout.y[neighbours[e]];
        ++count;
      }
      if (count == 0) {
        still_waiting.push_back(i);
        continue;
      }
      const double angle = 2.0 * std::numbers::pi * unit_random(state);
      const double radius = 0.1 * spacing * (0.5 + unit_random(state));
      now_placed.push_back(i);
      nx.push_back(sx / static_cast<double>(count) + radius * std::cos(angle));
      ny.push_back(sy / static_cast<double>(count) + radius * std::sin(angle));
    }
    if (now_placed.empty()) break;
    for (size_t k = 0; k < now_placed.size(); ++k) {
      layout.x[now_placed[k]] = nx[k];
      layout.y[now_placed[k]] = ny[k];
      placed[now_placed[k]] = true;
    }
    waiting = std::move(still_waiting);
  }
  for (const NodeIndex i : waiting) {
    layout.x[i] = x0 + (x1 - x0) * unit_random(state);
    layout.y[i] = y0 + (y1 - y0) * unit_random(state);
  }
  return layout;
}

}  // namespace ampere::graph
