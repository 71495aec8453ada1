#include "model/params.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace normsim::model {

Norm preset_norm(NormPreset preset, std::int64_t capabilities_embargo) noexcept {
  Norm n;  // allow all, no embargo, compliance 0.9
  switch (preset) {
    case NormPreset::open:
      break;
    case NormPreset::closed:
      n.allow = {0.0, 0.0, 0.0};
      break;
    case NormPreset::no_capabilities:
      n.allow = {0.0, 1.0, 1.0};
      break;
    case NormPreset::no_interpretability:
      n.allow = {1.0, 0.0, 0.0};
      break;
    case NormPreset::hazard_specific:
      n.allow = {1.0, 1.0, 0.0};
      break;
    case NormPreset::embargo_capabilities:
      n.embargo[static_cast<std::size_t>(Category::capabilities)] = capabilities_embargo;
      break;
  }
  return n;
}

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("invalid model parameter: " + what);
}

bool probability(double p) { return p >= 0.0 && p <= 1.0; }
bool non_negative(double x) { return x >= 0.0 && std::isfinite(x); }

}  // namespace

void validate(const ModelParams& p) {
  require(!p.labs.sizes.empty(), "labs.sizes is empty");
  for (const auto n : p.labs.sizes) require(n >= 0, "labs.sizes has a negative entry");
  require(p.labs.interp_fraction.size() == p.labs.sizes.size(), "labs.interp_fraction length differs from L");
  for (const double f : p.labs.interp_fraction) require(probability(f), "labs.interp_fraction outside [0, 1]");
  require(non_negative(p.labs.compute_sigma), "labs.compute_sigma < 0");
  require(non_negative(p.labs.compute_elasticity), "labs.compute_elasticity < 0");
  require(probability(p.labs.leak_rate), "labs.leak_rate outside [0, 1]");
  require(probability(p.labs.propensity_capabilities), "labs.propensity_capabilities outside [0, 1]");
  require(probability(p.labs.propensity_interpretability), "labs.propensity_interpretability outside [0, 1]");
  require(non_negative(p.researchers.talent_sigma), "researchers.talent_sigma < 0");
  require(non_negative(p.researchers.result_rate), "researchers.result_rate < 0");
  const auto lab_count = static_cast<std::int64_t>(p.labs.sizes.size());
  for (const PinnedResearcher& r : p.individuals) {
    require(r.lab >= 0 && r.lab < lab_count, "individuals.lab outside [0, L)");
    require(!r.talent || non_negative(*r.talent), "individuals.talent < 0");
    require(!r.result_rate || non_negative(*r.result_rate), "individuals.result_rate < 0");
  }
  require(std::isfinite(p.research.phi_capabilities), "research.phi_capabilities not finite");
  require(std::isfinite(p.research.phi_interpretability), "research.phi_interpretability not finite");
  require(probability(p.research.spill_probability), "research.spill_probability outside [0, 1]");
  require(non_negative(p.research.spill_size), "research.spill_size < 0");
  require(probability(p.research.screen_sensitivity), "research.screen_sensitivity outside [0, 1]");
  require(probability(p.research.screen_false_positive), "research.screen_false_positive outside [0, 1]");
  for (const double a : p.norm.allow) require(probability(a), "norm allowance outside [0, 1]");
  for (const auto e : p.norm.embargo) require(e >= 0, "norm embargo < 0");
  require(probability(p.norm.compliance), "norm.compliance outside [0, 1]");
  for (std::size_t i = 0; i < p.labs.noncompliant.size(); ++i) {
    const std::int64_t l = p.labs.noncompliant[i];
    require(l >= 0 && l < lab_count, "labs.noncompliant entry outside [0, L)");
    for (std::size_t j = 0; j < i; ++j) require(p.labs.noncompliant[j] != l, "labs.noncompliant repeats a lab");
  }
  require(p.hazard.width > 0 && std::isfinite(p.hazard.width), "hazard.width <= 0");
  require(non_negative(p.hazard.danger_capability), "hazard.danger_capability < 0");
  require(non_negative(p.hazard.understanding_cover), "hazard.understanding_cover < 0");
  require(probability(p.hazard.max), "hazard.max outside [0, 1]");
  require(non_negative(p.hazard.transformative_capability), "hazard.transformative_capability < 0");
  require(p.world.steps >= 1, "world.steps < 1");
  require(p.world.steps < kMaxModelSteps, "world.steps ≥ 2^32 − 1 (a step number must fit 32 bits)");
  require(p.adaptation.every >= 1, "adaptation.every < 1");
  require(non_negative(p.adaptation.weight_lead), "adaptation.weight_lead < 0");
  require(non_negative(p.adaptation.weight_prestige), "adaptation.weight_prestige < 0");
  require(non_negative(p.adaptation.strength), "adaptation.strength < 0");
  require(probability(p.adaptation.mutation), "adaptation.mutation outside [0, 1]");
}

}  // namespace normsim::model
