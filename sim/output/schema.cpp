// The schema table and its Markdown rendering (see schema.hpp).
#include "output/schema.hpp"

#include "model/outcomes.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace normsim::output {

namespace {

constexpr const char* kFactor = "<factor>";

std::vector<SchemaEntry> build_entries() {
  using enum SchemaKind;
  std::vector<SchemaEntry> e;
  e.push_back({dataset, "/point", "uint64", "[P]", "", "dimension scale: design point index 0 … P−1", true, false, 0});
  e.push_back({dataset, "/replicate", "uint64", "[R]", "", "dimension scale: replicate index 0 … R−1 (within a point)", true, false, 0});
  e.push_back({dataset, "/step", "int64", "[T]", "step", "dimension scale of series: step 1 … T (value after that step)", true, false, 0});
  for (const auto& d : model::kOutcomeDescriptors)
    e.push_back({dataset, fmt::format("/outcomes/{}", d.name), "float64", "[P, R]", std::string{d.units},
                 fmt::format("{}; NaN for a run never written", d.meaning), true, false, 0});
  for (const auto& d : model::kSeriesDescriptors)
    e.push_back({dataset, fmt::format("/series/{}", d.name), "float64", "[P, R, T]", std::string{d.units},
                 fmt::format("{}; NaN after the last step run and in runs never written", d.meaning), true, true, 0});
  e.push_back({dataset, "/runs/completed", "uint8", "[P, R]", "", "1 when the run was written, 0 otherwise", true, false, 0});
  e.push_back({dataset, "/runs/researcher_steps", "uint64", "[P, R]", "researcher-steps", "researchers × steps run (0 for a run never written)", true, false, 0});
  e.push_back({dataset, "/runs/wall_seconds", "float64", "[P, R]", "s", "time spent in the run's model (NaN for a run never written)", false, false, 0});
  e.push_back({dataset, fmt::format("/design/{}", kFactor), "float64", "[P]", "attribute units",
               "value of a numeric design factor (scenario key = dataset name = attribute `key`; attributes `units`, `scale`)", true, false, 1});
  e.push_back({dataset, fmt::format("/design/{}", kFactor), "int64", "[P]", "",
               "level code of a categorical design factor; label = attribute `labels`[code] (also CF `flag_values`, `flag_meanings`; attribute `key`)", true, false, 2});
  const std::array<std::pair<const char*, const char*>, 6> stats{{
      {"mean", "mean over the point's completed runs with a value (NaN excluded)"},
      {"sd", "sample standard deviation, divisor n − 1 (NaN if n < 2)"},
      {"se", "standard error of the mean, sd/√n (NaN if n < 2)"},
      {"q05", "5 % quantile, type 7 (linear interpolation between order statistics)"},
      {"q50", "median, type 7"},
      {"q95", "95 % quantile, type 7"}}};
  for (const auto& d : model::kOutcomeDescriptors) {
    for (const auto& [name, meaning] : stats)
      e.push_back({dataset, fmt::format("/summary/{}/{}", d.name, name), "float64", "[P]", std::string{d.units},
                   fmt::format("{} of {}", meaning, d.name), true, false, 0});
    e.push_back({dataset, fmt::format("/summary/{}/n", d.name), "uint64", "[P]", "replicates",
                 fmt::format("completed runs of the point whose {} is not NaN", d.name), true, false, 0});
  }
  e.push_back({dataset, "/summary/reached_transformative", "uint64", "[P]", "replicates", "completed runs of the point with a finite t_transform", true, false, 0});

  e.push_back({dataset, "/attribution/<table>/factor", "int64", "[G]", "",
               "one table per attributed outcome (<table> = the outcome name: first_order and total indices) and per Shapley analysis (<table> = <outcome>.shapley: first_order, total and shapley of its groups); on a one-factor sweep file, <index> = share (variance share of the categorical factor); knockouts: <table> = <outcome>.knockout, <index> = knockout (mean paired change without the entity, Student-t interval); Janon: <table> = <outcome>.janon, <index> = first_order of every lab stream and researcher; code 0 … G−1 of each factor or group; names in attribute `labels`, kinds in `kinds` (group, lab, lab and its researchers, custom group, researcher, parameter, norm, knockout, categorical factor); group attributes rows, runs, variance, confidence (the level of every interval of the table; each index's `ci` attribute ends with it); /attribution attribute extra_runs (runs of the extra designs made in memory: screening, knockouts, Janon, Shapley; not on a sweep's factor share)", true, false, 3});
  for (const auto& [column, meaning] : std::array<std::pair<const char*, const char*>, 4>{{
           {"se", "standard error of the estimate (bootstrap standard deviation, or t-based for knockouts): claims make their intervals at other levels from it"},
           {"estimate", "the index (share of the outcome's variance) of each factor; attributes `estimator`, `ci`"},
           {"low", "lower end of its confidence interval at the table's level (attribute confidence; percentile bootstrap, or Student t for knockouts)"},
           {"high", "upper end of that interval"}}}) {
    e.push_back({dataset, fmt::format("/attribution/<table>/<index>/{}", column), "float64", "[G]", "fraction of variance",
                 meaning, true, false, 3});
  }

  // Written by `normsim check` (claims_table.hpp); E = the claim's entries (design points, cells of
  // the other factors for claims over norms, or 1 for the whole design).
  const std::string claim_attrs =
      "; group attributes statement, quantity, outcome, compare (< or >), value, confidence (1 − α of the whole "
      "claim), entry_confidence (level of each entry's interval), error (family_wise or per_point), mode (fixed or "
      "sequential), looks, guarantee (in words), scope (points or design), estimator, units; /claims attributes "
      "verdict_labels, wall_seconds (the whole check: its runs, rounds, attribution looks and locate searches; a "
      "resumed check counts the resumed invocation only) and runs (every model run of the check)";
  e.push_back({dataset, "/claims/<id>/estimate", "float64", "[E]", "attribute units",
               "the claimed quantity at each entry of the claim (one per design point, per cell of the other factors "
               "for claims over norms, or one for the whole design)" + claim_attrs, true, false, 4});
  e.push_back({dataset, "/claims/<id>/low", "float64", "[E]", "attribute units", "lower end of the entry's interval (level: attribute entry_confidence; a confidence sequence with --until-decided)", true, false, 4});
  e.push_back({dataset, "/claims/<id>/high", "float64", "[E]", "attribute units", "upper end of the entry's interval", true, false, 4});
  e.push_back({dataset, "/claims/<id>/verdict", "int8", "[E]", "",
               "0 holds (interval on the claimed side), 1 fails (on the other side), 2 inconclusive; attribute labels",
               true, false, 4});
  e.push_back({dataset, "/claims/<id>/n", "uint64", "[E]", "replicates or design rows", "sample size behind the estimate", true, false, 4});
  e.push_back({dataset, "/claims/<id>/n_needed", "float64", "[E]", "replicates or design rows",
               "sample size that would likely decide an inconclusive entry (0 when decided, inf when none can)", true, false, 4});
  e.push_back({dataset, "/claims/<id>/prospect", "int8", "[E]", "",
               "why the entry stopped: 0 decided, 1 more runs would likely decide it (the budget ran out, or a fixed design), 2 beyond the budget (estimate off the value but too close), 3 on the value (within a standard error: no budget can be named); attribute labels", true, false, 4});
  e.push_back({dataset, "/claims/<id>/runs", "uint64", "[E]", "runs", "model runs spent on the entry (its points' replicates, or the attribution designs' runs)", true, false, 4});
  // With `locate` in a claim: C = combinations of the other factors, X = crossings, Q = points evaluated.
  const std::string boundary_attrs =
      "; group /claims/<id>/boundary attributes factor (the located key), alpha (error of each search), guarantee, "
      "method";
  e.push_back({dataset, "/claims/<id>/boundary/status", "int8", "[C]", "",
               "per combination of the other factors: 0 crosses once, 1 crosses more than once, 2 no crossing within the "
               "factor's range, 3 undecided; attribute labels" + boundary_attrs, true, false, 4});
  for (const char* column : {"estimate", "low", "high"}) {
    e.push_back({dataset, fmt::format("/claims/<id>/boundary/{}", column), "float64", "[C]", "units of the factor",
                 fmt::format("the first crossing's {} (NaN when none): the interval's ends are decided points of opposite "
                             "signs", column), true, false, 4});
  }
  e.push_back({dataset, "/claims/<id>/boundary/count", "uint64", "[C]", "", "crossings found", true, false, 4});
  e.push_back({dataset, "/claims/<id>/boundary/runs", "uint64", "[C]", "runs", "model runs of the search", true, false, 4});
  e.push_back({dataset, "/claims/<id>/boundary/design/<factor>", "float64 or int64", "[C]", "attribute units",
               "the other factors' values at each combination, as /design/<factor>", true, false, 4});
  e.push_back({dataset, "/claims/<id>/boundary/crossings/<column>", "uint64, float64 or int8", "[X]", "",
               "every crossing: combination (index into [C]), estimate, low, high (units of the factor), end (why its "
               "bracket stopped: resolution, zone, probes, budget, not_refined; attribute labels), holds_below (1: the "
               "claim holds below it)", true, false, 4});
  e.push_back({dataset, "/claims/<id>/boundary/points/<column>", "uint64, float64 or int8", "[Q]", "",
               "every point the searches evaluated: combination, x (the factor's value), estimate, low, high (its "
               "interval), n (replicates), sign (+1 above the value, −1 below, 0 undecided), role (0 grid, 1 probe)",
               true, false, 4});
  e.push_back({dataset, "/claims/<id>/design/<factor>", "float64 or int64", "[E]", "attribute units",
               "where each entry was evaluated, as /design/<factor> (absent for scope design)", true, false, 4});

  // Written by `normsim discover` (discovery_table.hpp); P = design points, D = assumptions (the
  // sweep's factors), K = a box's restrictions, S = steps of its peeling trajectory, L = most levels.
  const std::string d_attrs =
      "; group attributes statement, quantity, outcome, compare, value, confidence (each point's level), estimator, "
      "guarantee, interest (the rule in words), n_points, base_rate, total_interest, boxes (accepted), stop_reason, "
      "and PRIM's settings (peel_alpha, paste_alpha, min_mass, objective, choice, quality_exponent, "
      "choice_min_coverage, choice_min_density, choice_max_mass, choice_step, max_quasi_p, max_boxes, min_density, "
      "permutations, significance, resamples, seed); /discovery attribute verdict_labels";
  const std::string box = " of the box (<box> = box_1, box_2, … the accepted boxes in covering order, or rejected: the box that stopped the covering)";
  const std::vector<std::array<const char*, 5>> discovery{{
      {"points/estimate", "float64", "[P]", "attribute units", "the claim's quantity at each design point (a mean_difference from the paired runs of both norms at the point)"},
      {"points/low", "float64", "[P]", "", "lower end of the point's interval (level: attribute confidence, per point)"},
      {"points/high", "float64", "[P]", "", "upper end of the point's interval"},
      {"points/verdict", "int8", "[P]", "", "0 holds, 1 fails, 2 inconclusive at the point; attribute labels"},
      {"points/interest", "float64", "[P]", "", "1 where the claim fails at its estimate (what PRIM looks for), else 0"},
      {"points/n", "uint64", "[P]", "replicates", "replicates (pairs) behind the point's estimate"},
      {"points/design/<factor>", "float64 or int64", "[P]", "attribute units", "the point's assumptions, as /design/<factor>"},
      {"dimensions/low", "float64", "[D]", "the assumption's units", "lower end of each assumption's range (NaN for categorical); group attributes names (the factors' keys), scales (linear, log: PRIM works on ln x)"},
      {"dimensions/high", "float64", "[D]", "the assumption's units", "upper end of the range"},
      {"dimensions/kind", "int8", "[D]", "", "0 numeric, 1 categorical; attribute labels"},
      {"<box>/restrictions/dimension", "uint64", "[K]", "", "index into dimensions of each restriction"},
      {"<box>/restrictions/side", "int8", "[K]", "", "0 low (x ≥ limit), 1 high (x ≤ limit), 2 levels (x among the admitted levels); attribute labels; group attribute text (each restriction in words)"},
      {"<box>/restrictions/limit", "float64", "[K]", "the assumption's units", "the bound (NaN for levels)"},
      {"<box>/restrictions/levels", "uint64", "[K]", "", "mask of the admitted levels (bit k: level k); 0 for a numeric side"},
      {"<box>/restrictions/quasi_p", "float64", "[K]", "", "quasi-p-value of the restriction (one-sided binomial test of the box against the box without it; optimistic: chosen on the same data)"},
      {"<box>/restrictions/frequency", "float64", "[K]", "", "share of bootstrap resamples whose matched box restricts this side (NaN without resamples)"},
      {"<box>/restrictions/limit_mean", "float64", "[K]", "the assumption's units", "mean of the limit over the resamples restricting it (geometric mean for a log-scale assumption)"},
      {"<box>/restrictions/limit_sd", "float64", "[K]", "the assumption's units, or ln units for a log scale", "sd of the limit over those resamples (of ln(limit) for a log-scale assumption)"},
      {"<box>/limits/low", "float64", "[D]", "the assumption's units", "the box's lower limit on every assumption (its range's when not restricted; NaN for categorical)"},
      {"<box>/limits/high", "float64", "[D]", "the assumption's units", "the box's upper limit on every assumption"},
      {"<box>/limits/levels", "uint64", "[D]", "", "admitted levels of every categorical assumption (mask; 0 for numeric)"},
      {"<box>/trajectory/coverage", "float64", "[S]", "", "coverage at each step of the box's peeling trajectory (share of the stage's interest inside; step 0 = all the stage's points); group attribute chosen_step"},
      {"<box>/trajectory/density", "float64", "[S]", "", "density at each step (share of the box's points of interest)"},
      {"<box>/trajectory/mass", "float64", "[S]", "", "mass at each step (share of all points inside)"},
      {"<box>/trajectory/n_points", "uint64", "[S]", "points", "points in the box at each step"},
      {"<box>/trajectory/n_restricted", "uint64", "[S]", "", "assumptions restricted at each step"},
      {"<box>/trajectory/low", "float64", "[S, D]", "the assumption's units", "the box's lower limits at each step"},
      {"<box>/trajectory/high", "float64", "[S, D]", "the assumption's units", "the box's upper limits at each step"},
      {"<box>/trajectory/levels", "uint64", "[S, D]", "", "admitted levels at each step (mask)"},
      {"<box>/stability/frequency", "float64", "[D, 3]", "", "share of bootstrap resamples whose matched box restricts each assumption's low, high and levels side (NaN when not measured)"},
      {"<box>/stability/limit_mean", "float64", "[D, 2]", "the assumption's units", "mean low and high limit over the resamples restricting that side"},
      {"<box>/stability/limit_sd", "float64", "[D, 2]", "the assumption's units, or ln units for a log scale", "their sd"},
      {"<box>/stability/level_admitted", "float64", "[D, L]", "", "share of resamples whose matched box admits each level of a categorical assumption (NaN padding)"},
  }};
  for (const auto& [path, type, shape, units, meaning] : discovery) {
    const std::string p = std::string(path);
    std::string text = std::string(meaning);
    if (p.rfind("<box>/", 0) == 0) {
      text += box;
      if (p == "<box>/restrictions/dimension") {
        text += "; group attributes stage, coverage, density, mass, n_points, p_value (permutation test of the "
                "box against structureless data), null_density, similarity (bootstrap), resamples, chosen_step, "
                "stage_points, stage_base_rate, dropped (restrictions the resolution pass removed, in words)";
      }
    }
    if (p == "points/estimate") text += d_attrs;
    e.push_back({dataset, "/discovery/<claim>/" + p, type, shape, units, text, true, false, 5});
  }

  e.push_back({root_attribute, "format", "string", "scalar", "", "always \"normsim-runs\"", true, false, 0});
  e.push_back({root_attribute, "format_version", "int64", "scalar", "", "version of this layout (2: point × replicate)", true, false, 0});
  e.push_back({root_attribute, "complete", "uint8", "scalar", "", "1 if every run finished and the file was committed normally, else 0", true, false, 0});
  e.push_back({root_attribute, "normsim_version", "string", "scalar", "", "version of normsim that wrote the file", true, false, 0});
  e.push_back({root_attribute, "git_commit", "string", "scalar", "", "git commit of the build", true, false, 0});
  e.push_back({root_attribute, "compiler", "string", "scalar", "", "compiler and version of the build", true, false, 0});
  e.push_back({root_attribute, "build_type", "string", "scalar", "", "CMake build type", true, false, 0});
  e.push_back({root_attribute, "command_line", "string", "scalar", "", "the command line as typed", false, false, 0});
  e.push_back({root_attribute, "scenario_file", "string", "scalar", "", "path of the scenario file as given", true, false, 0});
  e.push_back({root_attribute, "scenario_resolved", "string", "scalar", "", "the scenario after defaults and overrides, as TOML", true, false, 0});
  e.push_back({root_attribute, "key_derivation", "string", "scalar", "", "how per-entity random keys derive from the master seed", true, false, 0});
  e.push_back({root_attribute, "rng", "string", "scalar", "", "random generator used", true, false, 0});
  e.push_back({root_attribute, "math_implementation", "string", "scalar", "",
               "implementation of the model's elementary functions (log, exp, pow, log1p, cos, sin): its outputs "
               "are the same bits on every CPU and vector path; files made with another implementation differ in bits",
               true, false, 0});
  e.push_back({root_attribute, "vector_path", "string", "scalar", "",
               "vector code the run used: avx512, avx2 or portable (NORMSIM_SIMD=off); never changes a number",
               false, false, 0});
  e.push_back({root_attribute, "host", "string", "scalar", "", "host name", false, false, 0});
  e.push_back({root_attribute, "start_time", "string", "scalar", "", "ISO 8601 start time", false, false, 0});
  e.push_back({root_attribute, "end_time", "string", "scalar", "", "ISO 8601 end time (written at commit)", false, false, 0});
  e.push_back({root_attribute, "cli_overrides", "string[]", "[n]", "", "the --set key=value overrides, in order (may be empty)", true, false, 0});
  e.push_back({root_attribute, "master_seed", "uint64", "scalar", "", "master seed actually used", true, false, 0});
  e.push_back({root_attribute, "threads", "int64", "scalar", "", "worker threads used", false, false, 0});
  e.push_back({root_attribute, "processes", "int64", "scalar", "", "processes used", false, false, 0});
  e.push_back({root_attribute, "wall_seconds", "float64", "scalar", "s", "elapsed time of the run set (written at commit)", false, false, 0});
  return e;
}

std::vector<std::string> expand(const Layout& layout, bool reproducible_only) {
  std::vector<std::string> out;
  for (const auto& e : schema_entries()) {
    if (e.kind != SchemaKind::dataset || (reproducible_only && !e.reproducible) || (e.needs_series && !layout.series)) continue;
    if (e.per_factor >= 3) continue;  // only in files written by `normsim attribute`, `check`, `discover`
    if (e.per_factor == 0) {
      out.push_back(e.path);
      continue;
    }
    for (const auto& f : layout.design)
      if (f.categorical == (e.per_factor == 2)) out.push_back("/design/" + f.name);
  }
  return out;
}

}  // namespace

