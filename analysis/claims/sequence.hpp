#pragma once
// Anytime-valid confidence sequences for the mean of a stream of i.i.d. outcomes, the verdicts they
// give, and the rounds of a sequential check.
//
// A confidence sequence at level 1 − α is a sequence of intervals CS_1, CS_2, ... with
//   P(∃ n ≥ 1 : μ ∉ CS_n) ≤ α,
// so its interval may be looked at after every replicate, and sampling may stop (or go on) for any
// reason seen in the data, without the error exceeding α. Implementations (one header each):
//   BettingSequence    outcomes in a known range [lo, hi]: hedged-capital betting (exact); the default
//   BernsteinSequence  outcomes in [lo, hi]: predictable plug-in empirical Bernstein (exact, O(1) memory)
//   AsymptoticSequence unbounded outcomes: Robbins' normal mixture with a plug-in sd (asymptotic)
// Formulas, guarantees, the measured widths and error rates: analysis/claims/README.md.
//
// Pure arithmetic, like verdict.hpp: no model, runner or file dependency.
#include "analysis/claims/verdict.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::analysis {

/// A closed interval of the outcome's units; low ≤ high, either end may be infinite.
struct Interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};

/// A confidence sequence for the mean of one stream of outcomes (one claim at one point). Feed the
/// outcomes in replicate order with add(); interval() is the interval that decides, valid at every
/// n simultaneously. Const members keep no cache and may run concurrently; add() may not run with
/// any other member. Copyable through the concrete classes.
class ConfidenceSequence {
 public:
  virtual ~ConfidenceSequence() = default;

  /// Adds the next outcome (units of the outcome). Throws std::domain_error if it is NaN, infinite,
  /// or (bounded sequences) outside the declared range; the sequence is then unchanged.
  virtual void add(double x) = 0;
  /// add() for each value in order; stops at the first that throws (the earlier ones stay added).
  void add(std::span<const double> xs);

  /// Outcomes added so far.
  [[nodiscard]] virtual std::uint64_t n() const noexcept = 0;
  /// Their plain mean (NaN when n = 0). Not necessarily the centre of interval().
  [[nodiscard]] virtual double estimate() const noexcept = 0;
  /// The standard error of estimate(): sample sd (divisor n − 1) / √n; NaN when n < 2.
  [[nodiscard]] virtual double standard_error() const noexcept = 0;
  /// The confidence sequence at the current n: P(the mean is ever outside it) ≤ alpha(). Its ends
  /// are rounded outwards, so a value outside it is outside the exact set. (−∞, ∞) before enough
  /// data (n = 0; n < 2 for the asymptotic sequence).
  [[nodiscard]] virtual Interval interval() const = 0;
  /// Whether `m` lies in the exact confidence set at the current n (interval() ⊇ that set, equal up
  /// to the rounding of its ends).
  [[nodiscard]] virtual bool contains(double m) const = 0;
  /// The error α of the whole sequence (time-uniform), as constructed.
  [[nodiscard]] virtual double alpha() const noexcept = 0;
  /// What the error bound rests on, for reports: "anytime-valid, exact for outcomes in [0, 1]" or
  /// "anytime-valid, asymptotic".
  [[nodiscard]] virtual std::string guarantee() const = 0;
  /// The method, with its reference, for the `estimator` field of a claim's result.
  [[nodiscard]] virtual std::string method() const = 0;

  /// The half-width of the interval on one side of the estimate (upper: high − estimate; lower:
  /// estimate − low) projected to sample size m ≥ n as if the spread of the outcomes stayed as
  /// estimated now: the current half-width times boundary(m) / boundary(n). A planning figure, not a
  /// guarantee. NaN when it cannot be projected (n = 0, infinite interval, zero boundary).
  [[nodiscard]] double projected_half_width(std::uint64_t m, bool upper) const;
  /// The same with the current interval() given (it costs O(n) for the betting sequence).
  [[nodiscard]] double projected_half_width(std::uint64_t m, bool upper, const Interval& now) const;
  /// The smallest m > n at which projected_half_width(m, upper, now) < distance (`now` =
  /// interval()); +∞ if there is none below 2^62, or nothing to project from (n = 0, an infinite
  /// interval, distance ≤ 0 or infinite).
  [[nodiscard]] double size_to_clear(double distance, bool upper, const Interval& now) const;

 protected:
  ConfidenceSequence() = default;
  ConfidenceSequence(const ConfidenceSequence&) = default;
  ConfidenceSequence& operator=(const ConfidenceSequence&) = default;
  ConfidenceSequence(ConfidenceSequence&&) = default;
  ConfidenceSequence& operator=(ConfidenceSequence&&) = default;

  /// The half-width this sequence's boundary would have at sample size m with the spread estimated
  /// now (units of the outcome; only ratios are used). Positive and non-increasing in m ≥ n.
  [[nodiscard]] virtual double boundary(std::uint64_t m) const = 0;
  /// The smallest m > n with boundary(m) < target, or 0 if there is none below 2^62. By default
  /// doubling and bisection on boundary(); the bounded sequences march their sums once instead.
  [[nodiscard]] virtual std::uint64_t first_size_below(double target) const;

