#pragma once
// Internal to sim/output: the state behind Hdf5Sink (open HDF5 objects and the row-block buffer),
// shared by hdf5_sink.cpp (buffering, commit), hdf5_sink_layout.cpp (creating the datasets) and
// hdf5_sink_summary.cpp (the per-point summaries computed at commit).
//
// Rows are runs in run-index order (run = point·R + replicate). A *block* is a contiguous range of
// run indices that is also a rectangle of the [P, R] grid: either part of one point's replicates
// (points_per_block = 1, replicates_per_block ≤ R) or several whole points (replicates_per_block
// = R). A block is the row extent of one /series chunk, so a complete block is written as whole
// chunks, once.
#include "output/detail/hdf5_handles.hpp"
#include "output/layout.hpp"
#include "output/provenance.hpp"
#include "model/outcomes.hpp"

#include <oneapi/tbb/task_arena.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace normsim::output::detail {

/// Rows received and not yet written, for runs [begin, begin + rows). Column-major per dataset
/// ([dataset][row] and [series][row][step]) so that each dataset's rows are contiguous.
struct RowBlock {
  std::uint64_t begin = 0;
  std::uint64_t rows = 0;
  std::uint64_t filled = 0;
  std::vector<std::uint8_t> present;            // [rows]
  std::vector<double> outcomes;                 // [kOutcomeCount][capacity]
  std::vector<double> series;                   // [kSeriesCount][capacity][T], empty without series
  std::vector<std::uint64_t> researcher_steps;  // [capacity]
  std::vector<double> wall_seconds;             // [capacity]
};

/// Where a block lies: its first run and number of runs.
struct BlockExtent {
  std::uint64_t begin = 0;
  std::uint64_t rows = 0;
};

struct SinkState {
  File file;
  Group outcomes_group, series_group, runs_group, design_group;
  Dataset point_scale, replicate_scale, step_scale;
  std::array<Dataset, model::kOutcomeCount> outcomes;
  std::array<Dataset, model::kSeriesCount> series;
  Dataset completed, researcher_steps, wall_seconds;
  std::uint64_t points = 0, replicates = 0, steps = 0;
  std::uint64_t points_per_block = 1, replicates_per_block = 1;  // one of them is 1 or R (see above)
  std::size_t max_open_blocks = 4;
  std::vector<RowBlock> open;   // ≤ max_open_blocks
  std::vector<RowBlock> spare;  // storage of flushed blocks, reused
  // A complete block's series are compressed here, one chunk per series, and written as filtered
  // chunks (the file is the same as through HDF5's own filters, which compress on the calling
  // thread only): in `arena` when set (Hdf5Sink::set_compression_threads > 1), else on this thread.
  std::unique_ptr<tbb::task_arena> arena;
  std::array<FilteredChunk, model::kSeriesCount> filtered;

  /// Capacity of a block in runs: points_per_block · replicates_per_block.
  [[nodiscard]] std::uint64_t block_capacity() const noexcept { return points_per_block * replicates_per_block; }
  /// The block holding run `run` (run < P·R).
  [[nodiscard]] BlockExtent block_of(std::uint64_t run) const noexcept;
  /// Creates the scales, /outcomes, /series, /runs and /design (hdf5_sink_layout.cpp).
  void create_layout(const Layout& layout);
  /// The open block of run `run`, opening one (and evicting the fullest if out of room).
  RowBlock& block_for(std::uint64_t run);
  /// Writes the received rows of `block` (one hyperslab per dataset when the block is complete;
  /// its series then as whole filtered chunks, see write_series_chunks).
  void flush(RowBlock& block);
  /// The series of a complete block: its chunks filtered (in `arena` when set), then written.
  void write_series_chunks(const RowBlock& block);
  /// Flushes every open block and recycles its storage.
  void flush_all();
  /// Computes and writes /summary from the datasets already in the file (hdf5_sink_summary.cpp).
  void write_summaries();
  /// Closes every object, then the file, ignoring errors (destructor path).
  void close_all() noexcept;
  /// Closes every object with checks, then flushes and closes the file (commit path).
  void close_checked();
};

/// Writes every field of `p` as a root attribute of `root` (hdf5_sink_layout.cpp).
void write_provenance(hid_t root, const Provenance& p);

/// One design column as /design writes it ([p] float64 with units and scale, or int64 codes with
/// labels and CF flags; attribute `key`), in `group` under f.name (hdf5_sink_layout.cpp).
[[nodiscard]] Dataset write_design_column(hid_t group, const DesignFactor& f, std::uint64_t p);

/// Replaces (or adds) the root group `name` of the finished file `file` with what `fill` writes
/// into it. Works on a copy renamed over the file at the end, so a failure (an exception from
/// `fill` or HDF5) leaves `file` as it was; throws OutputError naming the file and the group.
void replace_root_group(const std::filesystem::path& file, const std::string& name,
                        const std::function<void(hid_t group)>& fill);

}  // namespace normsim::output::detail
