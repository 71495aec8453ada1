// Per-point summary statistics (see summary.hpp).
#include "output/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace normsim::output {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double quantile_type7(std::span<const double> sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double lo = std::floor(h);
  const auto i = static_cast<std::size_t>(lo);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

OutcomeSummary summarize(std::span<const double> values, std::vector<double>& scratch) {
  scratch.clear();
  double sum = 0;
  for (double x : values)
    if (!std::isnan(x)) {
      scratch.push_back(x);
      sum += x;  // replicate order: the same bits whatever order the runs finished in
    }
  OutcomeSummary s;
  s.n = scratch.size();
  if (s.n == 0) {
    s.mean = s.sd = s.se = s.q05 = s.q50 = s.q95 = kNaN;
    return s;
  }
  const double n = static_cast<double>(s.n);
  s.mean = sum / n;
  if (s.n >= 2) {
    // Two passes (deviations from the mean) rather than Σx² − n·mean²: no cancellation.
    double ss = 0;
    for (double x : scratch) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / (n - 1));
    s.se = s.sd / std::sqrt(n);
  } else {
    s.sd = s.se = kNaN;
  }
  std::sort(scratch.begin(), scratch.end());
  s.q05 = quantile_type7(scratch, 0.05);
  s.q50 = quantile_type7(scratch, 0.50);
  s.q95 = quantile_type7(scratch, 0.95);
  return s;
}

}  // namespace normsim::output
