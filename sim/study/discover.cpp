#include "study/discover.hpp"

#include "output/hdf5_reader.hpp"
#include "scenario/sweep.hpp"
#include "study/claim_text.hpp"
#include "study/discover_points.hpp"
#include "study/domains.hpp"
#include "study/errors.hpp"
#include "study/run.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace normsim::study {

namespace fs = std::filesystem;
using scenario::Claim;
using scenario::ClaimQuantity;

namespace {

std::string file_of(const DiscoverConfig& c) { return c.scenario_file.empty() ? c.scenario.source : c.scenario_file; }

std::string id_list(const std::vector<Claim>& claims) {
  std::string ids;
  for (const Claim& claim : claims) ids += (ids.empty() ? "" : ", ") + claim.id;
  return ids;
}

/// True for a sweep key that sets the norm's allowances or embargoes (or the whole norm): a paired
/// discovery sets the norm itself at every point.
bool sets_the_norm(const std::string& key) {
  return key == "norm" || key == "norm.preset" || key == "norm.embargo" || key.rfind("norm.allow.", 0) == 0 ||
         key.rfind("norm.embargo_", 0) == 0;
}

/// `base` with norm.preset = `preset` given after its own overrides (Precedence: the preset replaces
/// the allowances and embargoes given before it and keeps the compliance; the sweep's levels apply
/// on top at each point).
scenario::Scenario with_preset(const scenario::Scenario& base, model::NormPreset preset) {
  std::vector<std::string> overrides = base.overrides;
  overrides.push_back(fmt::format("norm.preset=\"{}\"", preset_name(preset)));
  return scenario::load_text(base.text, base.source, overrides);
}

/// The layout of a paired discovery: 2P rows (point p under `norm` at 2p, under `versus` at 2p + 1),
/// the sweep's columns repeated, plus norm.preset and sweep_point.
output::Layout paired_layout(const scenario::Scenario& base, const Claim& claim) {
  const output::Layout single = make_layout(base, false);
  output::Layout layout = single;
  layout.points = 2 * single.points;
  for (output::DesignFactor& column : layout.design) {
    std::vector<double> values;
    std::vector<std::int64_t> levels;
    for (std::uint64_t p = 0; p < single.points; ++p) {
      values.insert(values.end(), 2, column.values[p]);
      levels.insert(levels.end(), 2, column.levels[p]);
    }
    column.values = std::move(values);
    column.levels = std::move(levels);
  }
  output::DesignFactor norm;
  norm.name = "norm.preset";
  norm.categorical = true;
  norm.labels = {preset_name(*claim.norm), preset_name(*claim.versus)};
  output::DesignFactor point;
  point.name = "sweep_point";
  for (std::uint64_t p = 0; p < single.points; ++p) {
    for (std::int64_t side = 0; side < 2; ++side) {
      norm.values.push_back(std::nan(""));
      norm.levels.push_back(side);
      point.values.push_back(static_cast<double>(p));
      point.levels.push_back(-1);
    }
  }
  layout.design.push_back(std::move(norm));
  layout.design.push_back(std::move(point));
  return layout;
}

/// With resume and a finished file: the file must hold this scenario's runs in this shape.
void check_finished_file(const fs::path& output, const scenario::Scenario& base, std::uint64_t rows,
                         const std::string& file) {
  const output::Hdf5Reader made(output);
  const std::vector<std::uint64_t> shape = made.shape("/outcomes/xrisk");
  const bool same = made.string_attribute("scenario_resolved") == scenario::resolved_toml(base) &&
                    shape == std::vector<std::uint64_t>{rows, base.run.replicates};
  if (!same) {
    throw InputError(fmt::format("--resume: {} holds the runs of another scenario or claim than {} asks for "
                                 "(expected {} rows × {} replicates of the same resolved scenario); pass "
                                 "--overwrite to replace it, or choose another -o",
                                 output.string(), file, rows, base.run.replicates));
  }
}

/// Runs both norms of a paired claim at every point into `c.output`.
PipelineStatus run_pairs(const DiscoverConfig& c, const Claim& claim, const Processes& processes) {
  const scenario::Scenario& base = c.scenario;
  const std::array<scenario::Scenario, 2> variants{with_preset(base, *claim.norm), with_preset(base, *claim.versus)};
  const std::optional<std::uint64_t> common =
      base.sweep.common_keys ? std::optional<std::uint64_t>(scenario::point_stream_id(base)) : std::nullopt;
  // Row q = 2p + side: point p under variant `side`, keyed by point p as the scenario states it.
  const runner::SweepSet set(2 * base.sweep.points, base.run.replicates, base.run.seed,
                             [&variants, &base, common](std::uint64_t q) {
                               const std::uint64_t p = q / 2;
                               scenario::Scenario point = scenario::point_scenario(variants[q % 2], p);
                               const std::uint64_t id =
                                   common ? *common : scenario::point_stream_id(scenario::point_scenario(base, p));
                               return runner::make_point(std::move(point.model), id);
                             });
  const auto ranks = static_cast<std::uint64_t>(processes.size());
  Pipeline p;
  p.set = &set;
  p.layout = paired_layout(base, claim);
  p.header = make_journal_header(base, p.layout);
  // A discovery's journal is never mixed with a run's of the same scenario, nor with another pair's.
  p.header.sweep_id = domain_seed(p.header.sweep_id, DesignDomain::discovery_pairs) ^
                      (static_cast<std::uint64_t>(*claim.norm) << 8 | static_cast<std::uint64_t>(*claim.versus));
  p.provenance = make_provenance(base, c.command_line, file_of(c));
  p.output = c.output;
  p.shard = {static_cast<std::uint64_t>(processes.rank()), ranks};
  p.journal = journal_path(c.output, p.shard.index, ranks);
  for (std::uint64_t r = 0; r < ranks; ++r) p.journals.push_back(journal_path(c.output, r, ranks));
  p.resume = c.resume;
  p.overwrite = c.overwrite;
  p.per_point = 2 * base.run.replicates;  // a design point's runs: both norms, contiguous rows
  p.announce = [&](std::uint64_t found) {
    if (processes.rank() != 0 || !c.conduct.note) return;
    c.conduct.note(fmt::format("discover {}: {} points × 2 norms ({} and {}) × {} replicates, seed {}, {} threads{} → {}",
                               file_of(c), base.sweep.points, preset_name(*claim.norm), preset_name(*claim.versus),
                               base.run.replicates, base.run.seed, thread_count(c.conduct),
                               processes.distributed() ? fmt::format(" × {} ranks", processes.size()) : std::string(),
                               c.output.string()));
    if (found > 0) c.conduct.note(fmt::format("resuming: {} runs already in {}", found, p.journal.string()));
  };
  return run_pipeline(p, c.conduct, processes).status;
}

}  // namespace

