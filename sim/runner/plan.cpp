#include "runner/plan.hpp"

#include <limits>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string>

namespace normsim::runner {

std::shared_ptr<const Point> make_point(model::ModelParams params, std::uint64_t stream_id) {
  auto point = std::make_shared<Point>();
  point->roster = std::make_shared<const model::Roster>(model::build_roster(params));
  point->params = std::move(params);
  point->stream_id = stream_id;
  return point;
}

ReplicateSet::ReplicateSet(model::ModelParams params, std::uint64_t replicates, std::uint64_t master_seed,
                           std::uint64_t stream_id)
    : point_{make_point(std::move(params), stream_id)}, replicates_{replicates}, master_seed_{master_seed} {}

RunPlan ReplicateSet::plan(std::uint64_t k) const {
  RunPlan p;
  p.run_index = k;
  p.point = 0;
  p.output_point = 0;
  p.stream_point = point_->stream_id;
  p.replicate = k;
  p.stream_replicate = k;
  return p;
}

// The most recently used points. Runs are handed out point-major, so the points in use at once are
// those of the runs in flight: a handful, whatever P is.
struct SweepSet::Cache {
  static constexpr std::size_t kCapacity = 64;
  std::mutex mutex;
  std::list<std::pair<std::uint64_t, std::shared_ptr<const Point>>> recent;  // most recent first
};

SweepSet::SweepSet(std::uint64_t points, std::uint64_t replicates, std::uint64_t master_seed, PointFactory make)
    : points_{points},
      replicates_{replicates},
      master_seed_{master_seed},
      make_{std::move(make)},
      cache_{std::make_unique<Cache>()} {
  if (replicates != 0 && points > std::numeric_limits<std::uint64_t>::max() / replicates) {
    throw std::invalid_argument("sweep of " + std::to_string(points) + " points × " + std::to_string(replicates) +
                                " replicates has more than 2^64 runs");
  }
}

SweepSet::~SweepSet() = default;

RunPlan SweepSet::plan(std::uint64_t k) const {
  RunPlan p;
  p.run_index = k;
  p.point = k / replicates_;
  p.output_point = p.point;
  p.replicate = k % replicates_;
  p.stream_replicate = p.replicate;
  p.stream_point = point(p.point)->stream_id;
  return p;
}

std::shared_ptr<const Point> SweepSet::point(std::uint64_t point) const {
  {
    const std::lock_guard lock(cache_->mutex);
    auto& recent = cache_->recent;
    for (auto it = recent.begin(); it != recent.end(); ++it) {
      if (it->first == point) {
        recent.splice(recent.begin(), recent, it);
        return recent.front().second;
      }
    }
  }
  // Built outside the lock: two threads may build the same point at once, and both results are equal.
  std::shared_ptr<const Point> built = make_(point);
  const std::lock_guard lock(cache_->mutex);
  cache_->recent.emplace_front(point, built);
  if (cache_->recent.size() > Cache::kCapacity) cache_->recent.pop_back();
  return built;
}

SubsetSet::SubsetSet(const RunSet& base, std::vector<std::uint64_t> positions)
    : base_{base}, positions_{std::move(positions)} {
  for (const std::uint64_t k : positions_) {
    if (k >= base_.size()) {
      throw std::invalid_argument("subset position " + std::to_string(k) + " is outside a set of " +
                                  std::to_string(base_.size()) + " runs");
    }
  }
}

std::vector<std::uint64_t> shard_positions(std::uint64_t size, std::uint64_t shard, std::uint64_t count) {
  std::vector<std::uint64_t> positions;
  if (count == 0 || shard >= count) return positions;
  positions.reserve(static_cast<std::size_t>(size / count + 1));
  for (std::uint64_t k = shard; k < size; k += count) positions.push_back(k);
  return positions;
}

model::EntityKeys derive_keys(const model::Roster& roster, std::uint64_t master_seed, const RunPlan& plan) {
  random::KeyAddress address;
  address.master_seed = master_seed;
  address.point = plan.stream_point;
  address.replicate = plan.stream_replicate;

  model::EntityKeys keys;
  keys.labs.resize(roster.lab_count());
  address.kind = random::EntityKind::lab;
  for (std::size_t l = 0; l < keys.labs.size(); ++l) {
    address.index = l;
    keys.labs[l] = random::derive_key(address);
  }
  keys.researchers.resize(roster.researchers.size());
  for (std::size_t j = 0; j < keys.researchers.size(); ++j) {
    address.kind = roster.researchers[j].kind;
    address.index = roster.researchers[j].entity_index;
    keys.researchers[j] = random::derive_key(address);
  }

  for (const KeyOverride& o : plan.key_overrides) {
    bool found = false;
    if (o.kind == random::EntityKind::lab) {
      if (o.index < keys.labs.size()) {
        keys.labs[o.index] = o.key;
        found = true;
      }
    } else {
      for (std::size_t j = 0; j < roster.researchers.size(); ++j) {
        if (roster.researchers[j].kind == o.kind && roster.researchers[j].entity_index == o.index) {
          keys.researchers[j] = o.key;
          found = true;
          break;
        }
      }
    }
    if (!found) {
      throw std::invalid_argument("key override names entity kind " +
                                  std::to_string(static_cast<std::uint64_t>(o.kind)) + " index " +
                                  std::to_string(o.index) + ", which this run does not have");
    }
  }
  return keys;
}

}  // namespace normsim::runner
