// Hdf5Sink: the bounded row-block buffer, flush and commit (see hdf5_sink.hpp). The datasets are
// created in detail/hdf5_sink_layout.cpp, the summaries in detail/hdf5_sink_summary.cpp.
#include "output/hdf5_sink.hpp"

#include "output/detail/hdf5_sink_state.hpp"
#include "output/schema.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace normsim::output {

namespace detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using model::kOutcomeCount;
using model::kSeriesCount;

}  // namespace

BlockExtent SinkState::block_of(std::uint64_t run) const noexcept {
  const std::uint64_t p = run / replicates, r = run % replicates;
  if (points_per_block == 1) {
    const std::uint64_t r0 = r / replicates_per_block * replicates_per_block;
    return {p * replicates + r0, std::min(replicates_per_block, replicates - r0)};
  }
  const std::uint64_t p0 = p / points_per_block * points_per_block;
  return {p0 * replicates, std::min(points_per_block, points - p0) * replicates};
}

RowBlock& SinkState::block_for(std::uint64_t run) {
  const BlockExtent extent = block_of(run);
  for (auto& b : open)
    if (b.begin == extent.begin) return b;
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
  const std::uint64_t capacity = block_capacity();
  b.begin = extent.begin;
  b.rows = extent.rows;
  b.filled = 0;
  b.present.assign(b.rows, 0);
  b.outcomes.assign(kOutcomeCount * capacity, kNaN);
  b.series.assign(series[0] ? kSeriesCount * capacity * steps : 0, kNaN);
  b.researcher_steps.assign(capacity, 0);
  b.wall_seconds.assign(capacity, kNaN);
  open.push_back(std::move(b));
  return open.back();
}

void SinkState::flush(RowBlock& b) {
  const std::uint64_t capacity = block_capacity();
  // Writes rows [i, i + n) of the block as the hyperslab {p, r, 0} + {np, nr, T}.
  auto write_rows = [&](std::uint64_t i, std::uint64_t n, std::uint64_t np, std::uint64_t nr, bool with_series) {
    const std::uint64_t run = b.begin + i;
    const std::array<hsize_t, 3> start{run / replicates, run % replicates, 0}, count{np, nr, steps};
    const std::span<const hsize_t> s2{start.data(), 2}, c2{count.data(), 2};
    const std::string what = fmt::format("writing runs {}…{}", run, run + n - 1);
    for (std::size_t k = 0; k < kOutcomeCount; ++k)
      write_block<double>(outcomes[k].id(), s2, c2, std::span{b.outcomes}.subspan(k * capacity + i, n), what);
    if (with_series && !b.series.empty())
      for (std::size_t k = 0; k < kSeriesCount; ++k)
        write_block<double>(series[k].id(), start, count, std::span{b.series}.subspan((k * capacity + i) * steps, n * steps), what);
    write_block<std::uint8_t>(completed.id(), s2, c2, std::span{b.present}.subspan(i, n), what);
    write_block<std::uint64_t>(researcher_steps.id(), s2, c2, std::span{b.researcher_steps}.subspan(i, n), what);
    write_block<double>(wall_seconds.id(), s2, c2, std::span{b.wall_seconds}.subspan(i, n), what);
  };
  if (b.filled == b.rows) {  // complete: the block is a rectangle, one write per dataset (whole chunks)
    if (b.rows > 0) {
      write_rows(0, b.rows, points_per_block == 1 ? 1 : b.rows / replicates, points_per_block == 1 ? b.rows : replicates,
                 false);
      write_series_chunks(b);
    }
    return;
  }
  std::uint64_t i = 0;
  while (i < b.rows) {  // each run of received rows within one point is one hyperslab per dataset
    if (!b.present[i]) {
      ++i;
      continue;
    }
    const std::uint64_t point_end = ((b.begin + i) / replicates + 1) * replicates - b.begin;
    std::uint64_t j = i;
    while (j < b.rows && j < point_end && b.present[j]) ++j;
    write_rows(i, j - i, 1, j - i, true);
    i = j;
  }
}

