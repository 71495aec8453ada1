#pragma once
// The predictable plug-in empirical-Bernstein confidence sequence (PrPl-EB) of Waudby-Smith &
// Ramdas (2024, JRSSB 86(1), "Estimating means of bounded random variables by betting", Theorem 2),
// for outcomes in a known range [lo, hi], computed on y = (x − lo)/(hi − lo) ∈ [0, 1]:
//
//   μ̂_t  = (1/2 + Σ_{i≤t} y_i) / (t + 1),   σ̂²_t = (1/4 + Σ_{i≤t} (y_i − μ̂_i)²) / (t + 1)
//   λ_t  = min(c, sqrt(2 log(2/α) / (σ̂²_{t−1} t log(1 + t)))),  c = 1/2
//   v_t  = 4 (y_t − μ̂_{t−1})²,   ψ_E(λ) = (−log(1 − λ) − λ) / 4
//   CS_t = Σλ_i y_i / Σλ_i  ±  (log(2/α) + Σ v_i ψ_E(λ_i)) / Σλ_i,   ∩ [0, 1], running intersection.
//
// Exact: P(∃t: μ ∉ CS_t) ≤ α for any distribution on [lo, hi] (i.i.d., or any process whose
// conditional mean is μ). O(1) memory and time per add() and interval().
#include "analysis/claims/sequence.hpp"

#include <cstdint>
#include <string>

namespace normsim::analysis {

namespace detail {

/// The running state both bounded sequences share, on the rescaled y ∈ [0, 1]: the regularised
/// mean and variance above, the predictable bet λ̇_{t+1} (before any cap), and the PrPl-EB sums.
class BernsteinState {
 public:
  static constexpr double kCap = 0.5;  ///< c: the truncation of the empirical-Bernstein bet

  /// log(2/α): the threshold of each of the two one-sided tests at α/2. Precondition: 0 < α < 1.
  explicit BernsteinState(double alpha) noexcept;

  /// The bet the next outcome gets, λ̇_{t+1} = sqrt(2 log(2/α) / (σ̂²_t (t+1) log(t+2))), uncapped.
  [[nodiscard]] double next_bet() const noexcept;
  /// Adds y ∈ [0, 1] (precondition) with the capped bet min(c, next_bet()).
  void add(double y) noexcept;

  [[nodiscard]] std::uint64_t t() const noexcept { return t_; }
  [[nodiscard]] double sum() const noexcept { return sum_; }
  [[nodiscard]] double log_threshold() const noexcept { return log_threshold_; }
  /// The standard error of the plain mean of y: sample sd (divisor t − 1) / √t; NaN for t < 2.
  [[nodiscard]] double standard_error() const noexcept;
  /// σ̂²_t (with the prior 1/4 counted as one observation).
  [[nodiscard]] double variance() const noexcept;
  /// The centre Σλ_i y_i / Σλ_i and half-width (log(2/α) + Σ v_i ψ_E(λ_i)) / Σλ_i of CS_t (y units).
  [[nodiscard]] double centre() const noexcept { return lambda_y_ / lambda_; }
  [[nodiscard]] double half_width() const noexcept { return (log_threshold_ + penalty_) / lambda_; }
  /// half_width() projected to m ≥ t outcomes: the sums continued with λ_s from σ̂²_t held fixed
  /// and E[v_s ψ_E(λ_s)] = σ̂²_t (−log(1 − λ_s) − λ_s), summed in blocks (relative error ~1e-5).
  /// Equals half_width() at m = t ≥ 1.
  [[nodiscard]] double projected_half_width(std::uint64_t m) const noexcept;
  /// The smallest m > t with projected_half_width(m) < target, or 0 if there is none up to
  /// `largest`: one march through the continued sums (the blocks of projected_half_width, the last
  /// one solved in closed form), not a search that recomputes them.
  [[nodiscard]] std::uint64_t first_size_below(double target, std::uint64_t largest) const noexcept;

 private:
  struct Block;
  [[nodiscard]] Block block_at(std::uint64_t s, double variance_now) const noexcept;

  double log_threshold_;
  std::uint64_t t_ = 0;
  double sum_ = 0.0;         ///< Σ y_i
  double squares_ = 0.0;     ///< Σ (y_i − μ̂_i)²
  double lambda_ = 0.0;      ///< Σ λ_i
  double lambda_y_ = 0.0;    ///< Σ λ_i y_i
  double penalty_ = 0.0;     ///< Σ v_i ψ_E(λ_i)
  double welford_mean_ = 0.0;  ///< plain running mean of y (Welford)
  double welford_m2_ = 0.0;    ///< Σ (y_i − mean)² (Welford)
};

/// [lo + range·low, lo + range·high] with each end moved outwards by one ulp (so that a value
/// outside it is outside the exact set despite the rounding of the change of units), then clipped to
/// [lo, lo + range]: no mean lies outside the range.
[[nodiscard]] Interval to_outcome_units(double lo, double range, double low, double high) noexcept;

}  // namespace detail

/// PrPl-EB confidence sequence for the mean of outcomes in [lo, hi] (see the top of this file).
class BernsteinSequence final : public ConfidenceSequence {
 public:
  /// Throws std::invalid_argument unless 0 < alpha < 1 and lo < hi, both finite.
  BernsteinSequence(double alpha, double lo, double hi);

  using ConfidenceSequence::add;  // add(span) too
  /// Throws std::domain_error if x is NaN or outside [lo, hi].
  void add(double x) override;
  [[nodiscard]] std::uint64_t n() const noexcept override { return state_.t(); }
  [[nodiscard]] double estimate() const noexcept override;
  [[nodiscard]] double standard_error() const noexcept override { return range_ * state_.standard_error(); }
  /// The running intersection of CS_1 … CS_n clipped to [lo, hi]; [lo, hi] at n = 0. If it is empty
  /// (probability ≤ α), CS_n alone.
  [[nodiscard]] Interval interval() const override;
  [[nodiscard]] bool contains(double m) const override;
  /// CS_n alone, clipped to [lo, hi] (for comparisons and tests).
  [[nodiscard]] Interval current_interval() const;
  [[nodiscard]] double alpha() const noexcept override { return alpha_; }
  [[nodiscard]] std::string guarantee() const override;
  [[nodiscard]] std::string method() const override;

 protected:
  [[nodiscard]] double boundary(std::uint64_t m) const override;
  [[nodiscard]] std::uint64_t first_size_below(double target) const override;

 private:
  double alpha_;
  double lo_;
  double range_;
  detail::BernsteinState state_;
  double running_low_ = 0.0;   ///< max over t of the lower ends (y units)
  double running_high_ = 1.0;  ///< min over t of the upper ends (y units)
};

/// "[lo, hi]" with the bounds in shortest form, for the guarantees of the bounded sequences.
[[nodiscard]] std::string range_text(double lo, double hi);

}  // namespace normsim::analysis
