#pragma once
// First-order indices of every group at once from a replicated design of 2N runs (Mara & Joseph
// 2008; Tissot & Prieur 2015), estimated by Janon et al. (2014)'s asymptotically efficient formula.
//
// Design: N runs of design 1 and N runs of design 2. For every group j there is a permutation π_j
// (design.hpp `Permutation`) such that design-2 row π_j(i) takes group j's values (parameters and/or
// entity keys) from design-1 row i; other groups are shuffled by other, independent permutations, so
// that in the pair (y1[i], y2[π_j(i)]) only group j is shared. For entity keys, "design 2 is a
// permutation of design 1's keys": design-2 row r gives entity j the key of design-1 row π_j⁻¹(r).
//
// Janon et al. (2014), with Y = y1[i], Y' = y2[π_j(i)] over i = 1 … N:
//   m   = mean((Y + Y') / 2)
//   S_j = (mean(Y·Y') − m²) / (mean((Y² + Y'²) / 2) − m²)
// The formula is invariant to a shift of the outputs; both arrays are centred by their pooled mean
// first so that the products do not cancel catastrophically when |mean| ≫ sd.
// The estimator carries an O(1/N) bias from the finite set of shuffled rows (the non-shared groups of
// a pair are drawn without replacement from N rows); it vanishes as N grows.
// CI: percentile bootstrap, the pair index i resampled jointly for all groups.
#include "analysis/attribution/design.hpp"
#include "analysis/attribution/estimate.hpp"

#include <span>
#include <vector>

namespace normsim::analysis {

/// S_j for every permutation in `permutations` (one per group). y1, y2 have size N and every
/// permutation has size N. Throws std::invalid_argument on size mismatch, NaN/∞ or N < 2;
/// std::domain_error if the pooled variance of y1 and y2 is 0.
[[nodiscard]] std::vector<Estimate> janon_first_order(std::span<const double> y1, std::span<const double> y2,
                                                      std::span<const Permutation> permutations,
                                                      const BootstrapSettings& settings = {});

}  // namespace normsim::analysis
