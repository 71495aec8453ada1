// Hdf5Sink: creation of the file layout, the bounded row-block buffer, commit (see hdf5_sink.hpp).
#include "output/hdf5_sink.hpp"

#include "output/detail/hdf5_handles.hpp"
#include "output/schema.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <limits>

namespace normsim::output {

namespace {

using detail::Dataset;
using detail::Group;
using model::kOutcomeCount;
using model::kSeriesCount;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint8_t kZeroByte = 0;
constexpr std::uint64_t kZeroCount = 0;

// Rows of one block = row extent of a /series chunk: about 1 MiB of float64 per chunk (the default
// chunk cache size), at most 64 rows, at least 1, never more than R.
std::uint64_t choose_block_rows(const Layout& layout) {
  constexpr std::uint64_t kChunkBytes = std::uint64_t{1} << 20;
  const auto row_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(layout.steps, 1)) * sizeof(double);
  const std::uint64_t rows = std::clamp<std::uint64_t>(kChunkBytes / row_bytes, 1, 64);
  return std::max<std::uint64_t>(std::min(rows, layout.replicates), 1);
}

void write_provenance(hid_t root, const Provenance& p) {
  detail::write_string_attribute(root, "normsim_version", p.normsim_version);
  detail::write_string_attribute(root, "git_commit", p.git_commit);
  detail::write_string_attribute(root, "compiler", p.compiler);
  detail::write_string_attribute(root, "build_type", p.build_type);
  detail::write_string_attribute(root, "command_line", p.command_line);
  detail::write_string_attribute(root, "scenario_file", p.scenario_file);
  detail::write_string_attribute(root, "scenario_resolved", p.scenario_resolved);
  detail::write_string_attribute(root, "key_derivation", p.key_derivation);
  detail::write_string_attribute(root, "rng", p.rng);
  detail::write_string_attribute(root, "host", p.host);
  detail::write_string_attribute(root, "start_time", p.start_time);
  detail::write_string_attribute(root, "end_time", p.end_time);
  detail::write_string_array_attribute(root, "cli_overrides", p.cli_overrides);
  detail::write_number_attribute<std::uint64_t>(root, "master_seed", p.master_seed);
  detail::write_number_attribute<std::int64_t>(root, "threads", p.threads);
  detail::write_number_attribute<std::int64_t>(root, "processes", p.processes);
  detail::write_number_attribute<double>(root, "wall_seconds", p.wall_seconds);
}

// Rows received and not yet written, for rows [index·B, index·B + rows). Column-major per dataset
// so that each dataset's slice of a run of rows is contiguous in memory.
struct RowBlock {
  std::uint64_t index = 0;
  std::uint64_t rows = 0;
  std::uint64_t filled = 0;
  std::vector<std::uint8_t> present;            // [rows]
  std::vector<double> outcomes;                 // [kOutcomeCount][B]
  std::vector<double> series;                   // [kSeriesCount][B][T], empty without series
  std::vector<std::uint64_t> researcher_steps;  // [B]
  std::vector<double> wall_seconds;             // [B]
};

}  // namespace

struct Hdf5Sink::State {
  detail::File file;
  Group outcomes_group, series_group, runs_group;
  Dataset replicate_scale, step_scale;
  std::array<Dataset, kOutcomeCount> outcomes;
  std::array<Dataset, kSeriesCount> series;
  Dataset completed, researcher_steps, wall_seconds;
  std::uint64_t block_rows = 1;
  std::uint64_t steps = 0;
  std::size_t max_open_blocks = 4;
  std::vector<RowBlock> open;    // ≤ max_open_blocks
  std::vector<RowBlock> spare;   // storage of flushed blocks, reused (no allocation per block)

  void create_layout(const Layout& layout);
  RowBlock& block_for(std::uint64_t row, std::uint64_t replicates);
  void flush(RowBlock& block);
  void flush_all() {
    for (auto& b : open) flush(b);
    for (auto& b : open) spare.push_back(std::move(b));
    open.clear();
  }
  void close_all() noexcept {  // objects first, file last
    for (auto& d : outcomes) d.reset();
    for (auto& d : series) d.reset();
    for (Dataset* d : {&completed, &researcher_steps, &wall_seconds, &replicate_scale, &step_scale}) d->reset();
    for (Group* g : {&outcomes_group, &series_group, &runs_group}) g->reset();
    file.reset();
  }
};

