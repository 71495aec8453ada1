#pragma once
// Internal to the scenario loader (namespace detail): the settings while a scenario is being read.
// Keys are applied to a Draft in file order, then overrides; only when everything is read are the
// values that depend on each other resolved (the norm from its preset, interp_fraction per lab).
#include "model/params.hpp"
#include "scenario/scenario.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace normsim::scenario::detail {

/// `labs.interp_fraction`: one share for every lab, or one per lab (checked against L at the end).
using InterpFraction = std::variant<double, std::vector<double>>;

/// The norm as written: a preset and the explicit overrides of its values (empty when not given).
/// While rendering a Scenario every optional is filled with the effective value.
struct NormChoice {
  model::NormPreset preset = model::NormPreset::open;
  std::optional<std::int64_t> embargo;  ///< `norm.embargo`, steps; only with preset embargo_capabilities
  std::array<std::optional<double>, model::kCategoryCount> allow;          ///< `norm.allow.*`
  std::array<std::optional<std::int64_t>, model::kCategoryCount> embargo_by_category;  ///< `norm.embargo_*`
  std::optional<double> compliance;     ///< `norm.compliance`
};

/// Everything a scenario file can set, before cross-key resolution.
struct Draft {
  model::ModelParams model;
  RunSettings run;
  InterpFraction interp_fraction = model::LabParams{}.interp_fraction.front();  ///< default: one share for all
  NormChoice norm;
};

/// Where a key's value lives: a typed pointer into a Draft or into a PinnedResearcher. Enum
/// pointers are matched with the key's `choices` by their underlying value.
using Slot = std::variant<bool*, std::int64_t*, std::uint64_t*, double*, std::vector<std::int64_t>*,
                          InterpFraction*, std::optional<double>*, std::optional<std::int64_t>*,
                          model::NormPreset*, model::HazardScope*, model::HazardBasis*, model::Focus*>;

/// The draft whose rendering gives the scenario's effective values: every norm value explicit,
/// interp_fraction a single number when all labs share it. `norm.embargo` is filled with the
/// capabilities embargo under embargo_capabilities and with its default otherwise.
[[nodiscard]] Draft draft_of(const Scenario& scenario);

}  // namespace normsim::scenario::detail
