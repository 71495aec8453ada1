#pragma once
// Run sets of variance attribution over entity keys (issue 4). Because every draw belongs to one
// entity, "resampling a group of entities" is giving them other keys and nothing else, so
// pick-freeze designs are exact: no surrogate, no nested replicates. Parameters may be factors of
// the same design (ParameterFactors): each row then has its own parameter points, built on demand
// and cached. Every set is laid out as matrices × rows, so the output is an ordinary [P, R] file
// (P = matrices, R = rows) that resume, shards and MPI handle like a sweep. Positions are
// row-major (consecutive positions share a row, hence its points); run indices are matrix-major.
#include "runner/plan.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace normsim::runner {

/// An entity whose key a group moves.
struct EntityRef {
  random::EntityKind kind = random::EntityKind::researcher;
  std::uint64_t index = 0;  ///< index within its kind (as in random::KeyAddress)
};

/// Entities resampled together: one researcher, "the researchers of lab 3", "all labs", ...
struct KeyGroup {
  std::string name;
  std::vector<EntityRef> entities;
};

/// Which entities a roster has: labs 0 … L − 1 and the (kind, index) of every researcher entry.
/// Built in O(roster size); membership tests are O(1). A run may only override the keys of
/// entities its roster has (derive_keys throws otherwise), and rosters differ between parameter
/// points when a factor changes labs.sizes: the sets below skip a group's absent entities.
class RosterEntities {
 public:
  explicit RosterEntities(const model::Roster& roster);
  [[nodiscard]] bool has(const EntityRef& entity) const noexcept;

 private:
  std::uint64_t labs_ = 0;
  std::vector<bool> researchers_;  // [index]: a regular researcher with this index exists
  std::vector<bool> individuals_;  // [index]: an individual with this index exists
};

/// Parameter factors of a pick-freeze or mixing design: F factors whose values in a run come from
/// design row `row` of matrix A or B, factor by factor.
struct ParameterFactors {
  std::vector<std::string> names;  ///< F factor names ("research.spill_probability", "norm"); F = names.size()
  /// The Point of row `row` whose factor f is taken from B when from_b[f], else from A
  /// (from_b.size() == F). Pure and thread-safe; may be slow (it parses and validates a scenario
  /// and builds a roster), so the set caches its results.
  std::function<std::shared_ptr<const Point>(std::uint64_t row, const std::vector<bool>& from_b)> make;
};

/// The keys of matrix B's row i (pick-freeze and mixing designs) are those of replicate
/// kFirstBReplicate + i: far above every replicate of matrix A (i < rows ≤ kFirstBReplicate) and
/// of the other designs (a Janon design's fresh keys use replicates below 2^33), and the same
/// whatever the row count, so that designs are nested (a design of 2N rows begins with the runs
/// of the design of N rows).
inline constexpr std::uint64_t kFirstBReplicate = std::uint64_t{1} << 40;

namespace detail {
class FactorPointCache;  // the points of (row, factor mask), most recently used first
}  // namespace detail

/// Pick-freeze (Saltelli / radial) design over parameter factors and groups of entity keys.
///   matrix 0, "A":       row i has A's parameters of row i and the keys of replicate i;
///   matrix 1, "B":       row i has B's parameters of row i and the keys of replicate
///                        kFirstBReplicate + i (only when with_b);
///   next, "AB:<factor>": one per parameter factor f: A's row i with factor f from B (keys of A);
///   next, "AB:<group>":  one per key group: A's row i (parameters and keys) with the group's
///                        entities keyed as in B's row i (replicate kFirstBReplicate + i). With factors, entities absent from
///                        the row's roster are skipped (rosters may differ by row); without,
///                        every entity is overridden and derive_keys throws for an absent one.
/// With B: Saltelli first-order and Jansen total indices; without B (radial): totals only, in
/// rows · (factors + groups + 1) runs. Run index = matrix · rows + row; position k is row
/// k / matrices(), matrix k % matrices() (row-major: consecutive runs share their row's points).
///
/// Nested designs: no run depends on the row count (B's keys are at a fixed offset, not at
/// rows + i, and the parameter rows are points of one Sobol sequence), so the first N rows of every
/// matrix of a design of 2N rows are the runs of the design of N rows: a sequential check's looks
/// (rows doubling) extend the previous look's runs instead of making them again.
///
/// Keys never depend on parameters: every run's stream point is the base point's stream_id (the
/// stream_id of the Points that `factors.make` returns is not used).
/// Without factors every run has the base point: RunPlan::point = matrix, and point(any) is the
/// base point. With F factors, RunPlan::point = row · (F + 2) + variant (variant 0 = A, 1 = B,
/// 2 + f = A with factor f from B) and point(id) builds it with factors.make on a cache miss;
/// RunPlan::point is then not the output row: that is run_index / rows (the matrix).
/// The cache keeps the max(64, 4 · (F + 2)) most recently used points (at least 4 rows' worth;
/// equal masks of a row share one entry), so memory does not grow with rows: in position order
/// one thread builds each (row, mask) once.
class PickFreezeSet final : public RunSet {
 public:
  /// `point` is the base scenario's point: the design's point without factors, and the stream id
  /// of every run. Throws std::invalid_argument if rows is 0 or above kFirstBReplicate, the run
  /// count overflows, or factors are named without `make`.
  PickFreezeSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
                std::uint64_t master_seed, bool with_b, ParameterFactors factors = {});
  ~PickFreezeSet() override;
  [[nodiscard]] std::uint64_t size() const override { return matrices() * rows_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t point) const override;
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  /// Number of matrices: factors + groups + 1, plus 1 with B.
  [[nodiscard]] std::uint64_t matrices() const noexcept {
    return factors_.names.size() + groups_.size() + (with_b_ ? 2U : 1U);
  }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// Matrix names in order: "A", ["B",] "AB:<factor name>"..., "AB:<group name>"...
  [[nodiscard]] std::vector<std::string> matrix_names() const;
  /// Matrix of parameter factor f.
  [[nodiscard]] std::uint64_t matrix_of_factor(std::size_t f) const noexcept { return (with_b_ ? 2U : 1U) + f; }
  /// Matrix of key group g.
  [[nodiscard]] std::uint64_t matrix_of_group(std::size_t g) const noexcept {
    return (with_b_ ? 2U : 1U) + factors_.names.size() + g;
  }

 private:
  std::shared_ptr<const Point> point_;
  std::vector<KeyGroup> groups_;
  std::uint64_t rows_;
  std::uint64_t master_seed_;
  bool with_b_;
  ParameterFactors factors_;
  std::unique_ptr<detail::FactorPointCache> cache_;  // only with factors
};

