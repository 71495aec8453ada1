// Norm share (law of total variance, bias-corrected), paired level differences and knockouts on
// synthetic categorical models with known between- and within-level variance.
#include "analysis/attribution/norm_share.hpp"
#include "analytic.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace normsim::analysis;
using namespace normsim::analysis::test;
namespace nr = normsim::random;

namespace {

// Two N(0, 1) draws addressed by (stream, a, b).
std::array<double, 2> normals(std::uint64_t stream, std::uint64_t x, std::uint64_t y) {
  return nr::normal_pair(nr::Stream{stream}.block(nr::Purpose::result, x, y));
}

constexpr std::array<double, 4> level_means{0.0, 1.0, 2.0, 3.0};  // Var_l(μ_l) = 1.25

// y[l·R + r] = μ_l + common·c_r + own·e_{l,r}: c_r is shared by replicate r of every level (common keys).
std::vector<double> categorical(std::size_t reps, double common, double own, std::uint64_t stream,
                                const std::array<double, 4>& means = level_means) {
  std::vector<double> y(4 * reps);
  for (std::size_t r = 0; r < reps; ++r) {
    const double shared = normals(stream, 0, r)[0];
    for (std::size_t l = 0; l < 4; ++l) y[l * reps + r] = means[l] + common * shared + own * normals(stream, 1 + l, r)[1];
  }
  return y;
}

}  // namespace

TEST_CASE("Norm share: unpaired levels with known between and within variance", "[analysis][norm]") {
  // Within-level variance 4: share = 1.25 / (1.25 + 4).
  const std::vector<double> y = categorical(500, 0.0, 2.0, 1);
  const NormShare ns = norm_share(y, 4, false);
  check_within_4se(ns.share, 1.25 / 5.25);
  check_within_4se(ns.between, 1.25);
  check_within_4se(ns.within, 4.0);
  CHECK((ns.share.ci_low <= 1.25 / 5.25 && 1.25 / 5.25 <= ns.share.ci_high));
  CHECK(ns.plug_in_share.value > ns.share.value);  // the plug-in ratio is biased up
  CHECK(ns.share.n == 500);
}

TEST_CASE("Norm share: paired levels (common keys) and paired differences", "[analysis][norm]") {
  // Within-level variance 1.5² + 1 = 3.25, of which 2.25 is shared across levels.
  const std::vector<double> y = categorical(400, 1.5, 1.0, 2);
  const NormShare ns = norm_share(y, 4, true);
  check_within_4se(ns.share, 1.25 / 4.5);
  check_within_4se(ns.within, 3.25);
  const std::vector<LevelDifference> d = level_differences(y, 4);
  REQUIRE(d.size() == 6);
  for (const LevelDifference& x : d) {
    const double truth = level_means[x.level_a] - level_means[x.level_b];
    check_within_4se(x.difference, truth);
    // Pairing removes the shared part: the SE reflects only the unshared variance 2 (= 1 + 1).
    CHECK(x.difference.standard_error == Approx(std::sqrt(2.0 / 400.0)).epsilon(0.2));
  }
}

TEST_CASE("Norm share: the bias correction removes the sampling variance of the level means", "[analysis][norm]") {
  // 400 small sweeps (k = 4, R = 5) with no norm effect: the corrected between-level variance is
  // unbiased for 0; the plug-in one has mean (k−1)/k · σ²/R = 0.75 · 4 / 5 = 0.6.
  constexpr std::size_t sweeps = 400;
  BootstrapSettings no_ci;
  no_ci.resamples = 0;
  const std::array<double, 4> no_effect{0.0, 0.0, 0.0, 0.0};
  std::vector<double> corrected, plug_in;
  for (std::size_t s = 0; s < sweeps; ++s) {
    const std::vector<double> y = categorical(5, 0.0, 2.0, 100 + s, no_effect);
    const NormShare ns = norm_share(y, 4, false, no_ci);
    corrected.push_back(ns.between.value);
    std::vector<double> means(4);
    double grand = 0.0;
    for (std::size_t l = 0; l < 4; ++l) {
      for (std::size_t r = 0; r < 5; ++r) means[l] += y[l * 5 + r] / 5.0;
      grand += means[l] / 4.0;
    }
    double b = 0.0;
    for (const double m : means) b += (m - grand) * (m - grand) / 4.0;
    plug_in.push_back(b);
  }
  const auto mean_se = [](const std::vector<double>& x) {
    double m = 0.0;
    for (const double v : x) m += v;
    m /= static_cast<double>(x.size());
    double ss = 0.0;
    for (const double v : x) ss += (v - m) * (v - m);
    return std::array<double, 2>{m, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
  };
  const auto [c_mean, c_se] = mean_se(corrected);
  const auto [p_mean, p_se] = mean_se(plug_in);
  CHECK(std::abs(c_mean) <= 4.0 * c_se);
  CHECK(std::abs(p_mean - 0.6) <= 4.0 * p_se);
}

TEST_CASE("Knockout: paired mean effect of removing an entity", "[analysis][knockout]") {
  // y_with = base + x, y_without = base on the same keys; x ~ N(0.3, 0.5²): effect −0.3.
  constexpr std::size_t runs = 2000;
  std::vector<double> with(runs), without(runs);
  for (std::size_t r = 0; r < runs; ++r) {
    const auto z = normals(7, 0, r);
    without[r] = 5.0 + 3.0 * z[0];
    with[r] = without[r] + 0.3 + 0.5 * z[1];
  }
  const Estimate e = knockout_effect(with, without);
  check_within_4se(e, -0.3);
  CHECK(e.standard_error == Approx(0.5 / std::sqrt(2000.0)).epsilon(0.1));
  CHECK((e.ci_low < e.value && e.value < e.ci_high));
  CHECK(e.ci_high - e.value == Approx(1.9612 * e.standard_error).epsilon(1e-3));  // t_{1999, 0.975}
}

TEST_CASE("Norm share and paired differences reject bad input", "[analysis][errors]") {
  std::vector<double> y{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  CHECK_THROWS_AS(norm_share(y, 4, false), std::invalid_argument);  // not a multiple of the levels
  CHECK_THROWS_AS(norm_share(y, 1, false), std::invalid_argument);
  CHECK_THROWS_AS(norm_share(y, 6, false), std::invalid_argument);  // one replicate per level
  y[3] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(norm_share(y, 3, true), std::invalid_argument);
  CHECK_THROWS_AS(level_differences(y, 3), std::invalid_argument);
  const std::vector<double> constant(6, 1.0);
  CHECK_THROWS_AS(norm_share(constant, 3, true), std::domain_error);
  const std::vector<double> a{1.0, 2.0}, b{1.0};
  CHECK_THROWS_AS(knockout_effect(a, b), std::invalid_argument);
}

TEST_CASE("Suggested rows for a target CI width follow the 1/sqrt(N) rate", "[analysis][convergence]") {
  CHECK(suggested_rows(0.1, 256, 0.05) == 1024);   // half the width: 4x the rows
  CHECK(suggested_rows(0.1, 256, 0.2) == 256);     // already narrow enough
  CHECK(suggested_rows(0.1, 200, 0.09) == 256);    // rounded up to a power of two
  CHECK_THROWS_AS(suggested_rows(0.0, 256, 0.1), std::invalid_argument);
}