const std::vector<SchemaEntry>& schema_entries() {
  static const std::vector<SchemaEntry> entries = build_entries();
  return entries;
}

std::vector<std::string> reproducible_dataset_paths(bool series) {
  std::vector<std::string> out;
  for (const auto& e : schema_entries())
    if (e.kind == SchemaKind::dataset && e.reproducible && e.per_factor == 0 && (series || !e.needs_series))
      out.push_back(e.path);
  return out;
}

std::vector<std::string> reproducible_dataset_paths(const Layout& layout) { return expand(layout, true); }

std::vector<std::string> dataset_paths_for(const Layout& layout) { return expand(layout, false); }

std::string schema_markdown() {
  std::string md = R"(## HDF5 output

normsim writes one HDF5 file per run set (format `normsim-runs`, version 2): P design points
(dimension `point`; P = 1 for a single scenario) × R replicates per point (dimension `replicate`)
× T steps (dimension `step`, value after that step). Run index = point · R + replicate. The file is
written to `<path>.tmp-<pid>` and renamed onto `<path>` only at the end, so a file at `<path>` is
always complete in structure; root attribute `complete` says whether every run finished. Runs
never written read as NaN (float64) or 0 (`/runs/*` integers). Datasets marked reproducible are
bit-identical for the same scenario, seed and build, whatever the thread count, the order in which
runs finished, or how a sweep was sharded and resumed (journals merged by `finalize`).
`/point`, `/replicate` and `/step` are HDF5 dimension scales, so netCDF-4 tools and xarray name
the dimensions. Each `/outcomes` and `/series` dataset carries attributes `units`, `meaning` and
`_FillValue` (NaN). `/series` is chunked by blocks of runs and compressed (shuffle + deflate level 1; whole chunks with zlib's run-length strategy, compressed on the run's threads).

`/design/<factor>` holds the design table, one [P] dataset per varied scenario key; the dataset
name is the key itself (dots are valid in HDF5, netCDF-4 and xarray names), repeated in attribute
`key`. Numeric factors are float64 (attributes `units`, `scale`); categorical factors are int64
level codes with the labels in attribute `labels` (and CF `flag_values`/`flag_meanings`, with blanks
in labels replaced by `_`). `/summary/<outcome>/{mean, sd, se, q05, q50, q95, n}` summarise each
point over its completed replicates, NaN values excluded; quantiles are type 7 (numpy's default,
linear interpolation between order statistics: h = (n − 1)·q).

A tidy table, one row per run (point, replicate, factors..., outcomes), with xarray (engine
netcdf4 or h5netcdf) and pandas:

```python
import h5py, numpy as np, xarray as xr
path = "runs.h5"
outcomes = xr.open_dataset(path, group="outcomes")                 # dims (point, replicate)
design = xr.open_dataset(path, group="design")                     # dim point
for k, v in design.data_vars.items():                              # categorical codes → labels
    if "labels" in v.attrs:
        design[k] = ("point", np.asarray(v.attrs["labels"], dtype=object)[v.values])
tidy = outcomes.assign_coords({k: design[k] for k in design.data_vars}).to_dataframe().reset_index()
summary = xr.open_dataset(path, group="summary/xrisk").to_dataframe()  # one row per point
series = xr.open_dataset(path, group="series")                     # dims (point, replicate, step)
with h5py.File(path) as f:
    xrisk = f["outcomes/xrisk"][:]                                 # numpy array, shape (P, R)
    seed = f.attrs["master_seed"]
```

Crash-safe, resumable and sharded sweeps write each finished run first to an append-only journal
(framed records with a CRC-32; a torn last record is ignored and cut off on resume; fdatasync at
least every second), one journal per process or shard, all sharing a 64-bit sweep identity (a
hash of the resolved scenario and design, XOR the identity of the build's numbers: the model's bits
revision and the math implementation, so that no journal is resumed or merged across builds whose
numbers differ); the
HDF5 file is then built from the journals by `finalize`, which checks identity, layout, missing
and overlapping runs and gives the same reproducible datasets whatever the sharding, resumption
or record order.

### Datasets

| path | type | shape | units | meaning | reproducible |
|---|---|---|---|---|---|
)";
  auto row = [&](const SchemaEntry& e) {
    const std::string note = e.needs_series ? " (only with series recording)" : "";
    md += fmt::format("| `{}` | {} | {} | {} | {}{} | {} |\n", e.path, e.type, e.shape, e.units, e.meaning, note,
                      e.reproducible ? "yes" : "no");
  };
  for (const auto& e : schema_entries())
    if (e.kind == SchemaKind::dataset) row(e);
  md += "\n### Root attributes\n\n| name | type | shape | units | meaning | reproducible |\n|---|---|---|---|---|---|\n";
  for (const auto& e : schema_entries())
    if (e.kind == SchemaKind::root_attribute) row(e);
  return md;
}

}  // namespace normsim::output
