#pragma once
// The hedged-capital betting confidence sequence of Waudby-Smith & Ramdas (2024, JRSSB 86(1),
// "Estimating means of bounded random variables by betting", Section 4.2, Theorem 3), for outcomes
// in a known range [lo, hi], computed on y = (x − lo)/(hi − lo) ∈ [0, 1]:
//
//   λ̇_t    = sqrt(2 log(2/α) / (σ̂²_{t−1} t log(1 + t)))          (σ̂² as in bernstein.hpp)
//   K⁺_t(m) = Π_{i≤t} (1 + min(λ̇_i, c/m) (y_i − m)),   K⁻_t(m) = Π_{i≤t} (1 − min(λ̇_i, c/(1−m)) (y_i − m)),  c = 1/2
//   CS_t    = {m ∈ [0, 1] : max(K⁺_t(m), K⁻_t(m)) < 2/α}
//
// Under the mean m, ½K⁺ + ½K⁻ is a nonnegative martingale with initial value 1, so by Ville's
// inequality P(∃t: max(½K⁺_t, ½K⁻_t)(μ) ≥ 1/α) ≤ α: exact for any distribution on [lo, hi]. K⁺_t(m)
// is non-increasing and K⁻_t(m) non-decreasing in m, so CS_t is an interval whose ends are found by
// root-finding on log K. The running intersection CS_1 ∩ … ∩ CS_t is {m : max_{s≤t} K±_s(m) < 2/α},
// an interval by the same monotonicity.
//
// Costs: add() O(1); contains() two O(n) passes over the outcomes; interval() about 2 × 20 such
// passes (root-finding on the running maximum, which has kinks), measured ~5 ms at n = 10⁴ and
// ~0.2 s at n = 10⁶ on a loaded machine (tests_sequential "[.figures]"); 16 bytes per outcome.
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/sequence.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace normsim::analysis {

/// Hedged-capital betting confidence sequence for the mean of outcomes in [lo, hi].
class BettingSequence final : public ConfidenceSequence {
 public:
  /// Throws std::invalid_argument unless 0 < alpha < 1 and lo < hi, both finite. With `fixed_n`
  /// the bets are tuned for that sample size (λ_t = sqrt(2 log(2/α) / (σ̂²_{t−1} n)), capped as
  /// above: Waudby-Smith & Ramdas's confidence interval for a fixed n): narrower at n, and still a
  /// valid sequence (the same martingale argument), so interval() at n is an exact interval.
  BettingSequence(double alpha, double lo, double hi, std::uint64_t fixed_n = 0);

  using ConfidenceSequence::add;  // add(span) too
  /// Throws std::domain_error if x is NaN or outside [lo, hi].
  void add(double x) override;
  [[nodiscard]] std::uint64_t n() const noexcept override { return state_.t(); }
  [[nodiscard]] double estimate() const noexcept override;
  [[nodiscard]] double standard_error() const noexcept override { return range_ * state_.standard_error(); }
  /// The running intersection CS_1 ∩ … ∩ CS_n; [lo, hi] at n = 0. If it is empty (probability ≤ α),
  /// CS_n alone; if that is empty too, the degenerate interval at the midpoint of its ends.
  [[nodiscard]] Interval interval() const override;
  /// Whether max_{s≤n} K±_s(m) < 2/α, evaluated directly (no root-finding).
  [[nodiscard]] bool contains(double m) const override;
  /// CS_n alone (for comparisons and tests); same conventions as interval().
  [[nodiscard]] Interval current_interval() const;
  [[nodiscard]] double alpha() const noexcept override { return alpha_; }
  [[nodiscard]] std::string guarantee() const override;
  [[nodiscard]] std::string method() const override;

 protected:
  /// The PrPl-EB boundary with the same bets and spread (bernstein.hpp): its projection has the
  /// shape of this sequence's width, which has no closed form.
  [[nodiscard]] double boundary(std::uint64_t m) const override;
  [[nodiscard]] std::uint64_t first_size_below(double target) const override;

 private:
  /// max over s ≤ n (running) or the value at s = n of log K⁺_s(m) (upper = false) or log K⁻_s(m).
  [[nodiscard]] double log_capital(double m, bool minus, bool running) const;
  /// The ends of {m : capital < 2/α on both sides} in y units, rounded outwards.
  [[nodiscard]] Interval ends(bool running) const;

  double alpha_;
  double lo_;
  double range_;
  detail::BernsteinState state_;
  std::vector<double> y_;    ///< rescaled outcomes
  std::vector<double> bet_;  ///< λ̇_t, fixed when y_t arrived (predictable)
  std::uint64_t fixed_n_ = 0;  ///< > 0: bets tuned for this sample size
};

}  // namespace normsim::analysis
