#include "cli/attribute_command.hpp"

#include "analysis/attribution/design.hpp"
#include "analysis/attribution/janon.hpp"
#include "analysis/attribution/norm_share.hpp"
#include "analysis/attribution/shapley.hpp"
#include "analysis/attribution/sobol_indices.hpp"
#include "cli/censoring.hpp"
#include "cli/exit_codes.hpp"
#include "cli/journaled.hpp"
#include "cli/progress.hpp"
#include "cli/sweep_setup.hpp"
#include "cli/usage_error.hpp"
#include "model/outcomes.hpp"
#include "output/attribution_table.hpp"
#include "output/error.hpp"
#include "output/finalize.hpp"
#include "output/hdf5_reader.hpp"
#include "output/journal.hpp"
#include "runner/attribution_sets.hpp"
#include "runner/execute.hpp"
#include "scenario/attribution.hpp"
#include "scenario/sweep.hpp"
#include "random/streams.hpp"

// See run_command.cpp: a GCC 12 false positive in Boost.Program_options' vector options.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

/// Index of an outcome in model::Outcomes. Precondition: `name` is an outcome (checked on input).
std::size_t outcome_index(std::string_view name) {
  return static_cast<std::size_t>(scenario::outcome_by_name(name).value());
}

struct AttributeOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  std::string outcomes = "capability,xrisk";
  std::uint64_t rows = 256;
  std::uint64_t bootstrap = 500;
  double target_width = 0.05;
  int threads = 0;
  bool no_researchers = false;
  std::uint64_t janon_rows = 0;
  bool radial = false;             ///< no matrix B: total indices only, N · (groups + 1) runs
  std::string shard;               ///< "I/N": run only shard I of N into a shard journal
  std::uint64_t from_shards = 0;   ///< N: no runs; the file from the N shard journals
  bool shapley = false;
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
  bool help = false;
};

