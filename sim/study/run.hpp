#pragma once
// Running a scenario: every design point × replicates, in parallel (oneTBB threads, MPI ranks
// under mpirun, or one shard of a job array), through the journalled pipeline into one HDF5 file;
// and merging the shards of a job array into the file a whole run would have written.
#include "output/finalize.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"
#include "study/plan.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace normsim::study {

/// A run to make.
struct RunConfig {
  scenario::Scenario scenario;      ///< loaded, overrides (replicates, seed included) applied
  std::string scenario_file;        ///< as given (provenance, messages); scenario.source when empty
  std::string command_line;         ///< recorded as provenance
  std::filesystem::path output;     ///< the HDF5 file; with `shard`, the shard's journal file
  std::optional<Shard> shard;       ///< run only this shard (no HDF5 file; combine with merge())
  bool series = true;               ///< record the per-step series
  bool resume = false;              ///< continue the journal of an interrupted run
  bool overwrite = false;           ///< replace an existing file (and discard an old journal)
  bool force = false;               ///< run a sweep above sweep.max_runs
  Conduct conduct;
};

struct RunResult {
  PipelineStatus status = PipelineStatus::failed;
  runner::ExecutionReport report;   ///< the runs made now, on this process
  std::uint64_t already = 0;        ///< runs found in the journal (resume)
  std::uint64_t runs = 0;           ///< runs of the whole design (points × replicates)
  int threads = 1;
};

/// Makes the run `config` describes. Throws InputError (sweep above sweep.max_runs without force,
/// with the estimates; a missing output directory; a shard under mpirun), output::OutputExists,
/// output::OutputError, and what the scenario's points throw.
[[nodiscard]] RunResult run(const RunConfig& config, const Processes& processes);

/// Combines the shard journals of run(… shard …) into `output`: the file the whole run would have
/// written, bit for bit. Checks that the shards are of one scenario and design, that no run is in
/// two shards and none is missing (unless allow_incomplete: then the file's `complete` is 0).
/// Throws InputError (no shard, a missing file), output::OutputExists, output::JournalError.
[[nodiscard]] output::FinalizeReport merge(const std::vector<std::filesystem::path>& shards,
                                           const std::filesystem::path& output, bool overwrite,
                                           bool allow_incomplete, const std::string& command_line);

}  // namespace normsim::study
