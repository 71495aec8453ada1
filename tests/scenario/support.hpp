#pragma once
// Test helpers: a flat view of the settings written independently of the key registry, so that
// tests can check that each registry key reaches the ModelParams field it names. Doubles are
// written in hexadecimal so that equal views mean bit-identical values.
#include "scenario/scenario.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace normsim::scenario::testing {

inline std::string exact(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", x);
  return buffer;
}
inline std::string exact(std::int64_t x) { return std::to_string(x); }
inline std::string exact(std::uint64_t x) { return std::to_string(x); }
inline std::string exact(bool x) { return x ? "true" : "false"; }

template <typename T>
std::string exact(const std::vector<T>& xs) {
  std::string s;
  for (const T& x : xs) s += exact(x) + ",";
  return s;
}

/// Every setting by its key name (individuals flattened as "individuals[i].field"; attribution
/// groups are compared by attribution_test.cpp).
inline std::map<std::string, std::string> settings_view(const Scenario& s) {
  const model::ModelParams& p = s.model;
  std::map<std::string, std::string> v;
  v["labs.sizes"] = exact(p.labs.sizes);
  v["labs.interp_fraction"] = exact(p.labs.interp_fraction);
  v["labs.compute_sigma"] = exact(p.labs.compute_sigma);
  v["labs.compute_elasticity"] = exact(p.labs.compute_elasticity);
  v["labs.leak_rate"] = exact(p.labs.leak_rate);
  v["labs.noncompliant"] = exact(p.labs.noncompliant);
  v["labs.propensity_capabilities"] = exact(p.labs.propensity_capabilities);
  v["labs.propensity_interpretability"] = exact(p.labs.propensity_interpretability);
  v["researchers.talent_sigma"] = exact(p.researchers.talent_sigma);
  v["researchers.result_rate"] = exact(p.researchers.result_rate);
  v["research.phi_capabilities"] = exact(p.research.phi_capabilities);
  v["research.phi_interpretability"] = exact(p.research.phi_interpretability);
  v["research.spill_probability"] = exact(p.research.spill_probability);
  v["research.spill_size"] = exact(p.research.spill_size);
  v["research.screen_sensitivity"] = exact(p.research.screen_sensitivity);
  v["research.screen_false_positive"] = exact(p.research.screen_false_positive);
  v["world.steps"] = exact(p.world.steps);
  v["world.stop_at_transformative"] = exact(p.world.stop_at_transformative);
  v["hazard.width"] = exact(p.hazard.width);
  v["hazard.danger_capability"] = exact(p.hazard.danger_capability);
  v["hazard.understanding_cover"] = exact(p.hazard.understanding_cover);
  v["hazard.max"] = exact(p.hazard.max);
  v["hazard.transformative_capability"] = exact(p.hazard.transformative_capability);
  v["hazard.scope"] = std::to_string(static_cast<int>(p.hazard.scope));
  v["hazard.basis"] = std::to_string(static_cast<int>(p.hazard.basis));
  v["adaptation.enabled"] = exact(p.adaptation.enabled);
  v["adaptation.every"] = exact(p.adaptation.every);
  v["adaptation.weight_lead"] = exact(p.adaptation.weight_lead);
  v["adaptation.weight_prestige"] = exact(p.adaptation.weight_prestige);
  v["adaptation.strength"] = exact(p.adaptation.strength);
  v["adaptation.mutation"] = exact(p.adaptation.mutation);
  v["norm.preset"] = std::to_string(static_cast<int>(s.norm_preset));
  v["norm.embargo"] = exact(p.norm.embargo[0]);  // the shorthand sets the capabilities embargo
  v["norm.allow.capabilities"] = exact(p.norm.allow[0]);
  v["norm.allow.interpretability"] = exact(p.norm.allow[1]);
  v["norm.allow.flagged"] = exact(p.norm.allow[2]);
  v["norm.embargo_capabilities"] = exact(p.norm.embargo[0]);
  v["norm.embargo_interpretability"] = exact(p.norm.embargo[1]);
  v["norm.embargo_flagged"] = exact(p.norm.embargo[2]);
  v["norm.compliance"] = exact(p.norm.compliance);
  v["run.replicates"] = exact(s.run.replicates);
  v["run.seed"] = exact(s.run.seed);
  v["sweep.design"] = std::to_string(static_cast<int>(s.sweep.kind));
  v["sweep.points"] = exact(s.sweep.points);
  v["sweep.seed"] = exact(s.sweep.sampling_seed);
  v["sweep.max_runs"] = exact(s.sweep.max_runs);
  v["sweep.common_keys"] = s.sweep.common_keys ? "true" : "false";
  // [attribution], written without the registry's text functions; "absent" without the section.
  const auto attribution = [&](const std::string& key, auto value) {
    v["attribution." + key] = s.attribution ? value(*s.attribution) : std::string("absent");
  };
  const auto refs = [](const std::vector<EntityRef>& list) {
    std::string text;
    for (const EntityRef& r : list) text += std::to_string(static_cast<int>(r.kind)) + ":" + exact(r.index) + ",";
    return text;
  };
  attribution("outcomes", [](const AttributionSettings& a) {
    std::string text;
    for (const model::OutcomeId o : a.outcomes) text += std::to_string(static_cast<int>(o)) + ",";
    return text;
  });
  attribution("rows", [](const AttributionSettings& a) { return exact(a.rows); });
  attribution("bootstrap", [](const AttributionSettings& a) { return exact(a.bootstrap); });
  attribution("confidence", [](const AttributionSettings& a) { return exact(a.confidence); });
  attribution("target_ci_width", [](const AttributionSettings& a) { return exact(a.target_ci_width); });
  attribution("researchers", [](const AttributionSettings& a) {
    return std::to_string(static_cast<int>(a.researchers.kind)) + ":" + exact(a.researchers.count);
  });
  attribution("screen_threshold", [](const AttributionSettings& a) { return exact(a.screen_threshold); });
  attribution("shapley", [](const AttributionSettings& a) { return exact(a.shapley); });
  attribution("knockout", [&](const AttributionSettings& a) { return refs(a.knockout); });
  attribution("per_point", [](const AttributionSettings& a) { return exact(a.per_point); });
  attribution("seed", [](const AttributionSettings& a) { return exact(a.seed); });
  for (std::size_t i = 0; i < p.individuals.size(); ++i) {
    const model::PinnedResearcher& r = p.individuals[i];
    const std::string prefix = "individuals[" + std::to_string(i) + "].";
    v[prefix + "lab"] = exact(r.lab);
    v[prefix + "focus"] = std::to_string(static_cast<int>(r.focus));
    v[prefix + "talent"] = r.talent ? exact(*r.talent) : "absent";
    v[prefix + "result_rate"] = r.result_rate ? exact(*r.result_rate) : "absent";
  }
  return v;
}

/// The message load_text() throws for `text` (with `overrides`), or "" when it loads.
inline std::string load_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    (void)load_text(text, "test.toml", overrides);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace normsim::scenario::testing
