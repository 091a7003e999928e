#include "pipeline/network_layouts.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/compact_graph.hpp"
#include "graph/force_atlas2.hpp"
#include "graph/warm_start.hpp"
#include "util/time.hpp"

namespace ampere::pipeline {

namespace {

/// Where a network's nodes and edges come from. Node ids are text (the contract's node_id); each node also
/// has an integer key, unique in its network, and edges are (source, target) pairs of keys: they are read
/// as plain integers and mapped to node indexes here (a join in SQL took 0.5 s of CPU for the follower
/// network's 900k edges, reading the pairs 10 ms).
struct NetworkSource {
  std::string_view network;
  std::string_view nodes_table;
  std::string_view edges_table;
  std::string_view node_id_sql;   ///< the node id, from a row of nodes_table
  std::string_view node_key_sql;  ///< the node's integer key, from a row of nodes_table
  std::string_view source_sql;    ///< the source node's key, from a row of edges_table
  std::string_view target_sql;    ///< the target node's key, from a row of edges_table
  std::string_view edge_sql;      ///< the edge as people read it (for an error), from a row of edges_table
};

// In the stargazer network a user is keyed by their user id and a repo by minus its repo id (GitHub's ids
// are positive): a node is exactly one of the two (a tested invariant of network_stargazer_nodes).
constexpr NetworkSource kNetworks[] = {
    {"stargazers", "network_stargazer_nodes", "network_stargazer_edges", "node_id", "coalesce(user_id, -repo_id)",
     "user_id", "-repo_id", "user_node_id || ' -> ' || repo_node_id"},
    {"followers", "network_follower_nodes", "network_follower_edges", "cast(user_id as varchar)", "user_id",
     "follower_user_id", "followed_user_id", "follower_user_id || ' -> ' || followed_user_id"},
};

/// Bumped whenever the layout below changes, so that stored layouts are recomputed.
constexpr std::string_view kLayoutVersion = "forceatlas2 v1";
/// Seeds the initial positions: the same data always gets the same picture.
constexpr uint64_t kLayoutSeed = 1;

/// Steps of ForceAtlas2 from the previous layout, when most nodes had a position there: enough to settle
/// the new nodes and the neighbourhoods they joined (tests/unit/warm_start_test.cpp measures the quality),
/// from kWarmIterations when at least kWarmFullShare of the nodes are new down to kMinWarmIterations
/// for a tiny change (a six-hourly sync brings a few users among tens of thousands).
constexpr int kWarmIterations = 30;
constexpr int kMinWarmIterations = 10;
constexpr double kWarmFullShare = 0.02;

int warm_iterations(size_t known, size_t nodes) {
  const double new_share = nodes == 0 ? 0.0 : static_cast<double>(nodes - known) / static_cast<double>(nodes);
  const double steps = std::ceil(kWarmIterations * new_share / kWarmFullShare);
  return std::clamp(static_cast<int>(std::min(steps, double{kWarmIterations})), kMinWarmIterations, kWarmIterations);
}
/// A network laid out before is continued from its previous layout while at least this share of its
/// nodes had a position there; a bigger change is laid out from scratch.
constexpr double kWarmStartKnownShare = 0.9;

/// Steps of ForceAtlas2: small networks get more (they are cheap), large ones stay within seconds.
int iterations_for(size_t nodes) {
  if (nodes <= 10'000) return 500;
  if (nodes <= 100'000) return 200;
  return 100;
}

graph::ForceAtlas2Settings layout_settings(size_t nodes) {
  graph::ForceAtlas2Settings s;
  s.iterations = iterations_for(nodes);
  s.seed = kLayoutSeed;
  s.barnes_hut = nodes > 1000;
  return s;
}

/// FNV-1a, 64 bits: a stable fingerprint of the node and edge sets.
class Fingerprint {
 public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<uint8_t>(c);
      hash_ *= 0x100000001B3ULL;
    }
  }
  void add(uint64_t value) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= (value >> (8 * i)) & 0xFF;
      hash_ *= 0x100000001B3ULL;
    }
  }
  [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  uint64_t hash_ = 0xCBF29CE484222325ULL;
};

struct NetworkData {
  std::vector<std::string> node_ids;  ///< sorted; index = graph node index
  std::vector<graph::Edge> edges;     ///< sorted
  std::string hash;
};

Expected<bool> table_exists(db::Connection& connection, std::string_view table) {
  auto result = connection.query(
      "select count(*) from information_schema.tables where table_schema = 'main' and table_name = $1", table);
  if (!result) return tl::unexpected(result.error());
  return result->int64(0, 0) > 0;
}

Expected<NetworkData> read_network(db::Connection& connection, const NetworkSource& source) {
  NetworkData data;
  auto nodes = connection.query(fmt::format("select {} as node_id, {} as node_key from main.{} order by node_id",
                                            source.node_id_sql, source.node_key_sql, source.nodes_table));
  if (!nodes) return tl::unexpected(nodes.error());
  data.node_ids.reserve(nodes->row_count());
  std::unordered_map<int64_t, graph::NodeIndex> index;
  index.reserve(nodes->row_count());
  for (size_t r = 0; r < nodes->row_count(); ++r) {
    const auto node = static_cast<graph::NodeIndex>(r);
    if (nodes->is_null(1, r) || !index.emplace(nodes->int64(1, r), node).second) {
      return fail(ErrorKind::internal,
                  fmt::format("network {}: the node {} in {} has no key or the key of another node; rebuild the "
                              "marts (ampere build) and report this if it persists",
                              source.network, nodes->text(0, r), source.nodes_table));
    }
    data.node_ids.push_back(nodes->text(0, r));
  }

  // Edges as pairs of node indexes (positions in node_id order).
  auto edges = connection.query(
      fmt::format("select {}, {} from main.{}", source.source_sql, source.target_sql, source.edges_table));
  if (!edges) return tl::unexpected(edges.error());
  const auto sources = edges->int64_column(0);
  const auto targets = edges->int64_column(1);
  data.edges.reserve(sources.size());
  for (size_t r = 0; r < sources.size(); ++r) {
    const auto from = sources[r] ? index.find(*sources[r]) : index.end();
    const auto to = targets[r] ? index.find(*targets[r]) : index.end();
    if (from == index.end() || to == index.end()) {
      const auto value = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("null"); };
      auto edge = connection.query(
          fmt::format("select {} from main.{} where {} is not distinct from {} and {} is not distinct from {} limit 1",
                      source.edge_sql, source.edges_table, source.source_sql, value(sources[r]), source.target_sql,
                      value(targets[r])));
      return fail(ErrorKind::internal,
                  fmt::format("network {}: the edge {} in {} names a node missing from {}; rebuild the marts "
                              "(ampere build) and report this if it persists",
                              source.network, edge && edge->row_count() == 1 ? edge->text(0, 0) : "?",
                              source.edges_table, source.nodes_table));
    }
    data.edges.emplace_back(from->second, to->second);
  }
  std::sort(data.edges.begin(), data.edges.end());

