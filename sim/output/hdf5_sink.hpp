#pragma once
// The HDF5 implementation of runner::RunSink: streams run records into a "normsim-runs" file
// (layout documented by output/schema.hpp, schema_markdown()). No HDF5 header is visible here.
//
// Life cycle: the constructor creates `<path>.tmp-<pid>` with every dataset allocated for the
// P × R grid of runs (rows never written read as NaN / 0) and writes the design table; write()
// puts each record into its row (point, replicate) through a bounded row-block buffer; commit()
// writes the remaining rows, the per-point /summary (read back from the file, O(R) memory), the
// final provenance, then flushes, closes and renames the temporary file onto `path`. A sink
// destroyed without commit() (an exception stopped the run set) removes its temporary file and
// leaves any existing file at `path` untouched. For crash-safe sweeps write runs to a journal
// (output/journal.hpp) and build the file with finalize() (output/finalize.hpp).
#include "output/provenance.hpp"
#include "runner/record.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace normsim::output {

namespace detail {
struct SinkState;
}  // namespace detail

class Hdf5Sink final : public runner::RunSink {
 public:
  /// Memory budget of the row-block buffer, bytes: blocks of rows are held until complete (then
  /// written as whole chunks); when this many bytes of blocks are open, the fullest one is written
  /// as it is. Independent of R, so memory does not grow with the number of replicates.
  static constexpr std::size_t kBufferBytes = std::size_t{64} << 20;

  /// Creates the temporary file `<path>.tmp-<pid>`, every dataset of `layout` and the design table,
  /// and writes `provenance` as root attributes (with complete = 0).
  /// Throws OutputExists if `path` exists and !overwrite ("<path> exists; pass --overwrite to
  /// replace it"); OutputError (message names the file and the HDF5 cause) if the file cannot be
  /// created, e.g. its directory does not exist, or if validate_layout(layout) throws. Nothing is
  /// left behind when it throws.
  Hdf5Sink(std::filesystem::path path, Layout layout, Provenance provenance, bool overwrite);
  Hdf5Sink(Hdf5Sink&&) = delete;
  Hdf5Sink& operator=(Hdf5Sink&&) = delete;
  /// Without a successful commit(): closes and removes the temporary file (never throws).
  ~Hdf5Sink() override;

  /// Stores one record in row (record.point, record.replicate) (records may come in any order).
  /// outcomes always; series only when Layout::series (record.series is ignored otherwise), NaN
  /// after its last step; /runs/completed becomes 1. Writing a row twice overwrites it.
  /// Throws OutputError if run_index ≥ P·R, if run_index ≠ point·R + replicate or replicate ≥ R,
  /// if the series has more than T steps, after commit(), or on an HDF5 failure.
  void write(const runner::RunRecord& record) override;

  /// Compress /series on up to `threads` threads (≤ 0: all cores; default 1, the calling thread):
  /// the chunks of a complete block of runs, one per series, are compressed in parallel. The file
  /// is the same whatever the count.
  void set_compression_threads(int threads);

  /// Writes every buffered row to the file now, complete blocks or not (finalize() calls it after
  /// each pass). Throws OutputError on an HDF5 failure or after commit().
  void flush();

  /// Flushes the buffered rows, computes and writes /summary, rewrites the root provenance attributes from `final_provenance`
  /// (end_time, wall_seconds, ...), sets root attribute `complete` to 1 or 0, closes the file and
  /// renames it onto path() (replacing an existing file atomically). Throws OutputError on
  /// failure (the temporary file is then removed by the destructor) or if called twice.
  void commit(bool complete, const Provenance& final_provenance);

  /// The final file name given to the constructor.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// The temporary file written until commit(): `<path>.tmp-<pid>`.
  [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_path_; }
  /// The layout given to the constructor.
  [[nodiscard]] const Layout& layout() const noexcept { return layout_; }
  /// Runs per block at most: the rows of a /series chunk {points_per_block, replicates_per_block,
  /// T} (≤ 64 runs, about 1 MiB of float64 per chunk). A block is part of one point's replicates
  /// when R ≥ that size, else several whole points.
  [[nodiscard]] std::uint64_t block_rows() const noexcept;
  /// One past the last run index of the block holding run `run` (run < P·R): blocks are
  /// contiguous ranges of run indices; [run, block_end(run)) never spans two blocks.
  [[nodiscard]] std::uint64_t block_end(std::uint64_t run) const noexcept;
  /// Blocks held open at most: clamp(kBufferBytes / bytes of one block, 4, 256). Independent of R.
  [[nodiscard]] std::size_t max_open_blocks() const noexcept;
  /// Rows received but not yet written to the file. Invariant: ≤ max_buffered_rows(), whatever R.
  [[nodiscard]] std::size_t buffered_rows() const noexcept;
  /// max_open_blocks() × block_rows(): the bound on the sink's buffer, in rows.
  [[nodiscard]] std::size_t max_buffered_rows() const noexcept;

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  Layout layout_;
  std::unique_ptr<detail::SinkState> state_;  // HDF5 handles, row-block buffer (detail/hdf5_sink_state.hpp)
  bool committed_ = false;
};

}  // namespace normsim::output
