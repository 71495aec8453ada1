#pragma once
// Scenario discovery with PRIM: several boxes by covering, each tested against noise by a
// permutation test and rated for stability by a bootstrap. The entry point of `normsim discover`:
// the caller builds a PointSet (assumptions at each design point, and whether the claim fails there),
// calls discover(), and writes or prints the DiscoveryResult.
//
// Covering. Stage b = 0, 1, … runs the one-box pipeline of prim.hpp (peel, choose, paste, resolve)
// on the points not inside any earlier box. Coverage and mass stay fractions of the whole input, so
// the boxes' coverages add up; density is over the box's points at its stage. A stage's box is
// accepted when it has a restriction, its density exceeds the base rate of the whole input (the
// overall mean) and min_density, and the permutation test rejects noise; the first box that fails
// stops the covering (it is returned as `rejected` with the reason).
//
// Permutation test (is the density gain within noise?): the stage's values of interest are shuffled
// over its points (weights stay with the points) `permutations` times, and the whole pipeline is rerun
// on each shuffle with the same settings. p = (1 + #{null density ≥ observed}) / (1 + permutations).
// Shuffling makes interest independent of position while keeping the base rate, so p is an exact
// test of "PRIM would find a box this dense in structureless data", search and all.
//
// Stability (bootstrap): `resamples` resamples of all points with replacement; on each, the covering
// is rerun for as many stages as boxes were accepted, with the same settings and choice rule (a user's
// step index becomes "the largest box with at most the chosen step's mass"), and each accepted box is
// matched with the resample's box most similar to it (weighted Jaccard index of the input points the
// two boxes hold; ties: the earlier stage). Matching rather than comparing stage with stage keeps two
// equally strong regions, found in either order from one resample to the next, from looking
// unstable. Reported per box: the mean similarity of the matches; for every dimension and side, the
// share of resamples whose matched box restricts it (the restriction's frequency) and the mean and
// spread of the limit where it does; per level, the share whose matched box admits it. Every random
// draw is Philox4x64-10 of (seed, purpose, stage, replicate, index): the result is a pure function
// of the input and the seed, bit for bit. A box's limits do not depend on the seed; only p-values,
// stability, and through the p-values which boxes are accepted, do.
#include "analysis/discovery/box.hpp"
#include "analysis/discovery/prim.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace normsim::analysis::discovery {

/// Parameters of discover().
struct DiscoverySettings {
  PrimSettings prim;                  ///< the one-box pipeline (peel, choice, paste, resolution)
  std::size_t max_boxes = 3;          ///< B ≥ 1: stages of the covering
  double min_density = 0.0;           ///< accept a box only at density ≥ this, in [0, 1]
  std::size_t permutations = 99;      ///< permutation test; 0: no test (p left NaN)
  double significance = 0.05;         ///< accept a box only at p ≤ this, in (0, 1)
  std::size_t resamples = 100;        ///< bootstrap resamples (each reruns the covering); 0: no stability
  std::uint64_t seed = 0x7072696d73656564ULL;  ///< every random draw (ASCII "primseed")
};

/// Throws std::invalid_argument naming the field unless every parameter is in range (and a step
/// index choice goes with max_boxes = 1: an index refers to one trajectory).
void validate(const DiscoverySettings& settings);

/// Bootstrap stability of one side of one dimension.
struct SideStability {
  double frequency = 0.0;  ///< share of resamples whose matched box restricts this side, in [0, 1]
  double limit_mean = std::numeric_limits<double>::quiet_NaN();  ///< numeric: mean limit where restricted
  double limit_sd = std::numeric_limits<double>::quiet_NaN();    ///< numeric: its sd (divisor count−1; 0 for one)
};

/// Bootstrap stability of one dimension (numeric: low and high; categorical: levels).
struct DimensionStability {
  SideStability low, high, levels;
  std::vector<double> level_admitted;  ///< categorical: per level, share of resamples whose matched box admits it
};

/// Bootstrap stability of a box, for every dimension (restricted in the box or not).
struct Stability {
  std::size_t resamples = 0;
  /// Mean weighted Jaccard index between the box and its match over the resamples, in [0, 1]
  /// (1: every resample finds the same points; 0 when no resample ran).
  double similarity = 0.0;
  std::vector<DimensionStability> dimensions;  ///< one per dimension, in order
};

/// One box of the covering.
struct DiscoveredBox {
  std::size_t stage = 0;                     ///< 0 for the first box
  Box box;                                   ///< the final limits (after pasting and resolution)
  BoxStatistics statistics;                  ///< over the stage's points; coverage and mass of the whole input
  std::vector<Restriction> restrictions;     ///< with quasi-p and bootstrap frequency, limits' mean and sd
  std::vector<Restriction> dropped;          ///< restrictions the resolution pass removed
  std::vector<TrajectoryStep> trajectory;    ///< the stage's peeling trajectory
  std::size_t chosen_step = 0;               ///< the step the rule picked (before pasting and resolution)
  std::size_t stage_points = 0;              ///< points left at this stage
  double stage_base_rate = 0.0;              ///< density of the stage's points
  double p_value = std::numeric_limits<double>::quiet_NaN();       ///< permutation test
  double null_density = std::numeric_limits<double>::quiet_NaN();  ///< (1 − significance) quantile of null densities
  Stability stability;                       ///< empty when not accepted or resamples = 0
};

/// The result of discover().
struct DiscoveryResult {
  Box initial;                               ///< the box of all points (the dimensions' ranges)
  std::size_t n_points = 0;
  double total_weight = 0.0;                 ///< Σ w
  double total_interest = 0.0;               ///< Σ w·y
  double base_rate = 0.0;                    ///< total_interest / total_weight: the overall mean
  std::vector<DiscoveredBox> boxes;          ///< accepted boxes, in covering order
  std::optional<DiscoveredBox> rejected;     ///< the box that stopped the covering, if one did
  std::string stop_reason;                   ///< why the covering stopped, one sentence
};

/// Runs the covering with tests and stability. Throws std::invalid_argument from validate(points)
/// and validate(settings). Cost: (1 + permutations + resamples) pipelines per accepted box (plus one
/// for the rejected one), each O(D · n · log(min_mass)/log(1 − peel_alpha)).
[[nodiscard]] DiscoveryResult discover(const PointSet& points, const DiscoverySettings& settings);

}  // namespace normsim::analysis::discovery
