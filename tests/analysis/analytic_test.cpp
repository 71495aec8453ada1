// Analytic validation: Ishigami, Sobol's G-function and a linear Gaussian model, each estimate within
// 4 bootstrap standard errors of the known value (percentile-bootstrap CIs; see analytic.hpp).
// Bootstrap standard errors assume independent rows, so on a scrambled Sobol design they overstate
// the error: the checks are conservative, never tuned.
#include "analysis/attribution/shapley.hpp"
#include "analysis/attribution/sobol_indices.hpp"
#include "analytic.hpp"

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

using namespace normsim::analysis;
using namespace normsim::analysis::test;

namespace {

constexpr double pi = std::numbers::pi;
constexpr double ishigami_a = 7.0;
constexpr double ishigami_b = 0.1;

double ishigami(std::span<const double> u) {
  const double x1 = -pi + 2.0 * pi * u[0];
  const double x2 = -pi + 2.0 * pi * u[1];
  const double x3 = -pi + 2.0 * pi * u[2];
  return std::sin(x1) + ishigami_a * std::sin(x2) * std::sin(x2) + ishigami_b * std::pow(x3, 4) * std::sin(x1);
}

// Ishigami's partial variances (Sobol' & Levitan 1999): V1 = ½(1 + bπ⁴/5)², V2 = a²/8,
// V13 = b²π⁸(1/18 − 1/50) = 8b²π⁸/225, and no other term.
struct IshigamiTruth {
  double v1 = 0.5 * std::pow(1.0 + ishigami_b * std::pow(pi, 4) / 5.0, 2);
  double v2 = ishigami_a * ishigami_a / 8.0;
  double v13 = 8.0 * ishigami_b * ishigami_b * std::pow(pi, 8) / 225.0;
  double v = v1 + v2 + v13;
};

}  // namespace

TEST_CASE("Ishigami: first-order and total indices, CI coverage, second order", "[analysis][analytic]") {
  const IshigamiTruth t;
  const std::array<double, 3> s{t.v1 / t.v, t.v2 / t.v, 0.0};
  const std::array<double, 3> st{(t.v1 + t.v13) / t.v, t.v2 / t.v, t.v13 / t.v};
  // The rounded values.
  CHECK(s[0] == Approx(0.3139).margin(1e-4));
  CHECK(s[1] == Approx(0.4424).margin(1e-4));
  CHECK(st[0] == Approx(0.5576).margin(1e-4));
  CHECK(st[2] == Approx(0.2437).margin(1e-4));

  const SaltelliDesign design(3, 1U << 13, 2026);
  const SaltelliRuns runs = run_saltelli(design, ishigami);
  const SobolIndices idx = sobol_indices(runs.view());
  for (std::size_t j = 0; j < 3; ++j) {
    check_within_4se(idx.first_order[j], s[j]);
    check_within_4se(idx.total[j], st[j]);
    // Coverage sanity: the 95 % percentile interval of this (fixed-seed) run holds the truth.
    CHECK((idx.first_order[j].ci_low <= s[j] && s[j] <= idx.first_order[j].ci_high));
    CHECK((idx.total[j].ci_low <= st[j] && st[j] <= idx.total[j].ci_high));
    CHECK(idx.first_order[j].n == 1U << 13);
  }

  // Centring: an output offset of 1e6 (sd ≈ 3.7) changes no index beyond round-off.
  SaltelliRuns shifted = runs;
  for (auto* y : {&shifted.y_a, &shifted.y_b, &shifted.y_ab[0], &shifted.y_ab[1], &shifted.y_ab[2]}) {
    for (double& v : *y) v += 1e6;
  }
  const SobolIndices idx_shifted = sobol_indices(shifted.view());
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(idx_shifted.first_order[j].value == Approx(idx.first_order[j].value).margin(1e-8));
    CHECK(idx_shifted.total[j].value == Approx(idx.total[j].value).margin(1e-8));
  }

  // Closed second order via AB_ij: S_13 = V13/V, S_12 = S_23 = 0.
  const Grouping grouping = Grouping::singletons(3);
  const std::array<std::array<std::size_t, 2>, 3> pairs{{{0, 1}, {0, 2}, {1, 2}}};
  std::vector<std::vector<double>> y_pair(3, std::vector<double>(design.rows()));
  std::vector<double> x(3);
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::uint64_t i = 0; i < design.rows(); ++i) {
      design.mixed_row(i, grouping, mix_ab(3, pairs[p][0], pairs[p][1]), x);
      y_pair[p][i] = ishigami(x);
    }
  }
  const std::vector<PairOutputs> pair_outputs{
      {0, 1, y_pair[0]}, {0, 2, y_pair[1]}, {1, 2, y_pair[2]}};
  const std::vector<Estimate> s2 = second_order_indices(runs.view(), pair_outputs);
  check_within_4se(s2[0], 0.0);
  check_within_4se(s2[1], t.v13 / t.v);
  check_within_4se(s2[2], 0.0);
}

