#include "graph/force_atlas2.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "graph/parallel_for.hpp"
#include "graph/splitmix64.hpp"

namespace ampere::graph {

namespace {

/// Nodes per work unit of the parallel loops: big enough to amortize the hand-out, small enough to balance.
constexpr size_t kChunk = 512;
/// Gephi's bounds on the speed adaptation.
constexpr double kMinSpeedEfficiency = 0.05;
constexpr double kMaxSpeedRise = 0.5;
constexpr double kMaxSpeed = 1000.0;
constexpr double kMaxJitterTolerance = 10.0;

}  // namespace

Expected<void> validate(const ForceAtlas2Settings& s) {
  auto bad = [](const char* name, const std::string& rule) {
    return fail(ErrorKind::invalid_input, std::string("ForceAtlas2 setting ") + name + " " + rule);
  };
  if (s.iterations < 0) return bad("iterations", "must be 0 or more");
  if (!(s.scaling_ratio > 0) || !std::isfinite(s.scaling_ratio)) return bad("scaling_ratio", "must be above 0");
  if (!(s.gravity >= 0) || !std::isfinite(s.gravity)) return bad("gravity", "must be 0 or more");
  if (!(s.jitter_tolerance > 0) || !std::isfinite(s.jitter_tolerance)) {
    return bad("jitter_tolerance", "must be above 0");
  }
  if (!(s.theta >= 0) || !std::isfinite(s.theta)) return bad("theta", "must be 0 or more (0 is exact)");
  return {};
}

Layout random_layout(size_t node_count, uint64_t seed) {
  Layout layout;
  layout.x.resize(node_count);
  layout.y.resize(node_count);
  const double side = 10.0 * std::sqrt(static_cast<double>(std::max<size_t>(node_count, 1)));
  uint64_t state = seed;
  for (size_t i = 0; i < node_count; ++i) {
    layout.x[i] = (unit_random(state) - 0.5) * side;
    layout.y[i] = (unit_random(state) - 0.5) * side;
  }
  return layout;
}

ForceAtlas2::ForceAtlas2(const CompactGraph& graph, const ForceAtlas2Settings& settings, Layout start)
    : graph_(graph), settings_(settings), layout_(std::move(start)) {
  const size_t n = graph.node_count();
  layout_.x.resize(n, 0.0);
  layout_.y.resize(n, 0.0);
  mass_.resize(n);
  double total_mass = 0;
  for (size_t i = 0; i < n; ++i) {
    mass_[i] = graph.degree(static_cast<NodeIndex>(i)) + 1.0;
    total_mass += mass_[i];
  }
  if (settings_.outbound_attraction_distribution && n > 0) outbound_compensation_ = total_mass / static_cast<double>(n);
  dx_.assign(n, 0.0);
  dy_.assign(n, 0.0);
  old_dx_.assign(n, 0.0);
  old_dy_.assign(n, 0.0);
}

void ForceAtlas2::compute_forces(bool repulsion_only) {
  const size_t n = graph_.node_count();
  const double* x = layout_.x.data();
  const double* y = layout_.y.data();
  const double k_r = settings_.scaling_ratio;
  const bool barnes_hut = settings_.barnes_hut;
  // Repulsion: k_r (deg_i + 1)(deg_j + 1) / d, away from every other node.
  if (barnes_hut) {
    tree_.build(layout_.x, layout_.y, mass_, settings_.theta);
    tree_.repulsion(k_r, dx_, dy_, settings_.threads);
  } else {
    parallel_for(n, kChunk, settings_.threads, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        double sx = 0, sy = 0;
        for (size_t j = 0; j < n; ++j) {
          const double ex = x[i] - x[j];
          const double ey = y[i] - y[j];
          const double d2 = ex * ex + ey * ey;
          if (d2 <= 0) continue;  // itself, or a node on the same spot
          const double f = mass_[j] / d2;
          sx += ex * f;
          sy += ey * f;
        }
        dx_[i] = sx * k_r * mass_[i];
        dy_[i] = sy * k_r * mass_[i];
      }
    });
  }
  if (repulsion_only) return;

  // Positions side by side: one cache line brings both coordinates of a neighbour.
  xy_.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    xy_[2 * i] = x[i];
    xy_[2 * i + 1] = y[i];
  }
  const double* xy = xy_.data();
  const uint64_t* offsets = graph_.offsets().data();
  const NodeIndex* neighbours = graph_.neighbours().data();
  const float* weights = graph_.weights().data();
  const bool lin_log = settings_.lin_log;
  parallel_for(n, kChunk, settings_.threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const double xi = xy[2 * i], yi = xy[2 * i + 1];
      double fx = 0, fy = 0;
      // Gravity: k_g (deg + 1) towards the origin, times the distance when strong.
      const double d = std::sqrt(xi * xi + yi * yi);
      if (d > 0) {
        const double g = settings_.strong_gravity ? settings_.gravity * mass_[i] : settings_.gravity * mass_[i] / d;
        fx -= xi * g;
        fy -= yi * g;
      }
      // Attraction along each edge: d (or log(1 + d)), times the edge weight, divided by deg + 1 when
      // distributing outbound attraction.
      const double scale = settings_.outbound_attraction_distribution ? outbound_compensation_ / mass_[i] : 1.0;
      double ax = 0, ay = 0;
      if (lin_log) {
        for (uint64_t e = offsets[i]; e < offsets[i + 1]; ++e) {
          const NodeIndex j = neighbours[e];
          const double ex = xi - xy[2 * j], ey = yi - xy[2 * j + 1];
          const double dist = std::sqrt(ex * ex + ey * ey);
          if (dist <= 0) continue;
          const double f = weights[e] * std::log1p(dist) / dist;
          ax += ex * f;
          ay += ey * f;
        }
      } else {
        for (uint64_t e = offsets[i]; e < offsets[i + 1]; ++e) {
          const NodeIndex j = neighbours[e];
          ax += (xi - xy[2 * j]) * weights[e];
          ay += (yi - xy[2 * j + 1]) * weights[e];
        }
      }
      dx_[i] += fx - ax * scale;
      dy_[i] += fy - ay * scale;
    }
  });
}

