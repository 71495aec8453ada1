#pragma once
// Shapley effects of G groups (up to about 12; the design allows 64) by Goda (2021)'s permutation
// estimator on the ShapleyDesign of design.hpp: N rows × (G + 1) runs.
//
// Row i walks along a random order π_i of the groups: run s has the first s groups of π_i from B and
// the rest from A (run 0 = A_i, run G = B_i). With y_s the output of run s, the step that switches
// group g = π_i(s) from A to B contributes
//     c_{i,g} = (y_{s−1} − y_s) · (y_0 − (y_{s−1} + y_s) / 2)
// which is ½[(y_0 − y_s)² − (y_0 − y_{s−1})²], an unbiased estimate of the increment of the
// Jansen-type cost E[Var(Y | X_{−u})] when g joins the set u of groups already switched. Averaged
// over rows (and hence over uniformly random orders) it is V·Sh_g. The contributions of one row
// telescope to ½(y_0 − y_G)², so the normaliser used is
//     V̂ = mean(½ (y_0 − y_G)²)       and       Sh_g = mean_i(c_{i,g}) / V̂,
// which makes the estimated effects sum to exactly 1 on every (bootstrap) sample.
// Only differences enter the products, so no centring is needed.
// CI: percentile bootstrap over rows i (all G contributions of a row resampled together).
#include "analysis/attribution/design.hpp"
#include "analysis/attribution/estimate.hpp"

#include <span>
#include <vector>

namespace normsim::analysis {

/// Shapley effects Sh_g, g = 0 … G−1 (dimensionless, sum 1). `y` holds the design's outputs
/// row-major, y[i·(G+1) + s], size rows·(G+1). Throws std::invalid_argument on size mismatch or
/// NaN/∞; std::domain_error if every y_0 equals its y_G (no variance).
[[nodiscard]] std::vector<Estimate> shapley_effects(const ShapleyDesign& design, std::span<const double> y,
                                                    const BootstrapSettings& settings = {});

}  // namespace normsim::analysis
