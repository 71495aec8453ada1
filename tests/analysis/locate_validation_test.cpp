// locate_crossing by simulation, with the truth known: θ(x) = slope·(x − x0) + curvature·(x − x0)²
// with x0 drawn per search, observed with noise that replicates share across x (common keys:
// crossing_samplers.hpp), over many seeds:
//   - the reported interval covers x0 at rate ≥ 1 − α (binomial bound), and a wrong report (a
//     bracket without x0, or "no crossing") happens at rate ≤ α;
//   - the runs spent are fewer than those of a dense grid whose spacing is the search's final
//     interval width and whose fixed-n Student t intervals, family-wise at α like the search's,
//     decide a point at half that width from the crossing (dense_runs below);
//   - θ without a crossing in the range gives no_crossing, and never a crossing, at the stated rates;
//   - θ with two crossings gives crosses_more_than_once with both bracketed.
// Binomial bounds: outcome_streams.hpp. Each case prints its rates; `tests_locate "[.figures]"` prints
// the README's table (and the variants behind the defaults).
#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/locate.hpp"
#include "crossing_samplers.hpp"
#include "outcome_streams.hpp"

#include <catch2/catch.hpp>

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <cstdio>
#include <string>

using namespace normsim::analysis;
using normsim::test::binomial_bound;
using normsim::test::counter_uniform;
using normsim::test::Noise;
using normsim::test::SyntheticSampler;

namespace {

/// A family of single-crossing problems on [0, 1] and the search's settings for them.
struct Scenario {
  std::string name;
  Noise noise = Noise::normal;
  double sd = 0.3;          ///< noise sd (Noise::normal, Noise::uniform)
  double rho = 0.5;         ///< share of the noise variance common to every x (common keys)
  double base = 0.3;        ///< Noise::bernoulli: the probabilities are base ± θ/2
  double slope = 2.0;       ///< θ'(x0)
  double curvature = 1.0;   ///< θ = slope·(x − x0) + curvature·(x − x0)²
  double root_low = 0.2;    ///< x0 ~ uniform(root_low, root_high) per search
  double root_high = 0.8;
  LocateSettings settings;  ///< value 0, grid, replicates, range (grid even on [0, 1], 9 points)

  /// The sd of one observation at the crossing (θ = 0).
  [[nodiscard]] double outcome_sd() const {
    return noise == Noise::bernoulli ? std::sqrt(2 * base * (1 - base)) : sd;
  }
};

Scenario scenario(std::string name, Noise noise, double sd, double slope, bool bounded, std::uint64_t max_n) {
  Scenario c;
  c.name = std::move(name);
  c.noise = noise;
  c.sd = sd;
  c.slope = slope;
  c.curvature = slope / 2;
  c.settings.grid = even_grid(0, 1, 9);
  c.settings.initial_replicates = 32;
  c.settings.max_replicates = max_n;
  if (bounded) {
    c.settings.lo = -1;
    c.settings.hi = 1;
  }
  return c;
}

/// Runs of the dense grid that locates a crossing in an interval `width` wide with the search's
/// guarantee: spacing `width` over the range, so m = ceil(range/width) + 1 points, each with the
/// smallest n whose fixed-n Student t interval at level 1 − alpha/m (Bonferroni; alpha itself when
/// `family_wise` is false) has half-width ≤ |slope|·width/2, i.e. decides a point half a spacing
/// from the crossing. Generous to the grid: it knows the outcome's sd and θ's slope.
double dense_runs(double width, double range, double slope, double sd, double alpha, bool family_wise) {
  const double m = std::ceil(range / width) + 1;
  const double level = family_wise ? alpha / m : alpha;
  const double target = std::abs(slope) * width / 2;
  const auto half = [&](double n) {
    return boost::math::quantile(boost::math::students_t(n - 1), 1 - level / 2) * sd / std::sqrt(n);
  };
  double low = 2, high = 4;
  while (half(high) > target) high *= 2;
  while (high - low > 1) {
    const double mid = std::floor((low + high) / 2);
    (half(mid) > target ? low : high) = mid;
  }
  return m * high;
}

struct Tally {
  std::size_t searches = 0;
  std::size_t once = 0;     ///< status crosses_once
  std::size_t covered = 0;  ///< crosses_once with x0 in the bracket
  std::size_t wrong = 0;    ///< a bracket without x0, or no_crossing: an error the guarantee bounds by α
  double width = 0, runs = 0, runs2 = 0, dense = 0, dense_per_point = 0;  ///< sums
  double error2 = 0;  ///< sum of (estimate − x0)² over crosses_once

