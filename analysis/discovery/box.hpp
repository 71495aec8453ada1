#pragma once
// The data of scenario discovery and the boxes PRIM finds in it: a set of points in a space of
// assumptions (numeric dimensions with a range, categorical dimensions with levels), a value "of
// interest" per point (1 = the claim fails there, 0 = it holds, or a probability in between) with
// an optional weight, and boxes: a closed interval per numeric dimension and a set of admitted
// levels per categorical one. Knows nothing about the model, the scenario or HDF5.
//
// Statistics of a box B over the points i (weights w_i, values y_i; unweighted: w_i = 1):
//   coverage = Σ_{i∈B} w_i y_i / Σ_i w_i y_i   (share of all interest that lies in B)
//   density  = Σ_{i∈B} w_i y_i / Σ_{i∈B} w_i   (mean of y in B)
//   mass     = Σ_{i∈B} w_i / Σ_i w_i           (share of the points in B)
// A restriction is one side of one dimension whose limit differs from the initial box (the
// dimension's range, or all of its levels): PRIM only ever moves a limit to a midpoint between two
// data values, so a restricted side always excludes at least one point of the data it was found on.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace normsim::analysis::discovery {

/// Kind of an assumption. The values may be stored in output files: never renumber them.
enum class DimensionKind : std::uint8_t { numeric = 0, categorical = 1 };

/// The largest number of levels a categorical dimension may have (levels are a 64-bit mask).
inline constexpr std::size_t kMaxLevels = 64;

/// One assumption (a dimension of the space the points sample).
struct Dimension {
  std::string name;                                           ///< e.g. "research.spill_probability"
  DimensionKind kind = DimensionKind::numeric;
  /// Numeric: the assumption's range (the sweep's from/to), in its own units; the initial box spans
  /// it and an unrestricted side reports it. NaN: the data's minimum (low) or maximum (high).
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  /// Categorical: names of levels 0 … k−1 (1 ≤ k ≤ kMaxLevels); a point's coordinate is its level index.
  std::vector<std::string> levels;

  /// A numeric dimension over [low, high] (NaN ends: the data's range).
  [[nodiscard]] static Dimension numeric(std::string name, double low, double high);
  /// A categorical dimension with these level names.
  [[nodiscard]] static Dimension categorical(std::string name, std::vector<std::string> levels);
};

/// The input of PRIM: N points in D dimensions, each with a value of interest and a weight.
struct PointSet {
  std::vector<Dimension> dimensions;        ///< D ≥ 1 assumptions
  /// columns[d][i]: coordinate of point i on dimension d; finite; within [low, high] for a numeric
  /// dimension with a given range; an exact integer level index 0 … k−1 for a categorical one.
  std::vector<std::vector<double>> columns;
  /// interest[i] ∈ [0, 1]: 1 if point i is of interest (the claim fails there), 0 if not; a value in
  /// between is a probability of being of interest (e.g. from an inconclusive verdict).
  std::vector<double> interest;
  /// Empty: every point weighs 1. Otherwise N finite weights > 0 (e.g. inverse sampling density).
  std::vector<double> weights;

  /// Number of points N.
  [[nodiscard]] std::size_t size() const noexcept { return interest.size(); }
  /// Weight of point i (1 when `weights` is empty).
  [[nodiscard]] double weight(std::size_t i) const noexcept { return weights.empty() ? 1.0 : weights[i]; }
};

/// Throws std::invalid_argument (naming the dimension, point or field) unless: D ≥ 1, N ≥ 1 and
/// N < 2^32; every column has N finite values; numeric ranges satisfy low ≤ high where given and
/// contain the data; categorical dimensions have 1 … kMaxLevels levels and integer coordinates in
/// range; interest ∈ [0, 1]; weights empty or N finite values > 0.
void validate(const PointSet& points);

/// The limits of a box on one dimension.
struct Limits {
  double low = std::numeric_limits<double>::quiet_NaN();   ///< numeric: x ≥ low (NaN for categorical)
  double high = std::numeric_limits<double>::quiet_NaN();  ///< numeric: x ≤ high (NaN for categorical)
  std::uint64_t levels = 0;                                ///< categorical: bit k set ⇔ level k admitted
};

