#include "analysis/attribution/janon.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace normsim::analysis {

namespace {

// sum += w·(x + y), cross += w·x·y, squares += w·(x² + y²), elementwise over G groups. The
// __restrict qualifiers (a GCC/Clang extension) tell the compiler that the four arrays do not
// overlap, so that the loop vectorises.
void accumulate(const double* __restrict y, double x, double w, double* __restrict sum, double* __restrict cross,
                double* __restrict squares, std::size_t groups) {
  for (std::size_t j = 0; j < groups; ++j) {
    sum[j] += w * (x + y[j]);
    cross[j] += w * (x * y[j]);
    squares[j] += w * (x * x + y[j] * y[j]);
  }
}

}  // namespace

std::vector<Estimate> janon_first_order(std::span<const double> y1, std::span<const double> y2,
                                        std::span<const Permutation> permutations, const BootstrapSettings& settings) {
  const std::size_t n = y1.size();
  if (n < 2) throw std::invalid_argument("janon_first_order: need at least 2 rows");
  require_size(y2, n, "y2");
  require_finite(y1, "y1");
  require_finite(y2, "y2");
  for (std::size_t j = 0; j < permutations.size(); ++j) {
    if (permutations[j].size() != n) {
      throw std::invalid_argument(fmt::format("janon_first_order: permutation {} has size {}, not {}", j,
                                              permutations[j].size(), n));
    }
  }
  // Centre by the pooled mean (two passes), and store each pair's second member once, so that a
  // resample reads it without indirection through the permutation.
  double mean = 0.0;
  for (std::size_t i = 0; i < n; ++i) mean += y1[i] + y2[i];
  mean /= static_cast<double>(2 * n);
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) ss += (y1[i] - mean) * (y1[i] - mean) + (y2[i] - mean) * (y2[i] - mean);
  if (!(ss > 0.0)) throw std::domain_error("janon_first_order: the output is constant (V = 0); indices are undefined");
  std::vector<double> first(n);
  for (std::size_t i = 0; i < n; ++i) first[i] = y1[i] - mean;
  const std::size_t groups = permutations.size();
  std::vector<double> second(n * groups);  // row-major: second[i·G + j] = y2[π_j(i)] − mean
  for (std::size_t j = 0; j < groups; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      second[i * groups + j] = y2[permutations[j].forward(static_cast<std::uint32_t>(i))] - mean;
    }
  }
  // Row-major so that a resampled row is one contiguous read and the G accumulations are independent
  // (they vectorise); group-major costs a dependent chain of random reads per group.
  const RowStatistic statistic = [&](std::span<const std::uint32_t> rows, std::span<double> out) {
    const auto count = static_cast<double>(rows.size());
    // The sums are the call's own: resamples are evaluated concurrently (bootstrap()).
    std::vector<double> sum(groups, 0.0), cross(groups, 0.0), squares(groups, 0.0);
    // Rows come sorted: a row drawn w times is accumulated once with weight w.
    for (std::size_t k = 0; k < rows.size();) {
      const std::uint32_t r = rows[k];
      std::size_t w = 1;
      while (k + w < rows.size() && rows[k + w] == r) ++w;
      k += w;
      accumulate(second.data() + std::size_t{r} * groups, first[r], static_cast<double>(w), sum.data(), cross.data(),
                 squares.data(), groups);
    }
    for (std::size_t j = 0; j < groups; ++j) {
      const double m = sum[j] / (2.0 * count);
      const double denominator = squares[j] / (2.0 * count) - m * m;
      out[j] = denominator > 0.0 ? (cross[j] / count - m * m) / denominator : 0.0;
    }
  };
  return bootstrap(n, permutations.size(), statistic, settings,
                   "first-order S (Janon et al. 2014, replicated design); percentile bootstrap");
}

}  // namespace normsim::analysis
