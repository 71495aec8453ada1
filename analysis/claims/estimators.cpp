#include "analysis/claims/estimators.hpp"

#include "analysis/attribution/norm_share.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>

namespace normsim::analysis {

ClaimEstimate paired_difference_interval(std::span<const double> a, std::span<const double> b, double confidence) {
  const Estimate e = paired_mean_difference(a, b, confidence);
  return {e.value, e.ci_low, e.ci_high, a.size()};
}

ClaimEstimate mean_interval(std::span<const double> y, double confidence) {
  // The difference with zero, so that a mean and a paired difference share one computation.
  const std::vector<double> zeros(y.size(), 0.0);
  return paired_difference_interval(y, zeros, confidence);
}

ClaimEstimate proportion_interval(std::uint64_t k, std::uint64_t n, double confidence) {
  const auto nn = static_cast<double>(n);
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
  const double p = static_cast<double>(k) / nn;
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  // At k = 0 or k = n one end is 0 or 1 exactly; rounding must not leave p outside its interval.
  return {p, std::clamp(centre - half, 0.0, p), std::clamp(centre + half, p, 1.0), n};
}

ClaimEstimate sum_of_intervals(std::span<const double> estimates, std::span<const double> lows,
                               std::span<const double> highs, std::uint64_t n) {
  ClaimEstimate sum{0.0, 0.0, 0.0, n};
  for (std::size_t i = 0; i < estimates.size(); ++i) {
    sum.estimate += estimates[i];
    sum.low += lows[i];
    sum.high += highs[i];
  }
  return sum;
}

ClaimEstimate top_k_sum(std::span<const double> estimates, std::span<const double> lows,
                        std::span<const double> highs, std::size_t k, std::uint64_t n) {
  k = std::min(k, estimates.size());
  const auto top = [k](std::span<const double> values) {
    std::vector<double> v(values.begin(), values.end());
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end(), std::greater<>());
    double s = 0;
    for (std::size_t i = 0; i < k; ++i) s += v[i];
    return s;
  };
  return {top(estimates), top(lows), top(highs), n};
}

Verdict overall_verdict(std::span<const Verdict> verdicts) noexcept {
  if (verdicts.empty()) return Verdict::inconclusive;
  bool open = false;
  for (const Verdict v : verdicts) {
    if (v == Verdict::fails) return Verdict::fails;
    open = open || v == Verdict::inconclusive;
  }
  return open ? Verdict::inconclusive : Verdict::holds;
}

FactorCells cells_over(const std::vector<std::vector<std::int64_t>>& levels, std::size_t factor,
                       std::size_t level_count) {
  FactorCells cells;
  std::map<std::vector<std::int64_t>, std::size_t> index;
  for (std::size_t p = 0; p < levels.size(); ++p) {
    const std::vector<std::int64_t>& row = levels[p];
    if (factor >= row.size()) throw std::invalid_argument("cells_over: no such factor");
    const std::int64_t level = row[factor];
    if (level < 0 || static_cast<std::size_t>(level) >= level_count) {
      throw std::invalid_argument("cells_over: level out of range at point " + std::to_string(p));
    }
    std::vector<std::int64_t> key;
    for (std::size_t f = 0; f < row.size(); ++f) {
      if (f != factor) key.push_back(row[f]);
    }
    auto [it, added] = index.emplace(std::move(key), cells.points.size());
    if (added) {
      cells.points.emplace_back(level_count, 0);
      cells.first_point.push_back(p);
    }
    cells.points[it->second][static_cast<std::size_t>(level)] = p;
  }
  return cells;
}

}  // namespace normsim::analysis
