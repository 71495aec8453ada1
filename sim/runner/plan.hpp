#pragma once
// Run plans are values built before anything runs (FLAME GPU 2's RunPlan): which parameters, which
// replicate, which keys. A RunSet generates them lazily by index so that a set of 10^6 runs costs
// no memory per run; keys are derived inside the worker that executes the plan.
#include "model/model.hpp"
#include "model/params.hpp"
#include "random/keys.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace normsim::runner {

/// Replace one entity's derived key for one run. This is how variance attribution freezes and
/// resamples an entity: only that entity's draws change.
struct KeyOverride {
  random::EntityKind kind = random::EntityKind::researcher;
  std::uint64_t index = 0;  ///< entity index within its kind (lab ℓ, regular researcher, individual)
  std::uint64_t key = 0;    ///< the key to use instead
};

struct RunPlan {
  std::uint64_t run_index = 0;     ///< row in the output: point · R + replicate, unique within the sweep
  std::uint64_t point = 0;         ///< parameter point (index into RunSet::point)
  std::uint64_t output_point = 0;  ///< row in the output: run_index = output_point · R + replicate (= point
                                   ///< for sweeps; the matrix or column of an attribution design)
  std::uint64_t stream_point = 0;  ///< design-point id entering the key derivation (Point::stream_id)
  std::uint64_t replicate = 0;     ///< column in the output (run_index = point · R + replicate)
  std::uint64_t stream_replicate = 0;  ///< replicate id entering the key derivation (usually = replicate)
  std::vector<KeyOverride> key_overrides;
};

/// Everything a run needs about its design point, built once per point and shared by its runs.
struct Point {
  model::ModelParams params;
  std::shared_ptr<const model::Roster> roster;  ///< build_roster(params)
  std::uint64_t stream_id = 0;  ///< enters the key derivation: equal parameters give equal ids
};

/// Builds a Point from parameters and a stream id (builds the roster).
[[nodiscard]] std::shared_ptr<const Point> make_point(model::ModelParams params, std::uint64_t stream_id);

/// A set of runs, enumerated by position k = 0 … size() − 1. Implementations are immutable after
/// construction apart from internal caches, and every member is thread-safe.
class RunSet {
 public:
  RunSet() = default;
  RunSet(const RunSet&) = delete;
  RunSet& operator=(const RunSet&) = delete;
  virtual ~RunSet() = default;
  /// Number of runs in the set.
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// Plan of the run at position k < size(). Pure.
  [[nodiscard]] virtual RunPlan plan(std::uint64_t k) const = 0;
  /// Design point `point` (as named by RunPlan::point).
  [[nodiscard]] virtual std::shared_ptr<const Point> point(std::uint64_t point) const = 0;
  /// Master seed of the key derivation.
  [[nodiscard]] virtual std::uint64_t master_seed() const = 0;
};

/// R replicates of one parameter set: position r is replicate r of point 0 (run_index r).
class ReplicateSet final : public RunSet {
 public:
  /// `stream_id`: the point's id in the key derivation (0 unless the caller has one).
  ReplicateSet(model::ModelParams params, std::uint64_t replicates, std::uint64_t master_seed,
               std::uint64_t stream_id = 0);
  [[nodiscard]] std::uint64_t size() const override { return replicates_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t) const override { return point_; }
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }

 private:
  std::shared_ptr<const Point> point_;
  std::uint64_t replicates_;
  std::uint64_t master_seed_;
};

/// A sweep: P design points × R replicates, point-major (run_index = p·R + r). Points are built on
/// demand by `make` (which may be slow: it parses and validates) and a few recent ones are cached,
/// so memory does not grow with P.
class SweepSet final : public RunSet {
 public:
  using PointFactory = std::function<std::shared_ptr<const Point>(std::uint64_t point)>;
  /// Throws std::invalid_argument if points · replicates overflows 64 bits.
  SweepSet(std::uint64_t points, std::uint64_t replicates, std::uint64_t master_seed, PointFactory make);
  ~SweepSet() override;
  [[nodiscard]] std::uint64_t size() const override { return points_ * replicates_; }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t point) const override;
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  [[nodiscard]] std::uint64_t points() const noexcept { return points_; }
  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }

 private:
  struct Cache;
  std::uint64_t points_;
  std::uint64_t replicates_;
  std::uint64_t master_seed_;
  PointFactory make_;
  std::unique_ptr<Cache> cache_;
};

/// The runs of `base` at the given positions, in that order (shards, resumed sweeps). Plans keep
/// their run_index in the base set, so a subset's records land in the base set's rows.
class SubsetSet final : public RunSet {
 public:
  SubsetSet(const RunSet& base, std::vector<std::uint64_t> positions);
  [[nodiscard]] std::uint64_t size() const override { return positions_.size(); }
  [[nodiscard]] RunPlan plan(std::uint64_t k) const override { return base_.plan(positions_[k]); }
  [[nodiscard]] std::shared_ptr<const Point> point(std::uint64_t p) const override { return base_.point(p); }
  [[nodiscard]] std::uint64_t master_seed() const override { return base_.master_seed(); }

 private:
  const RunSet& base_;
  std::vector<std::uint64_t> positions_;
};

/// Positions of shard `shard` of `count` in a set of `size` runs: k with k mod count == shard
/// (interleaved, so every shard gets a similar mix of points). Precondition: shard < count.
[[nodiscard]] std::vector<std::uint64_t> shard_positions(std::uint64_t size, std::uint64_t shard, std::uint64_t count);

/// Keys of every entity of a run: derived from (master seed, stream point, replicate, kind, index),
/// then the plan's overrides applied. Throws std::invalid_argument for an override naming an
/// entity that the roster does not have.
[[nodiscard]] model::EntityKeys derive_keys(const model::Roster& roster, std::uint64_t master_seed,
                                            const RunPlan& plan);

}  // namespace normsim::runner
