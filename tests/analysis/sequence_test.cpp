// The confidence sequences against their formulas, recomputed here from the papers' definitions
// (analysis/claims/README.md): PrPl-EB ends, the betting sequence's ends as the crossings of its
// capital, the running intersections, the asymptotic boundary and its tuning; ranges and errors;
// and the projection behind n_needed.
#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/betting.hpp"
#include "analysis/claims/sequence.hpp"
#include "outcome_streams.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace normsim::analysis;
using normsim::test::OutcomeStream;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> draws(const normsim::test::OutcomeLaw& law, std::size_t n, std::uint64_t seed) {
  OutcomeStream s(law, seed);
  std::vector<double> x(n);
  for (double& v : x) v = s();
  return x;
}

/// The PrPl-EB quantities of Waudby-Smith & Ramdas (2024, Theorem 2) for y in [0, 1], recomputed
/// term by term: λ_t from σ̂²_{t−1}, v_t from μ̂_{t−1}.
struct Prpl {
  std::vector<double> lambda, centre, half;
};
Prpl prpl(const std::vector<double>& y, double alpha) {
  const double l = std::log(2.0 / alpha);
  Prpl out;
  double mu_prev = 0.5, var_prev = 0.25, sum = 0.0, sq = 0.0, sl = 0.0, sly = 0.0, pen = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double t = static_cast<double>(i + 1);
    const double lambda = std::min(0.5, std::sqrt(2 * l / (var_prev * t * std::log(1 + t))));
    pen += 4 * (y[i] - mu_prev) * (y[i] - mu_prev) * (-std::log(1 - lambda) - lambda) / 4;
    sl += lambda;
    sly += lambda * y[i];
    sum += y[i];
    const double mu = (0.5 + sum) / (t + 1);
    sq += (y[i] - mu) * (y[i] - mu);
    mu_prev = mu;
    var_prev = (0.25 + sq) / (t + 1);
    out.lambda.push_back(lambda);
    out.centre.push_back(sly / sl);
    out.half.push_back((l + pen) / sl);
  }
  return out;
}

/// log K⁺_n(m) or log K⁻_n(m) of the hedged capital process, product by product (log1p), with the
/// bets λ̇_t = sqrt(2 log(2/α)/(σ̂²_{t−1} t log(1+t))) capped at c/m or c/(1−m), c = 1/2.
double log_capital(const std::vector<double>& y, std::size_t n, double alpha, double m, bool minus) {
  const double l = std::log(2.0 / alpha);
  double var_prev = 0.25, sum = 0.0, sq = 0.0, log_k = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i + 1);
    const double bet = std::sqrt(2 * l / (var_prev * t * std::log(1 + t)));
    const double lambda = minus ? std::min(bet, 0.5 / (1 - m)) : std::min(bet, 0.5 / m);
    log_k += std::log1p((minus ? -1.0 : 1.0) * lambda * (y[i] - m));
    sum += y[i];
    const double mu = (0.5 + sum) / (t + 1);
    sq += (y[i] - mu) * (y[i] - mu);
    var_prev = (0.25 + sq) / (t + 1);
  }
  return log_k;
}

}  // namespace

TEST_CASE("the empirical-Bernstein sequence is the PrPl-EB formula, intersected over time") {
  for (const double alpha : {0.05, 0.001}) {
    const std::vector<double> y = draws(normsim::test::beta(0.3, 0.1), 500, 11);
    const Prpl ref = prpl(y, alpha);
    BernsteinSequence s(alpha, 0.0, 1.0);
    double low = 0.0, high = 1.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      s.add(y[i]);
      const Interval now = s.current_interval();
      INFO("alpha " << alpha << ", n " << i + 1);
      CHECK(now.low == Approx(std::max(0.0, ref.centre[i] - ref.half[i])).margin(1e-12));
      CHECK(now.high == Approx(std::min(1.0, ref.centre[i] + ref.half[i])).margin(1e-12));
      low = std::max(low, ref.centre[i] - ref.half[i]);
      high = std::min(high, ref.centre[i] + ref.half[i]);
      const Interval running = s.interval();
      CHECK(running.low == Approx(low).margin(1e-12));
      CHECK(running.high == Approx(high).margin(1e-12));
    }
    CHECK(s.estimate() == Approx(std::accumulate(y.begin(), y.end(), 0.0) / 500.0).epsilon(1e-14));
  }
}

