#include "study/attribution_extras.hpp"

#include "analysis/attribution/design.hpp"
#include "analysis/attribution/janon.hpp"
#include "analysis/attribution/norm_share.hpp"
#include "analysis/attribution/shapley.hpp"
#include "analysis/attribution/sobol_indices.hpp"
#include "runner/execute.hpp"
#include "scenario/attribution.hpp"
#include "study/censoring.hpp"
#include "study/domains.hpp"
#include "study/errors.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <numeric>

namespace normsim::study::detail {

namespace {

using output::FactorKind;
using output::TableKind;

std::size_t outcome_index(std::string_view name) {
  return static_cast<std::size_t>(scenario::outcome_by_name(name).value());
}

/// Outcomes of every run of a small extra design, in run order.
std::vector<model::Outcomes> run_in_memory(const runner::RunSet& set, const ExtraContext& c) {
  if (c.runs != nullptr) *c.runs += set.size();
  struct Collect final : runner::RunSink {
    std::vector<model::Outcomes> outcomes;
    void write(const runner::RunRecord& r) override { outcomes[r.run_index] = r.outcomes; }
  } sink;
  sink.outcomes.resize(set.size());
  runner::ExecutionOptions options;
  options.threads = c.threads;
  options.record.series = false;
  runner::execute(set, sink, options);
  return std::move(sink.outcomes);
}

/// One outcome of runs, censored at the point's horizon.
std::vector<double> outcome_of(const std::vector<model::Outcomes>& runs, std::size_t id, double horizon) {
  std::vector<double> y(runs.size());
  for (std::size_t k = 0; k < y.size(); ++k) y[k] = censored(runs[k][id], horizon);
  return y;
}

}  // namespace

std::vector<std::size_t> screen(const ExtraContext& c, const std::vector<std::size_t>& tracked,
                                const std::vector<std::string>& outcomes, double threshold) {
  const runner::Point& point = *c.point;
  const GroupSet groups = roster_groups(*point.roster, {}, {});
  const runner::PickFreezeSet set(c.point, groups.groups, c.rows, c.master_seed, true);
  const std::vector<model::Outcomes> runs = run_in_memory(set, c);
  std::vector<bool> keep_lab(point.roster->lab_count(), false);
  const auto n = static_cast<std::size_t>(c.rows);
  for (const std::string& name : outcomes) {
    const std::vector<double> y = outcome_of(runs, outcome_index(name), static_cast<double>(point.params.world.steps));
    const double first = y.front();
    if (std::all_of(y.begin(), y.end(), [first](double v) { return v == first; })) continue;  // constant
    const std::span<const double> ys(y);
    analysis::PickFreezeOutputs out{ys.subspan(0, n), ys.subspan(n, n), {}};
    for (std::size_t g = 0; g < groups.groups.size(); ++g) out.y_ab.push_back(ys.subspan((2 + g) * n, n));
    const analysis::SobolIndices s = analysis::sobol_indices(out, c.tables->bootstrap());
    for (std::size_t l = 0; l < keep_lab.size(); ++l) {
      if (s.total[lab_researchers_group(l)].ci_high >= threshold) keep_lab[l] = true;
    }
  }
  std::vector<std::size_t> kept;
  std::size_t skipped = 0;
  std::string screened;
  for (std::size_t l = 0; l < keep_lab.size(); ++l) {
    if (!keep_lab[l]) screened += (screened.empty() ? "" : ", ") + std::to_string(l);
  }
  for (const std::size_t j : tracked) {
    if (keep_lab[static_cast<std::size_t>(point.roster->researchers[j].lab)]) {
      kept.push_back(j);
    } else {
      ++skipped;
    }
  }
  if (c.note) {
    c.note(fmt::format("screening ({} runs, {} intervals): labs whose researchers' total index is below {} for "
                       "every outcome: {}; {} researchers not tracked",
                       set.size(), c.tables->level(), threshold, screened.empty() ? "none" : screened, skipped));
  }
  return kept;
}

void add_knockouts(const ExtraContext& c, const std::vector<scenario::EntityRef>& targets,
                   const output::Hdf5Reader& file, std::vector<output::AttributionTable>& tables) {
  const runner::Point& point = *c.point;
  const auto n = static_cast<std::size_t>(c.rows);
  std::vector<std::vector<model::Outcomes>> without(targets.size());
  for (std::size_t t = 0; t < targets.size(); ++t) {
    model::ModelParams params = point.params;
    const scenario::EntityRef& ref = targets[t];
    using K = scenario::EntityRefKind;
    const model::KnockOut::Kind kind = ref.kind == K::lab            ? model::KnockOut::Kind::lab
                                       : ref.kind == K::individual   ? model::KnockOut::Kind::individual
                                                                     : model::KnockOut::Kind::researcher;
    params.knockouts.push_back({kind, ref.index});
    // Replicate i of the same point id has the keys of the design's A row i.
    const runner::ReplicateSet set(std::move(params), c.rows, c.master_seed, point.stream_id);
    without[t] = run_in_memory(set, c);
  }
  const double horizon = static_cast<double>(point.params.world.steps);
  const std::size_t count = tables.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (tables[i].table != TableKind::main) continue;
    const std::string outcome = tables[i].outcome;
    const std::size_t id = outcome_index(outcome);
    std::vector<double> with = file.read_float64("/outcomes/" + outcome);
    with.resize(n);  // the A matrix
    censor(with, horizon);
    output::AttributionTable table =
        c.tables->table(outcome, TableKind::knockout, c.rows, n * targets.size(), tables[i].variance);
    output::IndexColumn effect = c.tables->column("knockout", "", "Student t on the paired differences");
    for (std::size_t t = 0; t < targets.size(); ++t) {
      std::vector<double> y(n);
      for (std::size_t r = 0; r < n; ++r) y[r] = censored(without[t][r][id], horizon);
      const analysis::Estimate e = analysis::knockout_effect(with, y, c.tables->confidence());
      effect.estimator = e.estimator;
      table.labels.push_back(scenario::entity_text(targets[t]));
      table.kinds.push_back(FactorKind::knockout);
      append(effect, e);
    }
    table.indices.push_back(std::move(effect));
    tables.push_back(std::move(table));
  }
}

