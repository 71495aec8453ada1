// The verdict rule of claims: each branch for both sides, interval ends equal to the value,
// asymmetric intervals, NaN, and that an interval shrunk to n_needed decides the claim.
#include "analysis/claims/verdict.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using normsim::analysis::decide;
using normsim::analysis::Decision;
using normsim::analysis::Verdict;
using normsim::analysis::verdict_name;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr bool kBelow = true;   // the claim is "quantity < value"
constexpr bool kAbove = false;  // the claim is "quantity > value"

// The interval [low, high] around `estimate` with both half-widths scaled by sqrt(n / m): the
// interval that the same estimate would have with m samples instead of n.
std::pair<double, double> shrunk(double estimate, double low, double high, double n, double m) {
  const double f = std::sqrt(n / m);
  return {estimate - (estimate - low) * f, estimate + (high - estimate) * f};
}

}  // namespace

TEST_CASE("verdict names") {
  CHECK(verdict_name(Verdict::holds) == "holds");
  CHECK(verdict_name(Verdict::fails) == "fails");
  CHECK(verdict_name(Verdict::inconclusive) == "inconclusive");
  CHECK(static_cast<int>(Verdict::holds) == 0);
  CHECK(static_cast<int>(Verdict::fails) == 1);
  CHECK(static_cast<int>(Verdict::inconclusive) == 2);
}

TEST_CASE("a claim holds when the whole interval is on the claimed side") {
  const Decision below = decide(0.005, 0.002, 0.008, kBelow, 0.01, 64);
  CHECK(below.verdict == Verdict::holds);
  CHECK(below.n_needed == 0.0);
  const Decision above = decide(5.0, 4.0, 6.0, kAbove, 3.0, 100);
  CHECK(above.verdict == Verdict::holds);
  CHECK(above.n_needed == 0.0);
}

TEST_CASE("a claim fails when the whole interval is on the other side") {
  const Decision below = decide(0.05, 0.03, 0.07, kBelow, 0.01, 64);
  CHECK(below.verdict == Verdict::fails);
  CHECK(below.n_needed == 0.0);
  const Decision above = decide(-2.0, -3.0, -1.0, kAbove, 0.0, 10);
  CHECK(above.verdict == Verdict::fails);
  CHECK(above.n_needed == 0.0);
}

TEST_CASE("an interval containing the value is inconclusive") {
  for (const bool side : {kBelow, kAbove}) {
    INFO(side);
    const Decision d = decide(0.009, 0.004, 0.014, side, 0.01, 100);
    CHECK(d.verdict == Verdict::inconclusive);
    CHECK(d.n_needed > 100.0);
  }
}

TEST_CASE("an interval end equal to the value is inconclusive") {
  // high == value: the data do not exclude the value.
  for (const bool side : {kBelow, kAbove}) {
    INFO(side);
    const Decision at_high = decide(0.5, 0.0, 1.0, side, 1.0, 50);
    CHECK(at_high.verdict == Verdict::inconclusive);
    CHECK(at_high.n_needed == 51.0);  // n* = 50 exactly: one more sample moves the end past the value
    const Decision at_low = decide(0.5, 0.0, 1.0, side, 0.0, 50);
    CHECK(at_low.verdict == Verdict::inconclusive);
    CHECK(at_low.n_needed == 51.0);
  }
  // Just past the ends: decided.
  CHECK(decide(0.5, 0.0, 1.0, kBelow, std::nextafter(1.0, 2.0), 50).verdict == Verdict::holds);
  CHECK(decide(0.5, 0.0, 1.0, kAbove, std::nextafter(0.0, -1.0), 50).verdict == Verdict::holds);
  CHECK(decide(0.5, 0.0, 1.0, kAbove, std::nextafter(1.0, 2.0), 50).verdict == Verdict::fails);
  CHECK(decide(0.5, 0.0, 1.0, kBelow, std::nextafter(0.0, -1.0), 50).verdict == Verdict::fails);
}

TEST_CASE("a degenerate interval at the value is inconclusive and cannot be decided") {
  const Decision d = decide(0.3, 0.3, 0.3, kBelow, 0.3, 1000);
  CHECK(d.verdict == Verdict::inconclusive);
  CHECK(d.n_needed == kInf);
  CHECK(decide(0.3, 0.3, 0.3, kBelow, 0.4, 1000).verdict == Verdict::holds);
}

TEST_CASE("an estimate equal to the value cannot be decided") {
  for (const bool side : {kBelow, kAbove}) {
    const Decision d = decide(0.01, 0.0, 0.02, side, 0.01, 64);
    CHECK(d.verdict == Verdict::inconclusive);
    CHECK(d.n_needed == kInf);
  }
}

