#include "graph/layout_quality.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "graph/splitmix64.hpp"

namespace ampere::graph {

namespace {

/// The share of i's graph neighbours among its deg(i) nearest nodes in the layout.
double preserved_share(const CompactGraph& graph, const Layout& layout, NodeIndex i, std::vector<double>& distances,
                       std::vector<NodeIndex>& nodes) {
  const size_t n = graph.node_count();
  const uint64_t begin = graph.offsets()[i], end = graph.offsets()[i + 1];
  const size_t k = static_cast<size_t>(end - begin);
  nodes.clear();
  for (size_t j = 0; j < n; ++j) {
    if (j == i) continue;
    const double dx = layout.x[j] - layout.x[i], dy = layout.y[j] - layout.y[i];
    distances[j] = dx * dx + dy * dy;
    nodes.push_back(static_cast<NodeIndex>(j));
  }
  // Ties broken by index, so the measure does not depend on the selection algorithm.
  auto closer = [&](NodeIndex a, NodeIndex b) {
    return distances[a] != distances[b] ? distances[a] < distances[b] : a < b;
  };
  std::nth_element(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(k - 1), nodes.end(), closer);
  std::sort(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(k));
  size_t hits = 0;
  const auto* nb = graph.neighbours().data();
  for (size_t a = 0, b = begin; a < k && b < end;) {
    if (nodes[a] == nb[b]) {
      ++hits;
      ++a;
      ++b;
    } else if (nodes[a] < nb[b]) {
      ++a;
    } else {
      ++b;
    }
  }
  return static_cast<double>(hits) / static_cast<double>(k);
}

}  // namespace

LayoutQuality measure_layout(const CompactGraph& graph, const Layout& layout, size_t max_sample, uint64_t seed) {
  LayoutQuality q;
  const size_t n = graph.node_count();
  if (n < 2 || graph.edge_count() == 0) return q;

  // Edge lengths, each undirected edge once.
  double sum = 0, sum2 = 0;
  size_t edges = 0;
  for (size_t i = 0; i < n; ++i) {
    for (uint64_t e = graph.offsets()[i]; e < graph.offsets()[i + 1]; ++e) {
      const NodeIndex j = graph.neighbours()[e];
      if (j <= i) continue;
      const double len = std::hypot(layout.x[i] - layout.x[j], layout.y[i] - layout.y[j]);
      sum += len;
      sum2 += len * len;
      ++edges;
    }
  }
  const double scale = sum2 > 0 ? sum / sum2 : 0;
  double stress = 0;
  for (size_t i = 0; i < n; ++i) {
    for (uint64_t e = graph.offsets()[i]; e < graph.offsets()[i + 1]; ++e) {
      const NodeIndex j = graph.neighbours()[e];
      if (j <= i) continue;
      const double r = scale * std::hypot(layout.x[i] - layout.x[j], layout.y[i] - layout.y[j]) - 1.0;
      stress += r * r;
    }
  }
  q.edge_length_stress = stress / static_cast<double>(edges);

  uint64_t state = seed;
  constexpr size_t kPairs = 200000;
  double pair_sum = 0;
  for (size_t p = 0; p < kPairs; ++p) {
    const size_t a = next_random(state) % n;
    size_t b = next_random(state) % (n - 1);
    if (b >= a) ++b;
    pair_sum += std::hypot(layout.x[a] - layout.x[b], layout.y[a] - layout.y[b]);
  }
  const double mean_pair = pair_sum / static_cast<double>(kPairs);
  q.edge_length_ratio = mean_pair > 0 ? (sum / static_cast<double>(edges)) / mean_pair : 0;

  std::vector<NodeIndex> candidates;
  for (size_t i = 0; i < n; ++i) {
    if (graph.offsets()[i + 1] > graph.offsets()[i]) candidates.push_back(static_cast<NodeIndex>(i));
  }
  if (candidates.size() > max_sample) {
    // A partial Fisher-Yates shuffle picks the sample.
    for (size_t s = 0; s < max_sample; ++s) {
      const size_t pick = s + next_random(state) % (candidates.size() - s);
      std::swap(candidates[s], candidates[pick]);
    }
    candidates.resize(max_sample);
  }
  std::vector<double> distances(n);
  std::vector<NodeIndex> nodes;
  nodes.reserve(n);
  double preserved = 0;
  for (const NodeIndex i : candidates) preserved += preserved_share(graph, layout, i, distances, nodes);
  q.sampled_nodes = candidates.size();
  q.neighbourhood_preservation = candidates.empty() ? 0 : preserved / static_cast<double>(candidates.size());
  return q;
}

}  // namespace ampere::graph