  [[nodiscard]] double rate(std::size_t k) const { return static_cast<double>(k) / static_cast<double>(searches); }
  [[nodiscard]] double mean_runs() const { return runs / static_cast<double>(searches); }
  [[nodiscard]] double se_runs() const {
    const auto m = static_cast<double>(searches);
    return std::sqrt((runs2 / m - mean_runs() * mean_runs()) / (m - 1));
  }
};

Tally simulate(const Scenario& c, std::size_t searches, std::uint64_t seed) {
  Tally t;
  const double range = c.settings.grid.back() - c.settings.grid.front();
  for (std::size_t k = 0; k < searches; ++k) {
    const double x0 = c.root_low + (c.root_high - c.root_low) * counter_uniform(seed, k, 99, 0);
    SyntheticSampler sampler([&](double x) { return c.slope * (x - x0) + c.curvature * (x - x0) * (x - x0); },
                             c.noise, c.sd, c.rho, seed * 100003 + k, c.base);
    const LocateResult r = locate_crossing(sampler, c.settings);
    ++t.searches;
    bool wrong = r.status == CrossingStatus::no_crossing;
    for (const Crossing& x : r.crossings) wrong = wrong || !(x.low <= x0 && x0 <= x.high);
    if (wrong) ++t.wrong;
    const auto n = static_cast<double>(r.runs);
    t.runs += n;
    t.runs2 += n * n;
    if (r.status == CrossingStatus::crosses_once) {
      ++t.once;
      const Crossing& x = r.crossings[0];
      if (x.low <= x0 && x0 <= x.high) ++t.covered;
      const double w = x.high - x.low;
      t.error2 += (x.estimate - x0) * (x.estimate - x0);
      t.width += w;
      t.dense += dense_runs(w, range, c.slope, c.outcome_sd(), c.settings.alpha, true);
      t.dense_per_point += dense_runs(w, range, c.slope, c.outcome_sd(), c.settings.alpha, false);
    }
  }
  return t;
}

void print(const Scenario& c, const Tally& t) {
  const double once = static_cast<double>(t.once);
  std::printf("%s: %zu searches, crosses_once %.3f, covered %.3f, wrong %.4f (bound %.4f); mean width %.4f; runs "
              "%.0f ± %.0f; dense grid (family-wise) %.0f, ratio %.3f; dense grid (per point) %.0f, ratio %.3f\n",
              c.name.c_str(), t.searches, t.rate(t.once), t.rate(t.covered), t.rate(t.wrong),
              binomial_bound(c.settings.alpha, t.searches), t.width / once, t.mean_runs(), t.se_runs(),
              t.dense / once, t.runs / t.dense, t.dense_per_point / once, t.runs / t.dense_per_point);
}

/// The assertions every single-crossing scenario shares: coverage and error rate at the stated level.
void check_coverage(const Scenario& c, const Tally& t) {
  const double bound = binomial_bound(c.settings.alpha, t.searches);
  CHECK(t.rate(t.wrong) <= bound);
  CHECK(t.rate(t.covered) >= 1 - bound);
}

}  // namespace

