#pragma once
// The journalled pipeline that `run` and `attribute` share: a run set is executed into crash-safe
// journals (one per process, or one per shard of a job array), then rank 0 finalizes the journals
// into one HDF5 file and deletes them. Resume, shards, MPI ranks, Ctrl-C and progress are handled
// here once.
#include "output/journal.hpp"
#include "output/layout.hpp"
#include "output/provenance.hpp"
#include "runner/execute.hpp"
#include "study/processes.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>
#include <vector>

namespace normsim::study {

/// Part I of N of a run set: the positions k with k mod N == I (runner::shard_positions).
struct Shard {
  std::uint64_t index = 0;  ///< I, 0 ≤ I < count
  std::uint64_t count = 1;  ///< N ≥ 1
};

/// Progress of an execution: (runs done, runs to do). Called from one thread at a time.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// How a journalled execution reports and stops.
struct Conduct {
  int threads = 0;              ///< worker threads per process; 0 = all cores
  bool quiet = false;           ///< no progress on stderr (and no messages from the callers)
  /// Progress instead of the stderr bar/lines (e.g. Python's tqdm); null = stderr unless quiet.
  ProgressFn progress;
  /// Stop on SIGINT/SIGTERM (the handlers are installed for the execution only and restored
  /// after): no new runs start, runs in flight finish and are journalled.
  bool handle_signals = true;
  /// Messages about the work ("attributing … → FILE", "resuming: …", screening); null = none.
  /// Called on rank 0 only, from the calling thread.
  std::function<void(std::string_view)> note;
};

/// One journalled execution, as `run` and `attribute` make it.
struct Pipeline {
  const runner::RunSet* set = nullptr;  ///< what to run (not owned)
  output::Layout layout;                ///< the file's shape; layout.series says whether series are recorded
  output::JournalHeader header;         ///< identity and shape of the journals
  output::Provenance provenance;        ///< root attributes of the file (times, threads, processes are set here)
  std::filesystem::path output;         ///< the HDF5 file (rank 0 writes it)
  /// This process's journal: with `shard`, the shard's file; else FILE.journal or, under mpirun,
  /// FILE.rank-I-of-K.journal (journal_path).
  std::filesystem::path journal;
  /// The journals finalize reads: every rank's (or, with from_shards, every shard's).
  std::vector<std::filesystem::path> journals;
  bool sharded = false;                 ///< run `shard` only, into `journal`; no file is written
  Shard shard;                          ///< this process's part (the rank under mpirun)
  bool from_shards = false;             ///< run nothing: write the file from `journals`
  bool resume = false;                  ///< continue an existing journal (else it must not exist)
  bool overwrite = false;               ///< replace an existing file and discard an old journal
  std::uint64_t per_point = 0;          ///< replicates per point, to report points in the progress (0: runs only)
  /// Called on rank 0 once the journal is open, before any run: (runs of this share already journalled).
  std::function<void(std::uint64_t already)> announce;
  /// Runs made before, copied instead of made again (an attribution extending an earlier look of
  /// its design): called on every process once its journal is open, before `announce` and any run,
  /// to write into the journal the records of this process's share (positions k with k mod
  /// shard.count == shard.index) that it does not hold yet; returns how many it wrote. Null: none.
  std::function<std::uint64_t(output::JournalWriter& journal, const Shard& shard)> prefill;
};

/// What a pipeline did.
enum class PipelineStatus {
  written,       ///< rank 0 wrote `output`; the journals are deleted
  shard_written, ///< the shard's journal is complete; nothing else written
  follower,      ///< a rank other than 0: its journal is done, rank 0 writes the file
  interrupted,   ///< stopped by a signal (on any rank): runs done are journalled; resume continues
  failed,        ///< another rank failed (its exception is reported there)
};

struct PipelineResult {
  PipelineStatus status = PipelineStatus::failed;
  runner::ExecutionReport report;  ///< the runs made now, on this process
  std::uint64_t already = 0;       ///< runs of this share found in the journal
  std::uint64_t copied = 0;        ///< runs of this share copied by Pipeline::prefill (made before)
};

/// Runs `pipeline`: prepares the journal (refusing an existing output or journal unless resume or
/// overwrite allow it: output::OutputExists), executes this process's share, waits for every rank,
/// and on rank 0 finalizes the journals into `output` (Provenance: threads, processes, end time and
/// wall time filled in) and deletes them. Throws what the journal, the runs and finalize throw; under
/// mpirun a rank that throws tells the others first, so that they return `failed` instead of waiting.
[[nodiscard]] PipelineResult run_pipeline(const Pipeline& pipeline, const Conduct& conduct, const Processes& processes);

/// The journal of `output` for rank `rank` of `ranks` processes: `<output>.journal` for one
/// process, `<output>.rank-R-of-K.journal` under mpirun.
[[nodiscard]] std::filesystem::path journal_path(const std::filesystem::path& output, std::uint64_t rank,
                                                 std::uint64_t ranks);

/// The worker threads `conduct` asks for: threads, or all cores when 0.
[[nodiscard]] int thread_count(const Conduct& conduct);

}  // namespace normsim::study
