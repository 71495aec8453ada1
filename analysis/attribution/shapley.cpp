#include "analysis/attribution/shapley.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace normsim::analysis {

std::vector<Estimate> shapley_effects(const ShapleyDesign& design, std::span<const double> y,
                                      const BootstrapSettings& settings) {
  const std::size_t g_count = design.groups();
  const auto n = static_cast<std::size_t>(design.rows());
  require_size(y, n * (g_count + 1), "shapley_effects: y");
  require_finite(y, "shapley_effects: y");
  // Per-row contributions c[i·G + g] and half squared differences h[i]: O(N·G) memory, computed once.
  std::vector<double> contribution(n * g_count);
  std::vector<double> half_square(n);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = y.data() + i * (g_count + 1);
    const std::vector<std::size_t> order = design.order(i);
    for (std::size_t s = 1; s <= g_count; ++s) {
      contribution[i * g_count + order[s - 1]] = (row[s - 1] - row[s]) * (row[0] - 0.5 * (row[s - 1] + row[s]));
    }
    half_square[i] = 0.5 * (row[0] - row[g_count]) * (row[0] - row[g_count]);
    total += half_square[i];
  }
  if (!(total > 0.0)) throw std::domain_error("shapley_effects: the output is constant (V = 0); effects are undefined");
  const RowStatistic statistic = [&](std::span<const std::uint32_t> rows, std::span<double> out) {
    double v = 0.0;
    for (std::size_t g = 0; g < g_count; ++g) out[g] = 0.0;
    for (const std::uint32_t r : rows) {
      v += half_square[r];
      const double* c = contribution.data() + std::size_t{r} * g_count;
      for (std::size_t g = 0; g < g_count; ++g) out[g] += c[g];
    }
    for (std::size_t g = 0; g < g_count; ++g) out[g] = v > 0.0 ? out[g] / v : 0.0;
  };
  return bootstrap(n, g_count, statistic, settings, "Shapley effect (Goda 2021 permutation estimator); percentile bootstrap");
}

}  // namespace normsim::analysis