  Fingerprint fingerprint;
  fingerprint.add(kLayoutVersion);
  fingerprint.add(static_cast<uint64_t>(data.node_ids.size()));
  for (const auto& id : data.node_ids) {
    fingerprint.add(id);
    fingerprint.add(std::string_view("\n", 1));
  }
  fingerprint.add(static_cast<uint64_t>(data.edges.size()));
  for (const auto& [a, b] : data.edges) fingerprint.add((static_cast<uint64_t>(a) << 32) | b);
  data.hash = fingerprint.hex();
  return data;
}

Expected<void> create_tables(db::Connection& connection) {
  return connection.execute(
      "create table if not exists main.network_layouts (network varchar not null, node_id varchar not null, "
      "x double not null, y double not null);"
      "create table if not exists main.network_layout_runs (network varchar not null, edges_hash varchar not null, "
      "nodes bigint not null, edges bigint not null, iterations integer not null, seconds double not null, "
      "computed_at timestamptz not null);");
}

/// Whether the stored layout of `network` was computed from the same sets and is complete.
Expected<bool> is_current(db::Connection& connection, std::string_view network, const NetworkData& data) {
  auto last = connection.query(
      "select edges_hash from main.network_layout_runs where network = $1 order by computed_at desc limit 1", network);
  if (!last) return tl::unexpected(last.error());
  if (last->row_count() == 0 || last->text(0, 0) != data.hash) return false;
  auto stored = connection.query("select count(*) from main.network_layouts where network = $1", network);
  if (!stored) return tl::unexpected(stored.error());
  return stored->int64(0, 0) == static_cast<int64_t>(data.node_ids.size());
}

/// The stored positions of `network`'s nodes, by node index (known[i] when node i had one), when a run
/// of it was recorded; nullopt when there is no previous layout to continue from.
struct PreviousLayout {
  graph::Layout layout;
  std::vector<bool> known;
  size_t known_count = 0;
};

Expected<std::optional<PreviousLayout>> previous_layout(db::Connection& connection, std::string_view network,
                                                        const NetworkData& data) {
  auto runs = connection.query("select count(*) from main.network_layout_runs where network = $1", network);
  if (!runs) return tl::unexpected(runs.error());
  if (runs->int64(0, 0) == 0) return std::optional<PreviousLayout>();
  auto stored = connection.query("select node_id, x, y from main.network_layouts where network = $1", network);
  if (!stored) return tl::unexpected(stored.error());
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(data.node_ids.size());
  for (size_t i = 0; i < data.node_ids.size(); ++i) index.emplace(data.node_ids[i], i);
  PreviousLayout previous;
  previous.layout.x.assign(data.node_ids.size(), 0.0);
  previous.layout.y.assign(data.node_ids.size(), 0.0);
  previous.known.assign(data.node_ids.size(), false);
  for (size_t r = 0; r < stored->row_count(); ++r) {
    const std::string id = stored->text(0, r);
    const auto it = index.find(id);
    if (it == index.end() || previous.known[it->second]) continue;
    previous.layout.x[it->second] = stored->real(1, r);
    previous.layout.y[it->second] = stored->real(2, r);
    previous.known[it->second] = true;
    ++previous.known_count;
  }
  return std::optional<PreviousLayout>(std::move(previous));
}

