#pragma once
// Run plans are values built before anything runs (FLAME GPU 2's RunPlan): which parameters, which
// replicate, which keys. A RunSet generates them lazily by index so that a set of 10^6 runs costs
// no memory per run; keys are derived inside the worker that executes the plan.
#include "model/model.hpp"
#include "model/params.hpp"
#include "random/keys.hpp"

#include <cstdint>
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
  std::uint64_t run_index = 0;     ///< row in the output, unique within the run set
  std::size_t point = 0;           ///< index of the parameter set in RunSet::params
  std::uint64_t stream_point = 0;  ///< design-point id entering the key derivation
  std::uint64_t replicate = 0;     ///< replicate id entering the key derivation
  std::vector<KeyOverride> key_overrides;
};

/// A set of runs: parameter sets ("points") and a way to enumerate plans.
class RunSet {
 public:
  RunSet() = default;
  RunSet(const RunSet&) = delete;
  RunSet& operator=(const RunSet&) = delete;
  virtual ~RunSet() = default;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// Plan of run `run_index` < size(). Pure and thread-safe.
  [[nodiscard]] virtual RunPlan plan(std::uint64_t run_index) const = 0;
  [[nodiscard]] virtual const model::ModelParams& params(std::size_t point) const = 0;
  [[nodiscard]] virtual std::uint64_t master_seed() const = 0;
  /// The roster of point `point` (build_roster(params(point))). Sets that run a point many times
  /// override this to build it once; the default builds it on every call. Thread-safe.
  [[nodiscard]] virtual std::shared_ptr<const model::Roster> roster(std::size_t point) const {
    return std::make_shared<const model::Roster>(model::build_roster(params(point)));
  }
};

/// R replicates of one parameter set: run r is replicate r, design point 0.
class ReplicateSet final : public RunSet {
 public:
  ReplicateSet(model::ModelParams params, std::uint64_t replicates, std::uint64_t master_seed);
  [[nodiscard]] std::uint64_t size() const override { return replicates_; }
  [[nodiscard]] RunPlan plan(std::uint64_t run_index) const override;
  [[nodiscard]] const model::ModelParams& params(std::size_t) const override { return params_; }
  [[nodiscard]] std::uint64_t master_seed() const override { return master_seed_; }
  [[nodiscard]] std::shared_ptr<const model::Roster> roster(std::size_t) const override { return roster_; }

 private:
  model::ModelParams params_;
  std::shared_ptr<const model::Roster> roster_;
  std::uint64_t replicates_;
  std::uint64_t master_seed_;
};

/// Keys of every entity of a run: derived from (master seed, stream point, replicate, kind, index),
/// then the plan's overrides applied. Throws std::invalid_argument for an override naming an
/// entity that the roster does not have.
[[nodiscard]] model::EntityKeys derive_keys(const model::Roster& roster, std::uint64_t master_seed,
                                            const RunPlan& plan);

}  // namespace normsim::runner