po::options_description visible(AttributeOptions& o) {
  po::options_description d("Options");
  d.add_options()
      ("output,o", po::value(&o.output)->value_name("FILE"), "HDF5 file (default: <scenario stem>.attribution.h5)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(), "override a scenario key (repeatable)")
      ("rows,N", po::value(&o.rows)->value_name("N"), "design rows N (default 256); runs = N × (groups + 2)")
      ("outcomes", po::value(&o.outcomes)->value_name("LIST"), "outcomes to attribute, comma-separated (default capability,xrisk)")
      ("no-researchers", po::bool_switch(&o.no_researchers), "groups only (labs, all researchers, each lab's researchers)")
      ("radial", po::bool_switch(&o.radial),
       "radial design: no matrix B, total indices only (Jansen, V from A), N × (groups + 1) runs")
      ("janon", po::value(&o.janon_rows)->value_name("N"),
       "also every lab's and researcher's first-order index at once from a replicated design of 2N runs "
       "(Janon's estimator; entity keys permuted between the two halves)")
      ("shapley", po::bool_switch(&o.shapley), "also Shapley effects of the labs (each lab's stream and researchers together; N × (L + 1) more runs)")
      ("bootstrap", po::value(&o.bootstrap)->value_name("B"), "bootstrap resamples for the intervals (default 500)")
      ("target-width", po::value(&o.target_width)->value_name("W"), "CI width to aim for in the convergence report (default 0.05)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads (default: all cores)")
      ("resume", po::bool_switch(&o.resume), "continue an interrupted attribution from its journal")
      ("shard", po::value(&o.shard)->value_name("I/N"),
       "run only shard I of N of the design's runs into FILE.shard-I-of-N.journal (one job of an array)")
      ("from-shards", po::value(&o.from_shards)->value_name("N"),
       "run nothing: write FILE from the N shard journals (all complete) and estimate")
      ("overwrite", po::bool_switch(&o.overwrite), "replace FILE (and discard an old journal)")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no table")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// The groups: all labs, all researchers, per lab its own stream and its researchers, then every
/// researcher alone (unless --no-researchers). `kinds` says which is which.
/// Entities of one reference of a custom group (scenario/attribution.hpp syntax).
std::vector<runner::EntityRef> members_of(const model::Roster& roster, const scenario::EntityRef& ref) {
  std::vector<runner::EntityRef> out;
  using K = scenario::EntityRefKind;
  switch (ref.kind) {
    case K::lab:
      out.push_back({random::EntityKind::lab, ref.index});
      break;
    case K::labs:
      for (std::size_t l = 0; l < roster.lab_count(); ++l) out.push_back({random::EntityKind::lab, l});
      break;
    case K::researcher:
      out.push_back({random::EntityKind::researcher, ref.index});
      break;
    case K::individual:
      out.push_back({random::EntityKind::individual, ref.index});
      break;
    case K::lab_researchers:
    case K::researchers:
      for (std::size_t j = 0; j < roster.researchers.size(); ++j) {
        const model::RosterEntry& e = roster.researchers[j];
        if (ref.kind == K::researchers || static_cast<std::uint64_t>(e.lab) == ref.index) {
          out.push_back({e.kind, e.entity_index});
        }
      }
      break;
  }
  return out;
}

/// Roster positions of the researchers that get their own index. top_talent:K ranks by the talent
/// each researcher has in design row 0 (its key there, or its pinned talent); sample:K draws K
/// without replacement from Philox keyed by attribution.seed.
std::vector<std::size_t> tracked_researchers(const runner::Point& point, const scenario::ResearcherSelection& sel,
                                             std::uint64_t master_seed, std::uint64_t seed) {
  const std::size_t m = point.roster->researchers.size();
  std::vector<std::size_t> all(m);
  std::iota(all.begin(), all.end(), std::size_t{0});
  using K = scenario::ResearcherSelectionKind;
  if (sel.kind == K::all) return all;
  if (sel.kind == K::none) return {};
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(sel.count), m);
  if (sel.kind == K::top_talent) {
    runner::RunPlan row0;
    row0.stream_point = point.stream_id;
    const model::Model model(point.params, point.roster, runner::derive_keys(*point.roster, master_seed, row0));
    std::stable_sort(all.begin(), all.end(), [&](std::size_t a, std::size_t b) { return model.talent(a) > model.talent(b); });
  } else {
    for (std::size_t i = 0; i + 1 < m; ++i) {  // Fisher–Yates, first k positions
      const std::size_t j = i + static_cast<std::size_t>(random::philox64({i, 0, 0, 0}, {seed, 0x73616d706c65ULL})[0] % (m - i));
      std::swap(all[i], all[j]);
    }
  }
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

void make_groups(const model::Roster& roster, const std::vector<std::size_t>& researchers,
                 const std::vector<scenario::AttributionGroup>& custom, std::vector<runner::KeyGroup>& groups,
                 std::vector<std::string>& kinds) {
  runner::KeyGroup labs{"all labs", {}};
  runner::KeyGroup everyone{"all researchers", {}};
  for (std::size_t l = 0; l < roster.lab_count(); ++l) labs.entities.push_back({random::EntityKind::lab, l});
  for (const model::RosterEntry& e : roster.researchers) everyone.entities.push_back({e.kind, e.entity_index});
  groups.push_back(labs);
  kinds.emplace_back("group");
  groups.push_back(everyone);
  kinds.emplace_back("group");
  for (std::size_t l = 0; l < roster.lab_count(); ++l) {
    groups.push_back({fmt::format("lab {} stream", l), {{random::EntityKind::lab, l}}});
    kinds.emplace_back("lab");
    runner::KeyGroup members{fmt::format("lab {} researchers", l), {}};
    for (std::size_t j = roster.lab_begin[l]; j < roster.lab_begin[l + 1]; ++j) {
      members.entities.push_back({roster.researchers[j].kind, roster.researchers[j].entity_index});
    }
    groups.push_back(members);
    kinds.emplace_back("group");
    runner::KeyGroup whole{fmt::format("lab {}", l), {{random::EntityKind::lab, l}}};
    whole.entities.insert(whole.entities.end(), members.entities.begin(), members.entities.end());
    groups.push_back(whole);
    kinds.emplace_back("lab and its researchers");
  }
  for (const scenario::AttributionGroup& g : custom) {
    runner::KeyGroup group{g.name, {}};
    for (const scenario::EntityRef& ref : g.members) {
      const std::vector<runner::EntityRef> m = members_of(roster, ref);
      group.entities.insert(group.entities.end(), m.begin(), m.end());
    }
    groups.push_back(std::move(group));
    kinds.emplace_back("custom group");
  }
  for (const std::size_t j : researchers) {
    const model::RosterEntry& e = roster.researchers[j];
    const bool pinned = e.kind == random::EntityKind::individual;
    groups.push_back({fmt::format("{} {} (lab {}, {})", pinned ? "individual" : "researcher", e.entity_index, e.lab,
                                  e.focus == model::Focus::capabilities ? "capabilities" : "interpretability"),
                      {{e.kind, e.entity_index}}});
    kinds.emplace_back("researcher");
  }
}

/// The sweep's factors as factors of the Saltelli design (attribution.per_point = false): each
/// sampled uniformly (levels uniformly, from … to on its scale) at the coordinates of a scrambled
/// Sobol design, A from its first and B from its last F columns. Keys never depend on the
/// parameters (one stream id for the whole design), so AB:<factor> differs from A in that factor only.
struct ParameterDesign {
  runner::ParameterFactors factors;                  ///< empty without a sweep
  std::vector<std::string> kinds;                    ///< "norm" or "parameter", one per factor
  std::shared_ptr<const runner::Point> base_point;   ///< the scenario, or the centre of the factors' ranges
  bool varies_roster = false;                        ///< a factor is labs.sizes: entity j differs between rows
  std::uint64_t max_labs = 0;                        ///< with varies_roster: the most labs of any level
  std::uint64_t max_researchers = 0;                 ///< … and the most regular researchers
};

ParameterDesign parameter_design(const scenario::Scenario& base, const scenario::AttributionSettings& settings,
                                 std::uint64_t rows, const std::string& file) {
  ParameterDesign d;
  const std::vector<scenario::Factor>& factors = base.sweep.factors;
  if (factors.empty()) {
    d.base_point = make_run_set(base)->point(0);
    return d;
  }
  if (settings.per_point) {
    throw UsageError(fmt::format("{}: attribution.per_point = true attributes every point of the sweep: run normsim "
                                 "check, or attribute one point with --set sweep.design='\"single\"' --set "
                                 "sweep.factor=[] and its values",
                                 file));
  }
  if (rows < 2 || (rows & (rows - 1)) != 0) {
    throw UsageError(fmt::format("{}: with the sweep's factors in the design, attribution.rows must be a power of 2 "
                                 "(rows of a Sobol design), got {}",
                                 file, rows));
  }
  const std::size_t count = factors.size();
  const auto design = std::make_shared<const analysis::SaltelliDesign>(count, rows, settings.seed ^ 0x706172616d73ULL);
  const std::vector<double> centre(count, 0.5);
  scenario::Scenario middle = scenario::scenario_at(base, centre, "the centre of the factors' ranges");
  const std::uint64_t id = scenario::point_stream_id(middle);
  d.base_point = runner::make_point(std::move(middle.model), id);
  for (std::size_t f = 0; f < count; ++f) {
    d.factors.names.push_back(factors[f].key);
    d.kinds.emplace_back(factors[f].key.rfind("norm", 0) == 0 ? "norm" : "parameter");
    if (factors[f].key != "labs.sizes") continue;
    d.varies_roster = true;
    for (std::size_t l = 0; l < factors[f].levels.size(); ++l) {
      std::vector<double> u = centre;
      u[f] = (static_cast<double>(l) + 0.5) / static_cast<double>(factors[f].levels.size());
      const scenario::Scenario s = scenario::scenario_at(base, u, fmt::format("labs.sizes level {}", l));
      d.max_labs = std::max<std::uint64_t>(d.max_labs, s.model.labs.sizes.size());
      std::uint64_t n = 0;
      for (const std::int64_t size : s.model.labs.sizes) n += static_cast<std::uint64_t>(size);
      d.max_researchers = std::max(d.max_researchers, n);
    }
  }
  d.factors.make = [base, design, id, count](std::uint64_t row, const std::vector<bool>& from_b) {
    std::vector<double> a(count);
    std::vector<double> b(count);
    design->row(row, analysis::SaltelliDesign::Matrix::a, a);
    design->row(row, analysis::SaltelliDesign::Matrix::b, b);
    for (std::size_t f = 0; f < count; ++f) a[f] = from_b[f] ? b[f] : a[f];
    scenario::Scenario s = scenario::scenario_at(base, a, fmt::format("attribution row {}", row));
    return runner::make_point(std::move(s.model), id);
  };
  return d;
}

/// Groups when labs.sizes is a factor: only whole kinds mean the same entities in every row — all
/// labs, all researchers (up to the most of any level), and custom groups of those.
void whole_kind_groups(const ParameterDesign& p, std::uint64_t individuals,
                       const std::vector<scenario::AttributionGroup>& custom, std::vector<runner::KeyGroup>& groups,
                       std::vector<std::string>& kinds) {
  runner::KeyGroup labs{"all labs", {}};
  runner::KeyGroup everyone{"all researchers", {}};
  for (std::uint64_t l = 0; l < p.max_labs; ++l) labs.entities.push_back({random::EntityKind::lab, l});
  for (std::uint64_t j = 0; j < p.max_researchers; ++j) everyone.entities.push_back({random::EntityKind::researcher, j});
  for (std::uint64_t k = 0; k < individuals; ++k) everyone.entities.push_back({random::EntityKind::individual, k});
  groups.push_back(labs);
  kinds.emplace_back("group");
  groups.push_back(everyone);
  kinds.emplace_back("group");
  for (const scenario::AttributionGroup& g : custom) {
    runner::KeyGroup group{g.name, {}};
    for (const scenario::EntityRef& ref : g.members) {
      const runner::KeyGroup& whole = ref.kind == scenario::EntityRefKind::labs ? labs : everyone;
      group.entities.insert(group.entities.end(), whole.entities.begin(), whole.entities.end());
    }
    groups.push_back(std::move(group));
    kinds.emplace_back("custom group");
  }
}

void print_table(const output::AttributionTable& t, double target_width) {
  // A radial design has total indices only: its first-order column prints as NaN.
  const output::IndexColumn& st = t.indices.back();
  output::IndexColumn missing;
  missing.estimate = missing.low = missing.high = std::vector<double>(t.labels.size(), std::nan(""));
  const output::IndexColumn& s = t.indices.size() > 1 ? t.indices[0] : missing;
  fmt::print("\n{}: variance {:.4g} over {} rows ({} runs)\n", t.outcome, t.variance, t.rows, t.runs);
  fmt::print("  {:<44} {:>24} {:>24}\n", "group", "first-order S [95% CI]", "total ST [95% CI]");
  std::vector<std::size_t> groups;
  std::vector<std::size_t> researchers;
  for (std::size_t g = 0; g < t.labels.size(); ++g) (t.kinds[g] == "researcher" ? researchers : groups).push_back(g);
  const auto by_total = [&](std::size_t a, std::size_t b) { return st.estimate[a] > st.estimate[b]; };
  std::stable_sort(groups.begin(), groups.end(), by_total);
  std::stable_sort(researchers.begin(), researchers.end(), by_total);
  const auto row = [&](std::size_t g) {
    fmt::print("  {:<44} {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}]\n", t.labels[g], s.estimate[g],
               s.low[g], s.high[g], st.estimate[g], st.low[g], st.high[g]);
  };
  for (const std::size_t g : groups) row(g);
  double widest = 0;
  for (std::size_t g = 0; g < t.labels.size(); ++g) widest = std::max(widest, st.high[g] - st.low[g]);
  if (!researchers.empty()) {
    fmt::print("  top researchers by total index (of {}):\n", researchers.size());
    for (std::size_t i = 0; i < researchers.size() && i < 10; ++i) row(researchers[i]);
    double sum_s = 0;
    double sum_st = 0;
    std::vector<double> totals;
    for (const std::size_t g : researchers) {
      sum_s += s.estimate[g];
      sum_st += st.estimate[g];
      totals.push_back(st.estimate[g]);
    }
    std::sort(totals.begin(), totals.end());
    const auto at = [&](double q) { return totals[static_cast<std::size_t>(q * static_cast<double>(totals.size() - 1))]; };
    fmt::print("  researchers: sum of S {:.4f}, sum of ST {:.4f}; ST median {:.5f}, 90th percentile {:.5f}, max {:.5f}\n",
               sum_s, sum_st, at(0.5), at(0.9), totals.back());
  }
  const double suggested = static_cast<double>(t.rows) * std::pow(widest / target_width, 2.0);
  fmt::print("  convergence: widest total-index CI {:.4f}; for a width of {:.3f}, N ≈ {:.0f}\n", widest, target_width,
             std::max(suggested, 2.0));
}

/// Outcomes of every run of a small extra design (screening, knockouts, Shapley), in run order.
/// In memory: these designs are small next to the journalled main design.
std::vector<model::Outcomes> run_in_memory(const runner::RunSet& set, int threads) {
  struct Collect final : runner::RunSink {
    std::vector<model::Outcomes> outcomes;
    void write(const runner::RunRecord& r) override { outcomes[r.run_index] = r.outcomes; }
  } sink;
  sink.outcomes.resize(set.size());
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = false;
  runner::execute(set, sink, options);
  return std::move(sink.outcomes);
}

/// Screening: the groups-only design (in memory), then the researchers of every lab whose
/// researchers' total index is confidently below the threshold for every outcome (upper end of
/// the interval below it) are not tracked. Deterministic, so a resumed run screens the same way.
std::vector<std::size_t> screen(const runner::Point& point, const std::vector<std::size_t>& tracked,
                                const std::vector<std::string>& outcomes,
                                const scenario::AttributionSettings& settings_file, const AttributeOptions& o,
                                std::uint64_t seed, int threads) {
  std::vector<runner::KeyGroup> groups;
  std::vector<std::string> kinds;
  make_groups(*point.roster, {}, {}, groups, kinds);
  const runner::PickFreezeSet set(std::make_shared<const runner::Point>(point), groups, o.rows, seed, true);
  const std::vector<model::Outcomes> runs = run_in_memory(set, threads);
  analysis::BootstrapSettings settings;
  settings.resamples = static_cast<std::size_t>(o.bootstrap);
  settings.seed ^= settings_file.seed;
  std::vector<bool> keep_lab(point.roster->lab_count(), false);
  const auto n = static_cast<std::size_t>(o.rows);
  for (const std::string& name : outcomes) {
    const std::size_t id = outcome_index(name);
    std::vector<double> y(set.size());
    for (std::size_t k = 0; k < y.size(); ++k) {
      const double v = runs[k][id];
      y[k] = censored(v, static_cast<double>(point.params.world.steps));
    }
    const double first = y.front();
    if (std::all_of(y.begin(), y.end(), [first](double v) { return v == first; })) continue;  // constant
    const std::span<const double> ys(y);
    analysis::PickFreezeOutputs out{ys.subspan(0, n), ys.subspan(n, n), {}};
    for (std::size_t g = 0; g < groups.size(); ++g) out.y_ab.push_back(ys.subspan((2 + g) * n, n));
    const analysis::SobolIndices s = analysis::sobol_indices(out, settings);
    for (std::size_t l = 0; l < keep_lab.size(); ++l) {
      const std::string name_of_group = fmt::format("lab {} researchers", l);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].name == name_of_group && s.total[g].ci_high >= settings_file.screen_threshold) keep_lab[l] = true;
      }
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
  if (!o.quiet) {
    fmt::print(stderr,
               "normsim: screening ({} runs): labs whose researchers' total index is below {} for every outcome: {}; "
               "{} researchers not tracked\n",
               set.size(), settings_file.screen_threshold, screened.empty() ? "none" : screened, skipped);
  }
  return kept;
}

/// Knockouts: for each target, the design's A rows run again with the target producing nothing
/// (model::KnockOut: same keys for everyone), and the paired mean effect on each outcome with a
/// t interval. Tables "<outcome>.knockout", one factor per target.
void add_knockouts(const runner::Point& point, const std::vector<scenario::EntityRef>& targets,
                   const AttributeOptions& o, std::uint64_t seed, int threads, const output::Hdf5Reader& file,
                   double confidence, std::vector<output::AttributionTable>& tables) {
  const auto n = static_cast<std::size_t>(o.rows);
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
    const runner::ReplicateSet set(std::move(params), o.rows, seed, point.stream_id);
    without[t] = run_in_memory(set, threads);
  }
  const std::size_t count = tables.size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string outcome = tables[i].outcome;
    if (outcome.find('.') != std::string::npos) continue;  // a Shapley or knockout table
    const std::size_t id = outcome_index(outcome);
    const double horizon = static_cast<double>(point.params.world.steps);
    std::vector<double> with = file.read_float64("/outcomes/" + outcome);
    with.resize(n);  // the A matrix
    censor(with, horizon);
    output::AttributionTable table;
    table.outcome = outcome + ".knockout";
    table.rows = o.rows;
    table.runs = n * targets.size();
    table.variance = tables[i].variance;
    table.confidence = confidence;
    output::IndexColumn effect{"knockout", "", "Student t on the paired differences", {}, {}, {}};
    if (!o.quiet) fmt::print("\n{}: knockouts, mean change without the entity, paired on {} rows\n", outcome, n);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      std::vector<double> y(n);
      for (std::size_t r = 0; r < n; ++r) {
        const double v = without[t][r][id];
        y[r] = censored(v, horizon);
      }
      const analysis::Estimate e = analysis::knockout_effect(with, y, confidence);
      effect.estimator = e.estimator;
      table.labels.push_back(scenario::entity_text(targets[t]));
      table.kinds.emplace_back("knockout");
      effect.estimate.push_back(e.value);
      effect.low.push_back(e.ci_low);
      effect.high.push_back(e.ci_high);
      if (!o.quiet) {
        fmt::print("  {:<24} {:>+12.5g} [{:+.5g}, {:+.5g}]\n", table.labels.back(), e.value, e.ci_low, e.ci_high);
      }
    }
    table.indices.push_back(std::move(effect));
    tables.push_back(std::move(table));
  }
}