TEST_CASE("n_needed uses the half-width on the side facing the value") {
  // Asymmetric interval (binary fractions, so that n* is exact): 0.125 below the estimate, 0.5 above.
  // Value above the estimate: h = 0.5, d = 0.25: n* = 100 · 4 = 400.
  const Decision up = decide(1.0, 0.875, 1.5, kBelow, 1.25, 100);
  CHECK(up.verdict == Verdict::inconclusive);
  CHECK(up.n_needed == 401.0);
  // Value below the estimate: h = 0.125, d = 0.0625: n* = 100 · 4 = 400.
  const Decision down = decide(1.0, 0.875, 1.5, kAbove, 0.9375, 100);
  CHECK(down.verdict == Verdict::inconclusive);
  CHECK(down.n_needed == 401.0);
  // A value beyond the short side is outside the interval: decided.
  CHECK(decide(1.0, 0.875, 1.5, kBelow, 0.75, 100).verdict == Verdict::fails);
  // Below the estimate the lower half-width counts: h = 0.5, d = 0.25, then h = 0.25, d = 0.125.
  CHECK(decide(1.0, 0.5, 1.5, kBelow, 0.75, 100).n_needed == 401.0);
  CHECK(decide(1.0, 0.75, 1.5, kBelow, 0.875, 100).n_needed == 401.0);
  // A non-integral n* is rounded up: h = 0.3, d = 0.2: n* = 10 · 2.25 = 22.5.
  CHECK(decide(0.0, -0.3, 0.3, kBelow, 0.2, 10).n_needed == 23.0);
  // The side is what matters, not the claim's direction.
  CHECK(decide(1.0, 0.875, 1.5, kAbove, 1.25, 100).n_needed == up.n_needed);
}

TEST_CASE("the sample size n_needed decides an inconclusive claim") {
  struct Case {
    double estimate, low, high, value;
    bool side;
    std::uint64_t n;
  };
  const std::vector<Case> cases{
      {0.008, 0.001, 0.015, 0.01, kBelow, 64},    // holds at n_needed
      {0.012, 0.009, 0.02, 0.01, kBelow, 64},     // fails at n_needed
      {0.3, 0.1, 0.9, 0.5, kAbove, 1000},         // asymmetric, fails
      {0.7, 0.45, 0.75, 0.5, kAbove, 17},         // asymmetric, holds
      {-1.0, -5.0, 3.0, 0.0, kBelow, 3},          // wide
      {0.5, 0.0, 1.0, 1.0, kBelow, 50},           // end equal to the value
      {100.0, 99.999, 100.5, 100.0005, kAbove, 2} // close to the value
  };
  for (const Case& c : cases) {
    INFO(c.estimate << " in [" << c.low << ", " << c.high << "] vs " << c.value << " at n = " << c.n);
    const Decision now = decide(c.estimate, c.low, c.high, c.side, c.value, c.n);
    REQUIRE(now.verdict == Verdict::inconclusive);
    REQUIRE(std::isfinite(now.n_needed));
    CHECK(now.n_needed > static_cast<double>(c.n));
    CHECK(now.n_needed == std::floor(now.n_needed));
    const bool estimate_on_claimed_side = c.side == kBelow ? c.estimate < c.value : c.estimate > c.value;
    const Verdict expected = estimate_on_claimed_side ? Verdict::holds : Verdict::fails;
    const auto [low, high] = shrunk(c.estimate, c.low, c.high, static_cast<double>(c.n), now.n_needed);
    const Decision then = decide(c.estimate, low, high, c.side, c.value, static_cast<std::uint64_t>(now.n_needed));
    CHECK(then.verdict == expected);
    CHECK(then.n_needed == 0.0);
    // One sample fewer is not enough (n_needed is the smallest such size).
    if (now.n_needed - 1.0 > static_cast<double>(c.n)) {
      const auto [low1, high1] = shrunk(c.estimate, c.low, c.high, static_cast<double>(c.n), now.n_needed - 1.0);
      CHECK(decide(c.estimate, low1, high1, c.side, c.value, 1).verdict == Verdict::inconclusive);
    }
  }
}

TEST_CASE("NaN inputs are inconclusive and cannot be decided") {
  const std::vector<std::vector<double>> inputs{
      {kNaN, 0.0, 1.0, 0.5}, {0.5, kNaN, 1.0, 0.5}, {0.5, 0.0, kNaN, 0.5}, {0.5, 0.0, 1.0, kNaN},
      {kNaN, kNaN, kNaN, kNaN}, {0.2, 0.1, 0.3, kNaN}};
  for (const auto& x : inputs) {
    for (const bool side : {kBelow, kAbove}) {
      INFO(x[0] << " [" << x[1] << ", " << x[2] << "] vs " << x[3]);
      const Decision d = decide(x[0], x[1], x[2], side, x[3], 100);
      CHECK(d.verdict == Verdict::inconclusive);
      CHECK(d.n_needed == kInf);
    }
  }
}

TEST_CASE("unusual intervals") {
  // An unbounded interval that contains the value: no sample size is enough by this rule.
  CHECK(decide(0.5, -kInf, kInf, kBelow, 1.0, 10).n_needed == kInf);
  CHECK(decide(0.5, 0.0, kInf, kBelow, 1.0, 10).verdict == Verdict::inconclusive);
  // An unbounded side away from the value does not prevent a verdict.
  CHECK(decide(0.5, -kInf, 0.9, kBelow, 1.0, 10).verdict == Verdict::holds);
  CHECK(decide(0.5, 0.0, 1.0, kBelow, 0.9, 10).n_needed == std::floor(10.0 * (0.5 / 0.4) * (0.5 / 0.4)) + 1.0);
  // low > high is not an interval.
  CHECK(decide(0.5, 1.0, 0.0, kBelow, 2.0, 10).verdict == Verdict::inconclusive);
  CHECK(decide(0.5, 1.0, 0.0, kBelow, 2.0, 10).n_needed == kInf);
  // No samples: nothing to extrapolate from.
  CHECK(decide(0.5, 0.0, 1.0, kBelow, 0.9, 0).n_needed == kInf);
  CHECK(decide(0.5, 0.0, 0.8, kBelow, 0.9, 0).verdict == Verdict::holds);
}