void SinkState::write_series_chunks(const RowBlock& b) {
  if (b.series.empty()) return;
  // The block is the chunk {points_per_block, replicates_per_block, T} at its first run, rows past
  // the dataset's edge NaN (the fill value), as block_for() lays it out: series k is contiguous.
  const std::size_t n = block_capacity() * steps;
  const auto filter = [&](std::size_t k) { filter_chunk(std::span{b.series}.subspan(k * n, n), filtered[k]); };
  if (arena) {
    arena->execute([&] { tbb::parallel_for(std::size_t{0}, kSeriesCount, filter); });
  } else {
    for (std::size_t k = 0; k < kSeriesCount; ++k) filter(k);
  }
  const std::array<hsize_t, 3> offset{b.begin / replicates, b.begin % replicates, 0};
  const std::string what = fmt::format("writing the series of runs {}…{}", b.begin, b.begin + b.rows - 1);
  for (std::size_t k = 0; k < kSeriesCount; ++k) write_filtered_chunk(series[k].id(), offset, filtered[k], what);
}

void SinkState::flush_all() {
  for (auto& b : open) flush(b);
  for (auto& b : open) spare.push_back(std::move(b));
  open.clear();
}

void SinkState::close_all() noexcept {  // objects first, file last
  for (auto& d : outcomes) d.reset();
  for (auto& d : series) d.reset();
  for (Dataset* d : {&completed, &researcher_steps, &wall_seconds, &point_scale, &replicate_scale, &step_scale}) d->reset();
  for (Group* g : {&outcomes_group, &series_group, &runs_group, &design_group}) g->reset();
  file.reset();
}

void SinkState::close_checked() {
  // Objects first, then the file with a checked flush and close, so that a failing final write
  // (disk full) is reported instead of renaming a damaged file into place.
  for (auto& d : outcomes) d.close("closing /outcomes");
  for (auto& d : series) d.close("closing /series");
  for (Dataset* d : {&completed, &researcher_steps, &wall_seconds, &point_scale, &replicate_scale, &step_scale})
    d->close("closing a dataset");
  for (Group* g : {&outcomes_group, &series_group, &runs_group, &design_group}) g->close("closing a group");
  flush_and_close(file, "flushing and closing the file");
}

}  // namespace detail

namespace {

// Block shape: about 1 MiB of float64 series per chunk (the default chunk cache size), at most 64
// runs; part of one point when R ≥ that, else whole points.
void choose_blocks(detail::SinkState& s) {
  constexpr std::uint64_t kChunkBytes = std::uint64_t{1} << 20;
  const std::uint64_t row_bytes = std::max<std::uint64_t>(s.steps, 1) * sizeof(double);
  const std::uint64_t rows = std::clamp<std::uint64_t>(kChunkBytes / row_bytes, 1, 64);
  if (s.replicates == 0 || s.replicates >= rows) {
    s.points_per_block = 1;
    s.replicates_per_block = std::max<std::uint64_t>(std::min(rows, s.replicates), 1);
  } else {
    s.replicates_per_block = s.replicates;
    s.points_per_block = std::max<std::uint64_t>(std::min(rows / s.replicates, s.points), 1);
  }
}

}  // namespace

Hdf5Sink::Hdf5Sink(std::filesystem::path path, Layout layout, Provenance provenance, bool overwrite)
    : path_{std::move(path)}, layout_{std::move(layout)} {
  std::error_code ec;
  if (std::filesystem::exists(path_, ec) && !overwrite)
    throw OutputExists(fmt::format("{} exists; pass --overwrite to replace it", path_.string()));
  try {
    validate_layout(layout_);
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path_.string(), e.what()));
  }
  temp_path_ = path_;
  temp_path_ += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  detail::QuietErrors quiet;
  state_ = std::make_unique<detail::SinkState>();
  detail::SinkState& s = *state_;
  s.points = layout_.points;
  s.replicates = layout_.replicates;
  s.steps = static_cast<std::uint64_t>(layout_.steps);
  choose_blocks(s);
  // A parallel runner hands out rows as several far-apart streams (one per worker); enough open
  // blocks let each stream fill its block so that chunks are written whole, once.
  const std::size_t block_bytes =
      s.block_capacity() * ((layout_.series ? model::kSeriesCount * s.steps : 0) + model::kOutcomeCount + 3) * sizeof(double);
  s.max_open_blocks = std::clamp<std::size_t>(kBufferBytes / block_bytes, 4, 256);
  try {
    s.file = detail::create_file(temp_path_.string());
    const hid_t root = s.file.id();
    detail::write_string_attribute(root, "format", kFormatName);
    detail::write_number_attribute<std::int64_t>(root, "format_version", kFormatVersion);
    detail::write_number_attribute<std::uint8_t>(root, "complete", 0);
    detail::write_provenance(root, provenance);
    s.create_layout(layout_);
  } catch (const OutputError& e) {
    s.close_all();
    std::filesystem::remove(temp_path_, ec);
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  } catch (...) {
    s.close_all();
    std::filesystem::remove(temp_path_, ec);
    throw;
  }
}

