#pragma once
// The publishing-norms model of docs/model.md: state, one synchronous step, outcomes. Pure computation:
// no files, no strings to look up, no threads, no globals. A run is a deterministic function of
// (ModelParams, EntityKeys): see random/streams.hpp for how every draw is addressed.
//
// Usage (what the runner does):
//   Model m(params, keys);
//   while (!m.finished()) { m.step(); record(m.last_step()); }
//   Outcomes o = m.outcomes();
#include "model/outcomes.hpp"
#include "model/params.hpp"
#include "model/roster.hpp"
#include "random/batch.hpp"
#include "random/streams.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace normsim::model {

/// One key per entity of a run: labs[ℓ] for ℓ = 0 … L−1, researchers[j] in roster order
/// (roster.hpp). Giving one entity another key changes that entity's draws and nothing else.
struct EntityKeys {
  std::vector<std::uint64_t> labs;
  std::vector<std::uint64_t> researchers;
};

/// Result counts of one lab by category (indexed by `Category`), for the whole run so far.
struct LabTally {
  std::array<std::uint64_t, kCategoryCount> results{};
  std::array<std::uint64_t, kCategoryCount> published{};   ///< desire ∧ (permitted ∨ ¬complies)
  std::array<std::uint64_t, kCategoryCount> defections{};  ///< published ∧ ¬permitted
};

/// Knowledge that moved in the last step, summed over labs (capabilities, interpretability units).
struct StepFlows {
  double released_capability = 0;       ///< published with embargo 0: added to the pools this step
  double released_interpretability = 0;
  double embargoed_capability = 0;      ///< published with embargo e > 0: reaches the pools after step t + e
  double embargoed_interpretability = 0;
  double private_capability = 0;        ///< not published: added to the labs' private stocks
  double private_interpretability = 0;
};

class Model {
 public:
  /// Draws every lab's compute and every researcher's talent and first arrival.
  /// Precondition: `validate(params)` passes. Throws std::invalid_argument when the key counts do
  /// not match L and the roster size.
  Model(const ModelParams& params, const EntityKeys& keys);
  /// Same, with the roster of `params` built once by the caller and shared between runs (the
  /// runner builds it once per design point). Precondition: roster == build_roster(params).
  Model(const ModelParams& params, std::shared_ptr<const Roster> roster, const EntityKeys& keys);

  /// True once T steps have run or, with the stop, the transformative threshold was reached.
  [[nodiscard]] bool finished() const noexcept { return finished_; }

  /// Runs step t = steps_run() + 1 (docs/model.md §3, steps 1–8). Precondition: !finished().
  void step();

  [[nodiscard]] std::int64_t steps_run() const noexcept { return t_; }
  /// Series values after the last step (zeros before the first).
  [[nodiscard]] const StepValues& last_step() const noexcept { return last_; }
  [[nodiscard]] const StepFlows& last_flows() const noexcept { return flows_; }
  /// Scalar outcomes of the run so far (final once finished()).
  [[nodiscard]] Outcomes outcomes() const noexcept;

  // Read-only state, in model units. Indices: ℓ < lab_count(), j < researcher_count().
  [[nodiscard]] const Roster& roster() const noexcept { return *roster_; }
  [[nodiscard]] std::size_t lab_count() const noexcept { return labs_.size(); }
  [[nodiscard]] std::size_t researcher_count() const noexcept { return researchers_.size(); }
  [[nodiscard]] double compute(std::size_t lab) const noexcept { return labs_[lab].compute; }
  /// C_ℓ, I_ℓ: private stocks including published results still under embargo.
  [[nodiscard]] double private_capability(std::size_t lab) const noexcept;
  [[nodiscard]] double private_interpretability(std::size_t lab) const noexcept;
  [[nodiscard]] double public_capability() const noexcept { return public_capability_; }
  [[nodiscard]] double public_interpretability() const noexcept { return public_interpretability_; }
  [[nodiscard]] double propensity_capabilities(std::size_t lab) const noexcept { return labs_[lab].propensity_capabilities; }
  [[nodiscard]] double propensity_interpretability(std::size_t lab) const noexcept { return labs_[lab].propensity_interpretability; }
  [[nodiscard]] const LabTally& tally(std::size_t lab) const noexcept { return labs_[lab].tally; }
  [[nodiscard]] double talent(std::size_t researcher) const noexcept { return researchers_[researcher].talent; }
  /// λ_j = r · θ_j · K_ℓ^β, results per step.
  [[nodiscard]] double rate(std::size_t researcher) const noexcept { return researchers_[researcher].rate; }
  /// Results researcher j has produced so far, and the sum of their qualities q.
  [[nodiscard]] std::uint64_t results_of(std::size_t researcher) const noexcept { return researchers_[researcher].ordinal - 1; }
  [[nodiscard]] double quality_sum_of(std::size_t researcher) const noexcept { return researchers_[researcher].quality_sum; }
  [[nodiscard]] double survival() const noexcept { return survival_; }

