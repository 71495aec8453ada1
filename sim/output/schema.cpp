// The schema table and its Markdown rendering (see schema.hpp).
#include "output/schema.hpp"

#include "model/outcomes.hpp"

#include <fmt/format.h>

namespace normsim::output {

namespace {

std::vector<SchemaEntry> build_entries() {
  using enum SchemaKind;
  std::vector<SchemaEntry> e;
  e.push_back({dataset, "/replicate", "uint64", "[R]", "", "dimension scale of rows: replicate index 0 … R−1", true, false});
  e.push_back({dataset, "/step", "int64", "[T]", "step", "dimension scale of series columns: step 1 … T (value after that step)", true, false});
  for (const auto& d : model::kOutcomeDescriptors)
    e.push_back({dataset, fmt::format("/outcomes/{}", d.name), "float64", "[R]", std::string{d.units},
                 fmt::format("{}; NaN for a row never written", d.meaning), true, false});
  for (const auto& d : model::kSeriesDescriptors)
    e.push_back({dataset, fmt::format("/series/{}", d.name), "float64", "[R, T]", std::string{d.units},
                 fmt::format("{}; NaN after the last step run and in rows never written", d.meaning), true, true});
  e.push_back({dataset, "/runs/completed", "uint8", "[R]", "", "1 when the row was written, 0 otherwise", true, false});
  e.push_back({dataset, "/runs/researcher_steps", "uint64", "[R]", "researcher-steps", "researchers × steps run (0 for a row never written)", true, false});
  e.push_back({dataset, "/runs/wall_seconds", "float64", "[R]", "s", "time spent in the run's model (NaN for a row never written)", false, false});

  e.push_back({root_attribute, "format", "string", "scalar", "", "always \"normsim-runs\"", true, false});
  e.push_back({root_attribute, "format_version", "int64", "scalar", "", "version of this layout (1)", true, false});
  e.push_back({root_attribute, "complete", "uint8", "scalar", "", "1 if every run finished and the file was committed normally, else 0", true, false});
  e.push_back({root_attribute, "normsim_version", "string", "scalar", "", "version of normsim that wrote the file", true, false});
  e.push_back({root_attribute, "git_commit", "string", "scalar", "", "git commit of the build", true, false});
  e.push_back({root_attribute, "compiler", "string", "scalar", "", "compiler and version of the build", true, false});
  e.push_back({root_attribute, "build_type", "string", "scalar", "", "CMake build type", true, false});
  e.push_back({root_attribute, "command_line", "string", "scalar", "", "the command line as typed", false, false});
  e.push_back({root_attribute, "scenario_file", "string", "scalar", "", "path of the scenario file as given", true, false});
  e.push_back({root_attribute, "scenario_resolved", "string", "scalar", "", "the scenario after defaults and overrides, as TOML", true, false});
  e.push_back({root_attribute, "key_derivation", "string", "scalar", "", "how per-entity random keys derive from the master seed", true, false});
  e.push_back({root_attribute, "rng", "string", "scalar", "", "random generator used", true, false});
  e.push_back({root_attribute, "host", "string", "scalar", "", "host name", false, false});
  e.push_back({root_attribute, "start_time", "string", "scalar", "", "ISO 8601 start time", false, false});
  e.push_back({root_attribute, "end_time", "string", "scalar", "", "ISO 8601 end time (written at commit)", false, false});
  e.push_back({root_attribute, "cli_overrides", "string[]", "[n]", "", "the --set key=value overrides, in order (may be empty)", true, false});
  e.push_back({root_attribute, "master_seed", "uint64", "scalar", "", "master seed actually used", true, false});
  e.push_back({root_attribute, "threads", "int64", "scalar", "", "worker threads used", false, false});
  e.push_back({root_attribute, "processes", "int64", "scalar", "", "processes used", false, false});
  e.push_back({root_attribute, "wall_seconds", "float64", "scalar", "s", "elapsed time of the run set (written at commit)", false, false});
  return e;
}

}  // namespace

const std::vector<SchemaEntry>& schema_entries() {
  static const std::vector<SchemaEntry> entries = build_entries();
  return entries;
}

std::vector<std::string> reproducible_dataset_paths(bool series) {
  std::vector<std::string> out;
  for (const auto& e : schema_entries())
    if (e.kind == SchemaKind::dataset && e.reproducible && (series || !e.needs_series)) out.push_back(e.path);
  return out;
}

std::string schema_markdown() {
  std::string md = R"(## HDF5 output

`normsim run` writes one HDF5 file per run set (format `normsim-runs`, version 1). Rows are runs
(R replicates, dimension `replicate`), series columns are steps (T steps, dimension `step`, value
after that step). The file is written to `<path>.tmp-<pid>` and renamed onto `<path>` only at the
end, so a file at `<path>` is always complete in structure; root attribute `complete` says whether
every run finished. Rows never written read as NaN (float64) or 0 (`/runs/*` integers). Datasets
marked reproducible are bit-identical for the same scenario, seed and build, whatever the thread
count or the order in which runs finished. `/replicate` and `/step` are HDF5 dimension scales, so
netCDF-4 tools and xarray name the dimensions. Each `/outcomes` and `/series` dataset carries
attributes `units`, `meaning` and `_FillValue` (NaN). `/series` is chunked by blocks of rows and
compressed (shuffle + deflate 1) when the file is not empty.

```python
import h5py, pandas as pd, xarray as xr
with h5py.File("runs.h5") as f:
    xrisk = f["outcomes/xrisk"][:]                    # numpy array, shape (R,)
    seed = f.attrs["master_seed"]
    outcomes = pd.DataFrame({k: v[:] for k, v in f["outcomes"].items()})
outcomes = xr.open_dataset("runs.h5", group="outcomes", engine="h5netcdf").to_dataframe()
series = xr.open_dataset("runs.h5", group="series", engine="h5netcdf")  # dims (replicate, step)
```

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