Expected<void> write_layout(db::Connection& connection, std::string_view network, const NetworkData& data,
                            const graph::Layout& layout, int iterations, double seconds) {
  return connection.transaction([&]() -> Expected<void> {
    if (auto ok = connection.query("delete from main.network_layouts where network = $1", network); !ok) {
      return tl::unexpected(ok.error());
    }
    auto appender = connection.appender("main", "network_layouts");
    if (!appender) return tl::unexpected(appender.error());
    for (size_t i = 0; i < data.node_ids.size(); ++i) {
      if (auto ok = appender->append(network); !ok) return ok;
      if (auto ok = appender->append(std::string_view(data.node_ids[i])); !ok) return ok;
      if (auto ok = appender->append(layout.x[i]); !ok) return ok;
      if (auto ok = appender->append(layout.y[i]); !ok) return ok;
      if (auto ok = appender->end_row(); !ok) return ok;
    }
    if (auto ok = appender->close(); !ok) return ok;
    auto run =
        connection.query("insert into main.network_layout_runs values ($1, $2, $3, $4, $5, $6, $7::timestamptz)",
                         network, data.hash, static_cast<int64_t>(data.node_ids.size()),
                         static_cast<int64_t>(data.edges.size()), iterations, seconds, format_iso8601(now_utc()));
    if (!run) return tl::unexpected(run.error());
    return {};
  });
}

Expected<NetworkLayoutReport> update_network(db::Connection& connection, const NetworkSource& source) {
  const auto start = std::chrono::steady_clock::now();
  NetworkLayoutReport report;
  report.network = std::string(source.network);
  for (const auto table : {source.nodes_table, source.edges_table}) {
    auto exists = table_exists(connection, table);
    if (!exists) return tl::unexpected(exists.error());
    if (!*exists) {
      report.missing_marts = true;
      return report;
    }
  }
  auto data = read_network(connection, source);
  if (!data) return tl::unexpected(data.error());
  report.nodes = data->node_ids.size();
  report.edges = data->edges.size();
  auto current = is_current(connection, source.network, *data);
  if (!current) return tl::unexpected(current.error());
  if (*current) {
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  auto graph = graph::CompactGraph::build(data->node_ids.size(), data->edges);
  if (!graph) return with_context(graph.error(), fmt::format("laying out network {}", source.network));
  auto settings = layout_settings(graph->node_count());
  auto previous = previous_layout(connection, source.network, *data);
  if (!previous) return tl::unexpected(previous.error());
  const bool warm = *previous && !data->node_ids.empty() &&
                    static_cast<double>((*previous)->known_count) >=
                        kWarmStartKnownShare * static_cast<double>(data->node_ids.size());
  graph::Layout initial = warm ? graph::warm_start(*graph, (*previous)->layout, (*previous)->known, settings.seed)
                               : graph::random_layout(graph->node_count(), settings.seed);
  if (warm) settings.iterations = warm_iterations((*previous)->known_count, data->node_ids.size());
  if (auto ok = graph::validate(settings); !ok) return tl::unexpected(ok.error());
  graph::ForceAtlas2 force_atlas2(*graph, settings, std::move(initial));
  for (int i = 0; i < settings.iterations; ++i) force_atlas2.step();
  const graph::Layout* layout = &force_atlas2.layout();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (auto ok = write_layout(connection, source.network, *data, *layout, settings.iterations, seconds); !ok) {
    return with_context(ok.error(), fmt::format("saving the layout of network {}", source.network));
  }
  report.recomputed = true;
  report.warm_started = warm;
  report.iterations = settings.iterations;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace

Expected<std::vector<NetworkLayoutReport>> update_network_layouts(db::Connection& connection) {
  if (auto ok = create_tables(connection); !ok) return tl::unexpected(ok.error());
  std::vector<NetworkLayoutReport> reports;
  for (const auto& source : kNetworks) {
    auto report = update_network(connection, source);
    if (!report) return tl::unexpected(report.error());
    reports.push_back(std::move(*report));
  }
  return reports;
}

std::vector<NetworkMarts> network_marts() {
  std::vector<NetworkMarts> marts;
  for (const auto& source : kNetworks) {
    marts.push_back({std::string(source.network), std::string(source.nodes_table), std::string(source.edges_table)});
  }
  return marts;
}

Expected<void> create_layout_tables(db::Connection& connection) {
  return create_tables(connection);
}

Expected<NetworkLayoutReport> update_network_layout(db::Connection& connection, std::string_view network) {
  for (const auto& source : kNetworks) {
    if (source.network == network) return update_network(connection, source);
  }
  return fail(ErrorKind::internal, fmt::format("there is no network {}", network));
}

}  // namespace ampere::pipeline