TEST_CASE("coverage and runs: normal noise with common keys (asymptotic sequences)", "[slow]") {
  const Scenario c = scenario("normal, sd 0.3, rho 0.5", Noise::normal, 0.3, 2.0, false, 4096);
  const Tally t = simulate(c, 400, 1);
  print(c, t);
  check_coverage(c, t);
  // Fewer runs than the dense grid with the same guarantee, by 4 standard errors of the mean runs.
  CHECK(t.mean_runs() + 4 * t.se_runs() < t.dense / static_cast<double>(t.once));
}

TEST_CASE("coverage and runs: bounded noise with common keys (betting sequences)", "[slow]") {
  const Scenario c = scenario("uniform in [-1, 1], sd 0.1, rho 0.5", Noise::uniform, 0.1, 0.6, true, 4096);
  const Tally t = simulate(c, 200, 2);
  print(c, t);
  check_coverage(c, t);
  CHECK(t.mean_runs() + 4 * t.se_runs() < t.dense / static_cast<double>(t.once));
}

TEST_CASE("coverage: differences of Bernoulli outcomes with common keys (betting sequences)", "[slow]") {
  // sd 0.65 at the crossing: the noisy case, where the search resolves little below the grid.
  Scenario c = scenario("Bernoulli difference, base 0.3", Noise::bernoulli, 0, 0.6, true, 4096);
  c.curvature = 0;
  const Tally t = simulate(c, 200, 3);
  print(c, t);
  check_coverage(c, t);
}

TEST_CASE("no crossing within the range: no_crossing at rate ≥ 1 − α, a crossing claimed at rate ≤ α", "[slow]") {
  Scenario c = scenario("no crossing", Noise::normal, 0.3, 2.0, false, 4096);
  constexpr std::size_t kSearches = 400;
  const double bound = binomial_bound(c.settings.alpha, kSearches);
  // The half-width at max_replicates of a point's sequence (normal noise: the sd is known), so that
  // the root can be put where the last grid point is decidable (twice that away), or not (on it).
  // (tuned as the search tunes it by default: at sqrt(initial_replicates · max_replicates)).
  const double k = static_cast<double>(locate_points(c.settings));
  const auto tuned = static_cast<std::uint64_t>(std::llround(std::sqrt(
      static_cast<double>(c.settings.initial_replicates) * static_cast<double>(c.settings.max_replicates))));
  const AsymptoticSequence sequence(c.settings.alpha / k, tuned);
  const double half_width = c.sd * sequence.unit_half_width(c.settings.max_replicates);
  for (const bool decidable : {true, false}) {
    const double x0 = 1.0 + (decidable ? 2 * half_width / c.slope : 0.0);
    std::size_t none = 0, claimed = 0;
    for (std::size_t s = 0; s < kSearches; ++s) {
      SyntheticSampler sampler([&](double x) { return c.slope * (x - x0); }, c.noise, c.sd, c.rho, 5000 + s);
      const LocateResult r = locate_crossing(sampler, c.settings);
      none += r.status == CrossingStatus::no_crossing ? 1 : 0;
      if (!r.crossings.empty()) ++claimed;
    }
    const double none_rate = static_cast<double>(none) / kSearches;
    const double claimed_rate = static_cast<double>(claimed) / kSearches;
    std::printf("no crossing, root %s the last grid point: no_crossing %.3f, a crossing claimed %.4f (bound %.4f)\n",
                decidable ? "decidably beyond" : "on", none_rate, claimed_rate, bound);
    CHECK(claimed_rate <= bound);
    if (decidable) CHECK(none_rate >= 1 - bound);
  }
}