/// All first-order indices of single entities (every lab's stream and every researcher) at once from
/// the replicated design of 2N runs (runner::ReplicatedKeySet: the second half gives each entity the
/// key of a permuted row of the first), by Janon's estimator; in memory. Tables "<outcome>.janon".
void add_janon(const std::shared_ptr<const runner::Point>& point, std::uint64_t rows,
               const std::vector<std::string>& outcomes, const AttributeOptions& o, std::uint64_t seed, int threads,
               const analysis::BootstrapSettings& settings, double confidence,
               std::vector<output::AttributionTable>& tables) {
  const model::Roster& roster = *point->roster;
  std::vector<runner::EntityRef> entities;
  std::vector<std::string> labels;
  std::vector<std::string> kinds;
  for (std::size_t l = 0; l < roster.lab_count(); ++l) {
    entities.push_back({random::EntityKind::lab, l});
    labels.push_back(fmt::format("lab {} stream", l));
    kinds.emplace_back("lab");
  }
  for (const model::RosterEntry& e : roster.researchers) {
    entities.push_back({e.kind, e.entity_index});
    const bool pinned = e.kind == random::EntityKind::individual;
    labels.push_back(fmt::format("{} {} (lab {}, {})", pinned ? "individual" : "researcher", e.entity_index, e.lab,
                                 e.focus == model::Focus::capabilities ? "capabilities" : "interpretability"));
    kinds.emplace_back("researcher");
  }
  const runner::ReplicatedKeySet set(point, entities, rows, seed, seed ^ 0x6a616e6f6eULL);  // "janon"
  // Design-2 row j gives entity e the key of design-1 row π_e(j): design-1 row i's key sits in
  // design-2 row π_e⁻¹(i), which is what Permutation::forward names.
  std::vector<analysis::Permutation> permutations;
  for (std::size_t e = 0; e < entities.size(); ++e) {
    std::vector<std::uint32_t> forward(rows);
    for (std::uint64_t j = 0; j < rows; ++j) forward[set.permuted_row(e, j)] = static_cast<std::uint32_t>(j);
    permutations.push_back(analysis::Permutation::from_forward(std::move(forward)));
  }
  const std::vector<model::Outcomes> runs = run_in_memory(set, threads);
  const auto n = static_cast<std::size_t>(rows);
  for (const std::string& name : outcomes) {
    const std::size_t id = outcome_index(name);
    std::vector<double> y(2 * n);
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = censored(runs[k][id], static_cast<double>(point->params.world.steps));
    const std::span<const double> ys(y);
    std::vector<analysis::Estimate> s;
    try {
      s = analysis::janon_first_order(ys.subspan(0, n), ys.subspan(n, n), permutations, settings);
    } catch (const std::domain_error&) {
      if (!o.quiet) fmt::print("\n{}: no variance over the replicated design; no Janon indices\n", name);
      continue;
    }
    output::AttributionTable t;
    t.outcome = name + ".janon";
    t.labels = labels;
    t.kinds = kinds;
    t.rows = rows;
    t.runs = set.size();
    t.confidence = confidence;
    output::IndexColumn c{"first_order", s.front().estimator,
                          fmt::format("percentile bootstrap, {} resamples, pairs resampled jointly", o.bootstrap), {}, {}, {}};
    for (const analysis::Estimate& e : s) {
      c.estimate.push_back(e.value);
      c.low.push_back(e.ci_low);
      c.high.push_back(e.ci_high);
    }
    t.indices.push_back(std::move(c));
    if (!o.quiet) {
      std::vector<std::size_t> order(labels.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      const auto& est = t.indices[0].estimate;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return est[a] > est[b]; });
      double sum = 0;
      for (std::size_t g = 0; g < est.size(); ++g) sum += kinds[g] == "researcher" ? est[g] : 0.0;
      fmt::print("\n{}: first-order indices of every lab stream and researcher (Janon, {} + {} runs)\n", name, n, n);
      for (std::size_t i = 0; i < order.size() && i < 10; ++i) {
        const std::size_t g = order[i];
        fmt::print("  {:<44} {:>7.4f} [{:>7.4f}, {:>6.4f}]\n", labels[g], est[g], t.indices[0].low[g], t.indices[0].high[g]);
      }
      fmt::print("  researchers: sum of S {:.4f}\n", sum);
    }
    tables.push_back(std::move(t));
  }
}