const Claim& discover_claim(const DiscoverConfig& c) {
  const scenario::Scenario& base = c.scenario;
  const std::string file = file_of(c);
  if (base.claims.empty()) {
    throw InputError(fmt::format("{} has no [[claims]]; discover needs the claim whose failures it maps (see "
                                 "REFERENCE.md, \"Claims\")",
                                 file));
  }
  const Claim* found = nullptr;
  if (c.claim.empty()) {
    if (base.claims.size() > 1) {
      throw InputError(fmt::format("{} has {} claims: choose one with --claim ID (ids: {})", file, base.claims.size(),
                                   id_list(base.claims)));
    }
    found = &base.claims.front();
  }
  for (const Claim& claim : base.claims) {
    if (claim.id == c.claim) found = &claim;
  }
  if (found == nullptr) {
    throw InputError(fmt::format("{} has no claim '{}'; its claims: {}", file, c.claim, id_list(base.claims)));
  }
  const Claim& claim = *found;
  if (claim.quantity == ClaimQuantity::level_difference) {
    throw InputError(fmt::format(
        "{}: claim '{}' is a level_difference, whose levels are levels of a [sweep] factor; discover needs a "
        "sweep of assumptions only and cannot pair its points. State it as a mean_difference of two norm presets "
        "(discover runs both at every point), or as a mean or probability",
        file, claim.id));
  }
  if (claim.quantity != ClaimQuantity::mean && claim.quantity != ClaimQuantity::probability &&
      claim.quantity != ClaimQuantity::mean_difference) {
    throw InputError(fmt::format("{}: claim '{}' is a {} claim; discover evaluates mean, probability and "
                                 "mean_difference claims at each point of the sweep",
                                 file, claim.id, scenario::quantity_name(claim.quantity)));
  }
  if (base.sweep.factors.empty()) {
    throw InputError(fmt::format("{}: discover needs a [sweep] whose factors are the assumptions to search, e.g. "
                                 "design = \"latin_hypercube\" with points and [[sweep.factor]] ranges (from/to); "
                                 "the scenario has no sweep factor",
                                 file));
  }
  if (base.run.replicates < 2) {
    throw InputError(fmt::format("{}: discover estimates the claim at each point from its replicates: run.replicates "
                                 "must be at least 2 (it is {})",
                                 file, base.run.replicates));
  }
  if (claim.quantity == ClaimQuantity::mean_difference) {
    for (const scenario::Factor& f : base.sweep.factors) {
      if (sets_the_norm(f.key)) {
        throw InputError(fmt::format("{}: claim '{}' compares the norms {} and {}, which discover runs at every "
                                     "point itself: remove the [sweep] factor '{}' (norm.compliance may be swept)",
                                     file, claim.id, preset_name(*claim.norm), preset_name(*claim.versus), f.key));
      }
    }
  }
  (void)discovery_dimensions(base, file);  // categorical factors within PRIM's limits
  return claim;
}

