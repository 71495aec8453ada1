#include "runner/attribution_sets.hpp"

#include "random/streams.hpp"

#include <algorithm>
#include <limits>
#include <list>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>

namespace normsim::runner {

std::uint64_t entity_key(std::uint64_t master_seed, const Point& point, std::uint64_t replicate,
                         const EntityRef& entity) noexcept {
  return random::derive_key({master_seed, point.stream_id, replicate, entity.kind, entity.index});
}

RosterEntities::RosterEntities(const model::Roster& roster) : labs_{roster.lab_count()} {
  for (const model::RosterEntry& e : roster.researchers) {
    std::vector<bool>* present = e.kind == random::EntityKind::researcher   ? &researchers_
                                 : e.kind == random::EntityKind::individual ? &individuals_
                                                                            : nullptr;
    if (present == nullptr) continue;
    const auto index = static_cast<std::size_t>(e.entity_index);
    if (index >= present->size()) present->resize(index + 1, false);
    (*present)[index] = true;
  }
}

bool RosterEntities::has(const EntityRef& entity) const noexcept {
  const auto in = [&entity](const std::vector<bool>& present) {
    return entity.index < present.size() && present[static_cast<std::size_t>(entity.index)];
  };
  switch (entity.kind) {
    case random::EntityKind::lab: return entity.index < labs_;
    case random::EntityKind::researcher: return in(researchers_);
    case random::EntityKind::individual: return in(individuals_);
  }
  return false;
}

namespace detail {

// The points of (row, factor mask), most recently used first, with the entities of their rosters.
// Runs are handed out row-major, so the points in use at once are those of the few rows in flight.
class FactorPointCache {
 public:
  struct Entry {
    std::shared_ptr<const Point> point;
    RosterEntities entities;
  };
  using Make = decltype(ParameterFactors::make);

  FactorPointCache(Make make, std::size_t capacity) : make_{std::move(make)}, capacity_{capacity} {}

  std::shared_ptr<const Entry> get(std::uint64_t row, const std::vector<bool>& mask) {
    if (std::shared_ptr<const Entry> found = find(row, mask)) return found;
    // Built outside the lock: two threads may build the same point at once; the first one stored wins.
    std::shared_ptr<const Point> point = make_(row, mask);
    if (point == nullptr || point->roster == nullptr) {
      throw std::logic_error("ParameterFactors::make returned no point (or one without a roster) for row " +
                             std::to_string(row));
    }
    auto built = std::make_shared<const Entry>(Entry{point, RosterEntities(*point->roster)});
    const std::lock_guard lock(mutex_);
    for (auto it = recent_.begin(); it != recent_.end(); ++it) {
      if (it->row == row && it->mask == mask) {
        recent_.splice(recent_.begin(), recent_, it);
        return recent_.front().entry;
      }
    }
    recent_.push_front({row, mask, built});
    if (recent_.size() > capacity_) recent_.pop_back();
    return built;
  }

 private:
  struct Slot {
    std::uint64_t row = 0;
    std::vector<bool> mask;
    std::shared_ptr<const Entry> entry;
  };

  std::shared_ptr<const Entry> find(std::uint64_t row, const std::vector<bool>& mask) {
    const std::lock_guard lock(mutex_);
    for (auto it = recent_.begin(); it != recent_.end(); ++it) {
      if (it->row == row && it->mask == mask) {
        recent_.splice(recent_.begin(), recent_, it);
        return recent_.front().entry;
      }
    }
    return nullptr;
  }