void ForceAtlas2::repulsion(std::vector<double>& fx, std::vector<double>& fy) {
  compute_forces(true);
  fx = dx_;
  fy = dy_;
}

void ForceAtlas2::adapt_speed() {
  const size_t n = graph_.node_count();
  // Sums in node order: the same on any number of threads.
  double swinging = 0, traction = 0;
  for (size_t i = 0; i < n; ++i) {
    const double sx = old_dx_[i] - dx_[i], sy = old_dy_[i] - dy_[i];
    const double tx = old_dx_[i] + dx_[i], ty = old_dy_[i] + dy_[i];
    swinging += mass_[i] * std::sqrt(sx * sx + sy * sy);
    traction += mass_[i] * 0.5 * std::sqrt(tx * tx + ty * ty);
  }
  if (!(traction > 0) || !std::isfinite(swinging) || !std::isfinite(traction)) return;

  // Bigger graphs need more tolerance, denser ones less (Gephi's empirical estimate).
  const double nodes = static_cast<double>(n);
  const double estimated = 0.05 * std::sqrt(nodes);
  const double min_jt = std::sqrt(estimated);
  double jt = settings_.jitter_tolerance *
              std::max(min_jt, std::min(kMaxJitterTolerance, estimated * traction / (nodes * nodes)));
  // Protection against erratic behaviour.
  if (swinging / traction > 2.0) {
    if (speed_efficiency_ > kMinSpeedEfficiency) speed_efficiency_ *= 0.5;
    jt = std::max(jt, settings_.jitter_tolerance);
  }
  const double target = swinging > 0 ? jt * speed_efficiency_ * traction / swinging : speed_ * (1 + kMaxSpeedRise);
  // Speed efficiency follows the swinging versus convergence trade-off, slowly.
  if (swinging > jt * traction) {
    if (speed_efficiency_ > kMinSpeedEfficiency) speed_efficiency_ *= 0.7;
  } else if (speed_ < kMaxSpeed) {
    speed_efficiency_ *= 1.3;
  }
  // The speed may not rise by more than half in one step.
  speed_ = speed_ + std::min(target - speed_, kMaxSpeedRise * speed_);
}

void ForceAtlas2::move() {
  const double speed = speed_;
  parallel_for(graph_.node_count(), kChunk * 8, settings_.threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      // Each node slows down further when it swings.
      const double sx = old_dx_[i] - dx_[i], sy = old_dy_[i] - dy_[i];
      const double swinging = mass_[i] * std::sqrt(sx * sx + sy * sy);
      const double factor = speed / (1.0 + std::sqrt(speed * swinging));
      layout_.x[i] += dx_[i] * factor;
      layout_.y[i] += dy_[i] * factor;
    }
  });
}

void ForceAtlas2::step() {
  if (graph_.node_count() == 0) return;
  std::swap(old_dx_, dx_);
  std::swap(old_dy_, dy_);
  compute_forces(false);
  adapt_speed();
  move();
}

Expected<Layout> force_atlas2(const CompactGraph& graph, const ForceAtlas2Settings& settings) {
  if (auto ok = validate(settings); !ok) return tl::unexpected(ok.error());
  ForceAtlas2 layout(graph, settings, random_layout(graph.node_count(), settings.seed));
  for (int i = 0; i < settings.iterations; ++i) layout.step();
  return layout.layout();
}

}  // namespace ampere::graph
