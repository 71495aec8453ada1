#pragma once
// `normsim discover`: scenario discovery. Runs what one claim needs at every point of a scenario's
// sweep of assumptions (journalled: --resume, threads, MPI), marks the points where the claim fails
// at its estimate, finds the boxes of assumptions where they concentrate with PRIM, prints each box
// (restrictions and limits, coverage, density, points, p-value, bootstrap stability, the trade-off)
// and stores everything under /discovery/<claim> in the run file.
#include "study/processes.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim discover --help`.
[[nodiscard]] std::string discover_help();

/// Runs `normsim discover <args>`. Returns 0 when the discovery was made (boxes found or not), or
/// another ExitCode (130 interrupted, 4 failed). Throws UsageError, ScenarioError, study::InputError,
/// OutputError.
[[nodiscard]] int discover_command(const std::vector<std::string>& args, const std::string& command_line,
                                   const study::Processes& processes);

}  // namespace normsim::cli