  Make make_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<Slot> recent_;
};

}  // namespace detail

namespace {

/// Cache capacity with F factors: at least 4 rows of a pick-freeze design (F + 2 points a row).
std::size_t cache_capacity(std::size_t factors) { return std::max<std::size_t>(64, 4 * (factors + 2)); }

std::unique_ptr<detail::FactorPointCache> make_cache(const ParameterFactors& factors, const char* design) {
  if (factors.names.empty()) return nullptr;
  if (!factors.make) {
    throw std::invalid_argument(std::string(design) + " has " + std::to_string(factors.names.size()) +
                                " parameter factors but no function that makes their points");
  }
  return std::make_unique<detail::FactorPointCache>(factors.make, cache_capacity(factors.names.size()));
}

/// Gives the group's entities the keys they have in B's row `row` (replicate kFirstBReplicate +
/// row), skipping those that `present` (when given) says the run's roster does not have. `base`
/// supplies the stream id.
void take_b_keys(RunPlan& plan, const KeyGroup& group, std::uint64_t master_seed, const Point& base,
                 std::uint64_t row, const RosterEntities* present = nullptr) {
  for (const EntityRef& e : group.entities) {
    if (present != nullptr && !present->has(e)) continue;
    plan.key_overrides.push_back({e.kind, e.index, entity_key(master_seed, base, kFirstBReplicate + row, e)});
  }
}

}  // namespace

PickFreezeSet::PickFreezeSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
                             std::uint64_t master_seed, bool with_b, ParameterFactors factors)
    : point_{std::move(point)},
      groups_{std::move(groups)},
      rows_{rows},
      master_seed_{master_seed},
      with_b_{with_b},
      factors_{std::move(factors)} {
  if (rows_ == 0 || rows_ > kFirstBReplicate) {
    throw std::invalid_argument("a pick-freeze design needs 1 … 2^40 rows, got " + std::to_string(rows_));
  }
  const std::uint64_t points_per_row = factors_.names.size() + 2;
  if (matrices() > std::numeric_limits<std::uint64_t>::max() / rows_ ||
      points_per_row > std::numeric_limits<std::uint64_t>::max() / rows_) {
    throw std::invalid_argument("pick-freeze design too large: " + std::to_string(matrices()) + " matrices × " +
                                std::to_string(rows_) + " rows");
  }
  cache_ = make_cache(factors_, "a pick-freeze design");
}

PickFreezeSet::~PickFreezeSet() = default;

namespace {

/// Factor mask of a pick-freeze variant: 0 = A (none from B), 1 = B (all), 2 + f = factor f only.
std::vector<bool> variant_mask(std::size_t factors, std::uint64_t variant) {
  std::vector<bool> mask(factors, variant == 1);
  if (variant >= 2) mask[static_cast<std::size_t>(variant - 2)] = true;
  return mask;
}

}  // namespace

RunPlan PickFreezeSet::plan(std::uint64_t k) const {
  const std::uint64_t row = k / matrices();
  const std::uint64_t matrix = k % matrices();
  const std::size_t factors = factors_.names.size();
  const std::uint64_t first_factor = with_b_ ? 2 : 1;
  const std::uint64_t first_group = first_factor + factors;
  RunPlan p;
  p.run_index = matrix * rows_ + row;
  p.output_point = matrix;
  p.stream_point = point_->stream_id;
  p.replicate = row;
  p.stream_replicate = (with_b_ && matrix == 1) ? kFirstBReplicate + row : row;
  if (factors == 0) {
    p.point = matrix;
    if (matrix >= first_group) {
      take_b_keys(p, groups_[matrix - first_group], master_seed_, *point_, row);
    }
    return p;
  }
  // A = 0, B = 1, AB:<factor f> = 2 + f; AB:<group> runs have A's parameters.
  const std::uint64_t variant = matrix == 0 || matrix >= first_group ? 0
                                : (with_b_ && matrix == 1)          ? 1
                                                                    : 2 + (matrix - first_factor);
  p.point = row * (factors + 2) + variant;
  if (matrix >= first_group) {
    const auto entry = cache_->get(row, variant_mask(factors, 0));
    take_b_keys(p, groups_[matrix - first_group], master_seed_, *point_, row, &entry->entities);
  }
  return p;
}