DiscoverResult discover(const DiscoverConfig& c, const Processes& processes) {
  const scenario::Scenario& base = c.scenario;
  const std::string file = file_of(c);
  if (c.resume && c.overwrite) throw InputError("--resume and --overwrite contradict each other; choose one");
  const Claim& claim = discover_claim(c);
  try {
    analysis::discovery::validate(c.settings);
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("PRIM's settings: {}", e.what()));
  }
  const bool paired = claim.quantity == ClaimQuantity::mean_difference;
  const std::uint64_t rows = (paired ? 2 : 1) * base.sweep.points;
  const std::uint64_t runs = rows * base.run.replicates;
  if (runs > base.sweep.max_runs && !c.force) {
    throw InputError(fmt::format("{}: {} runs ({} points{} × {} replicates) exceed sweep.max_runs = {}; pass --force "
                                 "to run them anyway",
                                 file, runs, base.sweep.points, paired ? " × 2 norms" : "", base.run.replicates,
                                 base.sweep.max_runs));
  }
  const fs::path directory = c.output.has_parent_path() ? c.output.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw InputError(fmt::format("-o {}: directory {} does not exist", c.output.string(), directory.string()));
  }
  DiscoverResult result;
  if (c.resume && fs::exists(c.output)) {
    check_finished_file(c.output, base, rows, file);  // a finished file: evaluate it again
  } else {
    if (paired) {
      result.status = run_pairs(c, claim, processes);
    } else {
      RunConfig r;
      r.scenario = base;
      r.scenario_file = file;
      r.command_line = c.command_line;
      r.output = c.output;
      r.series = false;
      r.resume = c.resume;
      r.overwrite = c.overwrite;
      r.force = true;  // sweep.max_runs was checked above
      r.conduct = c.conduct;
      result.status = run(r, processes).status;
    }
    if (result.status != PipelineStatus::written && result.status != PipelineStatus::follower) return result;
  }
  if (processes.rank() != 0) {
    result.status = PipelineStatus::follower;
    return result;
  }
  if (c.conduct.note) c.conduct.note(fmt::format("discover {}: claim '{}' at {} points, PRIM", file, claim.id, base.sweep.points));
  const PointValues values = evaluate_points(claim, base, c.output, paired);
  const std::vector<Assumption> assumptions = discovery_dimensions(base, file);
  const analysis::discovery::PointSet points = point_set(base, assumptions, values.interest);
  const analysis::discovery::DiscoveryResult found = analysis::discovery::discover(points, c.settings);
  result.table = discovery_table(claim, base, values, assumptions, points, found, c.settings);
  output::write_discovery(c.output, result.table);
  result.status = PipelineStatus::written;
  result.formula = claim_formula(claim);
  result.runs = runs;
  result.replicates = base.run.replicates;
  for (const std::int8_t v : values.verdict) ++result.verdicts[static_cast<std::size_t>(v)];
  return result;
}

}  // namespace normsim::study
