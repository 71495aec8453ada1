#include "study/claim_text.hpp"

#include "scenario/attribution.hpp"
#include "scenario/keys.hpp"

#include <fmt/core.h>

namespace normsim::study {

using scenario::Claim;
using scenario::ClaimQuantity;

std::string preset_name(model::NormPreset preset) {
  // The registry's choices of norm.preset, in enum order.
  return std::string(scenario::find_key("norm.preset")->choices[static_cast<std::size_t>(preset)]);
}

bool is_attribution_claim(const Claim& c) noexcept {
  return c.quantity == ClaimQuantity::index || c.quantity == ClaimQuantity::index_sum ||
         c.quantity == ClaimQuantity::max_researcher_index || c.quantity == ClaimQuantity::top_researchers_sum;
}

bool compares_levels(const Claim& c) noexcept {
  return c.quantity == ClaimQuantity::mean_difference || c.quantity == ClaimQuantity::norm_share ||
         c.quantity == ClaimQuantity::level_difference;
}

std::string claim_estimator(const Claim& c, bool paired) {
  switch (c.quantity) {
    case ClaimQuantity::mean: return "mean over replicates, Student t interval";
    case ClaimQuantity::probability: return "fraction of replicates, Wilson score interval";
    case ClaimQuantity::mean_difference:
    case ClaimQuantity::level_difference: return "mean of paired differences (common keys), Student t interval";
    case ClaimQuantity::norm_share:
      return fmt::format("between-norm share of variance (law of total variance, bias-corrected), percentile "
                         "bootstrap{}",
                         paired ? ", replicates resampled jointly" : "");
    case ClaimQuantity::index: return "attribution table (Saltelli 2010 / Jansen / Goda), percentile bootstrap";
    case ClaimQuantity::index_sum:
      return "sum of the factors' indices; interval [sum of the lower ends, sum of the upper ends] of their intervals";
    case ClaimQuantity::max_researcher_index:
      return "largest per-researcher index; interval [max of lower ends, max of upper ends] of the per-researcher "
             "intervals";
    case ClaimQuantity::top_researchers_sum:
      return "sum of the k largest per-researcher indices; interval [sum of the k largest lower ends, sum of the k "
             "largest upper ends]";
  }
  return "";
}

std::string claim_units(const Claim& c) {
  switch (c.quantity) {
    case ClaimQuantity::probability: return "probability";
    case ClaimQuantity::mean:
    case ClaimQuantity::mean_difference:
    case ClaimQuantity::level_difference: {
      if (c.outcome == scenario::kReachedTransformative) return "probability";
      const auto id = scenario::outcome_by_name(c.outcome);
      return id ? std::string(model::kOutcomeDescriptors[static_cast<std::size_t>(*id)].units) : std::string();
    }
    default: return "fraction";
  }
}

std::string claim_formula(const Claim& c) {
  const std::string side = fmt::format("{} {}", scenario::comparison_text(c.compare), c.value);
  switch (c.quantity) {
    case ClaimQuantity::mean: return fmt::format("mean({}) {}", c.outcome, side);
    case ClaimQuantity::probability:
      return fmt::format("P({} {} {}) {}", c.outcome, c.above ? ">" : "<", c.above ? *c.above : *c.below, side);
    case ClaimQuantity::mean_difference:
      return fmt::format("mean({0} | {1}) − mean({0} | {2}) {3}", c.outcome, preset_name(*c.norm), preset_name(*c.versus), side);
    case ClaimQuantity::level_difference:
      return fmt::format("mean({0} | {1} = {2}) − mean({0} | {1} = {3}) {4}", c.outcome, c.factor, c.level, c.baseline,
                         side);
    case ClaimQuantity::norm_share: {
      std::string norms;
      for (const model::NormPreset n : c.norms) norms += (norms.empty() ? "" : ", ") + preset_name(n);
      return fmt::format("share of Var({}) explained by the norm ({}) {}", c.outcome, norms, side);
    }
    case ClaimQuantity::index:
      return fmt::format("{} index of \"{}\" for {} {}", scenario::index_name(*c.index), c.factor, c.outcome, side);
    case ClaimQuantity::index_sum: {
      std::string names;
      for (const std::string& f : c.factors) names += (names.empty() ? "\"" : ", \"") + f + "\"";
      return fmt::format("sum of the {} indices of {} for {} {}", scenario::index_name(*c.index), names, c.outcome,
                         side);
    }
    case ClaimQuantity::max_researcher_index:
      return fmt::format("largest per-researcher {} index for {} {}", scenario::index_name(*c.index), c.outcome, side);
    case ClaimQuantity::top_researchers_sum:
      return fmt::format("sum of the {} largest per-researcher {} indices for {} {}", c.k, scenario::index_name(*c.index),
                         c.outcome, side);
  }
  return side;
}

}  // namespace normsim::study
