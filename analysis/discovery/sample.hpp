#pragma once
// Internals shared by PRIM's steps: a Sample is the points one run of PRIM works on (all points, the
// points left by the covering, a bootstrap resample or a permutation of the values of interest),
// copied column-wise with a sorted order per numeric dimension; and the box arithmetic on it.
#include "analysis/discovery/box.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace normsim::analysis::discovery::detail {

/// Points copied from a PointSet (rows may repeat). Positions j = 0 … n−1.
struct Sample {
  std::size_t n = 0;
  std::vector<std::vector<double>> x;               ///< x[d][j]
  std::vector<double> y;                            ///< value of interest
  std::vector<double> w;                            ///< weight (> 0)
  std::vector<std::vector<std::uint32_t>> order;    ///< numeric d: positions by x ascending, ties by position
  std::vector<std::vector<std::uint8_t>> level;     ///< categorical d: level index per position
};

/// The sample of `rows` of `points` (indices < N, repetitions allowed, at least one row).
[[nodiscard]] Sample make_sample(const PointSet& points, std::span<const std::uint32_t> rows);

/// 0, 1, …, n−1.
[[nodiscard]] std::vector<std::uint32_t> all_rows(std::size_t n);

/// What mass and coverage are fractions of: the whole input's total weight and interest.
struct Totals {
  double weight = 0.0;    ///< Σ w
  double interest = 0.0;  ///< Σ w·y
};

/// Sums over the points of a box, in position order (so bit-reproducible).
struct Sums {
  double weight = 0.0;
  double interest = 0.0;
  double weight_sq = 0.0;   ///< Σ w² (Kish's effective size (Σw)²/Σw²)
  std::size_t count = 0;
};

/// True if position j of the sample lies in the box.
[[nodiscard]] bool inside(const Sample& s, const std::vector<Dimension>& dims, const Box& box, std::size_t j) noexcept;

/// Sums over the sample's points in the box.
[[nodiscard]] Sums box_sums(const Sample& s, const std::vector<Dimension>& dims, const Box& box);

/// Sums over every point of the sample.
[[nodiscard]] Sums all_sums(const Sample& s);

/// Statistics from sums relative to totals (coverage 0 when totals.interest = 0).
[[nodiscard]] BoxStatistics statistics(const Sums& sums, const Totals& totals) noexcept;

/// True if `box` differs from `initial` on this side of dimension d.
[[nodiscard]] bool is_restricted(const Dimension& dim, const Limits& initial, const Limits& box, Side side) noexcept;

/// The restricted (dimension, side) pairs of a box, in dimension order, low before high.
[[nodiscard]] std::vector<std::pair<std::size_t, Side>> restricted_sides(const std::vector<Dimension>& dims,
                                                                         const Box& initial, const Box& box);

/// Number of dimensions with at least one restricted side.
[[nodiscard]] std::size_t restricted_dimensions(const std::vector<Dimension>& dims, const Box& initial,
                                                const Box& box);

/// The box with one side of dimension d reset to the initial box.
[[nodiscard]] Box without(const Box& box, const Box& initial, std::size_t d, Side side);

/// Quasi-p-value of one restriction on the sample: binomial_upper_tail(n, k, p0) with n the box's
/// effective size (Σw)²/Σw², k = density·n, p0 the density of the box without the restriction.
[[nodiscard]] double quasi_p(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                             const Box& box, std::size_t d, Side side);

/// The restrictions of a box with names, limits, levels and quasi-p-values on the sample.
[[nodiscard]] std::vector<Restriction> make_restrictions(const Sample& s, const std::vector<Dimension>& dims,
                                                         const Box& initial, const Box& box);

/// Midpoint between a removed value and the nearest kept value, strictly on the removed value's far
/// side: for `removed` < `kept` a value in (removed, kept]; for `removed` > `kept` one in [kept, removed).
[[nodiscard]] double split_point(double removed, double kept) noexcept;

}  // namespace normsim::analysis::discovery::detail
