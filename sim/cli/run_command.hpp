#pragma once
// `normsim run`: one scenario, R replicates, in parallel, streamed to an HDF5 file.
#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim run --help`.
[[nodiscard]] std::string run_help();

/// Runs `normsim run <args>`; `command_line` is recorded as provenance. Returns the exit code
/// (exit_codes.hpp); prints the summary on stdout and messages and progress on stderr.
/// Throws UsageError, scenario::ScenarioError, output::OutputError (main maps them to exit codes).
[[nodiscard]] int run_command(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace normsim::cli