void Hdf5Sink::set_compression_threads(int threads) {
  const int count = threads > 0 ? threads : tbb::this_task_arena::max_concurrency();
  state_->arena = count > 1 ? std::make_unique<tbb::task_arena>(count) : nullptr;
}

Hdf5Sink::~Hdf5Sink() {
  if (committed_ || !state_) return;
  detail::QuietErrors quiet;
  state_->close_all();
  std::error_code ec;
  std::filesystem::remove(temp_path_, ec);  // best effort: a destructor must not throw
}

void Hdf5Sink::write(const runner::RunRecord& record) {
  if (committed_) throw OutputError(fmt::format("{}: write after commit", path_.string()));
  const std::uint64_t runs = layout_.runs();
  if (record.run_index >= runs)
    throw OutputError(fmt::format("{}: run index {} out of range (the file has {} × {} = {} runs)", path_.string(),
                                  record.run_index, layout_.points, layout_.replicates, runs));
  if (record.replicate >= layout_.replicates || record.point * layout_.replicates + record.replicate != record.run_index)
    throw OutputError(fmt::format("{}: run index {} does not match point {} × R = {} + replicate {}", path_.string(),
                                  record.run_index, record.point, layout_.replicates, record.replicate));
  detail::SinkState& s = *state_;
  if (layout_.series && record.series.size() > s.steps)
    throw OutputError(fmt::format("{}: run {} has {} steps of series, more than T = {}", path_.string(),
                                  record.run_index, record.series.size(), s.steps));
  detail::QuietErrors quiet;
  try {
    detail::RowBlock& b = s.block_for(record.run_index);
    const std::uint64_t capacity = s.block_capacity();
    const std::uint64_t i = record.run_index - b.begin;
    for (std::size_t k = 0; k < model::kOutcomeCount; ++k) b.outcomes[k * capacity + i] = record.outcomes[k];
    if (!b.series.empty())
      for (std::size_t k = 0; k < model::kSeriesCount; ++k) {
        double* row = b.series.data() + (k * capacity + i) * s.steps;
        std::fill(row, row + s.steps, std::numeric_limits<double>::quiet_NaN());  // a rewritten row must not keep a longer old series
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
      auto it = std::find_if(s.open.begin(), s.open.end(), [&](const detail::RowBlock& o) { return &o == &b; });
      s.spare.push_back(std::move(*it));
      s.open.erase(it);
    }
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  }
}

void Hdf5Sink::flush() {
  if (committed_) throw OutputError(fmt::format("{}: flush after commit", path_.string()));
  detail::QuietErrors quiet;
  try {
    state_->flush_all();
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  }
}

void Hdf5Sink::commit(bool complete, const Provenance& final_provenance) {
  if (committed_) throw OutputError(fmt::format("{}: committed twice", path_.string()));
  detail::QuietErrors quiet;
  detail::SinkState& s = *state_;
  try {
    s.flush_all();
    s.write_summaries();
    const hid_t root = s.file.id();
    detail::write_provenance(root, final_provenance);
    detail::write_number_attribute<std::uint8_t>(root, "complete", complete ? 1 : 0);
    s.close_checked();
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("cannot write '{}': {}", path_.string(), e.what()));
  }
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec)
    throw OutputError(fmt::format("cannot rename '{}' onto '{}': {}", temp_path_.string(), path_.string(), ec.message()));
  committed_ = true;
}

std::uint64_t Hdf5Sink::block_rows() const noexcept { return state_->block_capacity(); }

std::uint64_t Hdf5Sink::block_end(std::uint64_t run) const noexcept {
  const detail::BlockExtent e = state_->block_of(run);
  return e.begin + e.rows;
}

std::size_t Hdf5Sink::buffered_rows() const noexcept {
  std::size_t n = 0;
  for (const auto& b : state_->open) n += b.filled;
  return n;
}

std::size_t Hdf5Sink::max_open_blocks() const noexcept { return state_->max_open_blocks; }

std::size_t Hdf5Sink::max_buffered_rows() const noexcept { return state_->max_open_blocks * state_->block_capacity(); }

}  // namespace normsim::output
