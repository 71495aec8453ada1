// Time-uniform coverage by simulation: over M independent streams of N i.i.d. outcomes with a known
// mean, the fraction of streams whose confidence sequence excludes the mean at ANY n ≤ N stays at
// most α within binomial error (observed ≤ α + 3·sqrt(α(1 − α)/M)). Each case prints the observed
// rates (analysis/claims/README.md quotes them).
//
//   bounded (betting, PrPl-EB): every n from 1 to N, on Bernoulli, Beta (sd 0.1 and an x-risk-like
//     sd 0.03), a rare two-point outcome at the edges of [−1, 1] and a Beta on [1, 200]. The betting
//     sequence's interval is the running intersection, so "μ is in it at N" is "μ was never
//     excluded"; contains() evaluates that exactly (no root-finding).
//   asymptotic: its guarantee is a limit (μ stays covered from a start time m on, as m grows), so
//     it is checked at every n from a start time to N, on normal and log-normal outcomes, with the
//     start time each needs (the log-normal with σ = 1, skewness 6.2, needs a later one: README).
#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/betting.hpp"
#include "outcome_streams.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

using namespace normsim::analysis;
using normsim::test::binomial_bound;
using normsim::test::OutcomeLaw;
using normsim::test::OutcomeStream;

namespace {

constexpr std::size_t kStreams = 2000;  // M
constexpr std::size_t kLength = 2000;   // N

/// Fraction of kStreams streams whose bounded sequence excludes the mean at some n ≤ kLength, for
/// the betting and the empirical-Bernstein sequences fed the same outcomes.
std::pair<double, double> bounded_miss_rates(const OutcomeLaw& law, double alpha, std::uint64_t seed) {
  std::size_t betting_misses = 0;
  std::size_t bernstein_misses = 0;
  const double mu = law.mean();
  for (std::size_t stream = 0; stream < kStreams; ++stream) {
    OutcomeStream draw(law, seed + stream);
    BettingSequence betting(alpha, law.lo, law.hi);
    BernsteinSequence bernstein(alpha, law.lo, law.hi);
    bool bernstein_missed = false;
    for (std::size_t i = 0; i < kLength; ++i) {
      const double x = draw();
      betting.add(x);
      bernstein.add(x);
      bernstein_missed = bernstein_missed || !bernstein.contains(mu);  // a peek at every n
    }
    if (!betting.contains(mu)) ++betting_misses;  // running intersection: every n at once
    if (bernstein_missed) ++bernstein_misses;
  }
  return {static_cast<double>(betting_misses) / kStreams, static_cast<double>(bernstein_misses) / kStreams};
}

/// Fraction of kStreams streams whose asymptotic sequence (tuned at `start`) excludes the mean at
/// some n in [start, kLength].
double asymptotic_miss_rate(const OutcomeLaw& law, double alpha, std::uint64_t start, std::uint64_t seed) {
  std::size_t misses = 0;
  const double mu = law.mean();
  for (std::size_t stream = 0; stream < kStreams; ++stream) {
    OutcomeStream draw(law, seed + stream);
    AsymptoticSequence s(alpha, start);
    bool missed = false;
    for (std::uint64_t n = 1; n <= kLength; ++n) {
      s.add(draw());
      if (n >= start) missed = missed || !s.contains(mu);
    }
    if (missed) ++misses;
  }
  return static_cast<double>(misses) / kStreams;
}

}  // namespace

TEST_CASE("bounded confidence sequences cover the mean at every n simultaneously", "[slow]") {
  const double alpha = 0.05;
  const std::vector<OutcomeLaw> laws{
      normsim::test::bernoulli(0.3, 0.0, 1.0, "Bernoulli(0.3) on [0, 1]"),
      normsim::test::beta(0.3, 0.1, 0.0, 1.0, "Beta(mean 0.3, sd 0.1) on [0, 1]"),
      normsim::test::beta(0.27, 0.03, 0.0, 1.0, "Beta(mean 0.27, sd 0.03) on [0, 1] (x-risk-like)"),
      normsim::test::bernoulli(0.05, -1.0, 1.0, "two-point {-1 w.p. 0.95, 1 w.p. 0.05} on [-1, 1]"),
      normsim::test::beta(0.3, 0.15, 1.0, 200.0, "Beta(mean 0.3, sd 0.15) mapped onto [1, 200]")};
  std::uint64_t seed = 1'000'000;
  for (const OutcomeLaw& law : laws) {
    const auto [betting, bernstein] = bounded_miss_rates(law, alpha, seed);
    seed += kStreams;
    std::printf("coverage: %-52s betting %.4f  PrPl-EB %.4f  (alpha %.2f, bound %.4f, M = %zu, N = %zu)\n",
                law.name.c_str(), betting, bernstein, alpha, binomial_bound(alpha, kStreams), kStreams, kLength);
    INFO(law.name);
    CHECK(betting <= binomial_bound(alpha, kStreams));
    CHECK(bernstein <= binomial_bound(alpha, kStreams));
  }
}

TEST_CASE("bounded confidence sequences cover at a larger alpha too", "[slow]") {
  // At α = 0.2 the bound is less slack relative to the rate, so a sequence that is too narrow
  // (a wrong threshold, a non-predictable bet) shows.
  const double alpha = 0.2;
  const OutcomeLaw law = normsim::test::bernoulli(0.5, 0.0, 1.0, "Bernoulli(0.5) on [0, 1]");
  const auto [betting, bernstein] = bounded_miss_rates(law, alpha, 7'000'000);
  std::printf("coverage: %-52s betting %.4f  PrPl-EB %.4f  (alpha %.2f, bound %.4f)\n", law.name.c_str(), betting,
              bernstein, alpha, binomial_bound(alpha, kStreams));
  CHECK(betting <= binomial_bound(alpha, kStreams));
  CHECK(bernstein <= binomial_bound(alpha, kStreams));
}

TEST_CASE("the asymptotic confidence sequence covers the mean from its start time on", "[slow]") {
  const double alpha = 0.05;
  struct Case {
    OutcomeLaw law;
    std::uint64_t start;
  };
  const std::vector<Case> cases{{normsim::test::normal(1.0, 2.0, "normal(1, 2)"), 30},
                                {normsim::test::lognormal(0.0, 0.5, "log-normal(0, 0.5), skewness 1.75"), 100},
                                {normsim::test::lognormal(0.0, 1.0, "log-normal(0, 1), skewness 6.2"), 300}};
  std::uint64_t seed = 3'000'000;
  for (const Case& c : cases) {
    const double rate = asymptotic_miss_rate(c.law, alpha, c.start, seed);
    seed += kStreams;
    std::printf("coverage: %-52s asymptotic %.4f from n = %llu  (alpha %.2f, bound %.4f)\n", c.law.name.c_str(), rate,
                static_cast<unsigned long long>(c.start), alpha, binomial_bound(alpha, kStreams));
    INFO(c.law.name << " from n = " << c.start);
    CHECK(rate <= binomial_bound(alpha, kStreams));
  }
}