TEST_CASE("two crossings: crosses_more_than_once with both bracketed", "[slow]") {
  Scenario c = scenario("two crossings", Noise::normal, 0.3, 2.0, false, 4096);
  constexpr std::size_t kSearches = 300;
  const double bound = binomial_bound(c.settings.alpha, kSearches);
  std::size_t both = 0, wrong = 0;
  for (std::size_t s = 0; s < kSearches; ++s) {
    // Roots in two different grid cells, with a grid cell between them.
    const double x1 = 0.25 + 0.125 * counter_uniform(7, s, 1, 0);
    const double x2 = 0.625 + 0.125 * counter_uniform(7, s, 2, 0);
    SyntheticSampler sampler([&](double x) { return 8 * (x - x1) * (x - x2); }, c.noise, c.sd, c.rho, 9000 + s);
    const LocateResult r = locate_crossing(sampler, c.settings);
    const auto inside = [&](const Crossing& x) {
      return (x.low <= x1 && x1 <= x.high) || (x.low <= x2 && x2 <= x.high);
    };
    bool any_wrong = r.status == CrossingStatus::no_crossing || r.status == CrossingStatus::crosses_once;
    for (const Crossing& x : r.crossings) any_wrong = any_wrong || !inside(x);
    if (any_wrong) ++wrong;
    if (r.status == CrossingStatus::crosses_more_than_once && r.crossings.size() == 2 && r.crossings[0].low <= x1 &&
        x1 <= r.crossings[0].high && r.crossings[1].low <= x2 && x2 <= r.crossings[1].high) {
      ++both;
    }
  }
  const double both_rate = static_cast<double>(both) / kSearches;
  const double wrong_rate = static_cast<double>(wrong) / kSearches;
  std::printf("two crossings: both bracketed %.3f, wrong %.4f (bound %.4f)\n", both_rate, wrong_rate, bound);
  CHECK(wrong_rate <= bound);
  CHECK(both_rate >= 1 - bound);
}

TEST_CASE("figures: coverage and runs against dense grids, and the variants behind the defaults", "[.figures]") {
  std::vector<Scenario> cases{
      scenario("normal, sd 0.3, slope 2", Noise::normal, 0.3, 2.0, false, 4096),
      scenario("normal, sd 0.3, slope 2, to 16384", Noise::normal, 0.3, 2.0, false, 16384),
      scenario("normal, sd 0.3, slope 0.5 (flat)", Noise::normal, 0.3, 0.5, false, 4096),
      scenario("uniform, sd 0.1, slope 0.6 (betting)", Noise::uniform, 0.1, 0.6, true, 4096),
      scenario("uniform, sd 0.1, slope 0.6 (PrPl-EB)", Noise::uniform, 0.1, 0.6, true, 4096),
      scenario("Bernoulli difference, slope 0.6 (betting)", Noise::bernoulli, 0, 0.6, true, 4096),
  };
  cases[4].settings.bounded = BoundedMethod::empirical_bernstein;
  cases[5].curvature = 0;
  Scenario doubling = cases[0];
  doubling.name += ", growth 2";
  doubling.settings.growth = 2.0;
  Scenario first_look = cases[0];
  first_look.name += ", tuned at the first look";
  first_look.settings.tuned_replicates = first_look.settings.initial_replicates;
  Scenario more_brackets = cases[0];
  more_brackets.name += ", 4 brackets x 10 probes";
  more_brackets.settings.refined_brackets = 4;
  more_brackets.settings.probes_per_bracket = 10;
  cases.push_back(doubling);
  cases.push_back(first_look);
  cases.push_back(more_brackets);
  std::printf("\n| case | crosses_once | covered | wrong | mean width | estimate rmse | mean runs | "
              "dense grid, family-wise (ratio) | dense grid, per point (ratio) |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const Scenario& c : cases) {
    const Tally t = simulate(c, 200, 11);
    const double once = static_cast<double>(t.once);
    std::printf("| %s | %.3f | %.3f | %.3f | %.4f | %.4f | %.0f ± %.0f | %.0f (%.2f) | %.0f (%.2f) |\n", c.name.c_str(),
                t.rate(t.once), t.rate(t.covered), t.rate(t.wrong), t.width / once, std::sqrt(t.error2 / once),
                t.mean_runs(), t.se_runs(),
                t.dense / once, t.runs / t.dense, t.dense_per_point / once, t.runs / t.dense_per_point);
  }
}
