#pragma once
// Claims in words: the formula a claim states, the units of its quantity and how its estimate and
// interval are made — for check's table, the /claims attributes and the reports.
#include "model/params.hpp"
#include "scenario/claims.hpp"

#include <string>

namespace normsim::study {

/// The preset's name as written in files ("open", "hazard_specific").
[[nodiscard]] std::string preset_name(model::NormPreset preset);

/// The claim as a formula: "P(t_transform < 60) > 0.5",
/// "mean(capability | closed) − mean(capability | open) < 0".
[[nodiscard]] std::string claim_formula(const scenario::Claim& claim);

/// Units of the claim's quantity: "probability", "fraction", or the outcome's units.
[[nodiscard]] std::string claim_units(const scenario::Claim& claim);

/// How the claim's estimate and interval are made; `paired`: the sweep uses common keys.
[[nodiscard]] std::string claim_estimator(const scenario::Claim& claim, bool paired);

/// True for the claims that an attribution answers (index, index_sum, max_researcher_index,
/// top_researchers_sum).
[[nodiscard]] bool is_attribution_claim(const scenario::Claim& claim) noexcept;

/// True for the claims that compare levels of one factor of a grid: norms (mean_difference,
/// norm_share) or the levels of any factor (level_difference).
[[nodiscard]] bool compares_levels(const scenario::Claim& claim) noexcept;

}  // namespace normsim::study
