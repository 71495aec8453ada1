#pragma once
// `normsim run`: a scenario's design points × replicates, in parallel (oneTBB threads, and MPI
// ranks under mpirun), streamed to a crash-safe journal, then written as one HDF5 file.
// `normsim merge`: the shards of `run --shard i/n` into that same file.
#include "study/processes.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim run --help`.
[[nodiscard]] std::string run_help();

/// Runs `normsim run <args>`; `command_line` is recorded as provenance and used for the resume
/// hint. Returns the exit code (exit_codes.hpp); prints the summary on stdout, messages and
/// progress on stderr (rank 0 only under MPI). Throws UsageError, scenario::ScenarioError,
/// output::OutputError (main maps them to exit codes).
[[nodiscard]] int run_command(const std::vector<std::string>& args, const std::string& command_line,
                              const study::Processes& processes);

/// The text of `normsim merge --help`.
[[nodiscard]] std::string merge_help();

/// Runs `normsim merge SHARD... -o FILE [--overwrite]`. Same conventions as run_command.
[[nodiscard]] int merge_command(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace normsim::cli
