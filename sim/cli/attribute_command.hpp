#pragma once
// `normsim attribute`: how much of the variance of each outcome each researcher, each lab and
// groups of them explain (first-order and total Sobol indices with bootstrap intervals), from a
// pick-freeze design over entity keys (runner/attribution_sets.hpp) estimated by
// analysis/attribution. The runs are journalled like a sweep's, so --resume works.
#include "study/processes.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim attribute --help`.
[[nodiscard]] std::string attribute_help();

/// Runs `normsim attribute <args>`. Returns the exit code. Throws UsageError, ScenarioError,
/// OutputError.
/// Under mpirun the design's runs are split across the ranks (each with its own journal) and rank 0
/// merges them and estimates.
[[nodiscard]] int attribute_command(const std::vector<std::string>& args, const std::string& command_line,
                                    const study::Processes& processes);

}  // namespace normsim::cli