TEST_CASE("the betting sequence's ends are where its capital crosses 2/alpha") {
  for (const double alpha : {0.05, 0.001}) {
    for (const auto& law : {normsim::test::bernoulli(0.3), normsim::test::beta(0.27, 0.03)}) {
      const std::vector<double> y = draws(law, 400, 21);
      BettingSequence s(alpha, 0.0, 1.0);
      s.add(y);
      const Interval e = s.current_interval();
      INFO(law.name << ", alpha " << alpha << ": [" << e.low << ", " << e.high << "]");
      const double threshold = std::log(2.0 / alpha);
      REQUIRE(e.low > 0.0);
      REQUIRE(e.high < 1.0);
      // Just outside each end the capital has reached 2/α; just inside it has not.
      CHECK(log_capital(y, y.size(), alpha, e.low, false) >= threshold);
      CHECK(log_capital(y, y.size(), alpha, e.low + 1e-9, false) < threshold);
      CHECK(log_capital(y, y.size(), alpha, e.high, true) >= threshold);
      CHECK(log_capital(y, y.size(), alpha, e.high - 1e-9, true) < threshold);
      CHECK(e.low < s.estimate());
      CHECK(s.estimate() < e.high);
    }
  }
}

TEST_CASE("the betting sequence's running interval is the intersection of its intervals at every n") {
  const std::vector<double> y = draws(normsim::test::beta(0.4, 0.2), 300, 5);
  BettingSequence s(0.05, 0.0, 1.0);
  double low = 0.0, high = 1.0;
  for (const double v : y) {
    s.add(v);
    const Interval now = s.current_interval();
    low = std::max(low, now.low);
    high = std::min(high, now.high);
  }
  const Interval running = s.interval();
  CHECK(running.low == Approx(low).margin(1e-11));
  CHECK(running.high == Approx(high).margin(1e-11));
  CHECK(s.contains(0.5 * (low + high)));
  CHECK_FALSE(s.contains(low - 1e-6));
  CHECK_FALSE(s.contains(high + 1e-6));
}

TEST_CASE("the asymptotic sequence is the normal-mixture boundary with the sample sd") {
  const std::vector<double> x = draws(normsim::test::lognormal(0.0, 0.5), 1000, 3);
  for (const double alpha : {0.05, 0.001}) {
    AsymptoticSequence s(alpha, 200);
    const double l = -2 * std::log(alpha);
    const double rho2 = (l + std::log(l + 1)) / 200.0;
    CHECK(s.rho2() == Approx(rho2).epsilon(1e-15));
    CHECK(s.interval().low == -kInf);
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      s.add(x[i]);
      sum += x[i];
      if (i == 0) {
        CHECK(s.interval().high == kInf);  // no sd from one outcome
        continue;
      }
      const double t = static_cast<double>(i + 1);
      const double mean = sum / t;
      double ss = 0.0;
      for (std::size_t j = 0; j <= i; ++j) ss += (x[j] - mean) * (x[j] - mean);
      const double half = std::sqrt(ss / t) * std::sqrt(2 * (t * rho2 + 1) / (t * t * rho2) *
                                                        std::log(std::sqrt(t * rho2 + 1) / alpha));
      INFO("n " << i + 1);
      REQUIRE(s.interval().low == Approx(mean - half).epsilon(1e-11));
      REQUIRE(s.interval().high == Approx(mean + half).epsilon(1e-11));
    }
  }
}

TEST_CASE("the asymptotic sequence tuned at n* is narrowest there among tunings") {
  for (const double alpha : {0.05, 0.00125}) {
    const AsymptoticSequence at(alpha, 400);
    for (const std::uint64_t other : std::vector<std::uint64_t>{100, 200, 300, 500, 800, 1600}) {
      INFO(alpha << ", tuned at " << other);
      CHECK(at.unit_half_width(400) < AsymptoticSequence(alpha, other).unit_half_width(400));
    }
  }
}

