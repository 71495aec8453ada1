// Verdicts from confidence sequences (decide_sequential): the displayed interval decides, n_needed
// is where the projected interval clears the value (and is reached by a stream whose spread stays
// the same), the prospects; the rounds (next_round); the error split over points and looks
// (per_point_alpha, look_alpha, map_guarantee).
#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/betting.hpp"
#include "analysis/claims/family.hpp"
#include "analysis/claims/sequence.hpp"
#include "outcome_streams.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

using namespace normsim::analysis;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr bool kBelow = true;

/// Adds pairs (mean − sd, mean + sd): at every even n the sample mean is `mean` and the sample sd
/// (divisor n) is `sd` exactly, so the asymptotic sequence's projection is exact at even sizes.
void add_pairs(AsymptoticSequence& s, double mean, double sd, std::uint64_t pairs) {
  for (std::uint64_t i = 0; i < pairs; ++i) {
    s.add(mean - sd);
    s.add(mean + sd);
  }
}

}  // namespace

TEST_CASE("a sequence's verdict is decide() on its interval") {
  AsymptoticSequence s(0.05, 100);
  add_pairs(s, 10.0, 1.0, 50);
  const Interval i = s.interval();
  REQUIRE(i.low > 9.0);
  REQUIRE(i.high < 11.0);
  for (const double value : {8.0, 9.9, 10.0, 10.2, 12.0}) {
    for (const bool side : {true, false}) {
      const SequentialDecision d = decide_sequential(s, side, value, 1000);
      INFO(value << " " << side);
      CHECK(d.verdict == decide(s.estimate(), i.low, i.high, side, value, 100).verdict);
      CHECK(d.n == 100);
      CHECK(d.estimate == s.estimate());
      CHECK(d.interval.low == i.low);
      CHECK(d.interval.high == i.high);
      if (d.verdict != Verdict::inconclusive) {
        CHECK(d.prospect == Prospect::decided);
        CHECK(d.n_needed == 0.0);
      }
    }
  }
  CHECK(decide_sequential(s, kBelow, 12.0, 1000).verdict == Verdict::holds);
  CHECK(decide_sequential(s, kBelow, 8.0, 1000).verdict == Verdict::fails);
  CHECK_THROWS_AS(decide_sequential(s, kBelow, std::nan(""), 1000), std::invalid_argument);
}

TEST_CASE("n_needed is the smallest size at which the projected interval clears the value") {
  AsymptoticSequence s(0.01, 100);
  add_pairs(s, 0.0, 1.0, 50);
  for (const double value : {0.31, -0.35, 0.2, 0.05}) {
    const SequentialDecision d = decide_sequential(s, kBelow, value, 1'000'000);
    INFO("value " << value);
    REQUIRE(d.verdict == Verdict::inconclusive);
    REQUIRE(std::isfinite(d.n_needed));
    const auto m = static_cast<std::uint64_t>(d.n_needed);
    const bool upper = value > 0.0;
    CHECK(s.projected_half_width(m, upper) < std::abs(value));
    CHECK(s.projected_half_width(m - 1, upper) >= std::abs(value));
    // The projection holds the sd fixed: a stream that keeps it fixed is decided there.
    AsymptoticSequence later(0.01, 100);
    add_pairs(later, 0.0, 1.0, (m + 1) / 2);  // the first even size ≥ m
    CHECK(decide_sequential(later, kBelow, value, 1'000'000).verdict != Verdict::inconclusive);
    AsymptoticSequence before(0.01, 100);
    add_pairs(before, 0.0, 1.0, (m - 1) / 2);  // the last even size < m
    CHECK(decide_sequential(before, kBelow, value, 1'000'000).verdict == Verdict::inconclusive);
  }
}

