// normsim_prim_bench: how well discover() recovers planted boxes, and how long it takes, over many
// data seeds (the figures of analysis/discovery/README.md; the unit tests check a few seeds each).
//
//   normsim_prim_bench [seeds] [points]     (default 50 seeds, 1000 points; two boxes use 2×)
//
// Scenarios (uniform dimensions, P(interest) 0.9 inside the planted region, 0.05 outside):
//   one          D = 8, x0 < 0.3 ∧ x3 > 0.6
//   two          D = 8, that and x1 > 0.7 ∧ x5 < 0.35
//   categorical  D = 4 + f ∈ {a, b, c}, f = b ∧ x1 < 0.5
//   null         D = 8, no region, interest Bernoulli(0.2) everywhere
// Default settings (α = 0.05, β_min = 0.05, max_quality a = ½, quasi-p 0.05, 99 permutations, 100
// resamples). A limit is "within tolerance" when within 2·α·(planted width) of the planted limit.
#include "analysis/discovery/discover.hpp"

#include "analysis/planted.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace normsim::analysis::discovery;
using test::Interval;
using test::Model;
using test::Region;

namespace {

struct Summary {
  std::vector<double> values;
  void add(double v) { values.push_back(v); }
  [[nodiscard]] std::string text() const {
    if (values.empty()) return "-";
    double mean = 0.0;
    for (const double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double ss = 0.0;
    for (const double v : values) ss += (v - mean) * (v - mean);
    const double sd = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return fmt::format("mean {:.3f} sd {:.3f} [{:.3f}, {:.3f}]", mean, sd, *lo, *hi);
  }
};

using SideKey = std::pair<std::size_t, Side>;

struct Planted {
  std::set<SideKey> sides;
  std::vector<std::pair<SideKey, double>> limits;  // planted limit per side
  std::vector<double> tolerances;
};

Planted planted(const Region& region, double alpha) {
  Planted p;
  for (const Interval& iv : region) {
    const double tol = 2.0 * alpha * (iv.high - iv.low);
    if (iv.low > 0.0) {
      p.sides.emplace(iv.dim, Side::low);
      p.limits.push_back({{iv.dim, Side::low}, iv.low});
      p.tolerances.push_back(tol);
    }
    if (iv.high < 1.0) {
      p.sides.emplace(iv.dim, Side::high);
      p.limits.push_back({{iv.dim, Side::high}, iv.high});
      p.tolerances.push_back(tol);
    }
  }
  return p;
}

struct Tally {
  std::size_t exact = 0, within = 0, boxes = 0;
  Summary error, coverage, density, planted_frequency, other_frequency, similarity;
};

// Scores a box against a planted region: exact sides, limits within tolerance, frequencies.
void score(const DiscoveredBox& box, const Planted& p, std::size_t dims, Tally& t) {
  ++t.boxes;
  std::set<SideKey> sides;
  for (const Restriction& r : box.restrictions) sides.emplace(r.dimension, r.side);
  if (sides == p.sides) ++t.exact;
  bool within = true;
  for (std::size_t k = 0; k < p.limits.size(); ++k) {
    const auto& [key, limit] = p.limits[k];
    const Limits& l = box.box.limits[key.first];
    const double err = (key.second == Side::low ? l.low : l.high) - limit;
    t.error.add(std::abs(err));
    within = within && std::abs(err) <= p.tolerances[k];
  }
  if (within) ++t.within;
  t.coverage.add(box.statistics.coverage);
  t.density.add(box.statistics.density);
  t.similarity.add(box.stability.similarity);
  double other = 0.0;
  for (std::size_t d = 0; d < dims; ++d) {
    const DimensionStability& ds = box.stability.dimensions[d];
    const std::pair<Side, double> all[] = {{Side::low, ds.low.frequency}, {Side::high, ds.high.frequency},
                                           {Side::levels, ds.levels.frequency}};
    for (const auto& [side, f] : all) {
      if (p.sides.count({d, side})) {
        t.planted_frequency.add(f);
      } else {
        other = std::max(other, f);
      }
    }
  }
  t.other_frequency.add(other);
}

void print(const char* name, const Tally& t, std::size_t expected, const Summary& seconds) {
  fmt::print("{}\n  boxes scored {}/{}; exact restricted sides {}; all limits within 2·α·w {}\n", name, t.boxes,
             expected, t.exact, t.within);
  fmt::print("  |limit error|:   {}\n  coverage:        {}\n  density:         {}\n", t.error.text(),
             t.coverage.text(), t.density.text());
  fmt::print("  bootstrap frequency, planted sides:         {}\n", t.planted_frequency.text());
  fmt::print("  bootstrap frequency, most frequent other:   {}\n", t.other_frequency.text());
  fmt::print("  bootstrap similarity of matched boxes:      {}\n", t.similarity.text());
  fmt::print("  seconds per discover():                     {}\n", seconds.text());
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

PointSet with_factor(PointSet points, std::uint64_t seed) {
  points.dimensions.push_back(Dimension::categorical("f", {"a", "b", "c"}));
  points.columns.emplace_back();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto block = normsim::random::philox64({i, 0, 0, 0}, {seed, 0x6661637465726f72ULL});
    const auto level = normsim::random::uniform_index(static_cast<std::uint32_t>(block[0] >> 32), 3);
    points.columns.back().push_back(level);
    const bool inside = level == 1 && points.columns[1][i] < 0.5;
    points.interest[i] = test::unit(block[1]) < (inside ? 0.9 : 0.05) ? 1.0 : 0.0;
  }
  return points;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t seeds = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 50;
  const std::size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  const DiscoverySettings settings;
  const double alpha = settings.prim.peel_alpha;
  fmt::print("normsim_prim_bench: {} data seeds, N = {} (two boxes: {})\n\n", seeds, n, 2 * n);

  {
    Model one;
    one.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}};
    const Planted p = planted(one.regions[0], alpha);
    Tally t;
    Summary seconds;
    for (std::size_t s = 0; s < seeds; ++s) {
      const PointSet points = test::make_points(one, n, 1000 + s);
      const auto t0 = std::chrono::steady_clock::now();
      const DiscoveryResult r = discover(points, settings);
      seconds.add(seconds_since(t0));
      if (!r.boxes.empty()) score(r.boxes[0], p, one.dims, t);
    }
    print("one planted box: x0 < 0.3 and x3 > 0.6, D = 8", t, seeds, seconds);
  }
  {
    Model two;
    two.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}, {{1, 0.7, 1.0}, {5, 0.0, 0.35}}};
    const Planted pa = planted(two.regions[0], alpha);
    const Planted pb = planted(two.regions[1], alpha);
    Tally t;
    Summary seconds;
    std::size_t both = 0;
    for (std::size_t s = 0; s < seeds; ++s) {
      const PointSet points = test::make_points(two, 2 * n, 2000 + s);
      const auto t0 = std::chrono::steady_clock::now();
      const DiscoveryResult r = discover(points, settings);
      seconds.add(seconds_since(t0));
      std::set<std::set<SideKey>> found;
      for (std::size_t k = 0; k < std::min<std::size_t>(2, r.boxes.size()); ++k) {
        std::set<SideKey> sides;
        for (const Restriction& x : r.boxes[k].restrictions) sides.emplace(x.dimension, x.side);
        found.insert(sides);
        score(r.boxes[k], sides == pb.sides ? pb : pa, two.dims, t);
      }
      if (found == std::set<std::set<SideKey>>{pa.sides, pb.sides}) ++both;
    }
    print("two planted boxes: x0 < 0.3 and x3 > 0.6; x1 > 0.7 and x5 < 0.35, D = 8 (first two boxes)", t,
          2 * seeds, seconds);
    fmt::print("  seeds whose first two boxes are exactly the two planted ones: {}/{}\n", both, seeds);
  }
  {
    Model numeric;
    numeric.dims = 4;
    Planted p = planted({{1, 0.0, 0.5}}, alpha);
    p.sides.emplace(4, Side::levels);
    Tally t;
    Summary seconds;
    std::size_t level_b = 0;
    for (std::size_t s = 0; s < seeds; ++s) {
      const PointSet points = with_factor(test::make_points(numeric, n, 3000 + s), 3000 + s);
      const auto t0 = std::chrono::steady_clock::now();
      const DiscoveryResult r = discover(points, settings);
      seconds.add(seconds_since(t0));
      if (r.boxes.empty()) continue;
      score(r.boxes[0], p, 5, t);
      if (r.boxes[0].box.limits[4].levels == 0b010U) ++level_b;
    }
    print("categorical: f = b and x1 < 0.5, D = 4 + f", t, seeds, seconds);
    fmt::print("  boxes admitting exactly level b: {}/{}\n", level_b, seeds);
  }
  {
    Model null;
    null.p_out = 0.2;
    std::size_t reported = 0;
    std::size_t tested = 0;
    Summary seconds;
    for (std::size_t s = 0; s < seeds; ++s) {
      const PointSet points = test::make_points(null, n, 5000 + s);
      const auto t0 = std::chrono::steady_clock::now();
      const DiscoveryResult r = discover(points, settings);
      seconds.add(seconds_since(t0));
      if (!r.boxes.empty()) ++reported;
      const DiscoveredBox* first = r.boxes.empty() ? (r.rejected ? &*r.rejected : nullptr) : &r.boxes[0];
      if (first && !std::isnan(first->p_value)) ++tested;
    }
    fmt::print("no structure: interest Bernoulli(0.2), D = 8\n  a box reported in {}/{} seeds (test level 5 %); "
               "{} reached the permutation test, the others had no restriction left or no density gain\n",
               reported, seeds, tested);
    fmt::print("  seconds per discover():                     {}\n", seconds.text());
  }
  return 0;
}
