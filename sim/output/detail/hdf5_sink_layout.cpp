// Creation of the file layout of Hdf5Sink: dimension scales, /outcomes, /series, /runs, /design,
// and the provenance attributes (see hdf5_sink_state.hpp and output/schema.hpp).
#include "output/detail/hdf5_sink_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace normsim::output::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint8_t kZeroByte = 0;
constexpr std::uint64_t kZeroCount = 0;
constexpr std::int64_t kNoLevel = -1;

// A 1-D scale dataset holding first, first + 1, ..., written in pieces so that memory does not
// grow with its length.
template <class T>
Dataset create_index_scale(hid_t root, const std::string& name, std::uint64_t n, T first) {
  const DatasetSpec spec{file_type<T>(), {n}, {}, false, -1, nullptr};
  Dataset d = create_dataset(root, name, spec);
  constexpr std::uint64_t kPiece = 65536;
  std::vector<T> piece;
  for (std::uint64_t a = 0; a < n; a += kPiece) {
    piece.resize(std::min<std::uint64_t>(kPiece, n - a));
    for (std::size_t i = 0; i < piece.size(); ++i) piece[i] = static_cast<T>(a + i) + first;
    const hsize_t start = a, count = piece.size();
    write_block<T>(d.id(), {&start, 1}, {&count, 1}, piece, fmt::format("writing /{}", name));
  }
  set_scale(d.id(), name);
  return d;
}

// CF flag_meanings are blank-separated words: blanks inside a label become '_'.
std::string flag_meanings(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) {
    if (!out.empty()) out += ' ';
    std::string word = l.empty() ? std::string{"_"} : l;
    std::replace(word.begin(), word.end(), ' ', '_');
    out += word;
  }
  return out;
}

}  // namespace

void write_provenance(hid_t root, const Provenance& p) {
  write_string_attribute(root, "normsim_version", p.normsim_version);
  write_string_attribute(root, "git_commit", p.git_commit);
  write_string_attribute(root, "compiler", p.compiler);
  write_string_attribute(root, "build_type", p.build_type);
  write_string_attribute(root, "command_line", p.command_line);
  write_string_attribute(root, "scenario_file", p.scenario_file);
  write_string_attribute(root, "scenario_resolved", p.scenario_resolved);
  write_string_attribute(root, "key_derivation", p.key_derivation);
  write_string_attribute(root, "rng", p.rng);
  write_string_attribute(root, "math_implementation", p.math_implementation);
  write_string_attribute(root, "vector_path", p.vector_path);
  write_string_attribute(root, "host", p.host);
  write_string_attribute(root, "start_time", p.start_time);
  write_string_attribute(root, "end_time", p.end_time);
  write_string_array_attribute(root, "cli_overrides", p.cli_overrides);
  write_number_attribute<std::uint64_t>(root, "master_seed", p.master_seed);
  write_number_attribute<std::int64_t>(root, "threads", p.threads);
  write_number_attribute<std::int64_t>(root, "processes", p.processes);
  write_number_attribute<double>(root, "wall_seconds", p.wall_seconds);
}

void SinkState::create_layout(const Layout& layout) {
  const hsize_t p = points, r = replicates, t = steps;
  const hid_t root = file.id();
  point_scale = create_index_scale<std::uint64_t>(root, "point", p, 0);
  replicate_scale = create_index_scale<std::uint64_t>(root, "replicate", r, 0);
  step_scale = create_index_scale<std::int64_t>(root, "step", t, 1);

  auto describe = [&](const Dataset& d, const model::Descriptor& desc) {
    write_string_attribute(d.id(), "units", desc.units);
    write_string_attribute(d.id(), "meaning", desc.meaning);
    write_number_attribute<double>(d.id(), "_FillValue", kNaN);
    attach_scale(d.id(), point_scale.id(), 0);
    attach_scale(d.id(), replicate_scale.id(), 1);
  };
  DatasetSpec spec{file_type<double>(), {p, r}, {}, false, native_type<double>(), &kNaN};
  outcomes_group = create_group(root, "outcomes");
  for (std::size_t k = 0; k < model::kOutcomeCount; ++k) {
    outcomes[k] = create_dataset(outcomes_group.id(), std::string{model::kOutcomeDescriptors[k].name}, spec);
    describe(outcomes[k], model::kOutcomeDescriptors[k]);
  }
  if (layout.series) {
    series_group = create_group(root, "series");
    spec = {file_type<double>(), {p, r, t}, {}, false, native_type<double>(), &kNaN};
    if (p > 0 && r > 0 && t > 0) {  // chunking (and so compression) needs a non-empty shape
      spec.chunk = {points_per_block, replicates_per_block, t};
      spec.deflate = true;
    }
    for (std::size_t k = 0; k < model::kSeriesCount; ++k) {
      series[k] = create_dataset(series_group.id(), std::string{model::kSeriesDescriptors[k].name}, spec);
      describe(series[k], model::kSeriesDescriptors[k]);
      attach_scale(series[k].id(), step_scale.id(), 2);
    }
  }
  runs_group = create_group(root, "runs");
  spec = {file_type<std::uint8_t>(), {p, r}, {}, false, native_type<std::uint8_t>(), &kZeroByte};
  completed = create_dataset(runs_group.id(), "completed", spec);
  spec = {file_type<std::uint64_t>(), {p, r}, {}, false, native_type<std::uint64_t>(), &kZeroCount};
  researcher_steps = create_dataset(runs_group.id(), "researcher_steps", spec);
  spec = {file_type<double>(), {p, r}, {}, false, native_type<double>(), &kNaN};
  wall_seconds = create_dataset(runs_group.id(), "wall_seconds", spec);
  write_string_attribute(wall_seconds.id(), "note", "not reproducible: depends on the machine and its load");
  for (Dataset* d : {&completed, &researcher_steps, &wall_seconds}) {
    attach_scale(d->id(), point_scale.id(), 0);
    attach_scale(d->id(), replicate_scale.id(), 1);
  }

  // The design table: one [P] dataset per factor, named by its scenario key (dots are fine for
  // HDF5, netCDF-4 and xarray), with the key repeated in attribute `key`.
  design_group = create_group(root, "design");
  for (const auto& f : layout.design) {
    Dataset d = write_design_column(design_group.id(), f, p);
    attach_scale(d.id(), point_scale.id(), 0);
    d.close(fmt::format("writing /design/{}", f.name));
  }
}

Dataset write_design_column(hid_t group, const DesignFactor& f, std::uint64_t p) {
  const std::string what = fmt::format("writing design column {}", f.name);
  const hsize_t start = 0, count = p;
  Dataset d;
  if (f.categorical) {
    d = create_dataset(group, f.name, {file_type<std::int64_t>(), {p}, {}, false, native_type<std::int64_t>(), &kNoLevel});
    write_block<std::int64_t>(d.id(), {&start, 1}, {&count, 1}, f.levels, what);
    write_string_array_attribute(d.id(), "labels", f.labels);
    std::vector<std::int64_t> codes(f.labels.size());
    for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::int64_t>(i);
    write_int64_array_attribute(d.id(), "flag_values", codes);
    write_string_attribute(d.id(), "flag_meanings", flag_meanings(f.labels));
  } else {
    d = create_dataset(group, f.name, {file_type<double>(), {p}, {}, false, native_type<double>(), &kNaN});
    write_block<double>(d.id(), {&start, 1}, {&count, 1}, f.values, what);
    write_string_attribute(d.id(), "units", f.units);
    write_string_attribute(d.id(), "scale", f.scale);
  }
  write_string_attribute(d.id(), "key", f.name);
  return d;
}

}  // namespace normsim::output::detail
