#pragma once
// Scenario discovery in a normsim file, under /discovery/<claim>/ (normsim discover, issue 13).
// P = design points of the sweep, D = assumptions (the sweep's factors), K = restrictions of a box,
// S = steps of its peeling trajectory, L = the most levels of a categorical assumption.
//
//   points/estimate, low, high   float64 [P]  the claim's quantity at each point and its interval
//   points/verdict               int8 [P]     0 holds, 1 fails, 2 inconclusive (at each point's level)
//   points/interest              float64 [P]  1 where the claim fails at its estimate, else 0: what
//                                             PRIM looks for
//   points/n                     uint64 [P]   replicates behind each estimate
//   points/design/<factor>       [P]          the point's assumptions, as /design
//   dimensions/low, high         float64 [D]  each numeric assumption's range (NaN for categorical),
//                                             in its units; group attributes names, scales
//   dimensions/kind              int8 [D]     0 numeric, 1 categorical; attribute labels
//   <box>/…                                   per box: box_1, box_2, … (accepted, in covering order),
//                                             and `rejected` (the box that stopped the covering)
//     restrictions/dimension     uint64 [K]   index of the restricted assumption
//     restrictions/side          int8 [K]     0 low (x ≥ limit), 1 high (x ≤ limit), 2 levels
//     restrictions/limit         float64 [K]  the bound (NaN for levels)
//     restrictions/levels        uint64 [K]   mask of the admitted levels (bit k: level k; 0 numeric)
//     restrictions/quasi_p       float64 [K]  quasi-p-value of the resolution pass
//     restrictions/frequency     float64 [K]  share of bootstrap resamples whose box restricts it
//     restrictions/limit_mean, limit_sd  float64 [K]  the limit over the resamples restricting it
//                                             (attribute text: each restriction in words)
//     limits/low, high           float64 [D]  the box on every assumption (= the range if unrestricted)
//     limits/levels              uint64 [D]   admitted levels of categorical assumptions
//     trajectory/coverage, density, mass  float64 [S]; n_points, n_restricted  uint64 [S]
//     trajectory/low, high       float64 [S, D];  trajectory/levels  uint64 [S, D]
//     stability/frequency        float64 [D, 3]  share of resamples restricting low, high, levels
//     stability/limit_mean, limit_sd  float64 [D, 2]  the low and high limits over those resamples
//     stability/level_admitted   float64 [D, L]  share of resamples admitting each level (NaN pad)
//     attributes: stage, coverage, density, mass, n_points, p_value, null_density, similarity,
//     resamples, chosen_step, stage_points, stage_base_rate, dropped (restrictions the resolution
//     pass removed, in words)
//   attributes of /discovery/<claim>: statement, quantity, outcome, compare, value, confidence,
//   estimator, guarantee, interest (the rule in words), n_points, base_rate, total_interest, boxes,
//   stop_reason, and the PRIM settings (peel_alpha, paste_alpha, min_mass, objective, choice,
//   quality_exponent, max_quasi_p, max_boxes, min_density, permutations, significance, resamples, seed).
// /discovery has the attribute verdict_labels = ["holds", "fails", "inconclusive"].
// Numeric limits are in the assumption's units; for a log-scale assumption PRIM works on ln(x), its
// limits are converted back, limit_mean is the geometric mean and limit_sd the sd of ln(limit).
#include "output/layout.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace normsim::output {

/// One box of a discovery as stored under /discovery/<claim>/<name>/.
struct DiscoveryBox {
  std::string name;  ///< "box_1", "box_2", … or "rejected"; HDF5 group name
  // Restrictions, K each.
  std::vector<std::uint64_t> dimension;
  std::vector<std::int8_t> side;
  std::vector<double> limit;
  std::vector<std::uint64_t> levels;
  std::vector<double> quasi_p, frequency, limit_mean, limit_sd;
  std::vector<std::string> text;     ///< each restriction in words
  std::vector<std::string> dropped;  ///< restrictions removed by the resolution pass, in words
  // The box on every assumption, D each.
  std::vector<double> low, high;
  std::vector<std::uint64_t> level_mask;
  // Peeling trajectory: S each; the boxes S × D row-major.
  std::vector<double> coverage, density, mass;
  std::vector<std::uint64_t> n_points, n_restricted;
  std::vector<double> trajectory_low, trajectory_high;
  std::vector<std::uint64_t> trajectory_levels;
  // Bootstrap stability: D × 3, D × 2, D × 2, D × L row-major (L = level_columns).
  std::vector<double> stability_frequency, stability_limit_mean, stability_limit_sd, level_admitted;
  std::uint64_t level_columns = 0;
  // Attributes.
  std::uint64_t stage = 0;
  double box_coverage = 0, box_density = 0, box_mass = 0;
  std::uint64_t box_points = 0;
  double p_value = 0, null_density = 0, similarity = 0;
  std::uint64_t resamples = 0, chosen_step = 0, stage_points = 0;
  double stage_base_rate = 0;
};

/// Everything stored under /discovery/<claim>/.
struct DiscoveryTable {
  std::string claim;  ///< HDF5 group name: [A-Za-z0-9_.-]
  std::string statement, quantity, outcome, compare, estimator, guarantee, interest_rule, stop_reason;
  double value = 0, confidence = 0.95, base_rate = 0, total_interest = 0;
  // Points, P each.
  std::vector<double> estimate, low, high, interest;
  std::vector<std::int8_t> verdict;
  std::vector<std::uint64_t> n;
  std::vector<DesignFactor> design;
  // Assumptions, D each.
  std::vector<std::string> dimension_names, dimension_scales;
  std::vector<std::int8_t> dimension_kind;
  std::vector<double> dimension_low, dimension_high;
  std::vector<DiscoveryBox> boxes;  ///< accepted boxes, then the rejected one if any
  std::uint64_t accepted = 0;       ///< accepted boxes (the first `accepted` of `boxes`)
  /// PRIM's settings, written as attributes of these names.
  std::vector<std::pair<std::string, double>> numbers;
  std::vector<std::pair<std::string, std::string>> texts;
};

/// Adds /discovery/<claim> to the finished normsim file `file`, replacing an existing group of that
/// claim and keeping the other claims' groups. Works on a copy renamed over the file, so a failure
/// leaves `file` as it was. Throws OutputError on columns of unequal length or HDF5 failures.
void write_discovery(const std::filesystem::path& file, const DiscoveryTable& table);

}  // namespace normsim::output
