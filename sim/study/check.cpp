#include "study/check.hpp"

#include "analysis/attribution/norm_share.hpp"
#include "analysis/claims/estimators.hpp"
#include "scenario/attribution.hpp"
#include "scenario/sweep.hpp"
#include "study/attribute.hpp"
#include "study/claim_text.hpp"
#include "study/claim_values.hpp"
#include "study/errors.hpp"
#include "study/run.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace normsim::study {

namespace fs = std::filesystem;
using scenario::Claim;
using scenario::ClaimQuantity;

std::filesystem::path attribution_file(const std::filesystem::path& output, std::optional<std::uint64_t> point) {
  fs::path stem = output;
  stem.replace_extension();
  return point ? fs::path(fmt::format("{}.point-{}.attribution.h5", stem.string(), *point))
               : fs::path(stem.string() + ".attribution.h5");
}

namespace {

/// The attributions the claims need: one file for the whole design, or one per point. Returns the
/// files, in point order; empty when no claim needs an attribution.
std::vector<fs::path> attributions(const CheckConfig& c, const std::string& file, const Processes& processes,
                                   PipelineStatus& status) {
  const scenario::Scenario& base = c.scenario;
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  std::vector<std::string> outcomes;  // the section's and the claims'
  for (const model::OutcomeId id : settings.outcomes) outcomes.emplace_back(scenario::outcome_name(id));
  bool shapley = settings.shapley;
  bool any = false;
  for (const Claim& claim : base.claims) {
    if (!is_attribution_claim(claim)) continue;
    any = true;
    if (std::find(outcomes.begin(), outcomes.end(), claim.outcome) == outcomes.end()) outcomes.push_back(claim.outcome);
    shapley = shapley || claim.index == scenario::IndexKind::shapley;
  }
  std::vector<fs::path> files;
  if (!any) return files;
  const bool per_point = settings.per_point && base.sweep.points > 1;
  const std::uint64_t count = per_point ? base.sweep.points : 1;
  for (std::uint64_t p = 0; p < count; ++p) {
    const fs::path out = attribution_file(c.output, per_point ? std::optional<std::uint64_t>(p) : std::nullopt);
    files.push_back(out);
    if (c.resume && fs::exists(out)) continue;
    AttributeConfig a;
    if (per_point) {
      // The point as a scenario of its own: the base's overrides, the point's values, no sweep.
      const scenario::Scenario point = scenario::point_scenario(base, p);
      std::vector<std::string> overrides = base.overrides;
      overrides.insert(overrides.end(), point.overrides.begin() + static_cast<std::ptrdiff_t>(base.overrides.size()),
                       point.overrides.end());
      for (const char* s : {"sweep.design=\"single\"", "sweep.factor=[]", "attribution.per_point=false"}) {
        overrides.emplace_back(s);
      }
      a.scenario = scenario::load_text(base.text, base.source, overrides);
    } else {
      a.scenario = base;
    }
    if (c.conduct.note && processes.rank() == 0) {
      c.conduct.note(fmt::format("check {}: attribution{} → {}", file,
                                 per_point ? fmt::format(" at point {} of {}", p + 1, count) : std::string(),
                                 out.string()));
    }
    a.scenario_file = file;
    a.command_line = c.command_line;
    a.output = out;
    a.outcomes = outcomes;
    a.shapley = shapley;
    a.resume = c.resume;
    a.overwrite = c.overwrite;
    a.conduct = c.conduct;
    a.conduct.quiet = true;
    a.conduct.note = nullptr;
    const AttributionResult done = attribute(a, processes);
    if (done.status != PipelineStatus::written && done.status != PipelineStatus::follower) {
      status = done.status;
      return files;
    }
  }
  return files;
}

/// The entries of one claim from the run file and the attribution files.
std::vector<analysis::ClaimEstimate> entries_of(const Claim& claim, const scenario::Scenario& base,
                                                 const std::string& file, RunValues& runs,
                                                 const std::vector<fs::path>& attribution_files, double confidence,
                                                 std::vector<output::DesignFactor>& design, bool per_point) {
  std::vector<analysis::ClaimEstimate> entries;
  const output::Layout layout = make_layout(base, false);
  if (is_attribution_claim(claim)) {
    for (const fs::path& f : attribution_files) entries.push_back(attribution_estimate(f, claim, file));
    design = per_point ? layout.design : std::vector<output::DesignFactor>{};
    return entries;
  }
  if (compares_levels(claim)) {
    const auto [factor, levels] = compared_levels(base, claim, file);
    const GridCells grid = grid_cells(base, factor);
    const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
    for (const std::vector<std::uint64_t>& cell : grid.cells.points) {
      std::vector<std::vector<double>> y;
      for (const std::size_t l : levels) y.push_back(runs.at(claim.outcome, cell[l]));
      if (claim.quantity != ClaimQuantity::norm_share) {
        entries.push_back(analysis::paired_difference_interval(y[0], y[1], confidence));
        continue;
      }
      std::vector<double> stacked;
      for (const auto& v : y) stacked.insert(stacked.end(), v.begin(), v.end());
      analysis::BootstrapSettings bootstrap;
      bootstrap.resamples = static_cast<std::size_t>(std::max<std::uint64_t>(settings.bootstrap, 200));
      bootstrap.confidence = confidence;
      bootstrap.seed ^= settings.seed;
      try {
        const analysis::NormShare s = analysis::norm_share(stacked, levels.size(), base.sweep.common_keys, bootstrap);
        entries.push_back({s.share.value, s.share.ci_low, s.share.ci_high, runs.replicates()});
      } catch (const std::domain_error&) {
        entries.push_back({});  // constant outcome: no variance to share, undecidable
      }
    }
    design = grid.design;
    return entries;
  }
  for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
    const std::vector<double> y = runs.at(claim.outcome, p);
    if (claim.quantity == ClaimQuantity::mean) {
      entries.push_back(analysis::mean_interval(y, confidence));
    } else {
      std::uint64_t k = 0;
      for (const double v : y) k += (claim.above ? v > *claim.above : v < *claim.below) ? 1U : 0U;
      entries.push_back(analysis::proportion_interval(k, y.size(), confidence));
    }
  }
  design = layout.design;
  return entries;
}

}  // namespace

