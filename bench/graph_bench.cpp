// Graph layout benchmark (issue 8): ForceAtlas2 (graph/) on the stargazer network of the large synthetic
// org, a 5,000-node stochastic block model and a 100,000-node / 1,000,000-edge graph; the same graphs
// exported for networkx and graphology (bench/graph_compare/run), and one quality measure for all.
//
//   graph_bench                                  the time target: 100k nodes / 1M edges, 100 iterations
//   graph_bench export <graph> <edges file>      graph: stargazers-large, sbm-5000, random-100k
//   graph_bench layout <edges file> <iterations> <positions file> [theta] [threads]
//   graph_bench quality <edges file> <positions file>
//
// Edge files: a line "nodes edges", then one "a b" line per edge (0-based node indexes). Position files:
// one "x y" line per node, in index order.
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"
#include "graph/layout_quality.hpp"
#include "graph/splitmix64.hpp"
#include "simulator/org_model.hpp"

namespace {

using ampere::graph::CompactGraph;
using ampere::graph::Edge;
using ampere::graph::Layout;
using ampere::graph::NodeIndex;

struct EdgeList {
  size_t nodes = 0;
  std::vector<Edge> edges;
};

/// splitmix64, for the seeded generators below.
struct Random {
  uint64_t state;
  uint64_t next() { return ampere::graph::next_random(state); }
  double unit() { return ampere::graph::unit_random(state); }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

/// The stargazer network of the large synthetic org as the marts build it: repos and the users who
/// starred them are nodes, each star a user -> repo edge.
EdgeList stargazers_large() {
  const auto model =
      ampere::simulator::OrgModel::generate(ampere::simulator::ModelSpec{.size = ampere::simulator::OrgSize::large});
  EdgeList g;
  std::vector<int64_t> user_node(model.users().size(), -1);
  std::vector<size_t> repo_node;
  for (const auto& repo : model.repos()) {
    if (repo.deleted) continue;
    const size_t r = g.nodes++;
    for (const auto& star : repo.stars) {
      if (model.users()[star.user].deleted) continue;
      if (user_node[star.user] < 0) user_node[star.user] = static_cast<int64_t>(g.nodes++);
      g.edges.emplace_back(static_cast<NodeIndex>(user_node[star.user]), static_cast<NodeIndex>(r));
    }
  }
  return g;
}

/// A stochastic block model: 25 blocks of 200 nodes, p = 0.04 inside a block and 0.0002 across (about
/// 8 neighbours inside the block and 1 outside per node).
EdgeList sbm_5000() {
  constexpr size_t kNodes = 5000, kBlock = 200;
  constexpr double kInside = 0.04, kAcross = 0.0002;
  Random random{5000};
  EdgeList g{kNodes, {}};
  for (size_t a = 0; a < kNodes; ++a) {
    for (size_t b = a + 1; b < kNodes; ++b) {
      if (random.unit() < (a / kBlock == b / kBlock ? kInside : kAcross)) {
        g.edges.emplace_back(static_cast<NodeIndex>(a), static_cast<NodeIndex>(b));
      }
    }
  }
  return g;
}

/// 100,000 nodes in 100 communities of 1,000 and 1,000,000 edges: each edge starts at a random node and
/// ends in the same community with probability 0.8, anywhere otherwise.
EdgeList random_100k() {
  constexpr size_t kNodes = 100'000, kEdges = 1'000'000, kCommunity = 1000;
  Random random{100'000};
  EdgeList g{kNodes, {}};
  g.edges.reserve(kEdges);
  while (g.edges.size() < kEdges) {
    const size_t a = random.below(kNodes);
    const size_t b =
        random.unit() < 0.8 ? a / kCommunity * kCommunity + random.below(kCommunity) : random.below(kNodes);
    if (a != b) g.edges.emplace_back(static_cast<NodeIndex>(a), static_cast<NodeIndex>(b));
  }
  return g;
}

bool generate(const std::string& name, EdgeList& out) {
  if (name == "stargazers-large") {
    out = stargazers_large();
  } else if (name == "sbm-5000") {
    out = sbm_5000();
  } else if (name == "random-100k") {
    out = random_100k();
  } else {
    return false;
  }
  return true;
}

bool write_edges(const EdgeList& g, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  fmt::print(f, "{} {}\n", g.nodes, g.edges.size());
  for (const auto& [a, b] : g.edges) fmt::print(f, "{} {}\n", a, b);
  return std::fclose(f) == 0;
}

bool read_edges(const std::string& path, EdgeList& g) {
  std::ifstream in(path);
  size_t m = 0;
  if (!(in >> g.nodes >> m)) return false;
  g.edges.resize(m);
  for (auto& [a, b] : g.edges) {
    if (!(in >> a >> b)) return false;
  }
  return true;
}

bool read_positions(const std::string& path, size_t n, Layout& layout) {
  std::ifstream in(path);
  layout.x.resize(n);
  layout.y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!(in >> layout.x[i] >> layout.y[i])) return false;
  }
  return true;
}

bool write_positions(const Layout& layout, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  for (size_t i = 0; i < layout.x.size(); ++i) fmt::print(f, "{:.9g} {:.9g}\n", layout.x[i], layout.y[i]);
  return std::fclose(f) == 0;
}

/// CPU time of the whole process (all threads), in seconds: the machine is shared, so wall time alone
/// says little.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

/// Runs `iterations` steps of ForceAtlas2 (Gephi's defaults, seed 1), timing the steps alone.
Layout lay_out(const CompactGraph& graph, int iterations, double theta, unsigned threads, Timing& timing) {
  ampere::graph::ForceAtlas2Settings settings;
  settings.theta = theta;
  settings.threads = threads;
  ampere::graph::ForceAtlas2 layout(graph, settings, ampere::graph::random_layout(graph.node_count(), settings.seed));
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  for (int i = 0; i < iterations; ++i) layout.step();
  timing.cpu = cpu_seconds() - cpu_start;
  timing.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return layout.layout();
}

void print_quality(const CompactGraph& graph, const Layout& layout) {
  const auto q = ampere::graph::measure_layout(graph, layout);
  fmt::print(
      "quality: neighbourhood preservation {:.4f} (on {} nodes), edge-length stress {:.4f}, "
      "edge length / random pair distance {:.4f}\n",
      q.neighbourhood_preservation, q.sampled_nodes, q.edge_length_stress, q.edge_length_ratio);
}

int usage() {
  std::fputs(
      "usage: graph_bench\n"
      "       graph_bench export <stargazers-large|sbm-5000|random-100k> <edges file>\n"
      "       graph_bench layout <edges file> <iterations> <positions file> [theta] [threads]\n"
      "       graph_bench quality <edges file> <positions file>\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    const EdgeList g = random_100k();
    auto graph = CompactGraph::build(g.nodes, g.edges);
    if (!graph) return usage();
    const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
    Timing timing;
    const Layout layout = lay_out(*graph, 100, 1.2, 0, timing);
    fmt::print(
        "ForceAtlas2, Barnes-Hut theta 1.2: {} nodes, {} edges, 100 iterations in {:.2f}s on {} threads "
        "({:.2f}s of CPU; target: under 10s)\n",
        graph->node_count(), graph->edge_count(), timing.wall, threads, timing.cpu);
    print_quality(*graph, layout);
    Timing one_thread;
    const Layout single = lay_out(*graph, 100, 1.2, 1, one_thread);
    fmt::print("on 1 thread: {:.2f}s ({:.2f}s of CPU); positions bit-identical to {} threads: {}\n", one_thread.wall,
               one_thread.cpu, threads, single.x == layout.x && single.y == layout.y ? "yes" : "NO");
    fmt::print("load average when done: {}", [] {
      std::ifstream in("/proc/loadavg");
      std::string line;
      std::getline(in, line);
      return line + "\n";
    }());
    fmt::print("command: build/bench/graph_bench\n");
    return 0;
  }
  if (args[0] == "export" && args.size() == 3) {
    EdgeList g;
    if (!generate(args[1], g)) return usage();
    if (!write_edges(g, args[2])) {
      std::fprintf(stderr, "cannot write %s\n", args[2].c_str());
      return 1;
    }
    fmt::print("{}: {} nodes, {} edges -> {}\n", args[1], g.nodes, g.edges.size(), args[2]);
    return 0;
  }
  if (args[0] == "layout" && args.size() >= 4) {
    EdgeList g;
    if (!read_edges(args[1], g)) {
      std::fprintf(stderr, "cannot read edges from %s\n", args[1].c_str());
      return 1;
    }
    auto graph = CompactGraph::build(g.nodes, g.edges);
    if (!graph) {
      std::fprintf(stderr, "%s\n", graph.error().message.c_str());
      return 1;
    }
    const int iterations = std::atoi(args[2].c_str());
    const double theta = args.size() > 4 ? std::atof(args[4].c_str()) : 1.2;
    const auto threads = static_cast<unsigned>(args.size() > 5 ? std::atoi(args[5].c_str()) : 0);
    Timing timing;
    const Layout layout = lay_out(*graph, iterations, theta, threads, timing);
    if (!write_positions(layout, args[3])) {
      std::fprintf(stderr, "cannot write %s\n", args[3].c_str());
      return 1;
    }
    fmt::print("seconds {:.4f} cpu {:.4f}\n", timing.wall, timing.cpu);
    return 0;
  }
  if (args[0] == "quality" && args.size() == 3) {
    EdgeList g;
    Layout layout;
    if (!read_edges(args[1], g) || !read_positions(args[2], g.nodes, layout)) {
      std::fprintf(stderr, "cannot read %s or %s\n", args[1].c_str(), args[2].c_str());
      return 1;
    }
    auto graph = CompactGraph::build(g.nodes, g.edges);
    if (!graph) return 1;
    const auto q = ampere::graph::measure_layout(*graph, layout);
    fmt::print("np {:.4f} stress {:.4f} ratio {:.4f} sampled {}\n", q.neighbourhood_preservation, q.edge_length_stress,
               q.edge_length_ratio, q.sampled_nodes);
    return 0;
  }
  return usage();
}