 private:
  struct LabState {
    random::Stream stream{0};
    double compute = 1;
    double unpublished_capability = 0;       // U: private, never to be released
    double unpublished_interpretability = 0;
    double propensity_capabilities = 0;
    double propensity_interpretability = 0;
    double compliance = 0;                   // c: norm.compliance, or 0 for a labs.noncompliant lab
    double previous_access_capability = 0;   // Ĉ_ℓ after the previous step (every_lab progress)
    std::uint64_t published_since_review = 0;  // P_ℓ
    LabTally tally;
  };
  // Researchers are stored contiguously by lab (roster order); the hot loop reads these fields.
  struct ResearcherState {
    random::Stream stream{0};
    double inverse_rate = 0;     // 1/λ_j; arrival gaps are Exp(1)/λ_j
    std::uint64_t ordinal = 0;   // blocks drawn so far (the pending result is ordinal − 1)
    std::array<std::uint32_t, 3> pending{};  // quality, spill and flag words of the pending result
    double talent = 0;
    double rate = 0;
    double quality_sum = 0;
    Focus focus = Focus::capabilities;
    std::uint32_t lab = 0;    // ℓ
    std::uint32_t local = 0;  // position within the lab (addresses its publication coins)
  };
  // Number of destinations of a result's knowledge per lab: private, released, one queue per category.
  static constexpr std::size_t kDestinations = 2 + kCategoryCount;
  // Buffers of produce_all(), kept between steps so that a step allocates nothing once warm.
  // Events are this step's results, in the order they were produced.
  struct ProductionScratch {
    std::vector<std::uint32_t> active;  // researchers with a result still due in this step
    std::vector<std::uint32_t> c0, c1, c2, c3, k0, k1, out0, out1, out2, out3;  // Philox batch
    std::vector<std::uint32_t> event_lab;
    std::vector<std::uint8_t> event_category;
    std::vector<double> event_capability;
    std::vector<double> event_interpretability;
    std::vector<std::uint32_t> event_index_low, event_index_high;  // publication block index
    std::vector<double> capability_multiplier;        // [ℓ]
    std::vector<double> interpretability_multiplier;  // [ℓ]
    std::vector<std::size_t> destination;             // [ℓ·3 + k]: destination if published
    std::vector<double> add_capability;               // [ℓ·kDestinations + destination]
    std::vector<double> add_interpretability;
    std::vector<std::uint64_t> results, published, defections;  // [ℓ·3 + k]
    void resize_events(std::size_t n);
    [[nodiscard]] random::BlockBatch batch(std::size_t n) noexcept;
  };

  void draw_next_result(std::size_t j) noexcept;
  void produce_all();  // steps 2–4 for every lab (production.cpp)
  void release_and_leak();
  void adapt(const std::vector<double>& access_capability);
  [[nodiscard]] double lab_hazard(double capability, double interpretability) const noexcept;
  [[nodiscard]] double embargo_sum(std::size_t lab, const std::vector<double>& queue) const noexcept;

  ModelParams params_;
  std::shared_ptr<const Roster> roster_;
  std::vector<LabState> labs_;
  std::vector<ResearcherState> researchers_;
  // Time of each researcher's pending result (it belongs to step ceil(time)), apart from the rest
  // of the state so that the per-step scan reads one contiguous array.
  std::vector<double> next_arrival_;
  // Embargo queues: lab ℓ's slot for release at the end of step s is [ℓ·Q + s mod Q].
  std::size_t queue_length_ = 1;  // Q = min(max embargo, T) + 1
  std::vector<double> queue_capability_;
  std::vector<double> queue_interpretability_;
  // Per-step scratch, kept to avoid allocation in step().
  std::vector<double> access_capability_;
  std::vector<double> access_interpretability_;
  std::vector<double> step_private_capability_;
  std::vector<double> step_private_interpretability_;
  ProductionScratch scratch_;

  double public_capability_ = 0;
  double public_interpretability_ = 0;
  double survival_ = 1;
  double previous_frontier_capability_ = 0;
  double frontier_capability_ = 0;
  double frontier_interpretability_ = 0;
  double t_transform_ = kMissing;
  std::int64_t t_ = 0;
  std::uint64_t step_results_ = 0;
  std::uint64_t step_published_ = 0;
  std::uint64_t results_ = 0;
  std::uint64_t published_ = 0;
  std::uint64_t defections_ = 0;
  bool finished_ = false;
  StepValues last_{};
  StepFlows flows_{};
};

}  // namespace normsim::model