/// Shapley effects of the "lab and its researchers" groups (Goda's permutation walk, N × (L + 1)
/// runs, in memory: small next to the main design), added as tables "<outcome>.shapley" next to
/// the same groups' first-order and total indices from `tables`.
void add_shapley(const runner::Point& point, const runner::ParameterFactors& factors,
                 const std::vector<runner::KeyGroup>& groups, const std::vector<std::string>& kinds,
                 const AttributeOptions& o, std::uint64_t seed, int threads,
                 const analysis::BootstrapSettings& settings, std::vector<output::AttributionTable>& tables) {
  // The parameter factors, then the custom groups when there are any, else every lab with its
  // researchers. `members` indexes the main table's factors (parameters first, then groups).
  const std::size_t f = factors.names.size();
  std::vector<std::size_t> members(f);
  std::iota(members.begin(), members.end(), std::size_t{0});
  const bool custom = std::find(kinds.begin(), kinds.end(), "custom group") != kinds.end();
  std::vector<runner::KeyGroup> shapley_groups;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (kinds[g] != (custom ? "custom group" : "lab and its researchers")) continue;
    members.push_back(f + g);
    shapley_groups.push_back(groups[g]);
  }
  const std::size_t d = members.size();
  if (d > 12) {
    throw UsageError(fmt::format("Shapley effects over {} factors and groups: at most 12 (each row costs one run per "
                                 "factor); use fewer custom groups or parameter factors",
                                 d));
  }
  const analysis::ShapleyDesign design(o.rows, d, seed ^ 0x736861706c6579ULL);  // "shapley"
  // Goda's walk over the d factors and groups; MixSet takes the parameter factors' flags first.
  const runner::MixSet set(std::make_shared<const runner::Point>(point), shapley_groups, o.rows, d + 1, seed,
                           [&design](std::uint64_t row, std::uint64_t column) {
                             return design.mix(row, static_cast<std::size_t>(column));
                           },
                           factors);
  const std::vector<model::Outcomes> outcomes = run_in_memory(set, threads);

  const std::size_t n = static_cast<std::size_t>(o.rows);
  const std::size_t count = tables.size();
  for (std::size_t t = 0; t < count; ++t) {
    if (tables[t].outcome.find('.') != std::string::npos) continue;  // a knockout table
    const output::AttributionTable& main = tables[t];
    const std::size_t id = outcome_index(main.outcome);
    std::vector<double> y(n * (d + 1));
    for (std::size_t column = 0; column <= d; ++column) {
      for (std::size_t row = 0; row < n; ++row) {
        y[row * (d + 1) + column] = censored(outcomes[column * n + row][id], static_cast<double>(point.params.world.steps));
      }
    }
    const std::vector<analysis::Estimate> sh = analysis::shapley_effects(design, y, settings);
    output::AttributionTable table;
    table.outcome = main.outcome + ".shapley";
    table.rows = o.rows;
    table.runs = set.size();
    table.variance = main.variance;
    output::IndexColumn shapley{"shapley", sh.front().estimator,
                               fmt::format("percentile bootstrap, {} resamples, rows resampled jointly, 95 %", o.bootstrap),
                               {}, {}, {}};
    std::vector<output::IndexColumn> copied{{"first_order", main.indices[0].estimator, main.indices[0].ci, {}, {}, {}},
                                            {"total", main.indices[1].estimator, main.indices[1].ci, {}, {}, {}}};
    for (std::size_t m = 0; m < d; ++m) {
      table.labels.push_back(main.labels[members[m]]);
      table.kinds.push_back(main.kinds[members[m]]);
      shapley.estimate.push_back(sh[m].value);
      shapley.low.push_back(sh[m].ci_low);
      shapley.high.push_back(sh[m].ci_high);
      for (std::size_t c = 0; c < 2; ++c) {
        copied[c].estimate.push_back(main.indices[c].estimate[members[m]]);
        copied[c].low.push_back(main.indices[c].low[members[m]]);
        copied[c].high.push_back(main.indices[c].high[members[m]]);
      }
    }
    table.indices = {copied[0], copied[1], shapley};
    if (!o.quiet) {
      fmt::print("\n{}: Shapley effects of the {}, {} rows × {} runs each\n", main.outcome,
                 f > 0 ? (custom ? "parameters and custom groups" : "parameters and labs") : custom ? "custom groups" : "labs (stream and researchers)", n, d + 1);
      fmt::print("  {:<32} {:>24} {:>24} {:>24}\n", "group", "first-order S", "Shapley Sh", "total ST");
      for (std::size_t m = 0; m < d; ++m) {
        fmt::print("  {:<32} {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}] {:>7.4f} [{:>7.4f}, {:>6.4f}]\n",
                   table.labels[m], copied[0].estimate[m], copied[0].low[m], copied[0].high[m], shapley.estimate[m],
                   shapley.low[m], shapley.high[m], copied[1].estimate[m], copied[1].low[m], copied[1].high[m]);
      }
    }
    tables.push_back(std::move(table));
  }
}

