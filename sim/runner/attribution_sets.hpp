#pragma once
// Run sets of variance attribution over entity keys (issue 4). Because every draw belongs to one
// entity, "resampling a group of entities" is giving them other keys and nothing else, so
// pick-freeze designs are exact: no surrogate, no nested replicates. Both sets keep the parameters
// of one point fixed and vary keys only; each is laid out as matrices × rows, so the output is an
// ordinary [P, R] file (P = matrices, R = rows) that resume, shards and MPI handle like a sweep.
#include "runner/plan.hpp"

#include <functional>
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

/// Pick-freeze (Saltelli / radial) design over groups of entity keys.
///   matrix 0, "A":      row i has the keys of replicate i;
///   matrix 1, "B":      row i has the keys of replicate rows + i (only when with_b);
///   next, "AB:<name>":  row i is A's row i with the group's entities keyed as in B's row i.
/// With B: Saltelli first-order and Jansen total indices; without B (radial): totals only, in
/// rows · (groups + 1) runs. Run index = matrix · rows + row.
class PickFreezeSet final : public RunSet {
 public:
  /// Throws std::invalid_argument if rows is 0 or the run count overflows.
  PickFreezeSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
                std::uint64_t master_seed, bool with_b);
  [[nodiscard]] std::uint64_t size() const override { return matrices() * rows_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t) const override { return point_; }
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  /// Number of matrices: groups + 1, plus 1 with B.
  [[nodiscard]] std::uint64_t matrices() const noexcept { return groups_.size() + (with_b_ ? 2U : 1U); }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// Matrix names in order: "A", ["B",] "AB:<group name>"...
  [[nodiscard]] std::vector<std::string> matrix_names() const;
  /// Matrix of group g.
  [[nodiscard]] std::uint64_t matrix_of_group(std::size_t g) const noexcept { return (with_b_ ? 2U : 1U) + g; }

 private:
  std::shared_ptr<const Point> point_;
  std::vector<KeyGroup> groups_;
  std::uint64_t rows_;
  std::uint64_t master_seed_;
  bool with_b_;
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

/// A general mixing design over groups of entity keys: `columns` matrices of `rows` rows; run
/// (column c, row i) gives group g B's keys of row i (replicate rows + i) when mix(i, c)[g], else
/// A's (replicate i). Shapley designs (Goda's permutation walk: column s switches the first s
/// groups of row i's order) are of this form. Run index = c · rows + i.
class MixSet final : public RunSet {
 public:
  /// mix(i, c) returns one flag per group; it must be pure and thread-safe.
  using Mix = std::function<std::vector<bool>(std::uint64_t row, std::uint64_t column)>;
  /// Throws std::invalid_argument if rows or columns is 0 or the run count overflows.
  MixSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows, std::uint64_t columns,
         std::uint64_t master_seed, Mix mix);
  [[nodiscard]] std::uint64_t size() const override { return rows_ * columns_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t) const override { return point_; }
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }

 private:
  std::shared_ptr<const Point> point_;
  std::vector<KeyGroup> groups_;
  std::uint64_t rows_;
  std::uint64_t columns_;
  std::uint64_t master_seed_;
  Mix mix_;
};

/// The key that the plain derivation gives `entity` in replicate `replicate` of `point`.
[[nodiscard]] std::uint64_t entity_key(std::uint64_t master_seed, const Point& point, std::uint64_t replicate,
                                       const EntityRef& entity) noexcept;

}  // namespace normsim::runner
