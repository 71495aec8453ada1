#pragma once
// Internal to the scenario loader (namespace detail): the settings while a scenario is being read.
// Keys are applied to a Draft in file order, then overrides; only when everything is read are the
// values that depend on each other resolved (the norm from its preset, interp_fraction per lab).
#include "model/params.hpp"
#include "scenario/scenario.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace normsim::scenario::detail {

/// `labs.interp_fraction`: one share for every lab, or one per lab (checked against L at the end).
using InterpFraction = std::variant<double, std::vector<double>>;

/// The norm as given: a preset and the values in effect that adjust it (empty when not given). A
/// preset given by a later source clears the allowances and embargoes given before it
/// (replace_earlier_norm). While rendering a Scenario every optional is filled with the effective value.
struct NormChoice {
  model::NormPreset preset = model::NormPreset::open;
  std::optional<std::int64_t> embargo;  ///< `norm.embargo`, steps; only with preset embargo_capabilities
  std::array<std::optional<double>, model::kCategoryCount> allow;          ///< `norm.allow.*`
  std::array<std::optional<std::int64_t>, model::kCategoryCount> embargo_by_category;  ///< `norm.embargo_*`
  std::optional<double> compliance;     ///< `norm.compliance`
};

/// `[sweep]` as written. Factors are read (and their `values` validated) entry by entry; what
/// depends on the design (num/step allowed, zip lengths, grid size) is checked by build_sweep().
struct SweepChoice {
  DesignKind design = DesignKind::single;
  std::optional<std::int64_t> points;   ///< `sweep.points`; only for latin_hypercube and sobol
  std::uint64_t seed = 1;               ///< `sweep.seed`
  std::uint64_t max_runs = 1'000'000;   ///< `sweep.max_runs`
  bool common_keys = false;             ///< `sweep.common_keys`
  std::vector<Factor> factors;          ///< `[[sweep.factor]]` in order; from/to levels not yet generated
};

/// `[attribution]` as written: present once any attribution key (or an empty `[attribution]`) is
/// read. Patterns are checked when read; indices against the roster sizes by resolve_attribution().
struct AttributionChoice {
  bool present = false;
  AttributionSettings settings;
};

/// Everything a scenario file can set, before cross-key resolution.
struct Draft {
  model::ModelParams model;
  RunSettings run;
  InterpFraction interp_fraction = model::LabParams{}.interp_fraction.front();  ///< default: one share for all
  NormChoice norm;
  SweepChoice sweep;
  AttributionChoice attribution;
  std::vector<Claim> claims;  ///< `[[claims]]`, each validated when read; k against the roster by check_claims()
};

/// Where a value came from: the file and position, or "--set key=value" with no position.
struct Origin {
  std::string source;
  std::int64_t line = 0;    ///< 1-based; 0 when unknown
  std::int64_t column = 0;  ///< 1-based; 0 when unknown

  friend bool operator==(const Origin&, const Origin&) = default;
};

/// The origin of the last value applied to each key, for errors found once every key is read
/// (interp_fraction length, individuals' labs, norm.embargo with the wrong preset, sweep checks).
/// Individuals' labs are recorded as "individuals[i].lab", factor fields as "sweep.factor[i].num",
/// factor entries as "sweep.factor[i]" and their values as "sweep.factor[i].values[j]"; elements of
/// string-list keys as "attribution.knockout[i]", group entries as "attribution.group[i]" and their
/// members as "attribution.group[i].members[j]"; claims as "claims[i]", their values as
/// "claims[i].key" and "claims[i].norms[j]".
using Origins = std::map<std::string, Origin>;

/// Where a key's value lives: a typed pointer into a Draft or into a PinnedResearcher. Enum
/// pointers are matched with the key's `choices` by their underlying value.
using Slot = std::variant<bool*, std::int64_t*, std::uint64_t*, double*, std::vector<std::int64_t>*,
                          InterpFraction*, std::optional<double>*, std::optional<std::int64_t>*,
                          model::NormPreset*, model::HazardScope*, model::HazardBasis*, model::Focus*,
                          DesignKind*, std::vector<model::OutcomeId>*, ResearcherSelection*,
                          std::vector<EntityRef>*, ClaimQuantity*, Comparison*, IndexKind*, ClaimError*>;

/// What a Sweep needs to build its points: the base before resolution (file, then overrides), and
/// the unit-cube coordinates of a sampled design. Shared by copies of the Scenario (immutable).
struct SweepPlan {
  Draft base;                  ///< the base draft; its sweep is irrelevant to the points
  Origins origins;             ///< where the base's values came from, for the points' errors
  std::string source;          ///< the scenario's source name
  std::vector<double> unit;    ///< latin_hypercube / sobol: [p · factors + f] in (0, 1); empty otherwise
  std::vector<std::uint64_t> stride;  ///< grid: points between consecutive levels of factor f
};

