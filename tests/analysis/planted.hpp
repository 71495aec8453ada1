#pragma once
// Synthetic data for the PRIM tests: N points uniform in the unit cube [0, 1]^D, each of interest with
// probability p_in inside a union of planted boxes and p_out outside, drawn from Philox4x64-10 by
// (seed, point): deterministic and independent of N. Also the population (N → ∞) density and
// coverage of any query box under the same model, so that tolerances come from the model, not from
// a run.
#include "analysis/discovery/box.hpp"

#include "random/streams.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace normsim::analysis::discovery::test {

/// An interval [low, high] of one dimension of the unit cube.
struct Interval {
  std::size_t dim = 0;
  double low = 0.0;
  double high = 1.0;
};

/// An axis-aligned box of the unit cube: the listed intervals, [0, 1] elsewhere.
using Region = std::vector<Interval>;

/// The planted model: P(interest) = p_in inside any region, p_out elsewhere (at most two regions).
struct Model {
  std::size_t dims = 8;
  std::vector<Region> regions;
  double p_in = 0.9;
  double p_out = 0.05;
};

/// Uniform on (0, 1) from the top 53 bits of a word.
inline double unit(std::uint64_t word) { return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53; }

/// Dimensions x0 … x{D−1}, each numeric on [0, 1].
inline std::vector<Dimension> unit_dimensions(std::size_t dims) {
  std::vector<Dimension> out;
  for (std::size_t d = 0; d < dims; ++d) {
    std::string name = "x";  // (not "x" + to_string: GCC 12 warns falsely, -Wrestrict)
    name += std::to_string(d);
    out.push_back(Dimension::numeric(std::move(name), 0.0, 1.0));
  }
  return out;
}

/// True if the point lies in the region.
inline bool in_region(const Region& region, const std::vector<double>& x) {
  return std::all_of(region.begin(), region.end(),
                     [&x](const Interval& iv) { return x[iv.dim] >= iv.low && x[iv.dim] <= iv.high; });
}

/// N points of the model. Word w of point i is word w % 4 of Philox4x64({i, w / 4, 0, 0}, {seed, "planted"}):
/// coordinates take words 0 … D−1 and the interest coin word D.
inline PointSet make_points(const Model& model, std::size_t n, std::uint64_t seed) {
  constexpr std::uint64_t kPlantedDomain = 0x706c616e74656421ULL;  // "planted!"
  PointSet points;
  points.dimensions = unit_dimensions(model.dims);
  points.columns.assign(model.dims, std::vector<double>(n));
  points.interest.resize(n);
  std::vector<double> x(model.dims);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint64_t> words;
    for (std::uint64_t b = 0; words.size() < model.dims + 1; ++b) {
      const auto block = random::philox64({i, b, 0, 0}, {seed, kPlantedDomain});
      words.insert(words.end(), block.begin(), block.end());
    }
    for (std::size_t d = 0; d < model.dims; ++d) x[d] = points.columns[d][i] = unit(words[d]);
    const bool inside = std::any_of(model.regions.begin(), model.regions.end(),
                                    [&x](const Region& r) { return in_region(r, x); });
    points.interest[i] = unit(words[model.dims]) < (inside ? model.p_in : model.p_out) ? 1.0 : 0.0;
  }
  return points;
}

/// Volume of the intersection of a query box (per-dimension [low, high] in the unit cube) with regions.
inline double overlap(const std::vector<Interval>& query, const std::vector<const Region*>& regions) {
  double volume = 1.0;
  for (const Interval& q : query) {
    double lo = q.low;
    double hi = q.high;
    for (const Region* r : regions) {
      for (const Interval& iv : *r) {
        if (iv.dim != q.dim) continue;
        lo = std::max(lo, iv.low);
        hi = std::min(hi, iv.high);
      }
    }
    volume *= std::max(0.0, hi - lo);
  }
  return volume;
}

/// Population statistics of a query box (one Interval per dimension, all D of them) under the model.
struct Population {
  double density = 0.0;
  double coverage = 0.0;
  double mass = 0.0;
};

inline Population population(const Model& model, const std::vector<Interval>& query) {
  // Volume inside the union of the regions, by inclusion–exclusion (one or two regions).
  const auto union_volume = [&](const std::vector<Interval>& q) {
    double v = 0.0;
    for (const Region& r : model.regions) v += overlap(q, {&r});
    if (model.regions.size() == 2) v -= overlap(q, {&model.regions[0], &model.regions[1]});
    return v;
  };
  std::vector<Interval> cube;
  for (std::size_t d = 0; d < model.dims; ++d) cube.push_back({d, 0.0, 1.0});
  const double volume = overlap(query, {});
  const double in = union_volume(query);
  const double total = model.p_in * union_volume(cube) + model.p_out * (1.0 - union_volume(cube));
  const double interest = model.p_in * in + model.p_out * (volume - in);
  return {interest / volume, interest / total, volume};
}

/// The query box of a discovered box's limits (numeric dimensions on [0, 1]).
inline std::vector<Interval> as_query(const Box& box) {
  std::vector<Interval> q;
  for (std::size_t d = 0; d < box.limits.size(); ++d) q.push_back({d, box.limits[d].low, box.limits[d].high});
  return q;
}

}  // namespace normsim::analysis::discovery::test