/// A box: one Limits per dimension, in the order of PointSet::dimensions.
struct Box {
  std::vector<Limits> limits;
};

/// The box that holds every point: each numeric dimension's range (NaN ends resolved to the data's
/// minimum or maximum), every level of each categorical one. Throws as validate().
[[nodiscard]] Box initial_box(const PointSet& points);

/// True if point i lies in the box (closed intervals; admitted levels). Preconditions: the box has
/// one Limits per dimension and i < N (unchecked).
[[nodiscard]] bool contains(const PointSet& points, const Box& box, std::size_t i) noexcept;

/// Statistics of a box over a set of points (definitions at the top of this file).
struct BoxStatistics {
  double coverage = 0.0;    ///< in [0, 1]; 0 when no point is of interest
  double density = 0.0;     ///< in [0, 1]; NaN for an empty box
  double mass = 0.0;        ///< in [0, 1]
  std::size_t n_points = 0; ///< points in the box (with multiplicity in a bootstrap resample)
};

/// The statistics of `box` over all points of `points`. Throws as validate(), and
/// std::invalid_argument if the box has the wrong number of dimensions.
[[nodiscard]] BoxStatistics evaluate(const PointSet& points, const Box& box);

/// Which limit of a dimension a restriction concerns. Stored in output files: never renumber.
enum class Side : std::uint8_t {
  low = 0,     ///< numeric: x ≥ limit
  high = 1,    ///< numeric: x ≤ limit
  levels = 2,  ///< categorical: x ∈ admitted levels
};

/// "low", "high", "levels".
[[nodiscard]] const char* side_name(Side side) noexcept;

/// One restriction of a box, with its significance and (after a bootstrap) its stability.
struct Restriction {
  std::size_t dimension = 0;                 ///< index into PointSet::dimensions
  std::string name;                          ///< the dimension's name
  DimensionKind kind = DimensionKind::numeric;
  Side side = Side::low;                     ///< low or high (numeric), levels (categorical)
  double limit = std::numeric_limits<double>::quiet_NaN();  ///< numeric: the bound; NaN for categorical
  std::uint64_t levels = 0;                  ///< categorical: mask of admitted levels; 0 for numeric
  std::vector<std::string> level_names;      ///< categorical: names of the admitted levels, in level order
  /// Quasi-p-value (one-sided binomial, see prim.hpp): the probability of at least the box's points of
  /// interest among its points if the box without this restriction had no lower density. Small = the
  /// restriction matters. In [0, 1].
  double quasi_p = std::numeric_limits<double>::quiet_NaN();
  /// Bootstrap: share of resamples whose matched box restricts this dimension on this side (discover.hpp);
  /// NaN if none ran.
  double frequency = std::numeric_limits<double>::quiet_NaN();
  /// Bootstrap (numeric): mean and standard deviation (divisor R−1; 0 for one value) of this side's
  /// limit over the resamples that restrict it; NaN if none does or for categorical.
  double limit_mean = std::numeric_limits<double>::quiet_NaN();
  double limit_sd = std::numeric_limits<double>::quiet_NaN();
};

/// The restrictions of `box` relative to `initial` (sides whose limit differs), in dimension order,
/// low before high, with quasi-p-values computed on `points`; frequency and limits' spread are left
/// NaN. Throws std::invalid_argument if a box has the wrong number of dimensions.
[[nodiscard]] std::vector<Restriction> restrictions(const PointSet& points, const Box& initial, const Box& box);

/// One line of text for a restriction: "x0 <= 0.2987", "x3 >= 0.6012", "norm in {open, secret}".
[[nodiscard]] std::string describe(const Restriction& restriction);

/// P(X ≥ k) for X ~ Binomial(n, p), continued to real n ≥ k ≥ 0 as the regularized incomplete beta
/// function I_p(k, n − k + 1) (exact for integers): 1 when k ≤ 0, 0 when p = 0 < k. Throws
/// std::invalid_argument unless 0 ≤ k ≤ n and p ∈ [0, 1].
[[nodiscard]] double binomial_upper_tail(double n, double k, double p);

}  // namespace normsim::analysis::discovery
