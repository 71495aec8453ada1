// normsim_prim_bench: how well discover() recovers planted boxes, and how long it takes, over many
// data seeds (figures for analysis/discovery/README.md; the unit tests check a few seeds each).
//
//   normsim_prim_bench [seeds] [points]     (default 50 seeds, 1000 points)
//
// Scenarios (D = 8 uniform dimensions, P(interest) 0.9 inside the planted region, 0.05 outside):
//   one     x0 < 0.3 ∧ x3 > 0.6
//   null    no region: interest Bernoulli(0.2) everywhere (false-positive rate of the box test)
// Default settings (α = 0.05, β_min = 0.05, max_quality (a = 0.5), quasi-p 0.05, 99 permutations, 100 resamples).
#include "analysis/discovery/discover.hpp"

#include "analysis/planted.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

using namespace normsim::analysis::discovery;
using test::Model;

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
    return fmt::format("mean {:.4f} sd {:.4f} [{:.4f}, {:.4f}]", mean, sd, *lo, *hi);
  }
};

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t seeds = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 50;
  const std::size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  const DiscoverySettings settings;

  Model one;
  one.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}};
  std::size_t exact = 0, found = 0;
  Summary x0_high, x3_low, coverage, density, planted_freq, other_freq, seconds, excess_sides;
  for (std::size_t s = 0; s < seeds; ++s) {
    const PointSet points = test::make_points(one, n, 1000 + s);
    const auto t0 = std::chrono::steady_clock::now();
    const DiscoveryResult r = discover(points, settings);
    seconds.add(seconds_since(t0));
    if (r.boxes.empty()) continue;
    ++found;
    const DiscoveredBox& b = r.boxes[0];
    bool x0 = false, x3 = false;
    std::size_t others = 0;
    for (const Restriction& res : b.restrictions) {
      if (res.dimension == 0 && res.side == Side::high) {
        x0 = true;
        x0_high.add(res.limit);
      } else if (res.dimension == 3 && res.side == Side::low) {
        x3 = true;
        x3_low.add(res.limit);
      } else {
        ++others;
      }
    }
    excess_sides.add(static_cast<double>(others));
    if (x0 && x3 && others == 0) ++exact;
    coverage.add(b.statistics.coverage);
    density.add(b.statistics.density);
    double other_max = 0.0;
    for (std::size_t d = 0; d < points.dimensions.size(); ++d) {
      const DimensionStability& ds = b.stability.dimensions[d];
      if (d == 0) planted_freq.add(ds.high.frequency);
      if (d == 3) planted_freq.add(ds.low.frequency);
      if (d != 0) other_max = std::max(other_max, ds.high.frequency);
      if (d != 3) other_max = std::max(other_max, ds.low.frequency);
    }
    other_freq.add(other_max);
  }
  fmt::print("one planted box x0 < 0.3 and x3 > 0.6, D = 8, N = {}, {} seeds\n", n, seeds);
  fmt::print("  first box accepted: {}/{}; exactly {{x0 high, x3 low}}: {}/{}\n", found, seeds, exact, seeds);
  fmt::print("  other restricted sides per box: {}\n", excess_sides.text());
  fmt::print("  x0 high limit:  {}\n  x3 low limit:   {}\n", x0_high.text(), x3_low.text());
  fmt::print("  coverage:       {}\n  density:        {}\n", coverage.text(), density.text());
  fmt::print("  bootstrap frequency, planted sides: {}\n", planted_freq.text());
  fmt::print("  bootstrap frequency, most frequent other side: {}\n", other_freq.text());
  fmt::print("  seconds per discover(): {}\n", seconds.text());

  Model null;
  null.p_out = 0.2;  // no region: interest Bernoulli(0.2) at every point
  std::size_t false_positives = 0;
  Summary null_seconds;
  for (std::size_t s = 0; s < seeds; ++s) {
    const PointSet points = test::make_points(null, n, 5000 + s);
    const auto t0 = std::chrono::steady_clock::now();
    const DiscoveryResult r = discover(points, settings);
    null_seconds.add(seconds_since(t0));
    if (!r.boxes.empty()) ++false_positives;
  }
  fmt::print("no structure, interest Bernoulli(0.2), N = {}: a box accepted in {}/{} seeds (nominal 5 %)\n", n,
             false_positives, seeds);
  fmt::print("  seconds per discover(): {}\n", null_seconds.text());
  return 0;
}
