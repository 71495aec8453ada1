#include "study/attribute.hpp"

#include "analysis/attribution/sobol_indices.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/sweep.hpp"
#include "study/attribution_extras.hpp"
#include "study/censoring.hpp"
#include "study/domains.hpp"
#include "study/errors.hpp"
#include "study/groups.hpp"
#include "study/parameter_design.hpp"
#include "study/setup.hpp"
#include "study/tables.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

namespace normsim::study {

namespace fs = std::filesystem;

namespace {

using output::FactorKind;
using output::TableKind;

/// The options after the scenario's [attribution] filled what the caller left unset.
struct Resolved {
  scenario::AttributionSettings settings;  ///< the section (or its defaults)
  std::vector<std::string> outcomes;
  std::uint64_t rows = 0;
  std::uint64_t bootstrap = 0;
  double target_width = 0;
  bool shapley = false;
  scenario::ResearcherSelection selection;
};

Resolved resolve(const AttributeConfig& c) {
  Resolved r;
  r.settings = c.scenario.attribution.value_or(scenario::AttributionSettings{});
  r.rows = c.rows.value_or(r.settings.rows);
  r.bootstrap = c.bootstrap.value_or(r.settings.bootstrap);
  r.target_width = c.target_width.value_or(r.settings.target_ci_width);
  r.outcomes = c.outcomes;
  if (r.outcomes.empty()) {
    for (const model::OutcomeId id : r.settings.outcomes) r.outcomes.emplace_back(scenario::outcome_name(id));
  }
  for (const std::string& name : r.outcomes) {
    if (!scenario::outcome_by_name(name)) {
      throw InputError(fmt::format("--outcomes: '{}' is not an outcome (see normsim reference)", name));
    }
  }
  r.shapley = c.shapley || r.settings.shapley;
  r.selection = c.no_researchers ? scenario::ResearcherSelection{scenario::ResearcherSelectionKind::none, 0}
                                 : r.settings.researchers;
  if (r.rows < 2) throw InputError("--rows must be at least 2");
  if (c.resume && c.overwrite) throw InputError("--resume and --overwrite contradict each other; choose one");
  if (c.janon_rows == 1 || c.janon_rows > 0xffffffffULL) throw InputError("--janon N needs 2 ≤ N < 2^32");
  if (c.radial && r.shapley) {
    throw InputError("Shapley effects are reported next to first-order indices, which a radial design does not give: "
                     "drop --radial or set attribution.shapley = false");
  }
  if (c.shard && c.from_shards > 0) throw InputError("--shard runs one shard, --from-shards combines them: choose one");
  if (c.shard && (c.shard->count == 0 || c.shard->index >= c.shard->count)) {
    throw InputError(fmt::format("--shard {}/{}: expected I/N with 0 ≤ I < N", c.shard->index, c.shard->count));
  }
  return r;
}

/// Refusals that depend on the design: what labs.sizes as a factor, or factors at all, exclude.
void check_design(const AttributeConfig& c, const Resolved& r, const ParameterDesign& p, const std::string& file) {
  if (c.janon_rows > 0 && !p.factors.names.empty()) {
    throw InputError("--janon works on one parameter point: remove the sweep's factors or --janon");
  }
  if (p.varies_roster) {
    // Researcher j and lab L are other people in another labs.sizes: only whole kinds compare.
    if (r.selection.kind != scenario::ResearcherSelectionKind::none) {
      throw InputError(fmt::format("{}: labs.sizes is a factor of the design, so researchers differ between rows: set "
                                   "attribution.researchers = \"none\" (or pass --no-researchers)",
                                   file));
    }
    for (const scenario::AttributionGroup& g : r.settings.groups) {
      for (const scenario::EntityRef& m : g.members) {
        if (m.kind != scenario::EntityRefKind::labs && m.kind != scenario::EntityRefKind::researchers) {
          throw InputError(fmt::format("{}: group \"{}\" names {}, but labs.sizes is a factor of the design: groups "
                                       "may only hold \"labs\" and \"researchers\"",
                                       file, g.name, scenario::entity_text(m)));
        }
      }
    }
  }
  if (!p.factors.names.empty() && (r.settings.screen_threshold > 0 || !r.settings.knockout.empty())) {
    throw InputError(fmt::format("{}: screening and knockouts work on one parameter point; with the sweep's factors in "
                                 "the design, set attribution.screen_threshold = 0 and attribution.knockout = []",
                                 file));
  }
}

/// The output layout of a pick-freeze design: [matrices, rows], one categorical design factor
/// "matrix" naming them.
output::Layout design_layout(const scenario::Scenario& base, const runner::PickFreezeSet& set, std::uint64_t rows) {
  output::Layout layout;
  layout.points = set.matrices();
  layout.replicates = rows;
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
  return layout;
}

/// First-order and total (or, radial, total only) indices of every outcome from the design's
/// file: matrices A, [B,] then one AB per factor and group. Outcomes without variance get none.
void main_tables(const output::Hdf5Reader& file, const std::vector<std::string>& outcomes, std::uint64_t rows,
                 bool radial, const std::vector<std::string>& labels, const std::vector<FactorKind>& kinds,
                 std::uint64_t runs, double horizon, const TableBuilder& builder, AttributionResult& result) {
  const auto n = static_cast<std::size_t>(rows);
  for (const std::string& name : outcomes) {
    std::vector<double> y = file.read_float64("/outcomes/" + name);  // [matrices · N]
    censor(y, horizon);
    const std::span<const double> ys(y);
    const std::size_t first_ab = radial ? 1 : 2;
    analysis::PickFreezeOutputs outputs{ys.subspan(0, n), radial ? std::span<const double>{} : ys.subspan(n, n), {}};
    for (std::size_t g = 0; g < labels.size(); ++g) outputs.y_ab.push_back(ys.subspan((first_ab + g) * n, n));
    // V pooled over A and B (A alone in a radial design), as the estimators use it.
    const std::span<const double> ab = ys.subspan(0, first_ab * n);
    const double mean = std::accumulate(ab.begin(), ab.end(), 0.0) / static_cast<double>(ab.size());
    double ss = 0;
    for (const double v : ab) ss += (v - mean) * (v - mean);
    const double variance = ss / static_cast<double>(ab.size() - 1);
    if (variance == 0) {
      result.constant.push_back(name);
      continue;
    }
    output::AttributionTable t = builder.table(name, TableKind::main, rows, runs, variance);
    t.labels = labels;
    t.kinds = kinds;
    if (radial) {
      t.indices.push_back(builder.bootstrap_column(
          "total", analysis::radial_total_indices(outputs.y_a, outputs.y_ab, builder.bootstrap()),
          "rows resampled jointly"));
    } else {
      const analysis::SobolIndices indices = analysis::sobol_indices(outputs, builder.bootstrap());
      t.indices.push_back(builder.bootstrap_column("first_order", indices.first_order, "rows resampled jointly"));
      t.indices.push_back(builder.bootstrap_column("total", indices.total, "rows resampled jointly"));
    }
    result.tables.push_back(std::move(t));
  }
}

/// The runs an earlier look of this design holds (AttributeConfig::extend), after checking that it
/// is one: a complete attribution file of the same resolved scenario, seed, key derivation and math,
/// with the design's matrices and fewer rows. Throws InputError naming the file and the difference.
struct EarlierLook {
  fs::path file;
  output::Hdf5Reader in;   ///< the file, open
  std::uint64_t rows = 0;  ///< N' < N
  std::uint64_t runs = 0;  ///< completed runs in it
};

EarlierLook earlier_look(const fs::path& file, const runner::PickFreezeSet& set, const output::Provenance& ours) {
  output::Hdf5Reader in(file);
  const auto refuse = [&file](const std::string& why) {
    return InputError(fmt::format("{}: not an earlier look of this attribution's design: {}", file.string(), why));
  };
  if (in.uint64_attribute("complete") != 1) throw refuse("the file was not completed");
  if (!recorded_extra_runs(in)) {
    throw refuse("it was made by a normsim whose designs were not nested (before 2026-12-03; no /attribution attribute "
                 "extra_runs): make the attribution again");
  }
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"scenario_resolved", &ours.scenario_resolved},
                                    {"key_derivation", &ours.key_derivation},
                                    {"math_implementation", &ours.math_implementation}}) {
    if (in.string_attribute(name) != *value) throw refuse(fmt::format("its {} differs", name));
  }
  if (in.uint64_attribute("master_seed") != ours.master_seed) throw refuse("its master_seed differs");
  const std::vector<std::string> matrices = in.string_array_attribute("labels", "/design/matrix");
  if (matrices != set.matrix_names()) {
    throw refuse(fmt::format("{} matrices ({}…) against the design's {}", matrices.size(),
                             matrices.empty() ? std::string() : matrices.front(), set.matrices()));
  }
  const std::uint64_t rows = in.shape("/replicate").at(0);
  if (rows >= set.rows()) throw refuse(fmt::format("{} rows, not fewer than the design's {}", rows, set.rows()));
  std::uint64_t runs = 0;
  for (const std::uint8_t done : in.read_uint8("/runs/completed")) runs += done;
  return {file, std::move(in), rows, runs};
}

