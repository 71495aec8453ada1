#pragma once
// Typed, validated parameters of the publishing-norms model (docs/model.md). Plain values: the model
// never sees TOML or strings. The scenario loader (sim/scenario) fills and validates these; the
// defaults here are the model's and are the single source of the documented defaults.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace normsim::model {

/// Research focus of a researcher.
enum class Focus : std::uint8_t { capabilities = 0, interpretability = 1 };

/// Category of a result, which decides the norm's allowance and embargo that apply to it.
enum class Category : std::uint8_t { capabilities = 0, interpretability = 1, flagged = 2 };
inline constexpr std::size_t kCategoryCount = 3;

/// A publishing norm: per category k an allowance a_k ∈ [0, 1] (probability that publishing is
/// permitted) and an embargo e_k ≥ 0 (steps between publication and release), and a compliance
/// c ∈ [0, 1] (probability that a lab obeys a refusal). Indexed by `Category`.
struct Norm {
  std::array<double, kCategoryCount> allow{1.0, 1.0, 1.0};
  std::array<std::int64_t, kCategoryCount> embargo{0, 0, 0};
  double compliance = 0.9;
};

/// The named presets (docs/model.md, "Norms").
enum class NormPreset : std::uint8_t {
  open,
  closed,
  no_capabilities,
  no_interpretability,
  hazard_specific,
  embargo_capabilities,
};
inline constexpr std::size_t kNormPresetCount = 6;

/// Default capabilities embargo of the `embargo_capabilities` preset (`norm.embargo`), in steps.
inline constexpr std::int64_t kDefaultCapabilitiesEmbargo = 8;

/// The preset's allowances and embargoes with compliance 0.9. `capabilities_embargo` is used by
/// `embargo_capabilities` only.
[[nodiscard]] Norm preset_norm(NormPreset preset,
                               std::int64_t capabilities_embargo = kDefaultCapabilitiesEmbargo) noexcept;

/// Labs: L = sizes.size() labs. Invariants (checked by `validate`): every size ≥ 0,
/// interp_fraction.size() == L with entries in [0, 1].
struct LabParams {
  std::vector<std::int64_t> sizes{120, 80, 60, 40, 30, 20, 15, 10};  ///< researchers per lab n_ℓ
  std::vector<double> interp_fraction = std::vector<double>(8, 0.15);  ///< f_ℓ, share on interpretability
  double compute_sigma = 0.5;          ///< σ_K ≥ 0: K_ℓ ~ LogNormal(−σ_K²/2, σ_K), mean 1
  double compute_elasticity = 0.5;     ///< β ≥ 0: λ_j ∝ K_ℓ^β
  double leak_rate = 0.0;              ///< ℓ_leak ∈ [0, 1]: share of private stock leaked per step
  /// Labs that never comply with the norm (compliance 0 for them, norm.compliance for the others):
  /// indices < L, no repeats. An extension of the first specification for argument A5 ("a lab that defects").
  std::vector<std::int64_t> noncompliant;
  double propensity_capabilities = 0.6;      ///< initial π^cap ∈ [0, 1]
  double propensity_interpretability = 0.9;  ///< initial π^int ∈ [0, 1]
};

struct ResearcherParams {
  double talent_sigma = 1.0;  ///< σ_θ ≥ 0: θ_j ~ LogNormal(−σ_θ²/2, σ_θ), mean 1
  double result_rate = 0.25;  ///< r ≥ 0: results per step at θ = 1, K = 1
};

/// A researcher placed by hand (`[[individuals]]`): added to lab `lab` after its regular researchers.
struct PinnedResearcher {
  std::int64_t lab = 0;                  ///< 0-based lab index, < L
  Focus focus = Focus::capabilities;
  std::optional<double> talent;          ///< θ ≥ 0; drawn from the talent distribution when absent
  std::optional<double> result_rate;     ///< r ≥ 0 for this researcher; researchers.result_rate when absent
};

struct ResearchParams {
  double phi_capabilities = 0.25;       ///< φ_C (any real): Ȧ ∝ (1 + A)^φ
  double phi_interpretability = 0.25;   ///< φ_I
  double spill_probability = 0.1;       ///< p_s ∈ [0, 1]
  double spill_size = 0.5;              ///< ρ ≥ 0
  double screen_sensitivity = 0.7;      ///< ζ ∈ [0, 1]: P(flag | spills)
  double screen_false_positive = 0.1;   ///< ε ∈ [0, 1]: P(flag | clean)
};

enum class HazardScope : std::uint8_t { frontier, every_lab };
enum class HazardBasis : std::uint8_t { progress, time };

struct HazardParams {
  double width = 0.5;                       ///< w > 0, in e-folds of (1 + C)
  double danger_capability = 3000.0;        ///< C_d ≥ 0, capability units
  double understanding_cover = 5.0;         ///< κ ≥ 0, capability units per interpretability unit
  double max = 0.2;                         ///< h_max ∈ [0, 1]
  double transformative_capability = 30000.0;  ///< C_T ≥ 0, capability units
  HazardScope scope = HazardScope::frontier;
  HazardBasis basis = HazardBasis::progress;
};

struct WorldParams {
  std::int64_t steps = 200;             ///< 1 ≤ T < kMaxModelSteps
  bool stop_at_transformative = true;
};

struct AdaptationParams {
  bool enabled = true;
  std::int64_t every = 4;          ///< M ≥ 1, steps between reviews
  double weight_lead = 1.0;        ///< w_lead ≥ 0
  double weight_prestige = 0.5;    ///< w_prestige ≥ 0
  double strength = 5.0;           ///< β_imit ≥ 0
  double mutation = 0.02;          ///< μ ∈ [0, 1], per propensity per review
};

/// Standard deviation of a mutation of a propensity (docs/model.md: N(0, 0.1²)); fixed by the model.
inline constexpr double kMutationSd = 0.1;

/// An entity knocked out of a run (variance attribution's knockouts): a knocked-out researcher
/// produces nothing; a knocked-out lab's researchers produce nothing. Every entity keeps its key,
/// so runs with and without a knockout pair on the same draws. Not a scenario key: set by
/// `normsim attribute` only.
struct KnockOut {
  enum class Kind : std::uint8_t { researcher, individual, lab };
  Kind kind = Kind::researcher;
  std::uint64_t index = 0;  ///< regular researcher index, [[individuals]] position, or lab ℓ
};

struct ModelParams {
  LabParams labs;
  ResearcherParams researchers;
  std::vector<PinnedResearcher> individuals;
  ResearchParams research;
  Norm norm;
  HazardParams hazard;
  WorldParams world;
  AdaptationParams adaptation;
  std::vector<KnockOut> knockouts;  ///< empty in every scenario run
};

/// Steps are numbered in 32 bits (the publication coins' step word; a researcher's due step).
inline constexpr std::int64_t kMaxModelSteps = 0xFFFFFFFF;

/// Checks every invariant stated above; throws std::invalid_argument naming the first violation.
/// The scenario loader reports errors with file positions first; this is the model's own guard.
void validate(const ModelParams& params);

}  // namespace normsim::model
