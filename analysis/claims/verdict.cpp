// Verdicts from intervals. Comparisons are strict so that an interval that touches the value is
// inconclusive: the claim is decided only when the data exclude the value.
#include "analysis/claims/verdict.hpp"

#include <cmath>
#include <limits>

namespace normsim::analysis {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

}  // namespace

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::holds: return "holds";
    case Verdict::fails: return "fails";
    case Verdict::inconclusive: return "inconclusive";
  }
  return "?";
}

Decision decide(double estimate, double low, double high, bool claimed_below, double value,
                std::uint64_t n) noexcept {
  if (std::isnan(estimate) || std::isnan(low) || std::isnan(high) || std::isnan(value) || low > high) {
    return {Verdict::inconclusive, kNever};
  }
  const bool all_below = high < value;
  const bool all_above = low > value;
  if (all_below) return {claimed_below ? Verdict::holds : Verdict::fails, 0.0};
  if (all_above) return {claimed_below ? Verdict::fails : Verdict::holds, 0.0};
  // Inconclusive: low ≤ value ≤ high.
  const double distance = std::abs(estimate - value);
  if (n == 0 || !(distance > 0.0) || !std::isfinite(distance)) return {Verdict::inconclusive, kNever};
  const double half_width = value > estimate ? high - estimate : estimate - low;  // > 0 here, may be ∞
  const double ratio = half_width / distance;
  const double exact = static_cast<double>(n) * ratio * ratio;
  if (!std::isfinite(exact)) return {Verdict::inconclusive, kNever};
  // The smallest integer strictly above n*: at n* the interval's end would equal the value. n* is
  // rounded; a few steps either way make the result exact for the end as computed here, which is
  // how a caller shrinking the interval computes it: estimate ± h·sqrt(n/m).
  const double n_now = static_cast<double>(n);
  const auto reaches = [&](double m) {
    const double half = half_width * std::sqrt(n_now / m);
    return value > estimate ? estimate + half >= value : estimate - half <= value;
  };
  double m = std::floor(exact) + 1.0;
  for (int step = 0; step < 4 && reaches(m); ++step) m += 1.0;
  for (int step = 0; step < 4 && m - 1.0 > n_now && !reaches(m - 1.0); ++step) m -= 1.0;
  return {Verdict::inconclusive, m};
}

}  // namespace normsim::analysis