/// Writes into `journal` the runs of `look` at the positions of `share` (k = row · matrices +
/// matrix, PickFreezeSet's order) that the journal does not hold, as this design's records (run
/// index matrix · rows + row); returns how many. Reads a block of rows of one matrix at a time
/// (every outcome, researcher-steps and wall time): memory does not grow with the rows.
std::uint64_t copy_earlier_runs(const EarlierLook& look, std::uint64_t matrices, std::uint64_t rows,
                                output::JournalWriter& journal, const Shard& share) {
  constexpr std::uint64_t kBlock = 16384;
  const output::Hdf5Reader& in = look.in;
  std::vector<std::vector<double>> outcomes(model::kOutcomeCount);
  runner::RunRecord record;
  std::uint64_t copied = 0;
  for (std::uint64_t m = 0; m < matrices; ++m) {
    for (std::uint64_t first = 0; first < look.rows; first += kBlock) {
      const std::uint64_t n = std::min(kBlock, look.rows - first);
      const std::vector<std::uint64_t> start{m, first};
      const std::vector<std::uint64_t> count{1, n};
      for (std::size_t o = 0; o < model::kOutcomeCount; ++o) {
        outcomes[o] = in.read_float64(fmt::format("/outcomes/{}", model::kOutcomeDescriptors[o].name), start, count);
      }
      const std::vector<std::uint8_t> completed = in.read_uint8("/runs/completed", start, count);
      const std::vector<std::uint64_t> steps = in.read_uint64("/runs/researcher_steps", start, count);
      const std::vector<double> wall = in.read_float64("/runs/wall_seconds", start, count);
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t row = first + i;
        const std::uint64_t run_index = m * rows + row;
        if (completed[i] == 0 || (row * matrices + m) % share.count != share.index || journal.completed()[run_index]) {
          continue;
        }
        record.run_index = run_index;
        record.point = m;
        record.replicate = row;
        for (std::size_t o = 0; o < model::kOutcomeCount; ++o) record.outcomes[o] = outcomes[o][i];
        record.researcher_steps = steps[i];
        record.wall_seconds = wall[i];
        journal.write(record);
        ++copied;
      }
    }
  }
  return copied;
}

}  // namespace

