#pragma once
// Error control over a map of points and over repeated looks: how a claim's level α is split so
// that the probability of any wrong verdict, over every point of a map and every look of a
// sequential check, stays at most α.
//
//   Points (family-wise): Bonferroni. Each of the k points of a map gets its interval at level
//   1 − α/k, so P(some point's interval misses its truth) ≤ Σ α/k = α whatever the dependence between
//   points (common random numbers included). A verdict is wrong only if the interval that decides
//   it misses the truth (an interval containing the truth cannot lie wholly on the wrong side of
//   the value, nor wholly on one side of a truth that equals the value), so P(any wrong verdict in
//   the map) ≤ α. The interval shown for a point is the very interval that decides it.
//   Looks (resampled statistics: attribution indices, norm_share): a statistic without an
//   anytime-valid sequence is re-estimated at looks j = 1, 2, ... (rows doubling), look j at level
//   1 − α_j with α_j = α·6/(π² j²); Σ_j α_j = α, so the union bound covers every look, whatever the
//   stopping rule. Composes with the points: α_j = look_alpha(per_point_alpha(α, k, control), j).
//
// Pure arithmetic; analysis/claims/README.md gives the justification and the simulated error rates.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace normsim::analysis {

/// Which error a map's verdicts control. The values may be stored in output files: never renumber.
enum class ErrorControl : std::uint8_t {
  family_wise = 0,  ///< P(any point's verdict wrong) ≤ α across the map (Bonferroni); the default
  per_point = 1,    ///< P(a given point's verdict wrong) ≤ α at each point (the behaviour before issue 12)
};

/// "family_wise", "per_point" ("?" for a value outside the enum).
[[nodiscard]] std::string_view error_control_name(ErrorControl control) noexcept;

/// The level at which each of `points` points is evaluated so that the map has error `alpha` under
/// `control`: α/k for family_wise, α for per_point. Throws std::invalid_argument unless
/// 0 < alpha < 1 and points ≥ 1.
[[nodiscard]] double per_point_alpha(double alpha, std::size_t points, ErrorControl control);

/// The share of `alpha` spent at look `look` (1, 2, ...) of a statistic re-estimated at every look:
/// α·6/(π² look²). The shares of all looks sum to alpha. Throws std::invalid_argument unless
/// 0 < alpha < 1 and look ≥ 1.
[[nodiscard]] double look_alpha(double alpha, std::uint64_t look);

/// One sentence stating the guarantee of a map of `points` points at error `alpha`, for reports,
/// e.g. "family-wise: P(any of the 40 points' verdicts wrong) ≤ 0.05 (Bonferroni: each point at
/// level 1 − 0.00125)"; "P(the verdict wrong) ≤ 0.05" for one point. Throws as per_point_alpha.
[[nodiscard]] std::string map_guarantee(double alpha, std::size_t points, ErrorControl control);

namespace detail {

/// `value` in the shortest form that reads back exactly (std::to_chars), e.g. "0.00125".
[[nodiscard]] std::string shortest(double value);

}  // namespace detail

}  // namespace normsim::analysis
