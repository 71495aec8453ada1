#pragma once
// Internals of discover(): the permutation test of a stage's box and the bootstrap stability of all
// boxes, with every random draw addressed by Philox4x64-10 (seed, purpose, stage, replicate, index).
#include "analysis/discovery/discover.hpp"
#include "analysis/discovery/pipeline.hpp"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace normsim::analysis::discovery::detail {

/// The choice rule of resamples and permutations: `choice` itself, except that a step index (which
/// has no meaning on another trajectory) becomes "the largest box with mass ≤ chosen_mass".
[[nodiscard]] BoxChoice replicate_choice(const BoxChoice& choice, double chosen_mass);

/// Permutation test of a stage's box of density `observed`: reruns the pipeline on `permutations`
/// shuffles of the stage's values of interest. Returns (p-value, (1 − significance) quantile of the
/// null densities).
[[nodiscard]] std::pair<double, double> permutation_test(const Sample& stage, const PointSet& points, const Box& initial,
                                                         const DiscoverySettings& settings, const BoxChoice& choice,
                                                         const Totals& totals, std::size_t stage_index,
                                                         double observed);

/// Fills `stability` and the restrictions' frequency and limit spread of every box: on each bootstrap
/// resample of all points, the covering is rerun for boxes.size() stages (same settings, choices from
/// `choices`, one per box), and each box is matched with the resample box most similar to it.
void bootstrap_stability(const PointSet& points, const Box& initial, const DiscoverySettings& settings,
                         const std::vector<BoxChoice>& choices, const Totals& totals,
                         std::vector<DiscoveredBox>& boxes);

}  // namespace normsim::analysis::discovery::detail