TEST_CASE("Ishigami: Shapley effects sum to 1 and lie between S and ST", "[analysis][analytic]") {
  // Only x1 and x3 interact (V13), and a Shapley effect splits an interaction equally among its
  // members: Sh1 = (V1 + V13/2)/V, Sh2 = V2/V, Sh3 = (V13/2)/V.
  const IshigamiTruth t;
  const std::array<double, 3> sh{(t.v1 + t.v13 / 2.0) / t.v, t.v2 / t.v, t.v13 / 2.0 / t.v};
  const SaltelliDesign design(3, 1U << 13, 11);
  const ShapleyDesign shapley(design.rows(), 3, 12);
  const std::vector<Estimate> effects = shapley_effects(shapley, run_shapley(shapley, design, ishigami));
  const SobolIndices idx = sobol_indices(run_saltelli(design, ishigami).view());
  double sum = 0.0;
  for (std::size_t j = 0; j < 3; ++j) {
    check_within_4se(effects[j], sh[j]);
    check_ordered(idx.first_order[j], effects[j]);
    check_ordered(effects[j], idx.total[j]);
    sum += effects[j].value;
  }
  CHECK(sum == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("Sobol G-function: first-order, total and radial total indices", "[analysis][analytic]") {
  constexpr std::array<double, 8> a{0, 1, 4.5, 9, 99, 99, 99, 99};
  std::array<double, 8> vi{};
  double prod = 1.0;
  for (std::size_t i = 0; i < 8; ++i) {
    vi[i] = 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
    prod *= 1.0 + vi[i];
  }
  const double v = prod - 1.0;
  const auto g = [&a](std::span<const double> u) {
    double y = 1.0;
    for (std::size_t i = 0; i < 8; ++i) y *= (std::abs(4.0 * u[i] - 2.0) + a[i]) / (1.0 + a[i]);
    return y;
  };
  const SaltelliDesign design(8, 1U << 13, 99);
  const SaltelliRuns runs = run_saltelli(design, g);
  const SobolIndices idx = sobol_indices(runs.view());
  std::vector<std::span<const double>> radial;
  for (const auto& y : runs.y_ab) radial.emplace_back(y);
  const std::vector<Estimate> radial_totals = radial_total_indices(runs.y_a, radial);
  const std::vector<Estimate> radial_pooled = radial_total_indices(runs.y_a, radial, {}, runs.y_b);
  for (std::size_t i = 0; i < 8; ++i) {
    const double s = vi[i] / v;
    const double st = vi[i] * prod / (1.0 + vi[i]) / v;
    check_within_4se(idx.first_order[i], s);
    check_within_4se(idx.total[i], st);
    check_within_4se(radial_totals[i], st);
    check_within_4se(radial_pooled[i], st);
  }
}

TEST_CASE("Linear Gaussian model: S = ST = Sh = beta^2 sigma^2 / V", "[analysis][analytic]") {
  constexpr std::array<double, 4> beta{1.0, -2.0, 0.5, 3.0};
  constexpr std::array<double, 4> sigma{1.0, 0.5, 2.0, 0.3};
  double v = 0.0;
  for (std::size_t i = 0; i < 4; ++i) v += beta[i] * beta[i] * sigma[i] * sigma[i];
  const boost::math::normal standard;
  const auto f = [&](std::span<const double> u) {
    double y = 10.0;  // an offset: the centring must make it irrelevant
    for (std::size_t i = 0; i < 4; ++i) y += beta[i] * sigma[i] * boost::math::quantile(standard, u[i]);
    return y;
  };
  const SaltelliDesign design(4, 1U << 12, 5);
  const SobolIndices idx = sobol_indices(run_saltelli(design, f).view());
  const ShapleyDesign shapley(design.rows(), 4, 6);
  const std::vector<Estimate> sh = shapley_effects(shapley, run_shapley(shapley, design, f));
  for (std::size_t i = 0; i < 4; ++i) {
    const double truth = beta[i] * beta[i] * sigma[i] * sigma[i] / v;
    check_within_4se(idx.first_order[i], truth);
    check_within_4se(idx.total[i], truth);
    check_within_4se(sh[i], truth);
  }
}

TEST_CASE("Estimators reject NaN and constant outputs, and check sizes", "[analysis][errors]") {
  std::vector<double> y_a{1.0, 2.0, 3.0, 4.0};
  std::vector<double> y_b{2.0, 1.0, 4.0, 3.0};
  std::vector<double> y_ab{1.0, std::numeric_limits<double>::quiet_NaN(), 3.0, 4.0};
  PickFreezeOutputs o{y_a, y_b, {std::span<const double>(y_ab)}};
  CHECK_THROWS_AS(sobol_indices(o), std::invalid_argument);
  CHECK_THROWS_WITH(sobol_indices(o), Catch::Contains("y_AB[0]") && Catch::Contains("row 1"));
  y_ab[1] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(radial_total_indices(y_a, {std::span<const double>(y_ab)}), std::invalid_argument);
  std::vector<double> short_b{1.0, 2.0};
  CHECK_THROWS_AS(sobol_indices({y_a, short_b, {}}), std::invalid_argument);
  const std::vector<double> constant(4, 5.0);
  CHECK_THROWS_AS(sobol_indices({constant, constant, {std::span<const double>(constant)}}), std::domain_error);
  const std::vector<PairOutputs> bad_pair{{0, 0, y_a}};
  CHECK_THROWS_AS(second_order_indices({y_a, y_b, {std::span<const double>(y_a)}}, bad_pair), std::invalid_argument);
  BootstrapSettings bad;
  bad.confidence = 1.0;
  CHECK_THROWS_AS(sobol_indices({y_a, y_b, {}}, bad), std::invalid_argument);
}

TEST_CASE("Screening skips groups whose total index is confidently below the threshold", "[analysis][screening]") {
  std::vector<Estimate> totals(3);
  totals[0].value = 0.30;
  totals[0].ci_high = 0.35;
  totals[1].value = 0.001;
  totals[1].ci_high = 0.004;
  totals[2].value = 0.004;
  totals[2].ci_high = 0.02;  // below the threshold, but not confidently
  const std::vector<bool> skip = groups_to_skip(totals, 0.01);
  CHECK(skip == std::vector<bool>{false, true, false});
  const std::vector<std::size_t> member_group{0, 1, 1, 2, 0};
  CHECK(members_to_track(member_group, skip) == std::vector<std::size_t>{0, 3, 4});
  const std::vector<std::size_t> bad{3};
  CHECK_THROWS_AS(members_to_track(bad, skip), std::out_of_range);
}
