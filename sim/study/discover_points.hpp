#pragma once
// Internal to normsim discover (discover.cpp): the claim at each design point from the run file, the
// sweep's factors as PRIM's assumptions, and PRIM's result as the table stored under
// /discovery/<claim>/ (in the assumptions' own units).
#include "analysis/discovery/discover.hpp"
#include "output/discovery_table.hpp"
#include "random/math.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace normsim::study {

/// The logarithms and exponentials of log-scale assumptions: SLEEF's deterministic functions, as in
/// the design that placed the points, so that boxes are the same bits on every machine.
inline constexpr random::Math kMath{};

/// The claim evaluated at each of the P design points.
struct PointValues {
  std::vector<double> estimate, low, high;  ///< the quantity and its interval at each point's level
  std::vector<std::int8_t> verdict;         ///< analysis::Verdict codes
  std::vector<double> interest;             ///< 1 where the claim fails at its estimate, else 0
  std::vector<std::uint64_t> n;             ///< replicates (pairs) behind each estimate
  std::string estimator;                    ///< how the estimate and interval are made
  std::string guarantee;                    ///< what each interval guarantees, in words
  std::string interest_rule;                ///< what "of interest" means, in words
};

/// Evaluates `claim` (mean, probability or mean_difference) at every point of `base`'s sweep from
/// the run file `path`: [P, R] outcomes, or [2P, R] for a paired claim (row 2p under the claim's
/// norm, 2p + 1 under versus). t_transform is censored at the point's horizon, as `check` does.
/// Throws output::OutputError when the file cannot be read.
[[nodiscard]] PointValues evaluate_points(const scenario::Claim& claim, const scenario::Scenario& base,
                                          const std::filesystem::path& path, bool paired);

/// One sweep factor as an assumption of PRIM: numeric (on ln x for a log-scale factor) over its
/// range, or categorical over its labels.
struct Assumption {
  std::size_t factor = 0;                        ///< index into base.sweep.factors
  analysis::discovery::Dimension dimension;      ///< in PRIM's coordinates
  bool log = false;                              ///< PRIM works on ln(value)
};

/// The assumptions of `base`'s sweep, one per factor. Throws InputError naming `file` for a
/// categorical factor with more than analysis::discovery::kMaxLevels levels or a log-scale factor
/// whose range is not positive.
[[nodiscard]] std::vector<Assumption> discovery_dimensions(const scenario::Scenario& base, const std::string& file);

/// The points of `base`'s sweep in the assumptions' coordinates with their interest. A numeric
/// range is widened to the data where rounding put a value outside it.
[[nodiscard]] analysis::discovery::PointSet point_set(const scenario::Scenario& base,
                                                      const std::vector<Assumption>& assumptions,
                                                      const std::vector<double>& interest);

/// What /discovery/<claim>/ stores: the points, the assumptions, every box (accepted ones as box_1 …,
/// the rejected one as "rejected") with limits in the assumptions' units, and the settings.
[[nodiscard]] output::DiscoveryTable discovery_table(const scenario::Claim& claim, const scenario::Scenario& base,
                                                     const PointValues& values,
                                                     const std::vector<Assumption>& assumptions,
                                                     const analysis::discovery::PointSet& points,
                                                     const analysis::discovery::DiscoveryResult& result,
                                                     const analysis::discovery::DiscoverySettings& settings);

}  // namespace normsim::study
