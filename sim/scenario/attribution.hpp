#pragma once
// `[attribution]`: the settings of a variance attribution of one scenario (`normsim attribute`).
// The loader reads and validates them (patterns, ranges against the roster's sizes); what depends
// on the drawn roster (which researchers are the most talented, the random sample, the CLI's
// default groups, Shapley's limit on the number of groups) is resolved by the CLI.
//
// scenario.hpp includes this header (Scenario has a `std::optional<AttributionSettings>` member).
#include "model/outcomes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::scenario {

/// What an entity reference of [attribution] names (`knockout`, `group.members`).
enum class EntityRefKind : std::uint8_t {
  lab,              ///< "lab:L": lab L's own stream (its compute, its decisions)
  lab_researchers,  ///< "lab_researchers:L": every researcher of lab L, pinned individuals included
  researcher,       ///< "researcher:J": regular researcher J (entity index 0 … Σ labs.sizes − 1)
  individual,       ///< "individual:K": the K-th [[individuals]] entry
  labs,             ///< "labs": every lab's own stream
  researchers,      ///< "researchers": every researcher, pinned individuals included
};

/// An entity or set of entities, written "kind:index" ("lab:3") or "kind" ("labs").
struct EntityRef {
  EntityRefKind kind = EntityRefKind::lab;
  std::uint64_t index = 0;  ///< L, J or K; 0 for labs and researchers
  friend bool operator==(const EntityRef&, const EntityRef&) = default;
};

/// Which researchers get their own index (`attribution.researchers`).
enum class ResearcherSelectionKind : std::uint8_t {
  all,         ///< "all": every researcher
  none,        ///< "none": groups only
  top_talent,  ///< "top_talent:K": the K most talented, by drawn or pinned talent (the CLI resolves it)
  sample,      ///< "sample:K": K researchers drawn at random from `attribution.seed`
};

struct ResearcherSelection {
  ResearcherSelectionKind kind = ResearcherSelectionKind::all;
  std::uint64_t count = 0;  ///< K ≥ 1 of top_talent and sample; 0 for all and none
  friend bool operator==(const ResearcherSelection&, const ResearcherSelection&) = default;
};

/// A custom factor group (`[[attribution.group]]`), attributed in addition to the CLI's default
/// groups (all labs, all researchers, per lab "lab L stream" and "lab L researchers").
struct AttributionGroup {
  std::string name;                ///< non-empty, unique among the custom groups
  std::vector<EntityRef> members;  ///< non-empty, no repeats; indices checked against the roster sizes
  friend bool operator==(const AttributionGroup&, const AttributionGroup&) = default;
};

/// `[attribution]` as validated. Defaults are those of a scenario with an empty `[attribution]`.
struct AttributionSettings {
  std::vector<model::OutcomeId> outcomes{model::OutcomeId::capability, model::OutcomeId::xrisk};  ///< no repeats
  std::uint64_t rows = 256;             ///< N, 2 … 2^20: rows of the design; runs = N × (groups + 2)
  std::uint64_t bootstrap = 500;        ///< bootstrap resamples of the intervals, 0 … 100000
  double confidence = 0.95;             ///< level of the intervals, in (0, 1)
  double target_ci_width = 0.05;        ///< CI width the convergence report aims for, in (0, 1]
  ResearcherSelection researchers{};    ///< who gets a per-researcher index
  double screen_threshold = 0.0;        ///< in [0, 1]; 0 = no screening
  bool shapley = false;                 ///< also Shapley effects of the groups (≤ 12 custom groups; the CLI picks them)
  std::vector<EntityRef> knockout;      ///< researcher:J, individual:K or lab:L; no repeats
  bool per_point = false;               ///< with a [sweep]: false = its factors join the design; true = one attribution per point
  std::uint64_t seed = 1;               ///< seed of the design's own sampling (bootstrap, samples); not run.seed
  std::vector<AttributionGroup> groups; ///< `[[attribution.group]]` in order
  friend bool operator==(const AttributionSettings&, const AttributionSettings&) = default;

  /// Runs of a pick-freeze design with `group_count` factor groups (the CLI's and the custom ones):
  /// rows × (group_count + 2), saturating.
  [[nodiscard]] std::uint64_t runs(std::uint64_t group_count) const noexcept;
};

/// Name of an outcome as written in files ("capability", "t_transform").
[[nodiscard]] std::string_view outcome_name(model::OutcomeId id) noexcept;

/// The outcome named `name`, or nullopt.
[[nodiscard]] std::optional<model::OutcomeId> outcome_by_name(std::string_view name) noexcept;

/// "lab:3", "lab_researchers:0", "researcher:12", "individual:1", "labs", "researchers".
[[nodiscard]] std::string entity_text(const EntityRef& ref);

/// Parses entity_text()'s syntax: a kind word, then ":" and a decimal index for the kinds that take
/// one (no sign, no spaces). Nullopt when `text` does not match.
[[nodiscard]] std::optional<EntityRef> parse_entity(std::string_view text) noexcept;

/// "all", "none", "top_talent:20", "sample:50".
[[nodiscard]] std::string selection_text(const ResearcherSelection& selection);

/// Parses selection_text()'s syntax (K ≥ 1). Nullopt when `text` does not match.
[[nodiscard]] std::optional<ResearcherSelection> parse_selection(std::string_view text) noexcept;

/// The `[attribution]` section (and its `[[attribution.group]]` tables) as TOML text, every key at
/// its value, starting with a blank line; as written back by resolved_toml().
[[nodiscard]] std::string attribution_toml(const AttributionSettings& settings);

}  // namespace normsim::scenario
