#pragma once
// Internals: PRIM's steps on a Sample (sample.hpp), shared by the public one-box functions
// (prim.hpp) and by the covering, permutation test and bootstrap (discover.hpp).
#include "analysis/discovery/prim.hpp"
#include "analysis/discovery/sample.hpp"

#include <vector>

namespace normsim::analysis::discovery::detail {

/// The peeling trajectory of the sample from `initial` (every point of the sample must lie in it);
/// statistics relative to `totals`, smallest box min_mass · totals.weight.
[[nodiscard]] std::vector<TrajectoryStep> peel_sample(const Sample& s, const std::vector<Dimension>& dims,
                                                      const Box& initial, const PrimSettings& settings,
                                                      const Totals& totals);

/// `box` after pasting on the sample (α_paste = 0: unchanged).
[[nodiscard]] Box paste_sample(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                               const Box& box, const PrimSettings& settings);

/// The resolution pass on the sample.
[[nodiscard]] Resolution resolve_sample(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                                        const Box& box, double max_quasi_p);

/// Peel, choose (by `choice`, which may differ from settings.choice), paste, resolve.
struct PipelineResult {
  std::vector<TrajectoryStep> trajectory;
  std::size_t chosen = 0;   ///< index of the chosen step
  Resolution resolution;    ///< the final box and its restrictions
};

[[nodiscard]] PipelineResult run_pipeline(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                                          const PrimSettings& settings, const BoxChoice& choice,
                                          const Totals& totals);

}  // namespace normsim::analysis::discovery::detail