std::shared_ptr<const Point> PickFreezeSet::point(std::uint64_t point) const {
  const std::size_t factors = factors_.names.size();
  if (factors == 0) return point_;
  const std::uint64_t row = point / (factors + 2);
  if (row >= rows_) {
    throw std::invalid_argument("point " + std::to_string(point) + " is outside a pick-freeze design of " +
                                std::to_string(rows_) + " rows");
  }
  return cache_->get(row, variant_mask(factors, point % (factors + 2)))->point;
}

std::vector<std::string> PickFreezeSet::matrix_names() const {
  std::vector<std::string> names{"A"};
  if (with_b_) names.emplace_back("B");
  for (const std::string& f : factors_.names) names.push_back("AB:" + f);
  for (const KeyGroup& g : groups_) names.push_back("AB:" + g.name);
  return names;
}

MixSet::MixSet(std::shared_ptr<const Point> point, std::vector<KeyGroup> groups, std::uint64_t rows,
               std::uint64_t columns, std::uint64_t master_seed, Mix mix, ParameterFactors factors)
    : point_{std::move(point)},
      groups_{std::move(groups)},
      rows_{rows},
      columns_{columns},
      master_seed_{master_seed},
      mix_{std::move(mix)},
      factors_{std::move(factors)} {
  if (rows_ == 0 || rows_ > kFirstBReplicate || columns_ == 0) {
    throw std::invalid_argument("a mixing design needs 1 … 2^40 rows and at least one column");
  }
  if (columns_ > std::numeric_limits<std::uint64_t>::max() / rows_) {
    throw std::invalid_argument("mixing design too large: " + std::to_string(columns_) + " columns × " +
                                std::to_string(rows_) + " rows");
  }
  cache_ = make_cache(factors_, "a mixing design");
}

MixSet::~MixSet() = default;

std::vector<bool> MixSet::flags(std::uint64_t row, std::uint64_t column) const {
  std::vector<bool> from_b = mix_(row, column);
  const std::size_t expected = factors_.names.size() + groups_.size();
  if (!factors_.names.empty() && from_b.size() != expected) {
    throw std::logic_error("mixing design: mix(" + std::to_string(row) + ", " + std::to_string(column) + ") gave " +
                           std::to_string(from_b.size()) + " flags for " + std::to_string(expected) +
                           " factors and groups");
  }
  return from_b;
}

RunPlan MixSet::plan(std::uint64_t k) const {
  const std::uint64_t row = k / columns_;
  const std::uint64_t column = k % columns_;
  const std::size_t factors = factors_.names.size();
  RunPlan p;
  p.run_index = column * rows_ + row;
  p.output_point = column;
  p.point = factors == 0 ? column : row * columns_ + column;
  p.stream_point = point_->stream_id;
  p.replicate = row;
  p.stream_replicate = row;
  const std::vector<bool> from_b = flags(row, column);
  if (factors == 0) {
    for (std::size_t g = 0; g < groups_.size() && g < from_b.size(); ++g) {
      if (from_b[g]) take_b_keys(p, groups_[g], master_seed_, *point_, row);
    }
    return p;
  }
  const auto group_flags = from_b.begin() + static_cast<std::ptrdiff_t>(factors);
  if (std::none_of(group_flags, from_b.end(), [](bool b) { return b; })) return p;
  const auto entry = cache_->get(row, std::vector<bool>(from_b.begin(), group_flags));
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (from_b[factors + g]) take_b_keys(p, groups_[g], master_seed_, *point_, row, &entry->entities);
  }
  return p;
}

std::shared_ptr<const Point> MixSet::point(std::uint64_t point) const {
  const std::size_t factors = factors_.names.size();
  if (factors == 0) return point_;
  const std::uint64_t row = point / columns_;
  if (row >= rows_) {
    throw std::invalid_argument("point " + std::to_string(point) + " is outside a mixing design of " +
                                std::to_string(rows_) + " rows");
  }
  const std::vector<bool> from_b = flags(row, point % columns_);
  return cache_->get(row, std::vector<bool>(from_b.begin(), from_b.begin() + static_cast<std::ptrdiff_t>(factors)))
      ->point;
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
  p.output_point = matrix;
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
