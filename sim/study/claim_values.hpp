#pragma once
// Where claims get their numbers: the outcomes of the scenario's run file (per point, censored as
// the attribution censors them), the levels a level-comparing claim compares and the cells it is
// evaluated at, and the rows of an attribution file's tables.
#include "analysis/claims/estimators.hpp"
#include "output/hdf5_reader.hpp"
#include "output/layout.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace normsim::study {

/// The factor a level-comparing claim compares and the levels it uses, in the order its estimate
/// uses them (norm, versus / norms / level, baseline). Throws InputError, naming `file` and the
/// claim, when the scenario cannot evaluate it: no grid, no such factor, no such level, or a
/// paired difference without common keys.
[[nodiscard]] std::pair<std::size_t, std::vector<std::size_t>> compared_levels(const scenario::Scenario& base,
                                                                             const scenario::Claim& claim,
                                                                             const std::string& file);

/// The cells of `base`'s grid over `factor` (analysis::cells_over) and the other factors'
/// coordinates of each cell (as /design columns).
struct GridCells {
  analysis::FactorCells cells;
  std::vector<output::DesignFactor> design;
};
[[nodiscard]] GridCells grid_cells(const scenario::Scenario& base, std::size_t factor);

/// The parts of an attribution claim (index, index_sum, max_researcher_index,
/// top_researchers_sum) in an attribution file: the named factors' indices (or every tracked
/// researcher's) with their standard errors, and how they combine.
struct AttributionParts {
  std::vector<double> estimate;  ///< one per part
  std::vector<double> se;        ///< standard error of each (bootstrap sd)
  std::size_t top_k = 0;         ///< 0: the sum of all parts; k ≥ 1: the sum of the k largest
  std::uint64_t rows = 0;        ///< design rows N behind the indices
  std::uint64_t runs = 0;        ///< runs of the table's design
};

/// Reads the parts of `claim` from the attribution file `path`. Throws InputError, naming
/// `scenario_file` and the claim, when the table, a factor it names, the per-researcher indices or
/// the standard errors (files of older versions) are missing.
[[nodiscard]] AttributionParts attribution_parts(const std::filesystem::path& path, const scenario::Claim& claim,
                                                 const std::string& scenario_file);

/// The known range [lo, hi] of `outcome`'s values at a point with horizon `horizon` (world.steps):
/// x-risk, shares, fractions, propensities and reached_transformative in [0, 1], t_transform (censored)
/// and steps_run in [0, horizon]; ±∞ for the unbounded ones (capability, interpretability,
/// defections, results).
[[nodiscard]] std::pair<double, double> outcome_range(const std::string& outcome, double horizon);

}  // namespace normsim::study