void add_janon(const ExtraContext& c, std::uint64_t rows, const std::vector<std::string>& outcomes,
               std::vector<output::AttributionTable>& tables) {
  const model::Roster& roster = *c.point->roster;
  std::vector<runner::EntityRef> entities;
  std::vector<std::string> labels;
  std::vector<FactorKind> kinds;
  for (std::size_t l = 0; l < roster.lab_count(); ++l) {
    entities.push_back({random::EntityKind::lab, l});
    labels.push_back(fmt::format("lab {} stream", l));
    kinds.push_back(FactorKind::lab);
  }
  for (const model::RosterEntry& e : roster.researchers) {
    entities.push_back({e.kind, e.entity_index});
    labels.push_back(researcher_label(e));
    kinds.push_back(FactorKind::researcher);
  }
  const runner::ReplicatedKeySet set(c.point, entities, rows, c.master_seed,
                                     domain_seed(c.master_seed, DesignDomain::janon_permutations));
  // Design-2 row j gives entity e the key of design-1 row π_e(j): design-1 row i's key sits in
  // design-2 row π_e⁻¹(i), which is what Permutation::forward names.
  std::vector<analysis::Permutation> permutations;
  for (std::size_t e = 0; e < entities.size(); ++e) {
    std::vector<std::uint32_t> forward(rows);
    for (std::uint64_t j = 0; j < rows; ++j) forward[set.permuted_row(e, j)] = static_cast<std::uint32_t>(j);
    permutations.push_back(analysis::Permutation::from_forward(std::move(forward)));
  }
  const std::vector<model::Outcomes> runs = run_in_memory(set, c);
  const auto n = static_cast<std::size_t>(rows);
  for (const std::string& name : outcomes) {
    const std::vector<double> y = outcome_of(runs, outcome_index(name), static_cast<double>(c.point->params.world.steps));
    const std::span<const double> ys(y);
    std::vector<analysis::Estimate> s;
    try {
      s = analysis::janon_first_order(ys.subspan(0, n), ys.subspan(n, n), permutations, c.tables->bootstrap());
    } catch (const std::domain_error&) {
      continue;  // no variance over the replicated design: no table (the caller reports it)
    }
    output::AttributionTable t = c.tables->table(name, TableKind::janon, rows, set.size(), 0.0);
    t.labels = labels;
    t.kinds = kinds;
    t.indices.push_back(c.tables->bootstrap_column("first_order", s, "pairs resampled jointly"));
    tables.push_back(std::move(t));
  }
}

