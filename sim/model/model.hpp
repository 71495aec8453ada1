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
#include "random/math.hpp"
#include "random/streams.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace normsim::model {

/// Revision of the model's numbers: increased by every change that makes a run (same parameters
/// and keys) give other bits. Journals carry it (study::numerics_identity()), so that no journal is
/// resumed or merged into a file across revisions. 1: the C library's elementary functions (before
/// 2026-12-03); 2: SLEEF's deterministic ones; 3: log-scale sweep factors placed with them too.
inline constexpr int kBitsRevision = 3;

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
  /// `math` computes every elementary function and picks the vector path of the batches: the
  /// default (deterministic SLEEF functions, NORMSIM_SIMD's path) gives the same bits on every
  /// machine and path; tests pass the libm backend to compare distributions with older versions.
  /// Precondition: `validate(params)` passes. Throws std::invalid_argument when the key counts do
  /// not match L and the roster size, or (default `math`) NORMSIM_SIMD has an unknown value.
  Model(const ModelParams& params, const EntityKeys& keys, random::Math math = random::Math::for_this_process());
  /// Same, with the roster of `params` built once by the caller and shared between runs (the
  /// runner builds it once per design point). Precondition: roster == build_roster(params).
  Model(const ModelParams& params, std::shared_ptr<const Roster> roster, const EntityKeys& keys,
        random::Math math = random::Math::for_this_process());
  /// Same, reusing the memory of `recycled` (a model of any parameters, finished or not), which is
  /// left empty: a run allocates nothing when its sizes fit what `recycled` had. The new model is
  /// the one the constructor above builds, bit for bit; nothing of `recycled` but its capacity
  /// carries over. The runner keeps one model per thread this way.
  Model(const ModelParams& params, std::shared_ptr<const Roster> roster, const EntityKeys& keys, random::Math math,
        Model&& recycled);

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
  [[nodiscard]] double talent(std::size_t researcher) const noexcept { return talent_[researcher]; }
  /// λ_j = r · θ_j · K_ℓ^β, results per step.
  [[nodiscard]] double rate(std::size_t researcher) const noexcept { return rate_[researcher]; }
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
    double log1p_previous_access = 0;        // log1p(Ĉ_ℓ) after the previous step (every_lab progress)
    std::uint64_t published_since_review = 0;  // P_ℓ
    LabTally tally;
  };
  // What the hot loop reads and writes of a researcher, in one 64-byte line, in roster order
  // (contiguous by lab). Talent and rate, read only by accessors, are kept apart.
  struct alignas(64) ResearcherState {
    std::uint64_t ordinal = 0;       // blocks drawn so far (the pending result is ordinal − 1)
    double inverse_rate = 0;         // 1/λ_j; arrival gaps are Exp(1)/λ_j
    double pending_quality = 0;      // q of the pending result: Exp(1) from its block's word 1
    double quality_sum = 0;
    double next_arrival = 0;         // time of the pending result: it belongs to step max(1, ⌈time⌉)
    std::uint32_t key_low = 0;       // the researcher's stream key, as Philox takes it
    std::uint32_t key_high = 0;
    std::uint32_t pending_spill = 0;  // spill and flag words (2, 3) of the pending result's block
    std::uint32_t pending_flag = 0;
    std::uint32_t local = 0;      // position within the lab (addresses its publication coins)
    std::uint32_t lab_focus = 0;  // 2ℓ + focus: one comparison tells whether a stretch goes on
    [[nodiscard]] std::uint32_t lab() const noexcept { return lab_focus >> 1; }
    [[nodiscard]] Focus focus() const noexcept { return static_cast<Focus>(lab_focus & 1U); }
  };
  static_assert(sizeof(ResearcherState) == 64);
  [[nodiscard]] static constexpr std::uint32_t lab_focus(std::size_t lab, Focus focus) noexcept {
    return static_cast<std::uint32_t>(2 * lab + static_cast<std::size_t>(focus));
  }
  // Number of destinations of a result's knowledge per lab: private, released, one queue per category.
  static constexpr std::size_t kDestinations = 2 + kCategoryCount;
  // Buffers of produce_all() and the constructor, kept between steps so that a step allocates
  // nothing once warm.
  struct ProductionScratch {
    std::vector<std::uint32_t> active;  // researchers with a result still due in this step
    std::vector<std::uint32_t> c0, c1, c2, c3, k0, k1, out0, out1, out2, out3;  // Philox batch
    std::vector<double> logs;                         // Exp(1) draws of a round; the talents' normals
    std::vector<std::uint32_t> exp_words;             // a round's words 0 and 1, side by side
    std::vector<double> base, exponent, multiplier;   // [k·L + ℓ]: (1 + Ĉ_ℓ)^φ_C, then (1 + Î_ℓ)^φ_I
    std::vector<std::uint32_t> destination;           // [ℓ·3 + k]: destination if published
    std::vector<double> add_capability;               // [ℓ·kDestinations + destination]
    std::vector<double> add_interpretability;
    std::vector<std::uint64_t> results, published, defections;  // [ℓ·3 + k]
    std::vector<std::uint64_t> packed;  // [3ℓ + c]: this step's counts c (results, published, defections), 21 bits per k
    // Coin thresholds (random::coin_threshold), set by update_coin_thresholds(): the desire
    // thresholds change with the propensities (adapt()), the others are constants of the run.
    std::vector<std::uint64_t> desire_threshold;      // [ℓ·3 + k]
    std::vector<std::uint64_t> comply_threshold;      // [ℓ]
    std::array<std::uint64_t, kCategoryCount> allow_threshold{};  // [k]: the norm's permission
    std::uint64_t spill_threshold = 0;
    std::uint64_t flag_if_spill = 0;   // the screen's sensitivity
    std::uint64_t flag_if_clean = 0;   // and false-positive rate
    std::vector<double> payoff;                                  // [ℓ], adapt()
    std::vector<std::array<double, 2>> next_propensity;          // [ℓ], adapt()
    std::vector<random::Block> imitation_block;                   // [ℓ], adapt(): the lab's imitation block
    std::vector<std::size_t> imitation_partner;                   // [ℓ], adapt(): the other lab drawn
    std::vector<double> imitation_follow;                         // [ℓ], adapt(): e^−x of the logistic
    std::vector<std::uint32_t> lab_key_low, lab_key_high;       // [ℓ], the labs' stream keys
    std::size_t half = 0;               // researcher blocks at [0, half), publication blocks after
    std::uint32_t publication_step = 0;  // step word written into the publication blocks' c1
    // Room for rounds of up to n results (n researcher blocks and n publication blocks).
    void reserve_round(std::size_t n);
    // Blocks [begin, begin + n) as a batch.
    [[nodiscard]] random::BlockBatch batch(std::size_t begin, std::size_t n) noexcept;
  };

  void initialise(const EntityKeys& keys);  // the constructors' work, on empty or recycled buffers
  void draw_first_results();  // the pending result of every researcher with a positive rate
  void update_coin_thresholds();   // every coin threshold of the scratch (production.cpp)
  void update_desire_thresholds();  // the ones that follow the labs' propensities
  void draw_talents(const std::vector<double>& lab_scale);
  void produce_all();  // steps 2–4 for every lab (production.cpp), on the vector path of math_
  void produce_all_body();
  void produce_all_portable();
  void produce_all_avx2();
  void release_and_leak();
  void adapt(const std::vector<double>& access_capability);
  // h(C, I) of docs/model.md (hazard), and log1p(C) (the progress basis needs it too).
  struct HazardTerms {
    double hazard;
    double log1p_capability;
  };
  [[nodiscard]] HazardTerms lab_hazard(double capability, double interpretability) const noexcept;
  void update_access() noexcept;  // access_capability_ and access_interpretability_ of every lab
  [[nodiscard]] double embargo_sum(std::size_t lab, const std::vector<double>& queue) const noexcept;

  ModelParams params_;
  std::shared_ptr<const Roster> roster_;
  random::Math math_;
  std::vector<LabState> labs_;
  std::vector<ResearcherState> researchers_;
  std::vector<double> talent_;  // θ_j
  std::vector<double> rate_;    // λ_j
  // When each researcher's pending result is due: due_step_[j] is step max(1, ⌈x⌉) of its arrival
  // time x, or kNever when x > T (a result due after step T is never produced; x = ∞ included).
  // A step's researchers are those whose entry equals the step, found in roster order by comparing
  // the whole array with the step, eight entries per instruction (a few dozen instructions per
  // step): filing a result is then one plain store, not a read-modify-write of a bit set, whose
  // chains through memory (consecutive researchers due in the same step write the same word) cost
  // more than the scan. Padded with kNever to a multiple of 64 entries.
  static constexpr std::uint32_t kNever = 0xFFFFFFFFU;
  static_assert(kNever >= kMaxModelSteps, "a due step is never kNever");
  std::vector<std::uint32_t> due_step_;
  // The due step of an arrival at time x ≥ 0, without branches (whether a result falls in the
  // current step is as unpredictable as a coin): ⌈min(x, T)⌉ ≤ T fits an int64 (one conversion
  // instruction; size_t's takes a branch). An arrival in the current step gives a step ≤ t, which
  // no later step reads: the caller keeps that researcher for the next round.
  [[nodiscard]] static std::uint32_t due_step(double x, double steps) noexcept {
    const auto step = static_cast<std::uint32_t>(
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(std::min(x, steps)))));
    const std::uint32_t filed = std::uint32_t{0} - static_cast<std::uint32_t>(x <= steps);
    return (step & filed) | (kNever & ~filed);
  }
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
  double log1p_previous_frontier_ = 0;  // log1p(frontier Ĉ) after the previous step (progress basis)
  double log1p_danger_ = 0;             // log1p(hazard.danger_capability), a constant of the run
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

// Defined here so that step() (twice per step and lab) inlines them.
inline double Model::embargo_sum(std::size_t lab, const std::vector<double>& queue) const noexcept {
  double sum = 0;
  const double* slot = queue.data() + lab * queue_length_;
  for (std::size_t s = 0; s < queue_length_; ++s) sum += slot[s];
  return sum;
}

inline double Model::private_capability(std::size_t lab) const noexcept {
  return labs_[lab].unpublished_capability + embargo_sum(lab, queue_capability_);
}

inline double Model::private_interpretability(std::size_t lab) const noexcept {
  return labs_[lab].unpublished_interpretability + embargo_sum(lab, queue_interpretability_);
}

}  // namespace normsim::model
