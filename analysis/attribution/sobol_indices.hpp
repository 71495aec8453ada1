#pragma once
// Sobol indices from pick-freeze designs (design.hpp): first-order, total, closed second-order, and
// radial totals with screening. All indices are shares of the output variance V, dimensionless.
//
//   V        variance of y_A and y_B pooled (divisor 2N − 1), about their pooled mean μ
//   S_j      = mean((y_B − μ)·(y_ABj − y_A)) / V                 Saltelli et al. (2010), eq. (b)
//   ST_j     = mean((y_A − y_ABj)²) / (2V)                        Jansen (1999)
//   S^c_ij   = mean((y_B − μ)·(y_ABij − y_A)) / V                 closed index of the pair: AB_ij takes
//   S_ij     = S^c_ij − S_i − S_j                                  groups i and j from B (Saltelli 2010's
//                                                                  form applied to the pair)
//   radial   ST_j = mean((y_A − y_Aj)²) / (2 V_A)                  y_Aj = AB_j; V from y_A (pooled with
//                                                                  y_B when given); N·(M+1) runs
//
// Numerics: y_B is centred by the pooled mean μ before the product in S_j (mean(y_ABj − y_A) is only
// approximately 0, so an uncentred y_B multiplies it by a possibly large offset and the difference of
// two large sums cancels); V is computed in two passes about μ; the total index uses differences only.
// CIs: percentile bootstrap (estimate.hpp), all arrays resampled jointly by row.
// Throws std::invalid_argument on size mismatch, NaN/∞, or N < 2; std::domain_error if V = 0 on the
// full sample (a constant output has no indices). A resample with V = 0 gives indices 0.
#include "analysis/attribution/estimate.hpp"

#include <span>
#include <vector>

namespace normsim::analysis {

/// Outputs of a Saltelli design of N rows and M groups: y_a[i] = f(A_i), y_b[i] = f(B_i),
/// y_ab[j][i] = f(AB_j,i). All arrays have size N.
struct PickFreezeOutputs {
  std::span<const double> y_a;                ///< f(A_i), i = 0 … N−1
  std::span<const double> y_b;                ///< f(B_i)
  std::vector<std::span<const double>> y_ab;  ///< y_ab[j][i] = f(AB_j,i), one array per group j
};

/// First-order and total indices of the M groups, estimated on the same bootstrap resamples.
struct SobolIndices {
  std::vector<Estimate> first_order;  ///< S_j, j = 0 … M−1
  std::vector<Estimate> total;        ///< ST_j, j = 0 … M−1
};

/// S_j (Saltelli 2010) and ST_j (Jansen) for every group. Runs: N·(M+2).
[[nodiscard]] SobolIndices sobol_indices(const PickFreezeOutputs& outputs, const BootstrapSettings& settings = {});

/// Outputs of AB_ij for one pair of groups (i ≠ j), size N.
struct PairOutputs {
  std::size_t i = 0;                 ///< first group of the pair (< M)
  std::size_t j = 0;                 ///< second group (< M, ≠ i)
  std::span<const double> y_ab_ij;   ///< f(AB_ij,r), r = 0 … N−1 (groups i and j from B)
};

/// Second-order indices S_ij = S^c_ij − S_i − S_j, one per entry of `pairs` (closed index via y_ABij).
/// Throws std::invalid_argument also if a pair's group index is ≥ M or i = j.
[[nodiscard]] std::vector<Estimate> second_order_indices(const PickFreezeOutputs& outputs,
                                                         std::span<const PairOutputs> pairs,
                                                         const BootstrapSettings& settings = {});

/// Radial total indices of K tracked groups from y_a (size N) and y_a_j[k] = f(AB_k) (size N each):
/// N·(K+1) runs. `y_b` is optional (empty or size N); when given, V pools y_A and y_B.
[[nodiscard]] std::vector<Estimate> radial_total_indices(std::span<const double> y_a,
                                                         const std::vector<std::span<const double>>& y_a_j,
                                                         const BootstrapSettings& settings = {},
                                                         std::span<const double> y_b = {});

/// Screening (metadata only): skip[g] is true when group g's total index is confidently below
/// `threshold`, i.e. its upper CI bound is < threshold. Members of skipped groups need no radial runs.
[[nodiscard]] std::vector<bool> groups_to_skip(std::span<const Estimate> group_totals, double threshold);

/// Members (e.g. researchers) to track: those m with !skip[member_group[m]], in increasing order.
/// Throws std::out_of_range if a member's group is ≥ skip.size().
[[nodiscard]] std::vector<std::size_t> members_to_track(std::span<const std::size_t> member_group,
                                                        const std::vector<bool>& skip);

}  // namespace normsim::analysis
