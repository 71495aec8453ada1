#pragma once
// The estimates behind claims' verdicts, from arrays of outcomes or of attribution results: means
// (Student t), proportions (Wilson score), paired differences, sums and top-k sums of indices with
// intervals that cover when their parts' intervals do, and the cells over which a claim comparing
// levels of one factor is evaluated. Model-independent: tests/analysis/claim_estimators_test.cpp
// checks them on synthetic data.
#include "analysis/claims/verdict.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace normsim::analysis {

/// A claim's quantity at one point: estimate, interval [low, high] and the sample size behind it
/// (replicates, pairs or design rows). NaN everywhere when it cannot be estimated.
struct ClaimEstimate {
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t n = 0;
};

/// Mean of `y` with a two-sided Student t interval at `confidence`. Needs ≥ 2 values (else
/// std::invalid_argument); a constant sample has a zero-width interval.
[[nodiscard]] ClaimEstimate mean_interval(std::span<const double> y, double confidence);

/// Mean of the paired differences a[r] − b[r] with a Student t interval at `confidence`.
/// Throws std::invalid_argument on unequal lengths or fewer than 2 pairs.
[[nodiscard]] ClaimEstimate paired_difference_interval(std::span<const double> a, std::span<const double> b,
                                                       double confidence);

/// The fraction k / n with the Wilson score interval at `confidence` (clipped to [0, 1]; it always
/// contains k / n, and ends at 0 for k = 0 and at 1 for k = n).
/// Precondition: n ≥ 1, k ≤ n.
[[nodiscard]] ClaimEstimate proportion_interval(std::uint64_t k, std::uint64_t n, double confidence);

/// The sum of several quantities whose intervals are [lows[i], highs[i]]: [Σ lows, Σ highs] covers
/// the sum whenever every interval covers its part. Precondition: equal lengths.
[[nodiscard]] ClaimEstimate sum_of_intervals(std::span<const double> estimates, std::span<const double> lows,
                                             std::span<const double> highs, std::uint64_t n);

/// The sum of the k largest of several quantities (k = 1: the largest), with the interval [sum of
/// the k largest lower ends, sum of the k largest upper ends], which covers when every part's
/// interval does (the sum of the k largest is non-decreasing in every coordinate). k is clipped
/// to the number of quantities. Precondition: equal lengths, k ≥ 1, at least one quantity.
[[nodiscard]] ClaimEstimate top_k_sum(std::span<const double> estimates, std::span<const double> lows,
                                      std::span<const double> highs, std::size_t k, std::uint64_t n);

/// The overall verdict of a claim evaluated at several entries: holds when it holds at every
/// entry, fails when it fails at one, inconclusive otherwise (and for no entry at all).
[[nodiscard]] Verdict overall_verdict(std::span<const Verdict> verdicts) noexcept;

/// The cells of a grid over the levels of one factor: each cell is one combination of the other
/// factors' levels, in order of first appearance, with the design point of each level of the factor.
struct FactorCells {
  std::vector<std::vector<std::uint64_t>> points;  ///< [cell][level] → point
  std::vector<std::uint64_t> first_point;          ///< [cell] → the first point of the cell (its coordinates)
};

/// Cells of the grid whose point p has level levels[p][f] of factor f (P × F, every factor's
/// levels 0 … count − 1), over factor `factor` with `level_count` levels. Points missing from a cell
/// (not a full grid) are left at point 0; a full grid fills every cell.
/// Throws std::invalid_argument when `factor` ≥ F or a level is out of range.
[[nodiscard]] FactorCells cells_over(const std::vector<std::vector<std::int64_t>>& levels, std::size_t factor,
                                     std::size_t level_count);

}  // namespace normsim::analysis
