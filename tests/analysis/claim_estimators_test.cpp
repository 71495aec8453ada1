// The claims' estimators (analysis/claims/estimators.hpp) on synthetic data: each interval against
// its formula computed here independently, its coverage by simulation, and the bounds of sums and
// top-k sums against every configuration of covered parts.
#include "analysis/claims/estimators.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <random>

using namespace normsim::analysis;

namespace {

double sample_sd(const std::vector<double>& y) {
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double ss = 0;
  for (const double v : y) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(y.size() - 1));
}

}  // namespace

TEST_CASE("mean_interval is the Student t interval of the mean", "[claims]") {
  const std::vector<double> y{0.3, 0.1, 0.7, 0.4, 0.25, 0.9, 0.05};
  for (const double confidence : {0.5, 0.95, 0.999}) {
    const ClaimEstimate e = mean_interval(y, confidence);
    const double mean = std::accumulate(y.begin(), y.end(), 0.0) / 7.0;
    const double t = boost::math::quantile(boost::math::students_t(6.0), 0.5 + confidence / 2);
    const double half = t * sample_sd(y) / std::sqrt(7.0);
    CHECK(e.estimate == Approx(mean).epsilon(1e-14));
    CHECK(e.low == Approx(mean - half).epsilon(1e-12));
    CHECK(e.high == Approx(mean + half).epsilon(1e-12));
    CHECK(e.n == 7);
  }
  const std::vector<double> constant(5, 2.5);
  const ClaimEstimate c = mean_interval(constant, 0.95);
  CHECK(c.low == 2.5);
  CHECK(c.high == 2.5);
  CHECK_THROWS_AS(mean_interval(std::vector<double>{1.0}, 0.95), std::invalid_argument);
}

TEST_CASE("paired_difference_interval is the t interval of the differences", "[claims]") {
  const std::vector<double> a{1.0, 2.0, 3.5, 4.0, 2.2};
  const std::vector<double> b{0.5, 2.5, 3.0, 3.0, 1.2};
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  const ClaimEstimate e = paired_difference_interval(a, b, 0.9);
  const ClaimEstimate m = mean_interval(d, 0.9);
  CHECK(e.estimate == Approx(m.estimate).epsilon(1e-14));
  CHECK(e.low == Approx(m.low).epsilon(1e-12));
  CHECK(e.high == Approx(m.high).epsilon(1e-12));
  CHECK_THROWS_AS(paired_difference_interval(a, std::vector<double>{1.0}, 0.9), std::invalid_argument);
}

TEST_CASE("proportion_interval is the Wilson score interval", "[claims]") {
  const double z = boost::math::quantile(boost::math::normal(), 0.975);
  for (const auto& [k, n] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 10}, {3, 10}, {10, 10}, {57, 400}}) {
    const ClaimEstimate e = proportion_interval(k, n, 0.95);
    const double p = static_cast<double>(k) / static_cast<double>(n);
    const double nn = static_cast<double>(n);
    // The Wilson interval's ends solve (p − q)² = z² q (1 − q) / n for q.
    for (const double q : {e.low, e.high}) {
      if (k == 0 && q == e.low) continue;   // the end at the boundary of an all-or-nothing sample
      if (k == n && q == e.high) continue;
      CHECK((p - q) * (p - q) == Approx(z * z * q * (1 - q) / nn).epsilon(1e-9));
    }
    CHECK(e.estimate == p);
    CHECK(e.low <= p);
    CHECK(e.high >= p);
    CHECK(e.low >= 0.0);
    CHECK(e.high <= 1.0);
  }
  CHECK(proportion_interval(0, 10, 0.95).low == 0.0);
  CHECK(proportion_interval(10, 10, 0.95).high == 1.0);
}