/// Replicated design for all first-order indices of single entities at once (2 · rows runs):
///   matrix 0: row i has the keys of replicate i;
///   matrix 1: row j gives every entity e the key that matrix 0 gave it in row π_e(j), with π_e a
///             permutation of the rows drawn for e from the seed (independent across entities).
/// Rows i of matrix 0 and π_e⁻¹(i) of matrix 1 share entity e's key and nothing else (up to
/// coincidences of other permutations, probability 1/rows per entity): Janon's estimator applies.
class ReplicatedKeySet final : public RunSet {
 public:
  /// `entities`: the entities whose keys are permuted (all others keep independent keys per row,
  /// taken from replicates 2·rows + j in matrix 1). Throws std::invalid_argument if rows is 0.
  ReplicatedKeySet(std::shared_ptr<const Point> point, std::vector<EntityRef> entities, std::uint64_t rows,
                   std::uint64_t master_seed, std::uint64_t permutation_seed);
  [[nodiscard]] std::uint64_t size() const override { return 2 * rows_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t) const override { return point_; }
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// π_e(j) for entity number e (position in `entities`).
  [[nodiscard]] std::uint64_t permuted_row(std::size_t e, std::uint64_t j) const noexcept {
    return permutations_[e * rows_ + j];
  }

 private:
  std::shared_ptr<const Point> point_;
  std::vector<EntityRef> entities_;
  std::uint64_t rows_;
  std::uint64_t master_seed_;
  std::vector<std::uint32_t> permutations_;  // [e · rows + j] = π_e(j)
};

/// A general mixing design over parameter factors and groups of entity keys: `columns` matrices
/// of `rows` rows. Run (column c, row i) has flags m = mix(i, c): F flags for the parameter
/// factors, then one per group. Its point is factors.make(i, first F flags) (the base point
/// without factors) and group g gets B's keys of row i (replicate kFirstBReplicate + i) when m[F + g], else
/// A's (replicate i); a group's entities absent from the run's roster are skipped (with factors
/// only). Shapley designs (Goda's permutation walk: column s switches the first s inputs of row
/// i's order) are of this form. Run index = c · rows + i; position k is row k / columns, column
/// k % columns (row-major).
/// Keys never depend on parameters (stream point = the base point's stream_id). Without factors
/// RunPlan::point = c and point(any) is the base point; with factors RunPlan::point = i · columns
/// + c (not the output row c = run_index / rows) and the points are cached like PickFreezeSet's:
/// the max(64, 4 · (F + 2)) most recently used (row, factor mask) pairs, which hold a whole row
/// whenever its runs have at most that many distinct factor masks (Goda's walk has at most F + 1).
class MixSet final : public RunSet {
 public:
  /// mix(i, c) returns one flag per factor then one per group (F + G; without factors a shorter
  /// vector leaves the remaining groups at A); it must be pure and thread-safe.
  using Mix = std::function<std::vector<bool>(std::uint64_t row, std::uint64_t column)>;
  /// Throws std::invalid_argument if rows or columns is 0, the run count overflows, or factors
  /// are named without `make`. With factors, plan() and point() throw std::logic_error when mix
  /// returns a number of flags other than F + G.
  MixSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows, std::uint64_t columns,
         std::uint64_t master_seed, Mix mix, ParameterFactors factors = {});
  ~MixSet() override;
  [[nodiscard]] std::uint64_t size() const override { return rows_ * columns_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t point) const override;
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::uint64_t columns() const noexcept { return columns_; }

 private:
  std::vector<bool> flags(std::uint64_t row, std::uint64_t column) const;

  std::shared_ptr<const Point> point_;
  std::vector<KeyGroup> groups_;
  std::uint64_t rows_;
  std::uint64_t columns_;
  std::uint64_t master_seed_;
  Mix mix_;
  ParameterFactors factors_;
  std::unique_ptr<detail::FactorPointCache> cache_;  // only with factors
};

/// The key that the plain derivation gives `entity` in replicate `replicate` of `point`.
[[nodiscard]] std::uint64_t entity_key(std::uint64_t master_seed, const Point& point, std::uint64_t replicate,
                                       const EntityRef& entity) noexcept;

}  // namespace normsim::runner