/// `normsim attribute SWEEP.h5`: a finished sweep over one categorical factor (a grid, e.g. over
/// norm.preset): the share of each outcome's variance the factor explains (law of total
/// variance, bias-corrected) and, when the sweep used sweep.common_keys, the differences between
/// its levels paired run by run (without common keys only the share is given).
int factor_share_from_file(const fs::path& path, const std::vector<std::string>& outcomes, std::uint64_t bootstrap,
                           bool quiet) {
  const output::Hdf5Reader file(path);
  std::vector<std::string> factors;
  for (const std::string& d : file.dataset_paths()) {
    if (d.rfind("/design/", 0) == 0) factors.push_back(d);
  }
  if (factors.size() != 1 || file.element_type(factors.front()) != "int64") {
    throw UsageError(fmt::format("{}: attribute on a file needs a sweep over exactly one categorical factor (it has {} "
                                 "design factors)",
                                 path.string(), factors.size()));
  }
  const scenario::Scenario base = scenario::load_text(file.string_attribute("scenario_resolved"), path.string());
  const bool paired = base.sweep.common_keys;
  const std::vector<std::string> labels = file.string_array_attribute("labels", factors.front());
  const std::vector<std::int64_t> levels = file.read_int64(factors.front());
  const std::uint64_t points = file.shape("/point").at(0);
  const std::uint64_t replicates = file.shape("/replicate").at(0);
  analysis::BootstrapSettings settings;
  settings.resamples = static_cast<std::size_t>(bootstrap);
  std::vector<output::AttributionTable> tables;
  for (const std::string& name : outcomes) {
    std::vector<double> y = file.read_float64("/outcomes/" + name);
    censor(y, static_cast<double>(base.model.world.steps));
    // y is point-major = level-major when each point is one level, as in a one-factor grid.
    const analysis::NormShare share = analysis::norm_share(y, static_cast<std::size_t>(points), paired, settings);
    output::AttributionTable t;
    t.outcome = name;
    t.labels = {factors.front().substr(8)};
    t.kinds = {"categorical factor"};
    t.rows = replicates;
    t.runs = points * replicates;
    t.variance = share.between.value + share.within.value;
    t.indices.push_back({"share", share.share.estimator,
                         fmt::format("percentile bootstrap, {} resamples, {}", bootstrap,
                                     paired ? "replicates resampled jointly (common keys)" : "levels resampled separately"),
                         {share.share.value}, {share.share.ci_low}, {share.share.ci_high}});
    if (!quiet) {
      fmt::print("\n{}: {} explains {:.4f} [{:.4f}, {:.4f}] of the variance (plug-in {:.4f}); {} levels × {} replicates{}\n",
                 name, t.labels[0], share.share.value, share.share.ci_low, share.share.ci_high,
                 share.plug_in_share.value, points, replicates, paired ? ", common keys" : "");
      if (paired) {
        for (const analysis::LevelDifference& d : analysis::level_differences(y, static_cast<std::size_t>(points))) {
          fmt::print("  {:>22} − {:<22} {:>+11.5g} [{:+.5g}, {:+.5g}] (paired)\n",
                     labels.at(static_cast<std::size_t>(levels[d.level_a])), labels.at(static_cast<std::size_t>(levels[d.level_b])),
                     d.difference.value, d.difference.ci_low, d.difference.ci_high);
        }
      } else {
        fmt::print("  (level differences need paired runs: rerun the sweep with --set sweep.common_keys=true)\n");
      }
    }
    tables.push_back(std::move(t));
  }
  output::write_attribution(path, tables);
  if (!quiet) fmt::print("\nwrote /attribution to {}\n", path.string());
  return code(ExitCode::ok);
}

}  // namespace