TEST_CASE("proportion_interval covers at about its level (simulation)", "[claims][slow]") {
  // 4000 samples of n = 200 Bernoulli(0.3): coverage within 4 binomial standard errors of 95 %
  // (Wilson's coverage is close to nominal at this n and p).
  std::mt19937_64 rng(11);
  std::bernoulli_distribution coin(0.3);
  const int samples = 4000;
  int covered = 0;
  for (int s = 0; s < samples; ++s) {
    std::uint64_t k = 0;
    for (int i = 0; i < 200; ++i) k += coin(rng) ? 1U : 0U;
    const ClaimEstimate e = proportion_interval(k, 200, 0.95);
    covered += (e.low <= 0.3 && 0.3 <= e.high) ? 1 : 0;
  }
  const double rate = covered / static_cast<double>(samples);
  CHECK(std::abs(rate - 0.95) < 4 * std::sqrt(0.95 * 0.05 / samples));
}

TEST_CASE("sums and top-k sums of intervals cover when their parts do", "[claims]") {
  const std::vector<double> est{0.10, 0.40, 0.05, 0.30};
  const std::vector<double> low{0.05, 0.20, 0.00, 0.25};
  const std::vector<double> high{0.20, 0.50, 0.15, 0.45};
  const ClaimEstimate sum = sum_of_intervals(est, low, high, 64);
  CHECK(sum.estimate == Approx(0.85));
  CHECK(sum.low == Approx(0.50));
  CHECK(sum.high == Approx(1.30));
  CHECK(sum.n == 64);
  const ClaimEstimate top2 = top_k_sum(est, low, high, 2, 64);
  CHECK(top2.estimate == Approx(0.70));
  CHECK(top2.low == Approx(0.45));
  CHECK(top2.high == Approx(0.95));
  CHECK(top_k_sum(est, low, high, 1, 64).estimate == Approx(0.40));
  CHECK(top_k_sum(est, low, high, 10, 64).estimate == Approx(0.85));  // k clipped to 4
  // Every vector of true values inside the parts' intervals has its top-2 sum inside the bounds.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<double> truth(4);
    for (std::size_t i = 0; i < 4; ++i) truth[i] = std::uniform_real_distribution<double>(low[i], high[i])(rng);
    std::vector<double> sorted = truth;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const double s = sorted[0] + sorted[1];
    REQUIRE(s >= top2.low - 1e-12);
    REQUIRE(s <= top2.high + 1e-12);
  }
}

TEST_CASE("overall_verdict: holds everywhere, fails anywhere, else inconclusive", "[claims]") {
  using V = Verdict;
  CHECK(overall_verdict(std::vector<V>{V::holds, V::holds}) == V::holds);
  CHECK(overall_verdict(std::vector<V>{V::holds, V::inconclusive}) == V::inconclusive);
  CHECK(overall_verdict(std::vector<V>{V::inconclusive, V::fails, V::holds}) == V::fails);
  CHECK(overall_verdict(std::vector<V>{}) == V::inconclusive);
}

TEST_CASE("cells_over groups a grid's points by the other factors' levels", "[claims]") {
  // A 3 × 2 grid, first factor slowest: point p has levels (p / 2, p % 2).
  std::vector<std::vector<std::int64_t>> levels;
  for (std::int64_t p = 0; p < 6; ++p) levels.push_back({p / 2, p % 2});
  const FactorCells over_first = cells_over(levels, 0, 3);
  REQUIRE(over_first.points.size() == 2);
  CHECK(over_first.points[0] == std::vector<std::uint64_t>{0, 2, 4});
  CHECK(over_first.points[1] == std::vector<std::uint64_t>{1, 3, 5});
  CHECK(over_first.first_point == std::vector<std::uint64_t>{0, 1});
  const FactorCells over_second = cells_over(levels, 1, 2);
  REQUIRE(over_second.points.size() == 3);
  CHECK(over_second.points[2] == std::vector<std::uint64_t>{4, 5});
  CHECK(over_second.first_point == std::vector<std::uint64_t>{0, 2, 4});
  CHECK_THROWS_AS(cells_over(levels, 2, 2), std::invalid_argument);
  CHECK_THROWS_AS(cells_over(levels, 0, 2), std::invalid_argument);  // level 2 out of range
}