CheckResult check(const CheckConfig& c, const Processes& processes) {
  const scenario::Scenario& base = c.scenario;
  const std::string file = c.scenario_file.empty() ? base.source : c.scenario_file;
  if (base.claims.empty()) {
    throw InputError(fmt::format("{} has no [[claims]]; see REFERENCE.md, \"Claims\", for how to state one", file));
  }
  if (c.resume && c.overwrite) throw InputError("--resume and --overwrite contradict each other; choose one");
  for (const Claim& claim : base.claims) {
    if (compares_levels(claim)) (void)compared_levels(base, claim, file);  // before anything runs
  }
  CheckResult result;
  // 1. The scenario's runs (every claim's coordinates come from its file).
  if (!(c.resume && fs::exists(c.output))) {
    if (c.conduct.note && processes.rank() == 0) c.conduct.note(fmt::format("check {}: the scenario's runs", file));
    RunConfig r;
    r.scenario = base;
    r.scenario_file = file;
    r.command_line = c.command_line;
    r.output = c.output;
    r.resume = c.resume;
    r.overwrite = c.overwrite;
    r.force = c.force;
    r.conduct = c.conduct;
    const RunResult done = run(r, processes);
    if (done.status != PipelineStatus::written && done.status != PipelineStatus::follower) {
      result.status = done.status;
      return result;
    }
  }
  // 2. The attributions the claims need.
  result.status = PipelineStatus::written;
  const std::vector<fs::path> files = attributions(c, file, processes, result.status);
  if (result.status != PipelineStatus::written) return result;
  if (processes.rank() != 0) {
    result.status = PipelineStatus::follower;
    return result;
  }
  // 3. The claims, estimated from those files.
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  const bool per_point = settings.per_point && base.sweep.points > 1;
  RunValues runs(c.output, base);
  const double confidence = 0.95;
  std::vector<output::ClaimResult> stored;
  for (const Claim& claim : base.claims) {
    ClaimOutcome outcome;
    output::ClaimResult& r = outcome.result;
    r.id = claim.id;
    r.statement = claim.statement;
    r.quantity = scenario::quantity_name(claim.quantity);
    r.outcome = claim.outcome;
    r.compare = scenario::comparison_text(claim.compare);
    r.value = claim.value;
    r.confidence = confidence;
    r.estimator = claim_estimator(claim, base.sweep.common_keys);
    r.units = claim_units(claim);
    outcome.formula = claim_formula(claim);
    const std::vector<analysis::ClaimEstimate> entries =
        entries_of(claim, base, file, runs, files, confidence, r.design, per_point);
    r.scope = r.design.empty() ? "design" : "points";
    std::vector<analysis::Verdict> verdicts;
    for (const analysis::ClaimEstimate& e : entries) {
      const analysis::Decision d =
          analysis::decide(e.estimate, e.low, e.high, claim.compare == scenario::Comparison::less, claim.value, e.n);
      r.estimate.push_back(e.estimate);
      r.low.push_back(e.low);
      r.high.push_back(e.high);
      r.n.push_back(e.n);
      r.n_needed.push_back(d.n_needed);
      r.verdict.push_back(static_cast<std::int8_t>(d.verdict));
      verdicts.push_back(d.verdict);
      ++outcome.counts[static_cast<std::size_t>(d.verdict)];
    }
    outcome.overall = analysis::overall_verdict(verdicts);
    stored.push_back(r);
    result.claims.push_back(std::move(outcome));
  }
  output::write_claims(c.output, stored);
  return result;
}

}  // namespace normsim::study
