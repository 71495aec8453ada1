#pragma once
// Test helpers: run a function of the d Sobol inputs on every run of a Saltelli or Shapley design,
// and compare estimates with analytic values in units of their standard errors.
#include "analysis/attribution/design.hpp"
#include "analysis/attribution/estimate.hpp"
#include "analysis/attribution/sobol_indices.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <span>
#include <vector>

namespace normsim::analysis::test {

using Function = std::function<double(std::span<const double> unit_inputs)>;

/// Outputs of A, B and every AB_j of a Saltelli design with singleton groups (owns the arrays).
struct SaltelliRuns {
  std::vector<double> y_a, y_b;
  std::vector<std::vector<double>> y_ab;

  [[nodiscard]] PickFreezeOutputs view() const {
    PickFreezeOutputs o{y_a, y_b, {}};
    for (const auto& v : y_ab) o.y_ab.emplace_back(v);
    return o;
  }
};

inline SaltelliRuns run_saltelli(const SaltelliDesign& design, const Function& f) {
  const Grouping grouping = Grouping::singletons(design.inputs());
  const auto n = static_cast<std::size_t>(design.rows());
  SaltelliRuns runs{std::vector<double>(n), std::vector<double>(n),
                    std::vector<std::vector<double>>(design.inputs(), std::vector<double>(n))};
  std::vector<double> x(design.inputs());
  for (std::size_t i = 0; i < n; ++i) {
    design.row(i, SaltelliDesign::Matrix::a, x);
    runs.y_a[i] = f(x);
    design.row(i, SaltelliDesign::Matrix::b, x);
    runs.y_b[i] = f(x);
    for (std::size_t j = 0; j < design.inputs(); ++j) {
      design.mixed_row(i, grouping, mix_ab(design.inputs(), j), x);
      runs.y_ab[j][i] = f(x);
    }
  }
  return runs;
}

/// Outputs y[i·(d+1) + s] of Goda's Shapley design, A and B taken from a Saltelli design.
inline std::vector<double> run_shapley(const ShapleyDesign& shapley, const SaltelliDesign& design, const Function& f) {
  const Grouping grouping = Grouping::singletons(design.inputs());
  std::vector<double> y(static_cast<std::size_t>(shapley.runs()));
  std::vector<double> x(design.inputs());
  std::size_t k = 0;
  for (std::uint64_t i = 0; i < shapley.rows(); ++i) {
    for (std::size_t s = 0; s <= shapley.groups(); ++s) {
      design.mixed_row(i, grouping, shapley.mix(i, s), x);
      y[k++] = f(x);
    }
  }
  return y;
}

/// |estimate − truth| ≤ 4 standard errors. The 1e-12 term only matters where the truth is exactly 0
/// and the estimator is exact up to round-off (e.g. Ishigami's S_12: the standard error is then
/// itself round-off, ~1e-15, and 4 of it is not a meaningful tolerance).
inline void check_within_4se(const Estimate& e, double truth) {
  INFO(e.estimator << ": estimate " << e.value << " ± " << e.standard_error << " [" << e.ci_low << ", "
                   << e.ci_high << "], truth " << truth);
  CHECK(std::abs(e.value - truth) <= 4.0 * e.standard_error + 1e-12);
}

/// a ≤ b within 4 combined standard errors.
inline void check_ordered(const Estimate& a, const Estimate& b) {
  INFO(a.estimator << " " << a.value << " ± " << a.standard_error << " vs " << b.estimator << " " << b.value
                   << " ± " << b.standard_error);
  CHECK(a.value <= b.value + 4.0 * std::hypot(a.standard_error, b.standard_error));
}

}  // namespace normsim::analysis::test
