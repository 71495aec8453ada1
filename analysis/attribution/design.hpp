#pragma once
// Designs for variance attribution, generated row by row: nothing here ever holds an
// N·(M+2) × d sample matrix. A caller (the CLI, or a test) asks for row i of a matrix, runs the model
// on it, and hands the outputs to the estimators (sobol_indices.hpp, janon.hpp, shapley.hpp).
//
// Inputs and groups. The d *inputs* are the continuous coordinates of the Sobol design (parameters,
// mapped by the caller from (0, 1) to their ranges; a categorical factor such as the norm is an input
// mapped to a level, so it is sampled uniformly). A *group* is any set of inputs and/or entity keys
// ("the norm", "all researchers", "lab 3's own stream"). Groups that hold only entity keys have no
// Sobol coordinates: the caller draws two independent keys per entity and row (one for matrix A, one
// for B) and uses `GroupMix` to know which of the two a run takes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace normsim::analysis {

/// Assignment of the d Sobol inputs to G groups. Invariants: group_of(c) < group_count() for every
/// input c; a group may own no input (an entity-only group).
class Grouping {
 public:
  /// `group_of_input[c]` is input c's group. Throws std::invalid_argument if an entry is ≥ group_count.
  Grouping(std::vector<std::size_t> group_of_input, std::size_t group_count);
  /// One group per input (the ungrouped case).
  [[nodiscard]] static Grouping singletons(std::size_t inputs);

  /// Number d of Sobol inputs.
  [[nodiscard]] std::size_t inputs() const noexcept { return group_of_.size(); }
  /// Number G of groups (inputs-owning or entity-only).
  [[nodiscard]] std::size_t group_count() const noexcept { return group_count_; }
  /// The group of input c. Throws std::out_of_range if c ≥ inputs().
  [[nodiscard]] std::size_t group_of(std::size_t input) const { return group_of_.at(input); }

 private:
  std::vector<std::size_t> group_of_;
  std::size_t group_count_;
};

/// Which groups of a run take their values (and entity keys) from matrix B; the others come from A.
/// Size = group count. A = all false; B = all true; AB_j = only j true; AB_ij = i and j true.
using GroupMix = std::vector<bool>;

/// GroupMix of AB_j (group j from B). Throws std::out_of_range if j ≥ groups.
[[nodiscard]] GroupMix mix_ab(std::size_t groups, std::size_t j);
/// GroupMix of AB_ij (groups i and j from B), for the closed second-order index.
[[nodiscard]] GroupMix mix_ab(std::size_t groups, std::size_t i, std::size_t j);

/// Level of a categorical factor (such as the norm) for a design coordinate u in (0, 1):
/// floor(u · levels), clamped to levels − 1, so that a uniform u samples the levels uniformly (on a
/// Sobol design with levels dividing N, each level appears exactly N / levels times).
/// Throws std::invalid_argument if levels = 0.
[[nodiscard]] std::size_t categorical_level(double unit, std::size_t levels);

/// The two sample matrices A and B of a Saltelli (or radial) design: A is the first d and B the last
/// d coordinates of a 2d-dimensional Sobol sequence (Joe–Kuo direction numbers as shipped with
/// Boost.Random, Gray-code order, point 0 = the origin before scrambling), scrambled by a random
/// digital shift (XOR of a 32-bit word) per dimension derived from the seed by Philox4x64-10.
/// Values lie in the open interval (0, 1). Rows are computed in O(d · log2 N) from stored direction
/// numbers; the object is immutable and thread-safe.
class SaltelliDesign {
 public:
  /// The sample matrix a row is taken from.
  enum class Matrix { a, b };

  /// Throws std::invalid_argument unless 1 ≤ inputs, 2·inputs ≤ 3666 (Boost's table) and rows is a
  /// power of two in [2, 2^31].
  SaltelliDesign(std::size_t inputs, std::uint64_t rows, std::uint64_t seed);

