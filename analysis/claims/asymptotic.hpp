#pragma once
// The asymptotic confidence sequence of Waudby-Smith, Arnold, Wu, Ramdas & Ruf (2024, "Time-uniform
// central limit theory and asymptotic confidence sequences", Annals of Statistics; arXiv:2103.06476,
// Theorem 2.2): Robbins' normal-mixture boundary with the sample standard deviation plugged in,
//
//   CS_n = μ̂_n ± σ̂_n · sqrt( 2(nρ² + 1)/(n²ρ²) · log( sqrt(nρ² + 1)/α ) ),
//   μ̂_n = mean, σ̂²_n = (1/n) Σ (x_i − μ̂_n)²,
//   ρ² = (−2 log α + log(−2 log α + 1)) / n*   (the width is nearly smallest at n = n*, `tuned_n`).
//
// Guarantee (asymptotic): for i.i.d. outcomes with finite variance (a little more: 2+δ moments),
// lim_{m→∞} P(∃ n ≥ m : μ ∉ CS_n) ≤ α; the sequence is close to an exact one once the normal
// approximation holds. How large m must be depends on the skewness of the outcome: measured in
// tests/analysis/sequence_coverage_test.cpp and analysis/claims/README.md. O(1) per add().
#include "analysis/claims/sequence.hpp"

#include <cstdint>
#include <string>

namespace normsim::analysis {

/// Asymptotic confidence sequence for the mean of unbounded outcomes.
class AsymptoticSequence final : public ConfidenceSequence {
 public:
  /// Throws std::invalid_argument unless 0 < alpha < 1 and tuned_n ≥ 1.
  AsymptoticSequence(double alpha, std::uint64_t tuned_n);

  using ConfidenceSequence::add;  // add(span) too
  /// Throws std::domain_error if x is NaN or infinite.
  void add(double x) override;
  [[nodiscard]] std::uint64_t n() const noexcept override { return n_; }
  [[nodiscard]] double estimate() const noexcept override;
  [[nodiscard]] double standard_error() const noexcept override;
  /// CS_n (no running intersection: the early intervals rest on a poor sd estimate); (−∞, ∞) for
  /// n < 2. A constant stream gives the degenerate interval [x, x].
  [[nodiscard]] Interval interval() const override;
  [[nodiscard]] bool contains(double m) const override;
  [[nodiscard]] double alpha() const noexcept override { return alpha_; }
  [[nodiscard]] std::string guarantee() const override;
  [[nodiscard]] std::string method() const override;
  /// ρ², fixed at construction.
  [[nodiscard]] double rho2() const noexcept { return rho2_; }
  /// The unit-variance half-width at n: sqrt(2(nρ² + 1)/(n²ρ²) · log(sqrt(nρ² + 1)/α)); n ≥ 1.
  [[nodiscard]] double unit_half_width(std::uint64_t n) const noexcept;

 protected:
  [[nodiscard]] double boundary(std::uint64_t m) const override;

 private:
  [[nodiscard]] double sd() const noexcept;

  double alpha_;
  std::uint64_t tuned_n_;
  double rho2_;
  std::uint64_t n_ = 0;
  double mean_ = 0.0;  ///< Welford running mean
  double m2_ = 0.0;    ///< Welford Σ (x_i − mean)²
};

}  // namespace normsim::analysis