std::optional<std::uint64_t> recorded_extra_runs(const output::Hdf5Reader& file) {
  const std::vector<std::string> names = file.attribute_names("/attribution");
  if (std::find(names.begin(), names.end(), "extra_runs") == names.end()) return std::nullopt;
  return file.uint64_attribute("extra_runs", "/attribution");
}

AttributionResult attribute(const AttributeConfig& c, const Processes& processes) {
  const std::string file = c.scenario_file.empty() ? c.scenario.source : c.scenario_file;
  const scenario::Scenario& base = c.scenario;
  const Resolved r = resolve(c);
  const int threads = thread_count(c.conduct);
  const bool leader = processes.rank() == 0;
  const auto note = [&](std::string_view text) {
    if (leader && c.conduct.note) c.conduct.note(text);
  };
  const ParameterDesign parameters = parameter_design(base, r.settings.per_point, r.rows, r.settings.seed, file);
  check_design(c, r, parameters, file);
  const TableBuilder builder(r.settings.confidence, r.bootstrap, r.settings.seed);
  std::uint64_t extra_runs = 0;
  detail::ExtraContext extra{parameters.base_point, r.rows, base.run.seed, threads, &builder, note, &extra_runs};

  std::vector<std::size_t> tracked = tracked_researchers(*parameters.base_point, r.selection, base.run.seed, r.settings.seed);
  // The estimators' bootstraps run their resamples in parallel, in this arena: --threads holds for
  // them as for the runs.
  tbb::task_arena arena(threads);
  if (r.settings.screen_threshold > 0 && !tracked.empty()) {
    tracked = arena.execute([&] { return detail::screen(extra, tracked, r.outcomes, r.settings.screen_threshold); });
  }
  const GroupSet groups =
      parameters.varies_roster
          ? whole_kind_groups(parameters.max_labs, parameters.max_researchers, base.model.individuals.size(), r.settings.groups)
          : roster_groups(*parameters.base_point->roster, tracked, r.settings.groups);
  // Factors first (matrices AB:<factor>), then the key groups: the order of the set's matrices.
  std::vector<std::string> labels = parameters.factors.names;
  std::vector<FactorKind> kinds = parameters.kinds;
  for (const runner::KeyGroup& g : groups.groups) labels.push_back(g.name);
  kinds.insert(kinds.end(), groups.kinds.begin(), groups.kinds.end());
  const runner::PickFreezeSet set(parameters.base_point, groups.groups, r.rows, base.run.seed, !c.radial, parameters.factors);

  // The runs as a [matrices, rows] file: the same journal, resume and finalize as a sweep.
  const auto rank = static_cast<std::uint64_t>(processes.rank());
  const auto ranks = static_cast<std::uint64_t>(processes.size());
  if ((c.shard || c.from_shards > 0) && processes.distributed()) {
    throw InputError("--shard and --from-shards split the work between jobs: start them without mpirun");
  }
  const auto shard_journal = [&c](std::uint64_t i, std::uint64_t n) {
    return fs::path(c.output).concat(fmt::format(".shard-{}-of-{}.journal", i, n));
  };
  Pipeline pipeline;
  pipeline.set = &set;
  pipeline.layout = design_layout(base, set, r.rows);
  pipeline.header = make_journal_header(base, pipeline.layout);
  // Never mixed with a sweep's journal, nor with another N's.
  pipeline.header.sweep_id = domain_seed(domain_seed(pipeline.header.sweep_id, DesignDomain::attribution_journal),
                                         DesignDomain::nested_designs) ^
                              r.rows;
  pipeline.provenance = make_provenance(base, c.command_line, file);
  pipeline.output = c.output;
  pipeline.sharded = c.shard.has_value();
  pipeline.shard = c.shard.value_or(Shard{rank, ranks});
  pipeline.journal = pipeline.sharded ? shard_journal(pipeline.shard.index, pipeline.shard.count)
                                      : journal_path(c.output, rank, ranks);
  pipeline.from_shards = c.from_shards > 0;
  for (std::uint64_t i = 0; i < (c.from_shards > 0 ? c.from_shards : ranks); ++i) {
    pipeline.journals.push_back(c.from_shards > 0 ? shard_journal(i, c.from_shards) : journal_path(c.output, i, ranks));
  }
  pipeline.resume = c.resume;
  pipeline.overwrite = c.overwrite;
  std::optional<EarlierLook> earlier;
  if (!c.extend.empty()) {
    if (c.shard || c.from_shards > 0) {
      throw InputError("extending an earlier look copies its runs into this process's journal: not with --shard or "
                       "--from-shards");
    }
    earlier = earlier_look(c.extend, set, pipeline.provenance);
    pipeline.prefill = [&earlier, &set, &r](output::JournalWriter& journal, const Shard& share) {
      return copy_earlier_runs(*earlier, set.matrices(), r.rows, journal, share);
    };
  }
  pipeline.announce = [&](std::uint64_t found) {
    note(fmt::format("attributing {} — {} groups, {} rows, {} runs, {} threads{} → {}", file, labels.size(), r.rows,
                     set.size(), threads, ranks > 1 ? fmt::format(" × {} ranks", ranks) : std::string(),
                     c.output.string()));
    if (earlier) note(fmt::format("extending {}: its {} runs are copied, not made again", earlier->file.string(), earlier->runs));
    if (found > 0) note(fmt::format("resuming: {} runs already in {}", found, pipeline.journal.string()));
  };

  AttributionResult result;
  result.runs = set.size();
  result.copied = earlier ? earlier->runs : 0;
  result.rows = r.rows;
  result.target_width = r.target_width;
  result.threads = threads;
  result.journal = pipeline.journal;
  const PipelineResult done = run_pipeline(pipeline, c.conduct, processes);
  result.status = done.status;
  result.report = done.report;
  if (done.status != PipelineStatus::written) return result;

  // Estimates, from the file just written.
  const output::Hdf5Reader written(c.output);
  const double horizon = static_cast<double>(base.model.world.steps);
  arena.execute([&] {
    main_tables(written, r.outcomes, r.rows, c.radial, labels, kinds, set.size(), horizon, builder, result);
    if (!r.settings.knockout.empty()) detail::add_knockouts(extra, r.settings.knockout, written, result.tables);
    if (c.janon_rows > 0) detail::add_janon(extra, c.janon_rows, r.outcomes, result.tables);
    if (r.shapley) detail::add_shapley(extra, parameters.factors, groups, result.tables);
  });
  result.extra_runs = extra_runs;
  output::write_attribution(c.output, result.tables, extra_runs);
  return result;
}

}  // namespace normsim::study