void Hdf5Sink::State::create_layout(const Layout& layout) {
  const hsize_t r = layout.replicates;
  const hsize_t t = steps;
  const hid_t root = file.id();
  detail::DatasetSpec spec;

  // Dimension scales, written in pieces so that memory does not grow with R or T.
  constexpr std::uint64_t kPiece = 65536;
  spec = {detail::file_type<std::uint64_t>(), {r}, {}, false, -1, nullptr};
  replicate_scale = detail::create_dataset(root, "replicate", spec);
  std::vector<std::uint64_t> rep;
  for (std::uint64_t a = 0; a < r; a += kPiece) {
    rep.resize(std::min<std::uint64_t>(kPiece, r - a));
    for (std::size_t i = 0; i < rep.size(); ++i) rep[i] = a + i;
    const hsize_t start = a, count = rep.size();
    detail::write_block<std::uint64_t>(replicate_scale.id(), {&start, 1}, {&count, 1}, rep, "writing /replicate");
  }
  detail::set_scale(replicate_scale.id(), "replicate");
  spec = {detail::file_type<std::int64_t>(), {t}, {}, false, -1, nullptr};
  step_scale = detail::create_dataset(root, "step", spec);
  std::vector<std::int64_t> st;
  for (std::uint64_t a = 0; a < t; a += kPiece) {
    st.resize(std::min<std::uint64_t>(kPiece, t - a));
    for (std::size_t i = 0; i < st.size(); ++i) st[i] = static_cast<std::int64_t>(a + i + 1);
    const hsize_t start = a, count = st.size();
    detail::write_block<std::int64_t>(step_scale.id(), {&start, 1}, {&count, 1}, st, "writing /step");
  }
  detail::set_scale(step_scale.id(), "step");

  auto describe = [&](const Dataset& d, const model::Descriptor& desc) {
    detail::write_string_attribute(d.id(), "units", desc.units);
    detail::write_string_attribute(d.id(), "meaning", desc.meaning);
    detail::write_number_attribute<double>(d.id(), "_FillValue", kNaN);
    detail::attach_scale(d.id(), replicate_scale.id(), 0);
  };
  outcomes_group = detail::create_group(root, "outcomes");
  spec = {detail::file_type<double>(), {r}, {}, false, detail::native_type<double>(), &kNaN};
  for (std::size_t k = 0; k < kOutcomeCount; ++k) {
    outcomes[k] = detail::create_dataset(outcomes_group.id(), std::string{model::kOutcomeDescriptors[k].name}, spec);
    describe(outcomes[k], model::kOutcomeDescriptors[k]);
  }
  if (layout.series) {
    series_group = detail::create_group(root, "series");
    spec = {detail::file_type<double>(), {r, t}, {}, false, detail::native_type<double>(), &kNaN};
    if (r > 0 && t > 0) {  // chunking (and so compression) needs a non-empty shape
      spec.chunk = {block_rows, t};
      spec.deflate = true;
    }
    for (std::size_t k = 0; k < kSeriesCount; ++k) {
      series[k] = detail::create_dataset(series_group.id(), std::string{model::kSeriesDescriptors[k].name}, spec);
      describe(series[k], model::kSeriesDescriptors[k]);
      detail::attach_scale(series[k].id(), step_scale.id(), 1);
    }
  }
  runs_group = detail::create_group(root, "runs");
  spec = {detail::file_type<std::uint8_t>(), {r}, {}, false, detail::native_type<std::uint8_t>(), &kZeroByte};
  completed = detail::create_dataset(runs_group.id(), "completed", spec);
  spec = {detail::file_type<std::uint64_t>(), {r}, {}, false, detail::native_type<std::uint64_t>(), &kZeroCount};
  researcher_steps = detail::create_dataset(runs_group.id(), "researcher_steps", spec);
  spec = {detail::file_type<double>(), {r}, {}, false, detail::native_type<double>(), &kNaN};
  wall_seconds = detail::create_dataset(runs_group.id(), "wall_seconds", spec);
  detail::write_string_attribute(wall_seconds.id(), "note", "not reproducible: depends on the machine and its load");
  for (Dataset* d : {&completed, &researcher_steps, &wall_seconds})
    detail::attach_scale(d->id(), replicate_scale.id(), 0);
}

