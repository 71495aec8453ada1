#include "runner/attribution_sets.hpp"

#include "random/streams.hpp"

#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace normsim::runner {

std::uint64_t entity_key(std::uint64_t master_seed, const Point& point, std::uint64_t replicate,
                         const EntityRef& entity) noexcept {
  return random::derive_key({master_seed, point.stream_id, replicate, entity.kind, entity.index});
}

namespace {

/// Gives the group's entities the keys they have in B's row `row` (replicate rows + row).
void take_b_keys(RunPlan& plan, const KeyGroup& group, std::uint64_t master_seed, const Point& point,
                 std::uint64_t rows, std::uint64_t row) {
  for (const EntityRef& e : group.entities) {
    plan.key_overrides.push_back({e.kind, e.index, entity_key(master_seed, point, rows + row, e)});
  }
}

}  // namespace

PickFreezeSet::PickFreezeSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
                             std::uint64_t master_seed, bool with_b)
    : point_{std::move(point)}, groups_{std::move(groups)}, rows_{rows}, master_seed_{master_seed}, with_b_{with_b} {
  if (rows_ == 0) throw std::invalid_argument("a pick-freeze design needs at least one row");
  if (matrices() > std::numeric_limits<std::uint64_t>::max() / rows_) {
    throw std::invalid_argument("pick-freeze design too large: " + std::to_string(matrices()) + " matrices × " +
                                std::to_string(rows_) + " rows");
  }
}

RunPlan PickFreezeSet::plan(std::uint64_t k) const {
  const std::uint64_t matrix = k / rows_;
  const std::uint64_t row = k % rows_;
  RunPlan p;
  p.run_index = k;
  p.point = matrix;
  p.stream_point = point_->stream_id;
  p.replicate = row;
  p.stream_replicate = (with_b_ && matrix == 1) ? rows_ + row : row;
  const std::uint64_t first_group = with_b_ ? 2 : 1;
  if (matrix >= first_group) take_b_keys(p, groups_[matrix - first_group], master_seed_, *point_, rows_, row);
  return p;
}

std::vector<std::string> PickFreezeSet::matrix_names() const {
  std::vector<std::string> names{"A"};
  if (with_b_) names.emplace_back("B");
  for (const KeyGroup& g : groups_) names.push_back("AB:" + g.name);
  return names;
}

MixSet::MixSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
               std::uint64_t columns, std::uint64_t master_seed, Mix mix)
    : point_{std::move(point)},
      groups_{std::move(groups)},
      rows_{rows},
      columns_{columns},
      master_seed_{master_seed},
      mix_{std::move(mix)} {
  if (rows_ == 0 || columns_ == 0) throw std::invalid_argument("a mixing design needs at least one row and column");
  if (columns_ > std::numeric_limits<std::uint64_t>::max() / rows_) {
    throw std::invalid_argument("mixing design too large: " + std::to_string(columns_) + " columns × " +
                                std::to_string(rows_) + " rows");
  }
}

RunPlan MixSet::plan(std::uint64_t k) const {
  const std::uint64_t column = k / rows_;
  const std::uint64_t row = k % rows_;
  RunPlan p;
  p.run_index = k;
  p.point = column;
  p.stream_point = point_->stream_id;
  p.replicate = row;
  p.stream_replicate = row;
  const std::vector<bool> from_b = mix_(row, column);
  for (std::size_t g = 0; g < groups_.size() && g < from_b.size(); ++g) {
    if (from_b[g]) take_b_keys(p, groups_[g], master_seed_, *point_, rows_, row);
  }
  return p;
}

ReplicatedKeySet::ReplicatedKeySet(std::shared_ptr<const Point> point, std::vector<EntityRef> entities,
                                   std::uint64_t rows, std::uint64_t master_seed, std::uint64_t permutation_seed)
    : point_{std::move(point)}, entities_{std::move(entities)}, rows_{rows}, master_seed_{master_seed} {
  if (rows_ == 0 || rows_ > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("a replicated design needs 1 … 2^32 − 1 rows, got " + std::to_string(rows_));
  }
  // One Fisher–Yates shuffle per entity, its swaps drawn from Philox at (seed, entity, step).
  permutations_.resize(entities_.size() * rows_);
  for (std::size_t e = 0; e < entities_.size(); ++e) {
    std::uint32_t* pi = permutations_.data() + e * rows_;
    std::iota(pi, pi + rows_, 0U);
    for (std::uint64_t i = rows_ - 1; i > 0; --i) {
      const auto words = random::philox64({e, i, 0, 0}, {permutation_seed, 0x7065726d75746531ULL});  // "permute1"
      const std::uint64_t j = words[0] % (i + 1);  // uniform in [0, i]: bias below (i + 1) / 2^64
      std::swap(pi[i], pi[j]);
    }
  }
}

RunPlan ReplicatedKeySet::plan(std::uint64_t k) const {
  const std::uint64_t matrix = k / rows_;
  const std::uint64_t row = k % rows_;
  RunPlan p;
  p.run_index = k;
  p.point = matrix;
  p.stream_point = point_->stream_id;
  p.replicate = row;
  if (matrix == 0) {
    p.stream_replicate = row;
    return p;
  }
  // Entities outside the permuted set get fresh keys (replicates 2·rows + row); the permuted ones
  // take matrix 0's key of row π_e(row).
  p.stream_replicate = 2 * rows_ + row;
  p.key_overrides.reserve(entities_.size());
  for (std::size_t e = 0; e < entities_.size(); ++e) {
    p.key_overrides.push_back(
        {entities_[e].kind, entities_[e].index, entity_key(master_seed_, *point_, permuted_row(e, row), entities_[e])});
  }
  return p;
}

}  // namespace normsim::runner
