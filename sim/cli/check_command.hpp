#pragma once
// `normsim check`: evaluates a scenario's [[claims]] and gives each a verdict (holds / fails /
// inconclusive) with its evidence. It composes the other commands: the scenario's runs are made by
// `run` (journal, resume, progress, MPI), attribution claims by `attribute` (once for the whole
// design, or once per sweep point with attribution.per_point); then the claims are estimated from
// those files and stored under /claims in the run file.
#include "study/processes.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim check --help`.
[[nodiscard]] std::string check_help();

/// Runs `normsim check <args>`. Returns 0 when every claim holds, 1 when any fails, 3 when none
/// fails but some are inconclusive (or another ExitCode). Throws UsageError, ScenarioError,
/// OutputError.
[[nodiscard]] int check_command(const std::vector<std::string>& args, const std::string& command_line,
                                const study::Processes& processes);

}  // namespace normsim::cli