/// The draft whose rendering gives the scenario's effective values: every norm value explicit,
/// interp_fraction a single number when all labs share it. `norm.embargo` is filled with the
/// capabilities embargo under embargo_capabilities and with its default otherwise.
[[nodiscard]] Draft draft_of(const Scenario& scenario);

/// Resolves what depends on several model keys (interp_fraction per lab, individuals' labs, the
/// norm) and runs the model's guard. The result's sweep is single; `text` and `overrides` empty.
/// Throws ScenarioError at the origin of the offending key (scenario.cpp).
[[nodiscard]] Scenario resolve(const Draft& draft, const Origins& origins, const std::string& source);

/// Applies `assignment` ("key = value" TOML text, e.g. a sweep point's value) to `draft` like an
/// override named `source`. Throws ScenarioError (scenario.cpp).
void apply_assignment(const std::string& assignment, Draft& draft, const std::string& source, Origins& origins);

/// Checks `draft.sweep` against its design and builds the Sweep (levels of from/to factors, LHS or
/// Sobol coordinates, each `values` level validated on the base scenario). `draft` is the base
/// after the file and all overrides. Throws ScenarioError at the offending key (sweep_build.cpp).
[[nodiscard]] Sweep build_sweep(const Draft& draft, const Origins& origins, const std::string& source);

/// Applies the level text `text` of factor `f` to `draft` ("norm" replaces the whole norm), as an
/// assignment with no position, named `source` in errors. Throws ScenarioError (sweep.cpp).
void apply_factor_value(const Factor& f, const std::string& text, Draft& draft, Origins& origins,
                        const std::string& source);

/// The validated [attribution] (nullopt when absent): `draft.attribution` with its indices checked
/// against the roster sizes of `model` (the resolved model), and its conflict with a [sweep]. Throws
/// ScenarioError at the offending value (attribution_read.cpp).
[[nodiscard]] std::optional<AttributionSettings> resolve_attribution(const Draft& draft, const Origins& origins,
                                                                     const std::string& source,
                                                                     const model::ModelParams& model);

/// Checks what the claims' keys cannot check alone: each top_researchers_sum claim's k against the
/// researchers of `model` (the resolved model; regular and pinned). Throws ScenarioError at the
/// offending k (claims_read.cpp).
void check_claims(const Draft& draft, const Origins& origins, const std::string& source,
                  const model::ModelParams& model);

/// The precedence rule (REFERENCE.md, "Precedence"), applied before the keys of one source (the
/// file, one --set, one sweep level) are applied to `draft`; `keys` are the dotted keys the source
/// sets. With norm.preset among them, the allowances and embargoes given by earlier sources are
/// cleared (norm.compliance, which no preset sets, stays); with only one of the two names of the
/// capabilities embargo (norm.embargo, norm.embargo_capabilities), the other is cleared. Their
/// origins are erased. For the first source nothing is set yet, so keys in a file adjust its
/// preset wherever they stand (precedence.cpp).
void replace_earlier_norm(const std::vector<std::string>& keys, Draft& draft, Origins& origins);

/// A whole norm given later (`--set norm={...}`, a level of a `norm` factor) replaces the whole
/// norm: `draft.norm` back to its defaults and every norm.* origin erased (precedence.cpp).
void reset_norm(Draft& draft, Origins& origins);

/// True when every level of a factor over `factor` (a scenario key or "norm") sets `key`: the key
/// itself; every norm.* key for "norm"; every allowance and embargo (norm.embargo included) for
/// norm.preset; the other name of the capabilities embargo (precedence.cpp).
[[nodiscard]] bool factor_sets(std::string_view factor, std::string_view key);

/// Why two factors of one design cannot be combined (one would set what the other sets, at the
/// same point): nullopt when they can be, else the end of the message (": " and an explanation, or
/// empty for the same key and for norm with a norm.* key) (precedence.cpp).
[[nodiscard]] std::optional<std::string> factor_conflict(std::string_view earlier, std::string_view later);

/// Throws ScenarioError at the --set when a value last given by a --set (a key whose origin in
/// `origins` differs from `file_origins`, the origins after the file alone) would be replaced at
/// every point of `draft`'s sweep (factor_sets), naming the factor and where it was given; such a
/// --set would have no effect (precedence.cpp).
void check_overrides_not_swept(const Draft& draft, const Origins& origins, const Origins& file_origins,
                               const std::string& source);

/// `text` as a TOML basic string: quotes, backslashes and control characters escaped (sweep.cpp).
[[nodiscard]] std::string toml_string(std::string_view text);

/// The tables of resolved_toml without its comment header, with or without [run], never [sweep],
/// [attribution] nor [[claims]] (scenario.cpp).
[[nodiscard]] std::string sections_toml(const Scenario& scenario, bool with_run);

/// The [sweep] section of `sweep` as TOML text ("" for a single scenario), as written back by
/// resolved_toml (sweep.cpp).
[[nodiscard]] std::string sweep_toml(const Sweep& sweep);

}  // namespace normsim::scenario::detail