TEST_CASE("the bounded sequences' n_needed is the first size whose projection clears the value") {
  for (const BoundedMethod method : {BoundedMethod::betting, BoundedMethod::empirical_bernstein}) {
    const auto s = make_mean_sequence({.alpha = 0.001, .lo = -1.0, .hi = 1.0, .bounded = method});
    normsim::test::OutcomeStream draw(normsim::test::beta(0.5, 0.05, -1.0, 1.0), 9);
    for (int i = 0; i < 300; ++i) s->add(draw());
    const Interval now = s->interval();
    for (const double value : {s->estimate() + 0.9 * (now.high - s->estimate()), s->estimate() - 0.02,
                               s->estimate() + 0.002}) {
      const SequentialDecision d = decide_sequential(*s, kBelow, value, 1'000'000'000);
      INFO(s->method() << ": value " << value << ", n_needed " << d.n_needed);
      REQUIRE(d.verdict == Verdict::inconclusive);
      REQUIRE(std::isfinite(d.n_needed));
      const auto m = static_cast<std::uint64_t>(d.n_needed);
      const bool upper = value > s->estimate();
      const double distance = std::abs(value - s->estimate());
      CHECK(m > 300);
      CHECK(s->projected_half_width(m, upper, now) < distance);
      CHECK(s->projected_half_width(m - 1, upper, now) >= distance);
    }
  }
}

TEST_CASE("an estimate within a standard error of the value sits on it, and farther the budget decides") {
  AsymptoticSequence s(0.05, 100);
  add_pairs(s, 2.0, 0.5, 100);
  const double se = s.standard_error();
  CHECK(se == Approx(0.5 * std::sqrt(200.0 / 199.0) / std::sqrt(200.0)).epsilon(1e-12));
  const SequentialDecision on = decide_sequential(s, kBelow, 2.0, 1'000'000'000);
  CHECK(on.verdict == Verdict::inconclusive);
  CHECK(on.n_needed == kInf);
  CHECK(on.prospect == Prospect::on_value);
  // Within one standard error: on the value whatever the budget; n_needed is then ≥ z²·n.
  const SequentialDecision near = decide_sequential(s, kBelow, 2.0 + 0.9 * se, 1'000'000'000);
  CHECK(near.prospect == Prospect::on_value);
  CHECK(std::isfinite(near.n_needed));
  CHECK(near.n_needed > 4.0 * 200.0);
  // Beyond one standard error: decidable, within the budget or not.
  const double value = 2.0 + 1.5 * se;
  const SequentialDecision off = decide_sequential(s, kBelow, value, 1'000'000'000);
  REQUIRE(off.verdict == Verdict::inconclusive);
  REQUIRE(std::isfinite(off.n_needed));
  CHECK(off.prospect == Prospect::more_runs);
  const auto needed = static_cast<std::uint64_t>(off.n_needed);
  CHECK(decide_sequential(s, kBelow, value, needed).prospect == Prospect::more_runs);
  CHECK(decide_sequential(s, kBelow, value, needed - 1).prospect == Prospect::beyond_budget);
}

TEST_CASE("undecidable sequences: no data, an unbounded interval") {
  AsymptoticSequence s(0.05, 100);
  const SequentialDecision none = decide_sequential(s, kBelow, 1.0, 1000);
  CHECK(none.verdict == Verdict::inconclusive);
  CHECK(none.n_needed == kInf);
  CHECK(none.prospect == Prospect::more_runs);
  CHECK(std::isnan(s.standard_error()));
  s.add(3.0);
  const SequentialDecision one = decide_sequential(s, kBelow, 1.0, 1000);
  CHECK(one.verdict == Verdict::inconclusive);  // (−∞, ∞) from one outcome
  CHECK(one.prospect == Prospect::more_runs);
}

TEST_CASE("the bounded sequences' projection continues the PrPl-EB sums") {
  // The projection's block sums against the sums continued term by term with σ̂² fixed.
  const std::vector<double> y = [] {
    normsim::test::OutcomeStream s(normsim::test::beta(0.3, 0.1), 4);
    std::vector<double> v(300);
    for (double& x : v) x = s();
    return v;
  }();
  const double alpha = 0.01;
  detail::BernsteinState state(alpha);
  for (const double v : y) state.add(v);
  const double l = std::log(2.0 / alpha);
  const double var = state.variance();
  const double half_now = state.half_width();
  double sum_lambda = 0.0, pen = 0.0;
  {
    double mu_prev = 0.5, var_prev = 0.25, sum = 0.0, sq = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double t = static_cast<double>(i + 1);
      const double lam = std::min(0.5, std::sqrt(2 * l / (var_prev * t * std::log(1 + t))));
      pen += (y[i] - mu_prev) * (y[i] - mu_prev) * (-std::log(1 - lam) - lam);
      sum_lambda += lam;
      sum += y[i];
      const double mu = (0.5 + sum) / (t + 1);
      sq += (y[i] - mu) * (y[i] - mu);
      mu_prev = mu;
      var_prev = (0.25 + sq) / (t + 1);
    }
  }
  CHECK((l + pen) / sum_lambda == Approx(half_now).epsilon(1e-12));
  CHECK(state.projected_half_width(300) == Approx(half_now).epsilon(1e-14));
  for (std::uint64_t t = 301; t <= 1'000'000; ++t) {
    const double s = static_cast<double>(t);
    const double lam = std::min(0.5, std::sqrt(2 * l / (var * s * std::log1p(s))));
    sum_lambda += lam;
    pen += var * (-std::log1p(-lam) - lam);
    if (t == 1000 || t == 30'000 || t == 1'000'000) {
      INFO("m = " << t);
      CHECK(state.projected_half_width(t) == Approx((l + pen) / sum_lambda).epsilon(1e-5));  // documented accuracy
    }
  }
}

TEST_CASE("rounds double the undecided points, most promising first, within the budget") {
  const std::vector<RoundPoint> points{
      {100, Prospect::decided, 0.0},     {100, Prospect::more_runs, 900.0},  {100, Prospect::on_value, kInf},
      {200, Prospect::more_runs, 300.0}, {100, Prospect::more_runs, 150.0},  {800, Prospect::beyond_budget, 5000.0},
      {1000, Prospect::more_runs, 2000.0}, {300, Prospect::on_value, std::nan("")}};
  // Enough for everyone: doubling, capped at max_n = 1000.
  CHECK(next_round(points, 1000, 1'000'000) == std::vector<std::uint64_t>{100, 200, 200, 400, 200, 1000, 1000, 600});
  // 350 runs: the point with n_needed 150 (+100), then 300 (+200), then 900 gets the last 50.
  CHECK(next_round(points, 1000, 350) == std::vector<std::uint64_t>{100, 150, 100, 400, 200, 800, 1000, 300});
  // 900 runs: ... then 900 (+100), 5000 (+200), ∞ (+100), and NaN (wants +300) gets the last 200.
  CHECK(next_round(points, 1000, 900) == std::vector<std::uint64_t>{100, 200, 200, 400, 200, 1000, 1000, 500});
  CHECK(next_round(points, 1000, 0) == std::vector<std::uint64_t>{100, 100, 100, 200, 100, 800, 1000, 300});
  // Nothing left to grow: the check is over.
  const std::vector<RoundPoint> done{{100, Prospect::decided, 0.0}, {1000, Prospect::on_value, 1e9}};
  CHECK(next_round(done, 1000, 1000) == std::vector<std::uint64_t>{100, 1000});
  CHECK_THROWS_AS(next_round(std::vector<RoundPoint>{{0, Prospect::more_runs, 1.0}}, 10, 10), std::invalid_argument);
}

TEST_CASE("family-wise maps split alpha over points, sequential looks over a p-series") {
  CHECK(per_point_alpha(0.05, 40, ErrorControl::family_wise) == Approx(0.05 / 40).epsilon(1e-15));
  CHECK(per_point_alpha(0.05, 40, ErrorControl::per_point) == 0.05);
  CHECK(per_point_alpha(0.1, 1, ErrorControl::family_wise) == 0.1);
  CHECK_THROWS_AS(per_point_alpha(0.05, 0, ErrorControl::family_wise), std::invalid_argument);
  CHECK_THROWS_AS(per_point_alpha(0.0, 3, ErrorControl::per_point), std::invalid_argument);
  CHECK_THROWS_AS(per_point_alpha(1.0, 3, ErrorControl::per_point), std::invalid_argument);
  CHECK(look_alpha(0.05, 1) == Approx(0.05 * 6 / (std::numbers::pi * std::numbers::pi)).epsilon(1e-15));
  double spent = 0.0;
  for (std::uint64_t j = 1; j <= 100'000; ++j) {
    const double a = look_alpha(0.05, j);
    CHECK(a > 0.0);
    if (j > 1) CHECK(a < look_alpha(0.05, j - 1));
    spent += a;
  }
  // Σ_{j>J} 1/j² < 1/J: the first 10⁵ looks spend all but less than α·6/(π²·10⁵).
  CHECK(spent <= 0.05);
  CHECK(spent > 0.05 * (1 - 6 / (std::numbers::pi * std::numbers::pi * 1e5)));
  CHECK_THROWS_AS(look_alpha(0.05, 0), std::invalid_argument);
  CHECK(error_control_name(ErrorControl::family_wise) == "family_wise");
  CHECK(error_control_name(ErrorControl::per_point) == "per_point");
  CHECK(static_cast<int>(ErrorControl::family_wise) == 0);
  CHECK(static_cast<int>(ErrorControl::per_point) == 1);
  CHECK(map_guarantee(0.05, 40, ErrorControl::family_wise) ==
        "family-wise: P(any of the 40 points' verdicts wrong) ≤ 0.05 (Bonferroni: each point at level 1 − 0.00125)");
  CHECK(map_guarantee(0.05, 40, ErrorControl::per_point) == "per point: P(a point's verdict wrong) ≤ 0.05 at each point");
  CHECK(map_guarantee(0.05, 1, ErrorControl::family_wise) == "P(the verdict wrong) ≤ 0.05");
  CHECK(prospect_name(Prospect::decided) == "decided");
  CHECK(prospect_name(Prospect::more_runs) == "more_runs");
  CHECK(prospect_name(Prospect::beyond_budget) == "beyond_budget");
  CHECK(prospect_name(Prospect::on_value) == "on_value");
  CHECK(static_cast<int>(Prospect::on_value) == 3);
}
