#pragma once
// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), one box at a time: peeling from
// the box that holds every point, the choice of a box on the peeling trajectory, pasting, and the
// resolution pass that drops restrictions that do not matter. Covering (several boxes), the
// permutation test and bootstrap stability are in discover.hpp. README.md beside this file states
// the algorithm and its choices in full.
//
// Peeling. From box B, each candidate slab is: on a numeric dimension, the points of B with the
// lowest (or highest) values whose weight first reaches α_peel · weight(B), extended over ties with
// its last value; on a categorical dimension, the points of B at one admitted level. A candidate is
// admissible when it leaves B with at least min_mass of the total weight (and a point). PRIM removes
// the admissible slab with the best objective and records the new box; it stops when none is
// admissible. A numeric limit moves to the midpoint between the slab's last value and the nearest
// value kept. Ties between candidates go to the first in the order: dimension index, low before high,
// level index (comparisons are strict, so equal objectives keep the earlier candidate).
//
// Pasting (from a chosen box B): each candidate is, on a restricted numeric side, the points outside
// B on that side only, nearest first, whose weight first reaches α_paste · weight(B) (extended over
// ties); on a categorical dimension, the points outside B only by one excluded level. The candidate
// giving the highest density is pasted if it raises the density strictly; repeat until none does.
// A side whose last outside point is pasted returns to the initial limit (no longer restricted).
//
// Resolution: each restriction gets a quasi-p-value, the one-sided binomial probability (Kish's
// effective size for weights) of at least the box's interest among its points if they had the density
// of the box without that restriction (EMA Workbench's test, per side). While the largest exceeds
// max_quasi_p, that restriction is dropped (the side returns to the initial limit) and all are
// recomputed.
#include "analysis/discovery/box.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace normsim::analysis::discovery {

/// What a peel maximises. Stored in output files as an attribute: never renumber.
enum class PeelObjective : std::uint8_t {
  mean = 0,                ///< density of the box left (Friedman & Fisher's criterion)
  mean_gain_per_mass = 1,  ///< (density left − density before) / weight removed (EMA Workbench "lenient1")
};

/// How a box is chosen on a peeling trajectory. Coverage here is relative to the interest of the
/// points the trajectory was peeled from (step 0 has coverage 1); density and mass as in box.hpp.
struct BoxChoice {
  enum class Rule : std::uint8_t {
    /// The step with the largest quality mass^a · (density − density of step 0) (Klösgen 1996): at
    /// a = ½, the default, the binomial test's z-score of the box's density against the base rate,
    /// up to a constant; a = 1 is the weighted relative accuracy (excess of interest over a random box
    /// of the same mass), a = 0 the density gain alone. Peeling a thin slab of density s raises the
    /// quality iff s < (1 − a)·density + a·base rate (to first order in the slab's mass): the chosen
    /// box is where peeling starts to cut into slabs denser than that. Ties: the earlier (larger) box.
    max_quality = 0,
    /// The densest step with coverage ≥ min_coverage (ties: the earlier). Step 0 always qualifies.
    densest_with_coverage = 1,
    /// The first (largest) step with density ≥ min_density; the densest step if none reaches it
    /// (the EMA Workbench's threshold on density).
    widest_with_density = 2,
    /// The first (largest) step with mass ≤ max_mass; the last step if none.
    largest_within_mass = 3,
    /// The step with index `step` (the user's pick). Bootstrap resamples and permutations, whose
    /// trajectories differ, use largest_within_mass with the chosen step's mass.
    step = 4,
  };
  Rule rule = Rule::max_quality;
  double quality_exponent = 0.5;  ///< max_quality: a in [0, 1]
  double min_coverage = 0.5;  ///< densest_with_coverage: in [0, 1]
  double min_density = 0.8;   ///< widest_with_density: in [0, 1]
  double max_mass = 0.1;      ///< largest_within_mass: in (0, 1]
  std::size_t step = 0;       ///< step: index on the trajectory
};

/// Name of a rule: "max_quality", "densest_with_coverage", "widest_with_density",
/// "largest_within_mass", "step".
[[nodiscard]] const char* rule_name(BoxChoice::Rule rule) noexcept;

/// The parameters of one run of PRIM.
struct PrimSettings {
  double peel_alpha = 0.05;    ///< α_peel: share of the box's weight a numeric peel removes, in (0, 0.5]
  double paste_alpha = 0.05;   ///< α_paste: share of the box's weight a paste adds, in [0, 0.5]; 0: no pasting
  double min_mass = 0.05;      ///< β_min: the smallest box, as a share of the total weight, in (0, 1]
  PeelObjective objective = PeelObjective::mean;
  BoxChoice choice;            ///< the rule that picks the box on the trajectory
  double max_quasi_p = 0.05;   ///< resolution: drop restrictions with quasi-p above this, in [0, 1]; 1 keeps all
};

/// Throws std::invalid_argument naming the field unless every parameter is in its stated range.
void validate(const PrimSettings& settings);

/// One box of a peeling trajectory with its statistics (box.hpp's definitions, relative to the
/// PointSet's totals).
struct TrajectoryStep {
  double coverage = 0.0;
  double density = 0.0;
  double mass = 0.0;
  std::size_t n_points = 0;
  std::size_t n_restricted = 0;  ///< dimensions restricted on at least one side
  Box box;
};

/// The peeling trajectory of all points: step 0 is initial_box(points), each further step one peel.
/// Density is not monotone (a peel takes the best slab, which may lower it). Throws as validate().
[[nodiscard]] std::vector<TrajectoryStep> peel(const PointSet& points, const PrimSettings& settings);

/// The step `choice` picks on a trajectory whose step 0 is the box of all the points it was peeled
/// from. Throws std::invalid_argument for an empty trajectory or a step index beyond it.
[[nodiscard]] std::size_t choose_step(const std::vector<TrajectoryStep>& trajectory, const BoxChoice& choice);

/// `box` after pasting on all points. Throws as validate() and if the box has the wrong dimensions.
[[nodiscard]] Box paste(const PointSet& points, const Box& box, const PrimSettings& settings);

/// A box after the resolution pass.
struct Resolution {
  Box box;                            ///< the box without the dropped restrictions
  std::vector<Restriction> kept;      ///< its restrictions, with their final quasi-p-values
  std::vector<Restriction> dropped;   ///< in the order dropped, each with its quasi-p when dropped
};

/// The resolution pass on all points, relative to initial_box(points). Throws std::invalid_argument
/// for a box of the wrong dimensions or max_quasi_p outside [0, 1] (1 keeps every restriction).
[[nodiscard]] Resolution resolve(const PointSet& points, const Box& box, double max_quasi_p);

}  // namespace normsim::analysis::discovery