TEST_CASE("bounded sequences are affine-equivariant in the range") {
  const std::vector<double> y = draws(normsim::test::beta(0.6, 0.15), 200, 8);
  for (const BoundedMethod method : {BoundedMethod::betting, BoundedMethod::empirical_bernstein}) {
    MeanSequenceSettings unit{.alpha = 0.01, .lo = 0.0, .hi = 1.0, .bounded = method};
    MeanSequenceSettings wide{.alpha = 0.01, .lo = -3.0, .hi = 197.0, .bounded = method};
    const auto a = make_mean_sequence(unit);
    const auto b = make_mean_sequence(wide);
    for (const double v : y) {
      a->add(v);
      b->add(-3.0 + 200.0 * v);
    }
    CHECK(b->estimate() == Approx(-3.0 + 200.0 * a->estimate()).epsilon(1e-12));
    CHECK(b->interval().low == Approx(-3.0 + 200.0 * a->interval().low).epsilon(1e-9));
    CHECK(b->interval().high == Approx(-3.0 + 200.0 * a->interval().high).epsilon(1e-9));
    CHECK(b->guarantee() == "anytime-valid, exact for outcomes in [-3, 197]");
  }
}

TEST_CASE("sequences reject bad settings and outcomes") {
  CHECK_THROWS_AS(BettingSequence(0.0, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(BettingSequence(1.0, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(BettingSequence(0.05, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(BernsteinSequence(0.05, 0, kInf), std::invalid_argument);
  CHECK_THROWS_AS(AsymptoticSequence(0.05, 0), std::invalid_argument);
  CHECK_THROWS_AS(AsymptoticSequence(std::nan(""), 10), std::invalid_argument);
  CHECK_THROWS_AS(make_mean_sequence({.alpha = 0.05, .lo = std::nan(""), .hi = 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(make_mean_sequence({.alpha = 0.05, .lo = 2.0, .hi = 1.0}), std::invalid_argument);
  BettingSequence b(0.05, 0, 1);
  BernsteinSequence e(0.05, 0, 1);
  AsymptoticSequence a(0.05, 10);
  for (ConfidenceSequence* s : std::initializer_list<ConfidenceSequence*>{&b, &e}) {
    CHECK_THROWS_AS(s->add(1.5), std::domain_error);
    CHECK_THROWS_AS(s->add(-0.001), std::domain_error);
    CHECK_THROWS_AS(s->add(std::nan("")), std::domain_error);
    CHECK(s->n() == 0);
    CHECK(std::isnan(s->estimate()));
    CHECK(s->interval().low == 0.0);
    CHECK(s->interval().high == 1.0);
    s->add(1.0);
    s->add(0.0);
    CHECK(s->n() == 2);
  }
  CHECK_THROWS_AS(a.add(kInf), std::domain_error);
  CHECK(a.n() == 0);
  CHECK(a.guarantee() == "anytime-valid, asymptotic");
  // The factory: bounded → betting unless asked; unbounded → asymptotic.
  CHECK(make_mean_sequence({.alpha = 0.05, .lo = 0, .hi = 1})->method().find("betting") != std::string::npos);
  CHECK(make_mean_sequence({.alpha = 0.05})->method().find("asymptotic") != std::string::npos);
  CHECK(make_mean_sequence({.alpha = 0.05, .lo = 0, .hi = kInf})->guarantee() == "anytime-valid, asymptotic");
}

TEST_CASE("a constant bounded stream narrows towards its value") {
  for (const BoundedMethod method : {BoundedMethod::betting, BoundedMethod::empirical_bernstein}) {
    const auto s = make_mean_sequence({.alpha = 0.05, .lo = 0, .hi = 1, .bounded = method});
    for (int i = 0; i < 2000; ++i) s->add(0.0);
    INFO(s->method());
    CHECK(s->interval().low == 0.0);  // clipped at the range
    CHECK(s->interval().high > 0.0);
    CHECK(s->interval().high < 0.01);
    CHECK(s->contains(0.0));
    CHECK_FALSE(s->contains(0.02));
  }
}