  /// Number d of inputs (columns of A and of B).
  [[nodiscard]] std::size_t inputs() const noexcept { return inputs_; }
  /// Number N of rows (a power of two).
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

  /// Row i (< rows) of A or B into `out` (size inputs). Throws std::out_of_range / invalid_argument.
  void row(std::uint64_t i, Matrix matrix, std::span<double> out) const;

  /// Row i of the mixed matrix: input c from B if mix[grouping.group_of(c)], else from A.
  /// Throws std::invalid_argument if grouping.inputs() ≠ inputs() or mix.size() ≠ group count.
  void mixed_row(std::uint64_t i, const Grouping& grouping, const GroupMix& mix, std::span<double> out) const;

 private:
  [[nodiscard]] double coordinate(std::uint64_t i, std::size_t dim) const noexcept;

  std::size_t inputs_;
  std::uint64_t rows_;
  std::size_t bits_;                    // log2(rows)
  std::vector<std::uint32_t> direction_;  // bits_ × 2·inputs: direction word of bit k, dimension t
  std::vector<std::uint32_t> shift_;      // 2·inputs digital shifts
};

/// A bijection of [0, n), deterministic from (seed, group): a Fisher–Yates shuffle driven by
/// Philox4x64-10, stored forward and inverse (8·n bytes). Used by the replicated design of Janon's
/// first-order estimator: design 2's row forward(i) shares group j's values with design 1's row i.
class Permutation {
 public:
  /// Throws std::invalid_argument unless 1 ≤ n ≤ 2^24.
  Permutation(std::uint32_t n, std::uint64_t seed, std::uint64_t group);
  /// The permutation with forward(i) = forward[i] (a design that draws its own permutations, such as
  /// runner::ReplicatedKeySet). Throws std::invalid_argument unless `forward` is a bijection of [0, n).
  [[nodiscard]] static Permutation from_forward(std::vector<std::uint32_t> forward);

  /// n, the size of the permuted set.
  [[nodiscard]] std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(forward_.size()); }
  /// π(i): the design-2 row that holds design-1 row i's values of this group. Throws std::out_of_range.
  [[nodiscard]] std::uint32_t forward(std::uint32_t i) const { return forward_.at(i); }
  /// π⁻¹(r): the design-1 row whose values of this group design-2 row r takes. Throws std::out_of_range.
  [[nodiscard]] std::uint32_t inverse(std::uint32_t r) const { return inverse_.at(r); }

 private:
  std::vector<std::uint32_t> forward_;
  std::vector<std::uint32_t> inverse_;
};

/// Goda's (2021) permutation design for Shapley effects: N rows, each with its own random order of
/// the G groups (deterministic from the seed), and G + 1 runs per row. Run s (0 ≤ s ≤ G) of row i
/// takes the first s groups of order(i) from B and the rest from A: run 0 is A_i, run G is B_i.
/// Outputs are passed to shapley_effects() row-major: y[i·(G+1) + s].
class ShapleyDesign {
 public:
  /// Throws std::invalid_argument unless rows ≥ 2 and 1 ≤ groups ≤ 64.
  ShapleyDesign(std::uint64_t rows, std::size_t groups, std::uint64_t seed);

  /// Number N of rows.
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// Number G of groups.
  [[nodiscard]] std::size_t groups() const noexcept { return groups_; }
  /// Number of model runs: rows · (groups + 1).
  [[nodiscard]] std::uint64_t runs() const noexcept { return rows_ * (groups_ + 1); }
  /// The order in which row i's groups switch from A to B (a permutation of 0 … G−1).
  [[nodiscard]] std::vector<std::size_t> order(std::uint64_t i) const;
  /// GroupMix of run s of row i. Throws std::out_of_range if i ≥ rows or s > groups.
  [[nodiscard]] GroupMix mix(std::uint64_t i, std::size_t s) const;

 private:
  std::uint64_t rows_;
  std::size_t groups_;
  std::uint64_t seed_;
};

}  // namespace normsim::analysis
