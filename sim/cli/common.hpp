#pragma once
// What the commands share between parsing their options and calling the study library: the
// conduct of an execution (threads, progress, messages on stderr), --shard's syntax, comma lists,
// and the exit status and message of a pipeline that did not finish.
#include "study/journaled.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// Threads, progress and messages as the CLI shows them: progress bar or lines on stderr and
/// "normsim: …" messages unless quiet; under mpirun only rank 0 talks.
[[nodiscard]] study::Conduct conduct(int threads, bool quiet, const study::Processes& processes);

/// "I/N" → shard I of N; throws UsageError unless 0 ≤ I < N.
[[nodiscard]] study::Shard parse_shard(const std::string& text);

/// "a,b,,c" → {"a", "b", "c"}.
[[nodiscard]] std::vector<std::string> split_list(const std::string& list);

/// Checks --threads: 0 (all cores) … 4096; throws UsageError.
void check_threads(int threads);

/// For a pipeline that stopped (interrupted, failed): prints, on rank 0, how to continue, and
/// returns the exit code (130 interrupted, 4 failed). `resume_command` is what to type.
[[nodiscard]] int stopped(study::PipelineStatus status, const std::string& resume_command,
                          const study::Processes& processes);

/// The command line with --resume added (what to type to continue).
[[nodiscard]] std::string with_resume(const std::string& command_line);

}  // namespace normsim::cli
