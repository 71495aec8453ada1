#pragma once
// The verdict of a claim "quantity < value" (or "> value") from a confidence interval of the
// quantity: holds when the whole interval is on the claimed side, fails when it is wholly on the
// other side, inconclusive otherwise; and for an inconclusive claim, the sample size that would
// likely decide it. Pure arithmetic on numbers: it knows nothing about the model, the scenario or
// how the interval was estimated (replicates, design rows, bootstrap), so that `normsim check` and
// the tests (tests/analysis/verdict_test.cpp) use the same rule.
#include <cstdint>
#include <string_view>

namespace normsim::analysis {

/// A claim's verdict. The values are stored in output files (/claims/<id>/verdict, int8): never
/// renumber them.
enum class Verdict : std::uint8_t { holds = 0, fails = 1, inconclusive = 2 };

/// "holds", "fails", "inconclusive" ("?" for a value outside the enum).
[[nodiscard]] std::string_view verdict_name(Verdict verdict) noexcept;

/// A verdict and the sample size that would likely decide it.
struct Decision {
  Verdict verdict = Verdict::inconclusive;
  /// 0 when decided. Inconclusive: the smallest sample size (replicates or design rows, the unit of
  /// `n`) at which the interval, shrunk as 1/√n around the same estimate, no longer reaches the value;
  /// +∞ when no sample size can decide (estimate equal to the value, NaN inputs, n = 0, an
  /// unbounded interval).
  double n_needed = 0.0;
};

/// The verdict of "quantity < value" (`claimed_below`) or "quantity > value" from the estimate and
/// its confidence interval [low, high] at the current sample size n (replicates or design rows).
///   holds:        the whole interval on the claimed side (high < value for <; low > value for >);
///   fails:        the whole interval on the other side (low > value for <; high < value for >);
///   inconclusive: otherwise: an interval end equal to the value is inconclusive.
/// n_needed of an inconclusive claim: the half-width on the side facing the value, h (high − estimate
/// when value > estimate, estimate − low when value < estimate), scales as 1/√n, so it equals
/// d = |estimate − value| at n* = n·(h/d)²; n_needed is the smallest integer above n* (at n* itself
/// the end would equal the value, still inconclusive), hence > n: exactly, the smallest m > n for
/// which the end estimate ± h·sqrt(n/m), computed in double, no longer reaches the value. Any NaN
/// input, or low > high, gives inconclusive with n_needed = +∞. Never throws.
[[nodiscard]] Decision decide(double estimate, double low, double high, bool claimed_below, double value,
                              std::uint64_t n) noexcept;

}  // namespace normsim::analysis
