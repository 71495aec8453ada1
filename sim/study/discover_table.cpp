// PRIM's result as /discovery/<claim>/ stores it (discover_points.hpp): limits back in the
// assumptions' own units.
#include "study/discover_points.hpp"

#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace normsim::study {

namespace dsc = analysis::discovery;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A coordinate of assumption `a` in its own units (PRIM works on ln x for a log-scale factor).
double natural(const Assumption& a, double x) { return a.log ? kMath.exp(x) : x; }

/// A restriction in the assumption's units: the limit and the bootstrap mean of the limit (for a log
/// scale the geometric mean; limit_sd stays the sd of ln(limit)).
dsc::Restriction in_units(const std::vector<Assumption>& assumptions, dsc::Restriction r) {
  const Assumption& a = assumptions.at(r.dimension);
  r.limit = natural(a, r.limit);
  r.limit_mean = natural(a, r.limit_mean);
  return r;
}

const char* objective_name(dsc::PeelObjective objective) {
  return objective == dsc::PeelObjective::mean ? "mean" : "mean_gain_per_mass";
}

output::DiscoveryBox box_table(const std::vector<Assumption>& assumptions, const dsc::DiscoveredBox& b,
                               std::string name) {
  const std::size_t d = assumptions.size();
  output::DiscoveryBox out;
  out.name = std::move(name);
  for (const dsc::Restriction& raw : b.restrictions) {
    const dsc::Restriction r = in_units(assumptions, raw);
    out.dimension.push_back(r.dimension);
    out.side.push_back(static_cast<std::int8_t>(r.side));
    out.limit.push_back(r.limit);
    out.levels.push_back(r.levels);
    out.quasi_p.push_back(r.quasi_p);
    out.frequency.push_back(r.frequency);
    out.limit_mean.push_back(r.limit_mean);
    out.limit_sd.push_back(r.limit_sd);
    out.text.push_back(dsc::describe(r));
  }
  for (const dsc::Restriction& raw : b.dropped) {
    out.dropped.push_back(fmt::format("{} (quasi-p {:.3g})", dsc::describe(in_units(assumptions, raw)), raw.quasi_p));
  }
  const auto limits = [&](const dsc::Box& box, std::vector<double>& low, std::vector<double>& high,
                          std::vector<std::uint64_t>& levels) {
    for (std::size_t j = 0; j < d; ++j) {
      low.push_back(natural(assumptions[j], box.limits.at(j).low));
      high.push_back(natural(assumptions[j], box.limits.at(j).high));
      levels.push_back(box.limits.at(j).levels);
    }
  };
  limits(b.box, out.low, out.high, out.level_mask);
  for (const dsc::TrajectoryStep& s : b.trajectory) {
    out.coverage.push_back(s.coverage);
    out.density.push_back(s.density);
    out.mass.push_back(s.mass);
    out.n_points.push_back(s.n_points);
    out.n_restricted.push_back(s.n_restricted);
    limits(s.box, out.trajectory_low, out.trajectory_high, out.trajectory_levels);
  }
  for (const Assumption& a : assumptions) out.level_columns = std::max<std::uint64_t>(out.level_columns, a.dimension.levels.size());
  for (std::size_t j = 0; j < d; ++j) {
    // Dimensions' stability is empty for a box that was not accepted (or without resamples): NaN.
    const bool known = j < b.stability.dimensions.size();
    const dsc::DimensionStability none;
    const dsc::DimensionStability& s = known ? b.stability.dimensions[j] : none;
    const double unknown = known ? 0.0 : kNaN;
    out.stability_frequency.insert(out.stability_frequency.end(),
                                   {s.low.frequency + unknown, s.high.frequency + unknown, s.levels.frequency + unknown});
    out.stability_limit_mean.insert(out.stability_limit_mean.end(),
                                    {natural(assumptions[j], s.low.limit_mean), natural(assumptions[j], s.high.limit_mean)});
    out.stability_limit_sd.insert(out.stability_limit_sd.end(), {s.low.limit_sd, s.high.limit_sd});
    for (std::uint64_t k = 0; k < out.level_columns; ++k) {
      out.level_admitted.push_back(k < s.level_admitted.size() ? s.level_admitted[k] : kNaN);
    }
  }
  out.stage = b.stage;
  out.box_coverage = b.statistics.coverage;
  out.box_density = b.statistics.density;
  out.box_mass = b.statistics.mass;
  out.box_points = b.statistics.n_points;
  out.p_value = b.p_value;
  out.null_density = b.null_density;
  out.similarity = b.stability.resamples > 0 ? b.stability.similarity : kNaN;
  out.resamples = b.stability.resamples;
  out.chosen_step = b.chosen_step;
  out.stage_points = b.stage_points;
  out.stage_base_rate = b.stage_base_rate;
  return out;
}

}  // namespace

