#pragma once
// Running this process's share of a run set into a crash-safe journal: open or resume the
// journal, skip the runs already in it, run the rest with progress, stop cleanly on Ctrl-C or
// SIGTERM, flush. Shared by `run` (sweeps) and `attribute` (pick-freeze designs).
#include "output/journal.hpp"
#include "runner/execute.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>

namespace normsim::cli {

/// Where and which part of a run set this process runs.
struct JournalTarget {
  std::filesystem::path journal;  ///< this process's journal file
  std::uint64_t shard = 0;        ///< this process's share: positions k with k mod shards == shard
  std::uint64_t shards = 1;
  bool resume = false;            ///< continue an existing journal (else it must not exist)
};

struct JournaledReport {
  runner::ExecutionReport report;  ///< the runs made now (interrupted = stopped by a signal)
  std::uint64_t already = 0;       ///< runs of this share found in the journal
};

/// Runs the share of `set` that `target` names and that the journal does not hold yet.
/// `announce(already)` is called once the journal is open, before any run (for messages).
/// `per_point` > 0 shows points in the progress line. Throws what JournalWriter and the runs throw.
[[nodiscard]] JournaledReport execute_journaled(const runner::RunSet& set, const output::JournalHeader& header,
                                                const JournalTarget& target, int threads, bool series, bool quiet,
                                                std::uint64_t per_point,
                                                const std::function<void(std::uint64_t already)>& announce);

/// "I/N" → (I, N) for --shard; throws UsageError unless 0 ≤ I < N.
[[nodiscard]] std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text);

/// The journal of `output` for rank `rank` of `ranks` processes: `<output>.journal` for one
/// process, `<output>.rank-R-of-K.journal` under mpirun.
[[nodiscard]] std::filesystem::path journal_path(const std::filesystem::path& output, std::uint64_t rank,
                                                 std::uint64_t ranks);

}  // namespace normsim::cli