  static constexpr std::uint64_t kLargest = std::uint64_t{1} << 62;  ///< projections stop here
};

/// Why a point is, or is not, decided. The values may be stored in output files: never renumber.
enum class Prospect : std::uint8_t {
  decided = 0,        ///< the interval lies wholly on one side of the value
  more_runs = 1,      ///< undecided; n_needed ≤ max_n: the runs the point may still get would likely decide it
  beyond_budget = 2,  ///< undecided; n_needed > max_n: the estimate is off the value, but too close for the budget
  on_value = 3,       ///< undecided; the estimate lies within one standard error of the value: the data cannot
                      ///< tell the mean from the value, n_needed extrapolates noise, and no budget can be
                      ///< named that would decide it
};

/// "decided", "more_runs", "beyond_budget", "on_value" ("?" for a value outside the enum).
[[nodiscard]] std::string_view prospect_name(Prospect prospect) noexcept;

/// A claim's verdict from a confidence sequence, and what deciding it would take.
struct SequentialDecision {
  Verdict verdict = Verdict::inconclusive;  ///< decide() on interval: the displayed interval decides
  double estimate = 0.0;                    ///< the sequence's estimate()
  Interval interval;                        ///< the sequence's interval()
  std::uint64_t n = 0;                      ///< outcomes behind it
  /// 0 when decided. Otherwise the smallest m > n at which the half-width facing the value,
  /// projected (projected_half_width), falls below |estimate − value|: where the claim would likely
  /// be decided if the estimate stayed; +∞ when the estimate equals the value or nothing can be
  /// projected (n = 0, an unbounded interval).
  double n_needed = 0.0;
  Prospect prospect = Prospect::more_runs;
};

/// The verdict of "mean < value" (`claimed_below`) or "mean > value" from `sequence` now, with
/// n_needed and the prospect given that this point can reach at most `max_n` outcomes:
///   verdict   decide(estimate, low, high, claimed_below, value, n).verdict: holds when the whole
///             interval is on the claimed side, fails when it is on the other side, else inconclusive;
///   prospect  decided; else more_runs if n < 2 (nothing known yet); else on_value if
///             |estimate − value| ≤ standard_error(); else more_runs if n_needed ≤ max_n; else
///             beyond_budget.
/// Why one standard error: the projection n_needed ≈ n·(h/d)² (h the half-width, d the distance)
/// is at least z²·n there (h ≈ z·se, z ≈ 3–5 at the levels of maps), and d itself is then mostly
/// noise, so the data say nothing about how far the mean is from the value.
/// Throws std::invalid_argument if value is NaN.
[[nodiscard]] SequentialDecision decide_sequential(const ConfidenceSequence& sequence, bool claimed_below,
                                                   double value, std::uint64_t max_n);

/// Which confidence sequence for outcomes known to lie in [lo, hi].
enum class BoundedMethod : std::uint8_t {
  betting = 0,             ///< hedged-capital betting: markedly tighter below n ≈ 10⁴ (README); O(n) interval()
  empirical_bernstein = 1  ///< predictable plug-in empirical Bernstein: O(1) memory and interval()
};

/// What make_mean_sequence builds.
struct MeanSequenceSettings {
  double alpha = 0.05;  ///< error of the sequence, in (0, 1): per_point_alpha(...) for a point of a map
  /// Known range of every outcome. Both finite (lo < hi): an exact sequence (`bounded`); otherwise
  /// the asymptotic one.
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  BoundedMethod bounded = BoundedMethod::betting;
  /// Asymptotic sequence only: the sample size at which its width is smallest (the first look, e.g.
  /// the initial replicates); ≥ 1. The width is within 16 % of the optimum for each n from n =
  /// tuned_n/4 to 64·tuned_n (README), so the first look is the natural choice.
  std::uint64_t tuned_n = 100;
};

/// The confidence sequence `settings` describe. Throws std::invalid_argument for alpha outside
/// (0, 1), lo ≥ hi with both finite, a NaN bound or tuned_n = 0.
[[nodiscard]] std::unique_ptr<ConfidenceSequence> make_mean_sequence(const MeanSequenceSettings& settings);

/// One point of a map between the rounds of a sequential check.
struct RoundPoint {
  std::uint64_t n = 0;                      ///< outcomes so far (≥ 1)
  Prospect prospect = Prospect::more_runs;  ///< from decide_sequential
  double n_needed = 0.0;                    ///< from decide_sequential (+∞ and NaN: least promising)
};

/// The sample size of every point after the next round: undecided points (any prospect but decided)
/// with n < max_n grow to min(2n, max_n) (doubling), the most promising (smallest n_needed; ties in
/// the map's order) first, while the extra outcomes fit in `runs_left`; the first point that does
/// not fit gets what is left, and the rest keep their n. on_value points come last in practice
/// (their n_needed is ≥ z²·n); a caller that wants to spend nothing on them leaves them out.
/// Decided points keep their n. Returns n unchanged everywhere when nothing can grow: the check is
/// over. Throws std::invalid_argument if a point has n = 0.
[[nodiscard]] std::vector<std::uint64_t> next_round(std::span<const RoundPoint> points, std::uint64_t max_n,
                                                    std::uint64_t runs_left);

}  // namespace normsim::analysis
