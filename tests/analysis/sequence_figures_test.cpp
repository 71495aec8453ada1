// The figures of analysis/claims/README.md, printed (hidden: run `tests_sequential "[.figures]"`).
// Nothing here is asserted: the asserted properties are in the other test files; these are the
// measurements behind the choices (betting vs empirical Bernstein, the tuning of the asymptotic
// sequence, the split of α over looks) and the cost of the betting sequence's interval().
#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/betting.hpp"
#include "analysis/claims/family.hpp"
#include "outcome_streams.hpp"

#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

using namespace normsim::analysis;
using normsim::test::OutcomeLaw;
using normsim::test::OutcomeStream;

TEST_CASE("figures: widths of the bounded sequences, the asymptotic one and a fixed t interval", "[.figures]") {
  constexpr std::size_t kRepeats = 20;
  const std::vector<OutcomeLaw> laws{normsim::test::bernoulli(0.3, 0.0, 1.0, "Bernoulli(0.3)"),
                                     normsim::test::beta(0.3, 0.1, 0.0, 1.0, "Beta, mean 0.3, sd 0.1"),
                                     normsim::test::beta(0.27, 0.03, 0.0, 1.0, "Beta, mean 0.27, sd 0.03 (x-risk-like)")};
  std::printf("\nMean full width over %zu streams (outcomes in [0, 1]; running intersections; asymptotic tuned at "
              "n* = 100; t: fixed-n Student t at the same level)\n\n",
              kRepeats);
  std::printf("| outcome | alpha | n | betting | PrPl-EB | betting / EB | asymptotic | Student t |\n|---|---|---|---|---|---|---|---|\n");
  for (const OutcomeLaw& law : laws) {
    for (const double alpha : {0.05, 0.05 / 40}) {
      for (const std::size_t n : std::vector<std::size_t>{100, 1000, 10000}) {
        double betting = 0, bernstein = 0, asymptotic = 0, t_width = 0;
        for (std::size_t r = 0; r < kRepeats; ++r) {
          OutcomeStream draw(law, 77 + r);
          BettingSequence b(alpha, 0, 1);
          BernsteinSequence e(alpha, 0, 1);
          AsymptoticSequence a(alpha, 100);
          for (std::size_t i = 0; i < n; ++i) {
            const double x = draw();
            b.add(x);
            e.add(x);
            a.add(x);
          }
          betting += (b.interval().high - b.interval().low) / kRepeats;
          bernstein += (e.interval().high - e.interval().low) / kRepeats;
          asymptotic += (a.interval().high - a.interval().low) / kRepeats;
          const boost::math::students_t t(static_cast<double>(n - 1));
          t_width += 2 * boost::math::quantile(t, 1 - alpha / 2) * a.standard_error() *
                     std::sqrt(static_cast<double>(n - 1) / static_cast<double>(n)) / kRepeats;
        }
        std::printf("| %s | %.5g | %zu | %.4g | %.4g | %.2f | %.4g | %.4g |\n", law.name.c_str(), alpha, n, betting,
                    bernstein, betting / bernstein, asymptotic, t_width);
      }
    }
  }
}

TEST_CASE("figures: the asymptotic sequence on a skewed outcome, by start time", "[.figures]") {
  constexpr std::size_t kStreams = 2000, kLength = 4000;
  const double alpha = 0.05;
  for (const double sigma : {0.5, 1.0}) {
    const OutcomeLaw law = normsim::test::lognormal(0.0, sigma);
    for (const std::uint64_t start : std::vector<std::uint64_t>{30, 100, 300, 1000}) {
      std::size_t misses = 0;
      for (std::size_t k = 0; k < kStreams; ++k) {
        OutcomeStream draw(law, 9'000'000 + k);
        AsymptoticSequence s(alpha, start);
        bool missed = false;
        for (std::uint64_t n = 1; n <= kLength; ++n) {
          s.add(draw());
          if (n >= start) missed = missed || !s.contains(law.mean());
        }
        if (missed) ++misses;
      }
      std::printf("asymptotic, log-normal(0, %.1f): P(mean excluded at some n in [%llu, %zu]) = %.4f (alpha %.2f, M = %zu)\n",
                  sigma, static_cast<unsigned long long>(start), kLength,
                  static_cast<double>(misses) / static_cast<double>(kStreams), alpha, kStreams);
    }
  }
}

TEST_CASE("figures: the asymptotic sequence's width away from n*", "[.figures]") {
  for (const double alpha : {0.05, 0.05 / 40}) {
    const AsymptoticSequence tuned(alpha, 100);
    std::printf("alpha %.5g, tuned at 100: sqrt(n)·unit half-width / its optimum at n:", alpha);
    for (const std::uint64_t n : std::vector<std::uint64_t>{25, 50, 100, 400, 1600, 6400, 25600, 102400, 1024000}) {
      const double optimum = AsymptoticSequence(alpha, n).unit_half_width(n);
      std::printf(" %llu: %.3f", static_cast<unsigned long long>(n), tuned.unit_half_width(n) / optimum);
    }
    std::printf("\n");
  }
}

TEST_CASE("figures: the split of alpha over looks, p-series vs geometric", "[.figures]") {
  const boost::math::normal z;
  for (const double alpha : {0.05, 0.05 / 40}) {
    std::printf("\nalpha %.5g: look j, rows 2^(j-1)·n0; z_{1-a_j/2} for a_j = 6a/(pi² j²) and a/2^j; relative width "
                "z/sqrt(2^(j-1))\n| j | p-series a_j | z | width | geometric a_j | z | width |\n|---|---|---|---|---|---|---|\n",
                alpha);
    for (std::uint64_t j = 1; j <= 10; ++j) {
      const double p = look_alpha(alpha, j);
      const double g = alpha / std::pow(2.0, static_cast<double>(j));
      const double zp = boost::math::quantile(boost::math::complement(z, p / 2));
      const double zg = boost::math::quantile(boost::math::complement(z, g / 2));
      const double scale = std::sqrt(std::pow(2.0, static_cast<double>(j - 1)));
      std::printf("| %llu | %.3g | %.3f | %.3f | %.3g | %.3f | %.3f |\n", static_cast<unsigned long long>(j), p, zp,
                  zp / scale, g, zg, zg / scale);
    }
  }
}

TEST_CASE("figures: cost of the betting sequence", "[.figures]") {
  for (const std::size_t n : std::vector<std::size_t>{10'000, 100'000, 1'000'000}) {
    OutcomeStream draw(normsim::test::beta(0.3, 0.1), 5);
    BettingSequence b(0.05 / 40, 0, 1);
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) b.add(draw());
    const auto t1 = std::chrono::steady_clock::now();
    const Interval i = b.interval();
    const auto t2 = std::chrono::steady_clock::now();
    const bool inside = b.contains(0.3);
    const auto t3 = std::chrono::steady_clock::now();
    const auto ms = [](auto a, auto c) { return std::chrono::duration<double, std::milli>(c - a).count(); };
    std::printf("betting, n = %zu: %zu adds (with the draws) %.1f ms, interval() %.1f ms [%.5f, %.5f], contains() %.2f ms (%d)\n",
                n, n, ms(t0, t1), ms(t1, t2), i.low, i.high, ms(t2, t3), inside ? 1 : 0);
  }
}
