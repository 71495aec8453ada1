#pragma once
// Categorical factors (the norm), paired comparisons between levels, and knockouts.
//
// Norm share. A sweep over k levels of a categorical factor with R replicates per level gives
// y[l·R + r]. With the level drawn uniformly, the law of total variance says
//     Var(Y) = Var_l(μ_l) + mean_l(σ_l²),     share = Var_l(μ_l) / Var(Y).
// Estimates (m_l, s_l² the mean and the R−1 variance of level l; W = mean_l s_l²):
//     B_plug-in = (1/k) Σ_l (m_l − m̄)²
//     B         = B_plug-in − (1/(k·R)) Σ_l s²(z_l)       with z_{l,r} = y_{l,r} − mean_l' y_{l',r}
//     share     = B / (B + W)                             (bias-corrected; reported as "share")
//     plug-in   = B_plug-in / (B_plug-in + W·(R−1)/R)     (the naive between/total ratio of the data)
// The plug-in between-level variance is biased up by the sampling variance of the level means; the
// correction subtracts an unbiased estimate of it. Written with the deviations z from each replicate's
// cross-level mean it holds whether or not the levels share keys (for independent levels it equals
// ((k−1)/k)·W/R, "the within-level sampling variance / R"). The corrected share can be slightly
// negative when the factor has no effect; it is not clipped, so that it stays unbiased.
// CIs: percentile bootstrap. Paired (common keys: replicate r of every level uses the same entity
// keys): replicates r are resampled jointly across levels. Unpaired: each level is resampled on its own.
//
// Paired differences and knockouts: mean of the paired differences with a Student-t interval
// (mean ± t_{R−1} · sd/√R), valid when the pairs (r) are independent of each other.
// Throws std::invalid_argument on size mismatch, NaN/∞, k < 2 or R < 2.
#include "analysis/attribution/estimate.hpp"

#include <span>
#include <vector>

namespace normsim::analysis {

/// Share of the output variance explained by a categorical factor.
struct NormShare {
  Estimate share;          ///< bias-corrected share B / (B + W), dimensionless
  Estimate plug_in_share;  ///< uncorrected share, for reference (biased up by ≈ (k−1)/(k·R)·W/Var)
  Estimate between;        ///< B, the bias-corrected variance of the level means (output units²)
  Estimate within;         ///< W, the mean within-level variance (output units²)
};

/// Norm share of `y` (size levels·R, level-major). `paired` says whether replicate r of every level
/// shares its keys (common random numbers); it decides how the bootstrap resamples.
/// Throws std::domain_error if the data are constant.
[[nodiscard]] NormShare norm_share(std::span<const double> y, std::size_t levels, bool paired,
                                   const BootstrapSettings& settings = {});

/// mean(first[r] − second[r]) with a t-based CI at `confidence`; first and second have equal size ≥ 2.
[[nodiscard]] Estimate paired_mean_difference(std::span<const double> first, std::span<const double> second,
                                              double confidence = 0.95);

/// Difference between two levels of a categorical factor: mean(y_a − y_b) over paired replicates.
struct LevelDifference {
  std::size_t level_a = 0;
  std::size_t level_b = 0;
  Estimate difference;  ///< output units; t-based CI on the paired differences
};

/// Paired differences for every pair a < b of levels, in lexicographic order; y as for norm_share().
[[nodiscard]] std::vector<LevelDifference> level_differences(std::span<const double> y, std::size_t levels,
                                                             double confidence = 0.95);

/// Knockout effect of an entity: mean(y_without[r] − y_with[r]) over runs paired on the same keys
/// (all other entities keep their keys), with a t-based CI. Positive = the output rises without it.
[[nodiscard]] Estimate knockout_effect(std::span<const double> y_with, std::span<const double> y_without,
                                       double confidence = 0.95);

}  // namespace normsim::analysis
