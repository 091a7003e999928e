#include "graph/barnes_hut_tree.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "graph/parallel_for.hpp"

namespace ampere::graph {

namespace {

/// Levels of the tree (bits per axis of the Morton code): points closer than 2^-22 of the layout's
/// width share a leaf.
constexpr int kLevels = 22;
/// A cell with at most this many points is a leaf.
constexpr uint32_t kLeafSize = 16;
/// Radix sort: 11 bits per pass, four passes over the 44-bit codes.
constexpr int kRadixBits = 11;
constexpr int kRadixPasses = 4;
/// Leaves per work unit of the parallel walk.
constexpr size_t kLeafChunk = 16;

/// Spreads the low 32 bits of v to the even bits of the result.
uint64_t spread_bits(uint64_t v) {
  v &= 0xFFFFFFFFULL;
  v = (v | (v << 16)) & 0x0000FFFF0000FFFFULL;
  v = (v | (v << 8)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  v = (v | (v << 2)) & 0x3333333333333333ULL;
  v = (v | (v << 1)) & 0x5555555555555555ULL;
  return v;
}

/// A coordinate's cell on its axis: 0 .. 2^kLevels - 1 (NaN goes to 0).
uint64_t quantize(double v, double origin, double scale) {
  const double q = (v - origin) * scale;
  constexpr double kMax = static_cast<double>((1ULL << kLevels) - 1);
  if (!(q > 0)) return 0;
  return static_cast<uint64_t>(std::min(q, kMax));
}

}  // namespace

void BarnesHutTree::sort_points(std::span<const double> x, std::span<const double> y, std::span<const double> mass) {
  const size_t n = x.size();
  double min_x = x[0], max_x = x[0], min_y = y[0], max_y = y[0];
  for (size_t i = 1; i < n; ++i) {
    min_x = std::min(min_x, x[i]);
    max_x = std::max(max_x, x[i]);
    min_y = std::min(min_y, y[i]);
    max_y = std::max(max_y, y[i]);
  }
  const double extent = std::max(max_x - min_x, max_y - min_y);
  const double scale = extent > 0 ? static_cast<double>(1ULL << kLevels) / extent : 0;
  codes_.resize(n);
  codes_scratch_.resize(n);
  index_.resize(n);
  index_scratch_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    codes_[i] = spread_bits(quantize(x[i], min_x, scale)) | (spread_bits(quantize(y[i], min_y, scale)) << 1);
    index_[i] = static_cast<NodeIndex>(i);
  }
  // LSD radix sort: stable, so equal codes stay in index order and the result is deterministic.
  std::array<size_t, size_t{1} << kRadixBits> counts{};
  for (int pass = 0; pass < kRadixPasses; ++pass) {
    const int shift = pass * kRadixBits;
    counts.fill(0);
    for (size_t i = 0; i < n; ++i) ++counts[(codes_[i] >> shift) & ((1U << kRadixBits) - 1)];
    size_t total = 0;
    for (auto& c : counts) {
      const size_t here = c;
      c = total;
      total += here;
    }
    for (size_t i = 0; i < n; ++i) {
      const size_t slot = counts[(codes_[i] >> shift) & ((1U << kRadixBits) - 1)]++;
      codes_scratch_[slot] = codes_[i];
      index_scratch_[slot] = index_[i];
    }
    codes_.swap(codes_scratch_);
    index_.swap(index_scratch_);
  }
  px_.resize(n);
  py_.resize(n);
  pm_.resize(n);
  for (size_t s = 0; s < n; ++s) {
    px_[s] = x[index_[s]];
    py_[s] = y[index_[s]];
    pm_[s] = mass[index_[s]];
  }
}

void BarnesHutTree::build(std::span<const double> x, std::span<const double> y, std::span<const double> mass,
                          double theta) {
  cells_.clear();
  boxes_.clear();
  leaves_.clear();
  index_.clear();
  theta2_ = theta * theta;
  if (x.empty()) return;
  sort_points(x, y, mass);
  build_cell(0, static_cast<uint32_t>(x.size()), 0);
}

uint32_t BarnesHutTree::build_cell(uint32_t begin, uint32_t end, int level) {
  const auto c = static_cast<uint32_t>(cells_.size());
  cells_.push_back(Cell{0, 0, 0, 0, begin, end, 0, 0});
  boxes_.push_back(Box{0, 0, 0, 0});
  double mass = 0, mx = 0, my = 0;
  Box box{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  if (end - begin <= kLeafSize || level == kLevels) {
    for (uint32_t s = begin; s < end; ++s) {
      mass += pm_[s];
      mx += px_[s] * pm_[s];
      my += py_[s] * pm_[s];
      box = Box{std::min(box.x0, px_[s]), std::min(box.y0, py_[s]), std::max(box.x1, px_[s]), std::max(box.y1, py_[s])};
    }
    cells_[c].leaf = 1;
    leaves_.push_back(c);
  } else {
    // The points share the code's bits above this level; the next two bits pick the quadrant.
    const int shift = 2 * (kLevels - 1 - level);
    uint32_t from = begin;
    for (uint64_t q = 0; q < 4; ++q) {
      const auto to = static_cast<uint32_t>(
          std::partition_point(codes_.begin() + from, codes_.begin() + end,
                               [shift, q](uint64_t code) { return ((code >> shift) & 3U) <= q; }) -
          codes_.begin());
      if (to > from) {
        const uint32_t child = build_cell(from, to, level + 1);
        const Cell& k = cells_[child];
        const Box& b = boxes_[child];
        mass += k.mass;
        mx += k.x * k.mass;
        my += k.y * k.mass;
        box = Box{std::min(box.x0, b.x0), std::min(box.y0, b.y0), std::max(box.x1, b.x1), std::max(box.y1, b.y1)};
      }
      from = to;
    }
  }
  Cell& cell = cells_[c];
  cell.mass = mass;
  cell.x = mass > 0 ? mx / mass : (box.x0 + box.x1) * 0.5;
  cell.y = mass > 0 ? my / mass : (box.y0 + box.y1) * 0.5;
  const double size = std::max(box.x1 - box.x0, box.y1 - box.y0);
  cell.far2 = theta2_ > 0 ? size * size / theta2_ : std::numeric_limits<double>::infinity();
  cell.skip = static_cast<uint32_t>(cells_.size());
  boxes_[c] = box;
  return c;
}

void BarnesHutTree::collect(uint32_t leaf, Interactions& list) const {
  list.x.clear();
  list.y.clear();
  list.mass.clear();
  const Box& box = boxes_[leaf];
  const Cell& target = cells_[leaf];
  const auto count = static_cast<uint32_t>(cells_.size());
  for (uint32_t c = 0; c < count;) {
    const Cell& cell = cells_[c];
    // The distance from the cell's centre of mass to the nearest point of the leaf's box: if the cell is
    // far from all of the leaf, it is far from each of its points.
    const double dx = std::max(std::max(box.x0 - cell.x, cell.x - box.x1), 0.0);
    const double dy = std::max(std::max(box.y0 - cell.y, cell.y - box.y1), 0.0);
    const bool contains_leaf = cell.begin <= target.begin && target.end <= cell.end;
    if (!contains_leaf && cell.far2 < dx * dx + dy * dy) {
      list.x.push_back(cell.x);
      list.y.push_back(cell.y);
      list.mass.push_back(cell.mass);
      c = cell.skip;
    } else if (cell.leaf != 0) {
      for (uint32_t s = cell.begin; s < cell.end; ++s) {
        list.x.push_back(px_[s]);
        list.y.push_back(py_[s]);
        list.mass.push_back(pm_[s]);
      }
      c = cell.skip;
    } else {
      c = c + 1;
    }
  }
}

void BarnesHutTree::repulsion(double k, std::span<double> fx, std::span<double> fy, unsigned threads) const {
  parallel_for(leaves_.size(), kLeafChunk, threads, [&](size_t first, size_t last) {
    thread_local Interactions list;
    for (size_t l = first; l < last; ++l) {
      const Cell& leaf = cells_[leaves_[l]];
      collect(leaves_[l], list);
      const size_t m = list.x.size();
      const double* lx = list.x.data();
      const double* ly = list.y.data();
      const double* lm = list.mass.data();
      for (uint32_t s = leaf.begin; s < leaf.end; ++s) {
        const double px = px_[s], py = py_[s];
        // Four independent sums in a fixed pattern: faster, and still the same on any thread count.
        double ax[4] = {0, 0, 0, 0}, ay[4] = {0, 0, 0, 0};
        size_t j = 0;
        for (; j + 4 <= m; j += 4) {
          for (size_t u = 0; u < 4; ++u) {
            const double ex = px - lx[j + u], ey = py - ly[j + u];
            const double d2 = ex * ex + ey * ey;
            const double f = d2 > 0 ? lm[j + u] / d2 : 0.0;
            ax[u] += ex * f;
            ay[u] += ey * f;
          }
        }
        for (; j < m; ++j) {
          const double ex = px - lx[j], ey = py - ly[j];
          const double d2 = ex * ex + ey * ey;
          const double f = d2 > 0 ? lm[j] / d2 : 0.0;
          ax[0] += ex * f;
          ay[0] += ey * f;
        }
        const double scale = k * pm_[s];
        fx[index_[s]] = ((ax[0] + ax[1]) + (ax[2] + ax[3])) * scale;
        fy[index_[s]] = ((ay[0] + ay[1]) + (ay[2] + ay[3])) * scale;
      }
    }
  });
}

}  // namespace ampere::graph