std::string attribute_help() {
  AttributeOptions o;
  return fmt::format(
      "Usage: normsim attribute SCENARIO [options]\n\n"
      "How much of each outcome's variance each lab, each researcher and groups of them explain:\n"
      "first-order (Saltelli 2010) and total (Jansen) Sobol indices with percentile-bootstrap 95 %\n"
      "intervals, from a pick-freeze design over the entities' keys (matrices A, B and one AB per\n"
      "group; N rows each). Resampling an entity means giving it a fresh key and nothing else, so\n"
      "the estimators are exact for the model. Groups: all labs, all researchers, each lab's own\n"
      "stream, each lab's researchers, and every researcher alone. t_transform is censored at\n"
      "world.steps when never reached. The runs are journalled (FILE.journal): --resume continues.\n\n"
      "       normsim attribute SWEEP.h5 [--outcomes LIST] [--bootstrap B]\n\n"
      "On a finished sweep over one categorical factor (e.g. norm.preset): the share of each outcome's\n"
      "variance the factor explains (law of total variance, bias-corrected, bootstrap CI), and, when\n"
      "the sweep used sweep.common_keys = true, paired differences between its levels.\n\n"
      "{}\n{}",
      fmt::streamed(visible(o)), kExitCodeHelp);
}

int attribute_command(const std::vector<std::string>& args, const std::string& command_line,
                      const Processes& processes) {
  AttributeOptions o;
  po::options_description all = visible(o);
  all.add_options()("scenario", po::value(&o.scenario));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map given;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), given);
    po::notify(given);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (o.help) {
    fmt::print("{}", attribute_help());
    return code(ExitCode::ok);
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/baseline.toml)");
  if (processes.rank() != 0) o.quiet = true;  // under mpirun, rank 0 speaks for all
  const bool talk = !o.quiet;
  if (fs::path(o.scenario).extension() == ".h5") {
    if (processes.distributed()) throw UsageError("attribute on a file runs no model: start it without mpirun");
    return factor_share_from_file(o.scenario, split(o.outcomes), o.bootstrap, o.quiet);
  }
  if (o.rows < 2) throw UsageError("--rows must be at least 2");
  if (o.resume && o.overwrite) throw UsageError("--resume and --overwrite contradict each other; choose one");
  std::vector<std::string> outcomes = split(o.outcomes);
  for (const std::string& name : outcomes) {
    if (!scenario::outcome_by_name(name)) throw UsageError(fmt::format("--outcomes: '{}' is not an outcome (see normsim reference)", name));
  }
  const scenario::Scenario base = scenario::load_file(o.scenario, o.overrides);
  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  // [attribution] gives the defaults; options given on the command line win.
  const scenario::AttributionSettings settings_file = base.attribution.value_or(scenario::AttributionSettings{});
  if (!given.count("rows")) o.rows = settings_file.rows;
  const ParameterDesign parameters = parameter_design(base, settings_file, o.rows, o.scenario);
  const std::shared_ptr<const runner::Point> point = parameters.base_point;
  if (o.janon_rows > 0 && !parameters.factors.names.empty()) {
    throw UsageError("--janon works on one parameter point: remove the sweep's factors or --janon");
  }
  if (o.janon_rows == 1 || o.janon_rows > 0xffffffffULL) throw UsageError("--janon N needs 2 ≤ N < 2^32");
  if (!given.count("bootstrap")) o.bootstrap = settings_file.bootstrap;
  if (!given.count("target-width")) o.target_width = settings_file.target_ci_width;
  if (!given.count("outcomes") && base.attribution) {
    outcomes.clear();
    for (const model::OutcomeId id : settings_file.outcomes) outcomes.emplace_back(scenario::outcome_name(id));
  }
  if (!o.shapley) o.shapley = settings_file.shapley;
  if (o.radial && o.shapley) {
    throw UsageError("Shapley effects are reported next to first-order indices, which a radial design does not give: "
                     "drop --radial or set attribution.shapley = false");
  }
  scenario::ResearcherSelection selection = settings_file.researchers;
  if (o.no_researchers) selection = {scenario::ResearcherSelectionKind::none, 0};
  if (parameters.varies_roster) {
    // Researcher j and lab L are other people in another labs.sizes: only whole kinds compare.
    if (selection.kind != scenario::ResearcherSelectionKind::none) {
      throw UsageError(fmt::format("{}: labs.sizes is a factor of the design, so researchers differ between rows: set "
                                   "attribution.researchers = \"none\" (or pass --no-researchers)",
                                   o.scenario));
    }
    for (const scenario::AttributionGroup& g : settings_file.groups) {
      for (const scenario::EntityRef& m : g.members) {
        if (m.kind != scenario::EntityRefKind::labs && m.kind != scenario::EntityRefKind::researchers) {
          throw UsageError(fmt::format("{}: group \"{}\" names {}, but labs.sizes is a factor of the design: groups "
                                       "may only hold \"labs\" and \"researchers\"",
                                       o.scenario, g.name, scenario::entity_text(m)));
        }
      }
    }
  }
  if (parameters.factors.names.size() > 0 && (settings_file.screen_threshold > 0 || !settings_file.knockout.empty())) {
    throw UsageError(fmt::format("{}: screening and knockouts work on one parameter point; with the sweep's factors in "
                                 "the design, set attribution.screen_threshold = 0 and attribution.knockout = []",
                                 o.scenario));
  }
  std::vector<std::size_t> tracked = tracked_researchers(*point, selection, base.run.seed, settings_file.seed);
  if (settings_file.screen_threshold > 0 && !tracked.empty()) {
    tracked = screen(*point, tracked, outcomes, settings_file, o, base.run.seed, threads);
  }
  std::vector<runner::KeyGroup> groups;
  std::vector<std::string> kinds;
  if (parameters.varies_roster) {
    whole_kind_groups(parameters, base.model.individuals.size(), settings_file.groups, groups, kinds);
  } else {
    make_groups(*point->roster, tracked, settings_file.groups, groups, kinds);
  }
  // Factors first (matrices AB:<factor>), then the key groups: the order of the set's matrices.
  std::vector<std::string> labels = parameters.factors.names;
  std::vector<std::string> all_kinds = parameters.kinds;
  for (const runner::KeyGroup& g : groups) labels.push_back(g.name);
  all_kinds.insert(all_kinds.end(), kinds.begin(), kinds.end());
  const runner::PickFreezeSet set(point, groups, o.rows, base.run.seed, !o.radial, parameters.factors);

  // The runs as a [matrices, rows] file: the same journal, resume and finalize as a sweep.
  const fs::path output = o.output.empty() ? fs::path(fs::path(o.scenario).stem().string() + ".attribution.h5")
                                           : fs::path(o.output);
  const auto rank = static_cast<std::uint64_t>(processes.rank());
  const auto ranks = static_cast<std::uint64_t>(processes.size());
  // This process's share: a shard of a job array, a rank under mpirun, or everything.
  const bool sharded = !o.shard.empty();
  if ((sharded || o.from_shards > 0) && processes.distributed()) {
    throw UsageError("--shard and --from-shards split the work between jobs: start them without mpirun");
  }
  if (sharded && o.from_shards > 0) throw UsageError("--shard runs one shard, --from-shards combines them: choose one");
  const auto [shard, shards] = sharded ? parse_shard(o.shard) : std::pair<std::uint64_t, std::uint64_t>{rank, ranks};
  const auto shard_journal = [&output](std::uint64_t i, std::uint64_t n) {
    return fs::path(output).concat(fmt::format(".shard-{}-of-{}.journal", i, n));
  };
  const fs::path journal_path = sharded ? shard_journal(shard, shards) : cli::journal_path(output, rank, ranks);
  if (o.from_shards == 0) {
    prepare_journal(sharded ? fs::path() : output, journal_path, o.resume, o.overwrite);
  } else if (fs::exists(output) && !o.overwrite) {
    throw output::OutputExists(fmt::format("{} exists; pass --overwrite to replace it", output.string()));
  }
  output::Layout layout;
  layout.points = set.matrices();
  layout.replicates = o.rows;
  layout.steps = make_layout(base, false).steps;  // the largest world.steps a factor can give
  layout.series = false;
  output::DesignFactor matrix;
  matrix.name = "matrix";
  matrix.categorical = true;
  matrix.labels = set.matrix_names();
  for (std::uint64_t p = 0; p < layout.points; ++p) {
    matrix.values.push_back(std::nan(""));
    matrix.levels.push_back(static_cast<std::int64_t>(p));
  }
  layout.design.push_back(std::move(matrix));
  output::JournalHeader header = make_journal_header(base, layout);
  header.sweep_id ^= 0x6174747269627574ULL ^ o.rows;  // "attribut": never mixed with a sweep's journal

  runner::ExecutionReport report;
  bool ok = o.from_shards > 0;
  if (o.from_shards == 0) try {
    report = execute_journaled(set, header, {journal_path, shard, shards, o.resume}, threads, false, !talk, 0,
                               [&](std::uint64_t found) {
                                 if (!talk) return;
                                 fmt::print(stderr, "normsim: attributing {} — {} groups, {} rows, {} runs, {} threads{} → {}\n",
                                            o.scenario, labels.size(), o.rows, set.size(), threads,
                                            ranks > 1 ? fmt::format(" × {} ranks", ranks) : std::string(),
                                            output.string());
                                 if (found > 0) fmt::print(stderr, "normsim: resuming: {} runs already in {}\n", found, journal_path.string());
                               })
                 .report;
    ok = true;
  } catch (...) {
    (void)processes.all_succeeded(false);  // let the other ranks stop instead of waiting for us
    throw;
  }
  if (!processes.all_succeeded(ok && !report.interrupted)) {
    if (report.interrupted && talk) {
      fmt::print(stderr, "normsim: interrupted; the runs done are kept in the journal. To continue, add --resume:\n  {} --resume\n",
                 command_line);
    }
    return code(report.interrupted ? ExitCode::interrupted : ExitCode::failure);
  }
  if (rank != 0) return code(ExitCode::ok);
  if (sharded) {
    if (talk) {
      fmt::print("shard {}/{}: {} runs in {}\ncombine the shards with: normsim attribute {} -o {} --from-shards {}\n", shard,
                 shards, report.runs_completed, journal_path.string(), o.scenario, output.string(), shards);
    }
    return code(ExitCode::ok);
  }
  output::Provenance provenance = make_provenance(base, command_line, o.scenario);
  provenance.threads = threads;
  provenance.end_time = utc_now();
  provenance.wall_seconds = report.wall_seconds;
  output::FinalizeOptions finalize_options;
  finalize_options.overwrite = o.overwrite;
  std::vector<fs::path> journals;
  for (std::uint64_t r = 0; r < (o.from_shards > 0 ? o.from_shards : ranks); ++r) {
    journals.push_back(o.from_shards > 0 ? shard_journal(r, o.from_shards) : cli::journal_path(output, r, ranks));
  }
  provenance.processes = static_cast<std::int64_t>(o.from_shards > 0 ? o.from_shards : ranks);
  output::finalize(journals, layout, provenance, output, finalize_options);
  for (const fs::path& j : journals) fs::remove(j);

  // Estimates, from the file just written.
  const output::Hdf5Reader file(output);
  std::vector<output::AttributionTable> tables;
  analysis::BootstrapSettings settings;
  settings.resamples = static_cast<std::size_t>(o.bootstrap);
  settings.confidence = settings_file.confidence;
  settings.seed ^= settings_file.seed;
  const auto n = static_cast<std::size_t>(o.rows);
  for (const std::string& name : outcomes) {
    std::vector<double> y = file.read_float64("/outcomes/" + name);  // [matrices · N]
    censor(y, static_cast<double>(base.model.world.steps));
    const std::span<const double> ys(y);
    // Matrices: A, [B,] then one AB per factor and group (runner::PickFreezeSet).
    const std::size_t first_ab = o.radial ? 1 : 2;
    analysis::PickFreezeOutputs outputs{ys.subspan(0, n), o.radial ? std::span<const double>{} : ys.subspan(n, n), {}};
    for (std::size_t g = 0; g < labels.size(); ++g) outputs.y_ab.push_back(ys.subspan((first_ab + g) * n, n));
    output::AttributionTable t;
    t.outcome = name;
    t.labels = labels;
    t.kinds = all_kinds;
    t.rows = o.rows;
    t.runs = set.size();
    {
      // V pooled over A and B (A alone in a radial design), as the estimators use it.
      const std::span<const double> ab = ys.subspan(0, first_ab * n);
      const double mean = std::accumulate(ab.begin(), ab.end(), 0.0) / static_cast<double>(ab.size());
      double ss = 0;
      for (const double v : ab) ss += (v - mean) * (v - mean);
      t.variance = ss / static_cast<double>(ab.size() - 1);
    }
    if (t.variance == 0) {
      if (!o.quiet) fmt::print("\n{}: no variance over the design (constant outcome); no indices\n", name);
      continue;
    }
    const auto column = [&](const char* column_name, const std::vector<analysis::Estimate>& e) {
      output::IndexColumn c;
      c.name = column_name;
      c.estimator = e.empty() ? "" : e.front().estimator;
      c.ci = fmt::format("percentile bootstrap, {} resamples, rows resampled jointly, 95 %", o.bootstrap);
      for (const analysis::Estimate& x : e) {
        c.estimate.push_back(x.value);
        c.low.push_back(x.ci_low);
        c.high.push_back(x.ci_high);
      }
      return c;
    };
    if (o.radial) {
      t.indices.push_back(column("total", analysis::radial_total_indices(outputs.y_a, outputs.y_ab, settings)));
    } else {
      const analysis::SobolIndices indices = analysis::sobol_indices(outputs, settings);
      t.indices.push_back(column("first_order", indices.first_order));
      t.indices.push_back(column("total", indices.total));
    }
    if (!o.quiet) print_table(t, o.target_width);
    tables.push_back(std::move(t));
  }
  if (!settings_file.knockout.empty()) {
    add_knockouts(*point, settings_file.knockout, o, base.run.seed, threads, file, settings_file.confidence, tables);
  }
  if (o.janon_rows > 0) {
    add_janon(point, o.janon_rows, outcomes, o, base.run.seed, threads, settings, settings_file.confidence, tables);
  }
  if (o.shapley) add_shapley(*point, parameters.factors, groups, kinds, o, base.run.seed, threads, settings, tables);
  output::write_attribution(output, tables);
  if (!o.quiet) {
    fmt::print("\n{} runs in {:.1f} s ({:.3g} researcher-steps/s on {} threads)\nwrote {}\n", report.runs_completed,
               report.wall_seconds, static_cast<double>(report.researcher_steps) / report.wall_seconds, threads,
               output.string());
  }
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
