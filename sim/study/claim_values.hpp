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

/// Reads outcome columns of a run file on demand ([P · R], point-major): t_transform censored at
/// each point's horizon, and reached_transformative derived from it (1 reached, 0 not).
class RunValues {
 public:
  /// Throws output::OutputError when the file cannot be read.
  RunValues(const std::filesystem::path& path, const scenario::Scenario& base);
  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }
  /// The R values of `outcome` at point p.
  [[nodiscard]] std::vector<double> at(const std::string& outcome, std::uint64_t p);

 private:
  double horizon_of(std::uint64_t p) const;

  output::Hdf5Reader file_;
  const scenario::Scenario& base_;
  std::uint64_t replicates_;
  std::map<std::string, std::vector<double>> columns_;
};

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

/// The estimate of an attribution claim (index, index_sum, max_researcher_index,
/// top_researchers_sum) from the attribution file `path`. Throws InputError, naming
/// `scenario_file` and the claim, when the table or a factor it names is missing.
[[nodiscard]] analysis::ClaimEstimate attribution_estimate(const std::filesystem::path& path, const scenario::Claim& claim,
                                                           const std::string& scenario_file);

}  // namespace normsim::study
