#include "study/check.hpp"

#include "scenario/attribution.hpp"
#include "scenario/sweep.hpp"
#include "study/attribute.hpp"
#include "study/claim_evaluation.hpp"
#include "study/claim_text.hpp"
#include "study/claim_values.hpp"
#include "study/errors.hpp"
#include "study/locate.hpp"
#include "study/rounds.hpp"
#include "study/run.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace normsim::study {

namespace fs = std::filesystem;
using scenario::Claim;

std::filesystem::path attribution_file(const std::filesystem::path& output, std::optional<std::uint64_t> point,
                                       std::uint64_t look) {
  fs::path stem = output;
  stem.replace_extension();
  const std::string at = point ? fmt::format(".point-{}", *point) : std::string();
  const std::string again = look > 1 ? fmt::format(".look-{}", look) : std::string();
  return fs::path(stem.string() + at + again + ".attribution.h5");
}

namespace {

/// One attribution a check makes (for the whole design, or at one point) and its latest look.
struct AttributionEntry {
  std::optional<std::uint64_t> point;
  std::uint64_t look = 0;   ///< 0: not made yet
  std::uint64_t rows = 0;   ///< rows of the latest look
  std::uint64_t runs = 0;   ///< model runs made for it so far: its main designs' and extra designs'
  std::uint64_t main_runs = 0;   ///< of them, the main designs' (a later look copies the runs of the one before)
  std::uint64_t last_extra = 0;  ///< the extra designs' runs of the latest look (Shapley, knockouts, …)
  fs::path file;
  /// What the next look will make: its main design's new rows (as many runs as the main designs
  /// made so far) and its extra designs at twice the rows.
  [[nodiscard]] std::uint64_t next_cost() const { return main_runs + 2 * last_extra; }
  /// The most rows its looks may reach with `budget` more runs (rows doubling while the next look
  /// fits; each look costs twice the one before).
  [[nodiscard]] double max_rows(std::uint64_t budget) const {
    double reach = static_cast<double>(rows);
    double cost = static_cast<double>(next_cost());
    for (double left = static_cast<double>(budget); cost > 0 && cost <= left; left -= cost, cost *= 2) reach *= 2;
    return reach;
  }
};

/// What the attributions of a check share: the outcomes (the section's and the claims'), Shapley.
struct AttributionNeeds {
  std::vector<std::string> outcomes;
  bool shapley = false;
  bool any = false;
};

AttributionNeeds attribution_needs(const scenario::Scenario& base) {
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  AttributionNeeds needs;
  for (const model::OutcomeId id : settings.outcomes) needs.outcomes.emplace_back(scenario::outcome_name(id));
  needs.shapley = settings.shapley;
  for (const Claim& claim : base.claims) {
    if (!is_attribution_claim(claim)) continue;
    needs.any = true;
    if (std::find(needs.outcomes.begin(), needs.outcomes.end(), claim.outcome) == needs.outcomes.end()) {
      needs.outcomes.push_back(claim.outcome);
    }
    needs.shapley = needs.shapley || claim.index == scenario::IndexKind::shapley;
  }
  return needs;
}

/// Makes the next look of `entry` (rows doubled after the first). Returns false when the pipeline
/// stopped (interrupted, failed) and sets `status`.
bool next_attribution_look(const CheckConfig& c, const std::string& file, const AttributionNeeds& needs,
                           AttributionEntry& entry, const Processes& processes, PipelineStatus& status) {
  const scenario::Scenario& base = c.scenario;
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  AttributeConfig a;
  if (entry.point) {
    // The point as a scenario of its own: the base's overrides, the point's values, no sweep.
    const scenario::Scenario point = scenario::point_scenario(base, *entry.point);
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
  // A later look extends the previous one: its design's first rows are the previous look's runs
  // (runner::PickFreezeSet's designs are nested), copied rather than made again.
  const fs::path earlier = entry.look > 0 ? entry.file : fs::path();
  ++entry.look;
  entry.rows = entry.look == 1 ? settings.rows : 2 * entry.rows;
  entry.file = attribution_file(c.output, entry.point, entry.look);
  if (c.conduct.note && processes.rank() == 0) {
    c.conduct.note(fmt::format("check {}: attribution{}{} → {}", file,
                               entry.point ? fmt::format(" at point {}", *entry.point + 1) : std::string(),
                               entry.look > 1 ? fmt::format(", look {} ({} rows)", entry.look, entry.rows) : std::string(),
                               entry.file.string()));
  }
  a.scenario_file = file;
  a.command_line = c.command_line;
  a.output = entry.file;
  a.outcomes = needs.outcomes;
  a.rows = entry.rows;
  a.shapley = needs.shapley;
  a.resume = c.resume;
  a.overwrite = c.overwrite;
  a.extend = earlier;
  a.conduct = c.conduct;
  a.conduct.quiet = true;
  a.conduct.note = nullptr;
  if (c.resume && fs::exists(entry.file)) {
    // Made before the interruption: its runs less those it copied from the earlier look, and its
    // extra designs' runs (recorded in the file).
    const auto runs_in = [](const output::Hdf5Reader& made) {
      return made.shape("/point").at(0) * made.shape("/replicate").at(0);
    };
    const output::Hdf5Reader look(entry.file);
    const std::uint64_t made = runs_in(look) - (earlier.empty() ? 0 : runs_in(output::Hdf5Reader(earlier)));
    const std::optional<std::uint64_t> extra = recorded_extra_runs(look);
    if (!extra) {
      throw InputError(fmt::format("{}: made by a normsim whose attribution designs were not nested (before 2026-12-03), "
                                   "which later looks cannot extend: make the check again without --resume",
                                   entry.file.string()));
    }
    entry.last_extra = *extra;
    entry.main_runs += made;
    entry.runs += made + entry.last_extra;
    return true;
  }
  const AttributionResult done = attribute(a, processes);
  entry.main_runs += done.runs - done.copied;
  entry.last_extra = done.extra_runs;
  entry.runs += done.runs - done.copied + done.extra_runs;
  if (done.status != PipelineStatus::written && done.status != PipelineStatus::follower) {
    status = done.status;
    return false;
  }
  return true;
}

/// What the next round runs: extensions of points (grouped by their current replicates) and
/// attribution entries to look at again. Encoded for the other ranks.
struct RoundPlan {
  std::vector<Extension> extensions;
  std::vector<std::uint64_t> attributions;  ///< indices of attribution entries
  [[nodiscard]] bool empty() const { return extensions.empty() && attributions.empty(); }
  [[nodiscard]] std::vector<std::uint64_t> encode() const {
    std::vector<std::uint64_t> v{extensions.size()};
    for (const Extension& e : extensions) {
      v.insert(v.end(), {e.first, e.width, e.points.size()});
      v.insert(v.end(), e.points.begin(), e.points.end());
    }
    v.push_back(attributions.size());
    v.insert(v.end(), attributions.begin(), attributions.end());
    return v;
  }
  static RoundPlan decode(const std::vector<std::uint64_t>& v) {
    RoundPlan plan;
    std::size_t i = 0;
    const std::uint64_t groups = v.at(i++);
    for (std::uint64_t g = 0; g < groups; ++g) {
      Extension e;
      e.first = v.at(i++);
      e.width = v.at(i++);
      const std::uint64_t count = v.at(i++);
      for (std::uint64_t k = 0; k < count; ++k) e.points.push_back(v.at(i++));
      plan.extensions.push_back(std::move(e));
    }
    const std::uint64_t attributions = v.at(i++);
    for (std::uint64_t k = 0; k < attributions; ++k) plan.attributions.push_back(v.at(i++));
    return plan;
  }
};

/// The next round from the evaluations: each undecided entry that more runs may decide asks for
/// its points to double their replicates (a resampled statistic: a new look); the most promising
/// first (smallest n_needed), while the runs fit in `runs_left`.
RoundPlan plan_round(const std::vector<ClaimEvaluation>& evaluations, const RunValues& values,
                     const std::vector<AttributionEntry>& attribution, std::uint64_t runs_left) {
  std::map<std::uint64_t, double> points;  // point → smallest n_needed of the entries needing it
  std::map<std::uint64_t, double> looks;   // attribution entry → smallest n_needed
  for (const ClaimEvaluation& ev : evaluations) {
    for (std::size_t i = 0; i < ev.entries.size(); ++i) {
      const EntryOutcome& e = ev.entries[i];
      // More runs may decide an entry whose estimate is off the value, or (after those: their
      // n_needed is larger) one that sits within a standard error of it; not one beyond the budget.
      const bool worth = e.prospect == analysis::Prospect::more_runs ||
                         (e.prospect == analysis::Prospect::on_value && std::isfinite(e.n_needed));
      if (!worth) continue;
      if (ev.attribution) {
        auto [it, added] = looks.emplace(i, e.n_needed);
        if (!added) it->second = std::min(it->second, e.n_needed);
        continue;
      }
      for (const std::uint64_t p : e.points) {
        auto [it, added] = points.emplace(p, e.n_needed);
        if (!added) it->second = std::min(it->second, e.n_needed);
      }
    }
  }
  // Candidates in order of promise: (n_needed, kind 0 = point / 1 = attribution, index).
  std::vector<std::tuple<double, int, std::uint64_t>> order;
  for (const auto& [p, n] : points) order.emplace_back(n, 0, p);
  for (const auto& [a, n] : looks) order.emplace_back(n, 1, a);
  std::sort(order.begin(), order.end());
  RoundPlan plan;
  std::map<std::uint64_t, std::vector<std::uint64_t>> by_replicates;  // current n → points
  for (const auto& [n_needed, kind, index] : order) {
    // A point's next round doubles its replicates; an attribution's next look doubles its rows and
    // copies the main design's runs of the look before (AttributionEntry::next_cost).
    const std::uint64_t cost = kind == 0 ? values.replicates(index) : attribution[index].next_cost();
    if (cost > runs_left) continue;
    runs_left -= cost;
    if (kind == 0) {
      by_replicates[values.replicates(index)].push_back(index);
    } else {
      plan.attributions.push_back(index);
    }
  }
  for (auto& [n, group] : by_replicates) {
    std::sort(group.begin(), group.end());
    plan.extensions.push_back({group, n, n});
  }
  std::sort(plan.attributions.begin(), plan.attributions.end());
  return plan;
}

}  // namespace

CheckResult check(const CheckConfig& c, const Processes& processes) {
  const scenario::Scenario& base = c.scenario;
  const std::string file = c.scenario_file.empty() ? base.source : c.scenario_file;
  if (base.claims.empty()) {
    throw InputError(fmt::format("{} has no [[claims]]; see REFERENCE.md, \"Claims\", for how to state one", file));
  }
  if (c.resume && c.overwrite) throw InputError("--resume and --overwrite contradict each other; choose one");
  if (!c.sequential.until_decided && (c.sequential.max_runs > 0 || c.sequential.max_seconds > 0)) {
    throw InputError("--max-runs and --max-time limit a sequential check: add --until-decided (or drop them)");
  }
  for (const Claim& claim : base.claims) {  // before anything runs
    if (compares_levels(claim)) (void)compared_levels(base, claim, file);
    if (!claim.locate.empty()) (void)located_factor(claim, base, file);
  }
  const auto start = std::chrono::steady_clock::now();
  const bool leader = processes.rank() == 0;
  CheckResult result;
  // 1. The scenario's runs (every claim's coordinates come from its file).
  if (!(c.resume && fs::exists(c.output))) {
    if (c.conduct.note && leader) c.conduct.note(fmt::format("check {}: the scenario's runs", file));
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
  std::uint64_t runs_used = base.sweep.runs(base.run.replicates);
  // 2. The attributions the claims need, at their first look.
  const AttributionNeeds needs = attribution_needs(base);
  std::vector<AttributionEntry> attribution;
  if (needs.any) {
    const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
    const bool per_point = settings.per_point && base.sweep.points > 1;
    for (std::uint64_t p = 0; p < (per_point ? base.sweep.points : 1); ++p) {
      AttributionEntry entry;
      if (per_point) entry.point = p;
      attribution.push_back(std::move(entry));
    }
  }
  result.status = PipelineStatus::written;
  for (AttributionEntry& entry : attribution) {
    if (!next_attribution_look(c, file, needs, entry, processes, result.status)) return result;
    runs_used += entry.runs;
  }
  // 3. Rounds: evaluate every claim; in a sequential check, give more runs to the entries that
  // more runs would likely decide, until every claim is decided or the budget is spent.
  const std::uint64_t budget = c.sequential.max_runs > 0 ? c.sequential.max_runs : base.sweep.max_runs;
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  std::vector<fs::path> rounds;
  std::vector<ClaimEvaluation> evaluations;
  for (std::uint64_t round = 0;; ++round) {
    RoundPlan plan;
    if (leader) {
      RunValues values(c.output, base, rounds);
      EvaluationContext x;
      x.base = &base;
      x.file = file;
      x.runs = &values;
      const std::uint64_t runs_left = budget > runs_used ? budget - runs_used : 0;
      for (const AttributionEntry& e : attribution) {
        x.attribution_files.push_back(e.file);
        x.attribution_looks.push_back(e.look);
        x.attribution_runs.push_back(e.runs);
        if (c.sequential.until_decided) x.attribution_max_rows.push_back(e.max_rows(runs_left));
      }
      x.sequential = c.sequential.until_decided;
      x.look = round + 1;
      x.max_n = x.sequential ? base.run.replicates * (std::uint64_t{1} << std::min<std::uint64_t>(round, 40)) + runs_left
                             : std::numeric_limits<std::uint64_t>::max() / 2;
      x.bootstrap = settings.bootstrap;
      x.bootstrap_seed = settings.seed;
      evaluations.clear();
      for (const Claim& claim : base.claims) evaluations.push_back(evaluate_claim(claim, x));
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const bool out_of_time = c.sequential.max_seconds > 0 && elapsed >= c.sequential.max_seconds;
      if (c.sequential.until_decided && !out_of_time && round < 40) plan = plan_round(evaluations, values, attribution, runs_left);
      if (c.sequential.until_decided && c.conduct.note) {
        std::size_t open = 0;
        for (const ClaimEvaluation& ev : evaluations) {
          for (const EntryOutcome& e : ev.entries) open += e.verdict == analysis::Verdict::inconclusive ? 1 : 0;
        }
        std::uint64_t more = 0;
        for (const Extension& e : plan.extensions) more += e.points.size() * e.width;
        c.conduct.note(fmt::format("check {}: round {}: {} runs so far, {} entries undecided{}", file, round + 1,
                                   runs_used, open,
                                   plan.empty() ? (out_of_time ? "; time is up" : "; stopping")
                                                : fmt::format("; next: {} runs at {} points, {} attribution looks", more,
                                                              [&] {
                                                                std::size_t n = 0;
                                                                for (const Extension& e : plan.extensions) n += e.points.size();
                                                                return n;
                                                              }(),
                                                              plan.attributions.size())));
      }
    }
    std::vector<std::uint64_t> encoded = plan.encode();
    processes.broadcast(encoded);
    plan = RoundPlan::decode(encoded);
    if (plan.empty()) break;
    for (std::size_t g = 0; g < plan.extensions.size(); ++g) {
      fs::path stem = c.output;
      stem.replace_extension();
      const fs::path round_file = fmt::format("{}.round-{}{}.h5", stem.string(), round + 1,
                                              plan.extensions.size() > 1 ? fmt::format("-{}", g + 1) : std::string());
      const PipelineResult done = run_extension(base, plan.extensions[g], round_file, c.command_line, file, c.resume,
                                                c.overwrite, c.conduct, processes);
      if (done.status != PipelineStatus::written && done.status != PipelineStatus::follower) {
        result.status = done.status;
        return result;
      }
      rounds.push_back(round_file);
      runs_used += plan.extensions[g].points.size() * plan.extensions[g].width;
    }
    for (const std::uint64_t a : plan.attributions) {
      const std::uint64_t before = attribution[a].runs;
      if (!next_attribution_look(c, file, needs, attribution[a], processes, result.status)) return result;
      runs_used += attribution[a].runs - before;
    }
  }
  if (!leader) {
    result.status = PipelineStatus::follower;
    return result;
  }
  std::vector<output::ClaimResult> stored;
  const std::size_t located_claims = static_cast<std::size_t>(
      std::count_if(base.claims.begin(), base.claims.end(), [](const Claim& claim) { return !claim.locate.empty(); }));
  for (ClaimEvaluation& ev : evaluations) {
    ClaimOutcome outcome;
    outcome.result = std::move(ev.result);
    const Claim& claim = base.claims[result.claims.size()];
    outcome.formula = claim_formula(claim);
    // 4. Where the claim's quantity crosses its value along `locate` (in memory, on this process).
    if (!claim.locate.empty()) {
      // In a sequential check the searches share what the budget left; otherwise their own caps.
      const std::uint64_t left =
          !c.sequential.until_decided ? std::numeric_limits<std::uint64_t>::max()
          : budget > runs_used        ? (budget - runs_used) / std::max<std::size_t>(1, located_claims)
                                      : 0;
      LocatedClaim located = locate_claim(claim, base, file, c.conduct, left);
      for (const std::uint64_t r : located.boundary.runs) result.runs += r;
      outcome.result.boundary = std::move(located.boundary);
    }
    std::vector<analysis::Verdict> verdicts;
    for (const std::int8_t v : outcome.result.verdict) {
      verdicts.push_back(static_cast<analysis::Verdict>(v));
      ++outcome.counts[static_cast<std::size_t>(v)];
    }
    outcome.overall = analysis::overall_verdict(verdicts);
    stored.push_back(outcome.result);
    result.claims.push_back(std::move(outcome));
  }
  result.runs += runs_used;
  result.rounds = rounds;
  output::write_claims(c.output, stored,
                       {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), result.runs});
  return result;
}

}  // namespace normsim::study