void add_shapley(const ExtraContext& c, const runner::ParameterFactors& factors, const GroupSet& groups,
                 std::vector<output::AttributionTable>& tables) {
  // The parameter factors, then the custom groups when there are any, else every lab with its
  // researchers. `members` indexes the main table's factors (parameters first, then groups).
  const std::size_t f = factors.names.size();
  std::vector<std::size_t> members(f);
  std::iota(members.begin(), members.end(), std::size_t{0});
  const bool custom = std::find(groups.kinds.begin(), groups.kinds.end(), FactorKind::custom_group) != groups.kinds.end();
  const FactorKind wanted = custom ? FactorKind::custom_group : FactorKind::lab_and_researchers;
  std::vector<runner::KeyGroup> shapley_groups;
  for (std::size_t g = 0; g < groups.groups.size(); ++g) {
    if (groups.kinds[g] != wanted) continue;
    members.push_back(f + g);
    shapley_groups.push_back(groups.groups[g]);
  }
  const std::size_t d = members.size();
  if (d > 12) {
    throw InputError(fmt::format("Shapley effects over {} factors and groups: at most 12 (each row costs one run per "
                                 "factor); use fewer custom groups or parameter factors",
                                 d));
  }
  const analysis::ShapleyDesign design(c.rows, d, domain_seed(c.master_seed, DesignDomain::shapley_orders));
  // Goda's walk over the d factors and groups; MixSet takes the parameter factors' flags first.
  const runner::MixSet set(c.point, shapley_groups, c.rows, d + 1, c.master_seed,
                           [&design](std::uint64_t row, std::uint64_t column) {
                             return design.mix(row, static_cast<std::size_t>(column));
                           },
                           factors);
  const std::vector<model::Outcomes> outcomes = run_in_memory(set, c);
  const auto n = static_cast<std::size_t>(c.rows);
  const double horizon = static_cast<double>(c.point->params.world.steps);
  const std::size_t count = tables.size();
  for (std::size_t t = 0; t < count; ++t) {
    if (tables[t].table != TableKind::main) continue;
    const output::AttributionTable& main = tables[t];
    const std::size_t id = outcome_index(main.outcome);
    std::vector<double> y(n * (d + 1));
    for (std::size_t column = 0; column <= d; ++column) {
      for (std::size_t row = 0; row < n; ++row) y[row * (d + 1) + column] = censored(outcomes[column * n + row][id], horizon);
    }
    const std::vector<analysis::Estimate> sh = analysis::shapley_effects(design, y, c.tables->bootstrap());
    output::AttributionTable table = c.tables->table(main.outcome, TableKind::shapley, c.rows, set.size(), main.variance);
    output::IndexColumn shapley = c.tables->bootstrap_column("shapley", {}, "rows resampled jointly");
    shapley.estimator = sh.front().estimator;
    std::vector<output::IndexColumn> copied;
    for (std::size_t k = 0; k < 2; ++k) {
      copied.push_back({main.indices[k].name, main.indices[k].estimator, main.indices[k].ci, {}, {}, {}, {}});
    }
    for (std::size_t m = 0; m < d; ++m) {
      table.labels.push_back(main.labels[members[m]]);
      table.kinds.push_back(main.kinds[members[m]]);
      append(shapley, sh[m]);
      for (std::size_t k = 0; k < 2; ++k) {
        copied[k].estimate.push_back(main.indices[k].estimate[members[m]]);
        copied[k].low.push_back(main.indices[k].low[members[m]]);
        copied[k].high.push_back(main.indices[k].high[members[m]]);
        copied[k].se.push_back(main.indices[k].se[members[m]]);
      }
    }
    table.indices = {copied[0], copied[1], shapley};
    tables.push_back(std::move(table));
  }
}

}  // namespace normsim::study::detail