RowBlock& Hdf5Sink::State::block_for(std::uint64_t row, std::uint64_t replicates) {
  const std::uint64_t index = row / block_rows;
  for (auto& b : open)
    if (b.index == index) return b;
  if (open.size() >= max_open_blocks) {
    // Out of room: write the fullest block as it is; its missing rows keep the fill value until
    // they arrive and are written by a later flush.
    auto fullest = std::max_element(open.begin(), open.end(),
                                     [](const RowBlock& a, const RowBlock& b) { return a.filled < b.filled; });
    flush(*fullest);
    spare.push_back(std::move(*fullest));
    open.erase(fullest);
  }
  RowBlock b;
  if (!spare.empty()) {
    b = std::move(spare.back());
    spare.pop_back();
  }
  b.index = index;
  b.rows = std::min(block_rows, replicates - index * block_rows);
  b.filled = 0;
  b.present.assign(b.rows, 0);
  b.outcomes.assign(kOutcomeCount * block_rows, kNaN);
  b.series.assign(series[0] ? kSeriesCount * block_rows * steps : 0, kNaN);
  b.researcher_steps.assign(block_rows, 0);
  b.wall_seconds.assign(block_rows, kNaN);
  open.push_back(std::move(b));
  return open.back();
}

void Hdf5Sink::State::flush(RowBlock& b) {
  const std::uint64_t base = b.index * block_rows;
  std::uint64_t i = 0;
  while (i < b.rows) {  // each run of consecutive received rows is one hyperslab per dataset
    if (!b.present[i]) {
      ++i;
      continue;
    }
    std::uint64_t j = i;
    while (j < b.rows && b.present[j]) ++j;
    const std::size_t n = j - i;
    const std::array<hsize_t, 2> start{base + i, 0}, count{n, steps};
    const std::span<const hsize_t> s1{start.data(), 1}, c1{count.data(), 1};
    const std::string what = fmt::format("writing rows {}…{}", base + i, base + j - 1);
    for (std::size_t k = 0; k < kOutcomeCount; ++k)
      detail::write_block<double>(outcomes[k].id(), s1, c1, std::span{b.outcomes}.subspan(k * block_rows + i, n), what);
    if (!b.series.empty())
      for (std::size_t k = 0; k < kSeriesCount; ++k)
        detail::write_block<double>(series[k].id(), start, count,
                                    std::span{b.series}.subspan((k * block_rows + i) * steps, n * steps), what);
    detail::write_block<std::uint8_t>(completed.id(), s1, c1, std::span{b.present}.subspan(i, n), what);
    detail::write_block<std::uint64_t>(researcher_steps.id(), s1, c1, std::span{b.researcher_steps}.subspan(i, n), what);
    detail::write_block<double>(wall_seconds.id(), s1, c1, std::span{b.wall_seconds}.subspan(i, n), what);
    i = j;
  }
}

Hdf5Sink::Hdf5Sink(std::filesystem::path path, Layout layout, Provenance provenance, bool overwrite)
    : path_{std::move(path)}, layout_{layout} {
  std::error_code ec;
  if (std::filesystem::exists(path_, ec) && !overwrite)
    throw OutputExists(fmt::format("{} exists; pass --overwrite to replace it", path_.string()));
  if (layout_.steps < 0) throw OutputError(fmt::format("{}: negative number of steps {}", path_.string(), layout_.steps));
  temp_path_ = path_;
  temp_path_ += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  detail::QuietErrors quiet;
  state_ = std::make_unique<State>();
  state_->block_rows = choose_block_rows(layout_);
  state_->steps = static_cast<std::uint64_t>(layout_.steps);
  // A parallel runner hands out rows as several far-apart streams (one per worker); enough open
  // blocks let each stream fill its block so that chunks are written whole, once.
  const std::size_t block_bytes =
      state_->block_rows * ((layout_.series ? model::kSeriesCount * state_->steps : 0) + model::kOutcomeCount + 3) *
      sizeof(double);
  state_->max_open_blocks = std::clamp<std::size_t>(kBufferBytes / block_bytes, 4, 256);
  try {
    state_->file = detail::create_file(temp_path_.string());
    const hid_t root = state_->file.id();
    detail::write_string_attribute(root, "format", kFormatName);
    detail::write_number_attribute<std::int64_t>(root, "format_version", kFormatVersion);
    detail::write_number_attribute<std::uint8_t>(root, "complete", 0);
    write_provenance(root, provenance);
    state_->create_layout(layout_);
  } catch (const OutputError& e) {
    state_->close_all();
    std::filesystem::remove(temp_path_, ec);
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  } catch (...) {
    state_->close_all();
    std::filesystem::remove(temp_path_, ec);
    throw;
  }
}

