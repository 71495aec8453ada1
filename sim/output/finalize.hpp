#pragma once
// finalize: merges the journals of a sweep (one, or several shards, possibly resumed) into one
// normsim-runs HDF5 file through Hdf5Sink. The reproducible datasets of the result are
// bit-identical whatever the number, order and record order of the journals, and whether runs
// were redone after a resume (the first copy of a run in its journal is used; copies are identical).
//
// Two steps, both linear in the size of the journals: (1) one sequential checking pass over every
// journal (checksums, identity, overlaps) that notes where the first copy of each run lies (its
// journal, a uint16, and byte offset, a uint64: 10 bytes per run, the only memory that grows with
// P·R); (2) the runs are read back one by one in run-index order with pread(2) and written to the
// sink, so every row block completes in turn and every /series chunk is written whole, exactly
// once, whatever order the records were journalled in. A journal is never loaded whole; each
// journal keeps one descriptor open during step 2 (mind `ulimit -n` beyond ~1000 shards).
#include "output/layout.hpp"
#include "output/provenance.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace normsim::output {

/// Choices of finalize().
struct FinalizeOptions {
  bool overwrite = false;         ///< replace an existing output file
  bool allow_incomplete = false;  ///< write a file with missing runs (root attribute complete = 0)
  int threads = 0;                ///< threads compressing /series (≤ 0: all cores); same file for any count
};

/// What finalize() did.
struct FinalizeReport {
  std::uint64_t runs = 0;        ///< P·R
  std::uint64_t present = 0;     ///< distinct runs found and written
  std::uint64_t records = 0;     ///< intact records read from all journals (duplicates included)
  std::uint64_t duplicates = 0;  ///< records − present: copies of redone runs, skipped
  bool complete = false;         ///< present == runs (the file's `complete` attribute)
};

/// Writes `out` (through `<out>.tmp-<pid>` and a rename, see Hdf5Sink) from `journals`.
/// Checks, before writing anything, that there is at least one journal; that every journal has
/// the same sweep identity, P, R, T and series flag as the first and as `layout` (JournalError
/// naming the file that differs and the field); that every record is intact (JournalError on
/// corruption, see JournalReader); that no run is in two journals (JournalError naming the run
/// and both files); and that no run is missing unless options.allow_incomplete (JournalError
/// giving the count and the first ten missing runs as "run i (point p, replicate r)").
/// Throws OutputExists if `out` exists and !options.overwrite, OutputError on HDF5 failures;
/// nothing is left at `out` (nor a temporary file) when it throws.
FinalizeReport finalize(const std::vector<std::filesystem::path>& journals, const Layout& layout,
                        const Provenance& provenance, const std::filesystem::path& out,
                        const FinalizeOptions& options = {});

}  // namespace normsim::output