output::DiscoveryTable discovery_table(const scenario::Claim& claim, const scenario::Scenario& base,
                                       const PointValues& values, const std::vector<Assumption>& assumptions,
                                       const dsc::PointSet& points, const dsc::DiscoveryResult& result,
                                       const dsc::DiscoverySettings& settings) {
  output::DiscoveryTable t;
  t.claim = claim.id;
  t.statement = claim.statement;
  t.quantity = std::string(scenario::quantity_name(claim.quantity));
  t.outcome = claim.outcome;
  t.compare = std::string(scenario::comparison_text(claim.compare));
  t.value = claim.value;
  t.confidence = claim.confidence;
  t.estimator = values.estimator;
  t.guarantee = values.guarantee;
  t.interest_rule = values.interest_rule;
  t.stop_reason = result.stop_reason;
  t.base_rate = result.base_rate;
  t.total_interest = result.total_interest;
  t.estimate = values.estimate;
  t.low = values.low;
  t.high = values.high;
  t.interest = values.interest;
  t.verdict = values.verdict;
  t.n = values.n;
  t.design = make_layout(base, false).design;
  for (std::size_t j = 0; j < assumptions.size(); ++j) {
    const dsc::Dimension& d = points.dimensions.at(j);
    const bool numeric = d.kind == dsc::DimensionKind::numeric;
    t.dimension_names.push_back(d.name);
    t.dimension_scales.push_back(numeric ? (assumptions[j].log ? "log" : "linear") : "");
    t.dimension_kind.push_back(static_cast<std::int8_t>(d.kind));
    t.dimension_low.push_back(numeric ? natural(assumptions[j], d.low) : kNaN);
    t.dimension_high.push_back(numeric ? natural(assumptions[j], d.high) : kNaN);
  }
  for (std::size_t k = 0; k < result.boxes.size(); ++k) {
    t.boxes.push_back(box_table(assumptions, result.boxes[k], fmt::format("box_{}", k + 1)));
  }
  t.accepted = result.boxes.size();
  if (result.rejected) t.boxes.push_back(box_table(assumptions, *result.rejected, "rejected"));
  const dsc::PrimSettings& prim = settings.prim;
  t.numbers = {{"peel_alpha", prim.peel_alpha},
               {"paste_alpha", prim.paste_alpha},
               {"min_mass", prim.min_mass},
               {"quality_exponent", prim.choice.quality_exponent},
               {"choice_min_coverage", prim.choice.min_coverage},
               {"choice_min_density", prim.choice.min_density},
               {"choice_max_mass", prim.choice.max_mass},
               {"choice_step", static_cast<double>(prim.choice.step)},
               {"max_quasi_p", prim.max_quasi_p},
               {"max_boxes", static_cast<double>(settings.max_boxes)},
               {"min_density", settings.min_density},
               {"permutations", static_cast<double>(settings.permutations)},
               {"significance", settings.significance},
               {"resamples", static_cast<double>(settings.resamples)}};
  t.texts = {{"objective", objective_name(prim.objective)},
             {"choice", dsc::rule_name(prim.choice.rule)},
             {"seed", std::to_string(settings.seed)}};
  return t;
}

}  // namespace normsim::study