Hdf5Sink::~Hdf5Sink() {
  if (committed_) return;
  detail::QuietErrors quiet;
  state_->close_all();
  std::error_code ec;
  std::filesystem::remove(temp_path_, ec);  // best effort: a destructor must not throw
}

void Hdf5Sink::write(const runner::RunRecord& record) {
  if (committed_) throw OutputError(fmt::format("{}: write after commit", path_.string()));
  if (record.run_index >= layout_.replicates)
    throw OutputError(fmt::format("{}: run index {} out of range (the file has {} rows)", path_.string(),
                                  record.run_index, layout_.replicates));
  if (layout_.series && record.series.size() > state_->steps)
    throw OutputError(fmt::format("{}: run {} has {} steps of series, more than T = {}", path_.string(),
                                  record.run_index, record.series.size(), state_->steps));
  detail::QuietErrors quiet;
  State& s = *state_;
  RowBlock& b = s.block_for(record.run_index, layout_.replicates);
  const std::uint64_t i = record.run_index - b.index * s.block_rows;
  for (std::size_t k = 0; k < kOutcomeCount; ++k) b.outcomes[k * s.block_rows + i] = record.outcomes[k];
  if (!b.series.empty())
    for (std::size_t k = 0; k < kSeriesCount; ++k) {
      double* row = b.series.data() + (k * s.block_rows + i) * s.steps;
      std::fill(row, row + s.steps, kNaN);  // a rewritten row must not keep a longer old series
      for (std::size_t t = 0; t < record.series.size(); ++t) row[t] = record.series[t][k];
    }
  b.researcher_steps[i] = record.researcher_steps;
  b.wall_seconds[i] = record.wall_seconds;
  if (!b.present[i]) {
    b.present[i] = 1;
    ++b.filled;
  }
  if (b.filled == b.rows) {  // complete block: one full-chunk write per dataset
    s.flush(b);
    auto it = std::find_if(s.open.begin(), s.open.end(), [&](const RowBlock& o) { return &o == &b; });
    s.spare.push_back(std::move(*it));
    s.open.erase(it);
  }
}

void Hdf5Sink::commit(bool complete, const Provenance& final_provenance) {
  if (committed_) throw OutputError(fmt::format("{}: committed twice", path_.string()));
  detail::QuietErrors quiet;
  State& s = *state_;
  try {
    s.flush_all();
    const hid_t root = s.file.id();
    write_provenance(root, final_provenance);
    detail::write_number_attribute<std::uint8_t>(root, "complete", complete ? 1 : 0);
    // Objects first, then the file with a checked flush and close, so that a failing final write
    // (disk full) is reported instead of renaming a damaged file into place.
    for (auto& d : s.outcomes) d.close("closing /outcomes");
    for (auto& d : s.series) d.close("closing /series");
    for (Dataset* d : {&s.completed, &s.researcher_steps, &s.wall_seconds, &s.replicate_scale, &s.step_scale})
      d->close("closing a dataset");
    for (Group* g : {&s.outcomes_group, &s.series_group, &s.runs_group}) g->close("closing a group");
    detail::flush_and_close(s.file, "flushing and closing the file");
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  }
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec)
    throw OutputError(fmt::format("cannot rename '{}' onto '{}': {}", temp_path_.string(), path_.string(), ec.message()));
  committed_ = true;
}

std::uint64_t Hdf5Sink::block_rows() const noexcept { return state_->block_rows; }

std::size_t Hdf5Sink::buffered_rows() const noexcept {
  std::size_t n = 0;
  for (const auto& b : state_->open) n += b.filled;
  return n;
}

std::size_t Hdf5Sink::max_open_blocks() const noexcept { return state_->max_open_blocks; }

std::size_t Hdf5Sink::max_buffered_rows() const noexcept { return state_->max_open_blocks * state_->block_rows; }

}  // namespace normsim::output
