#pragma once
// `normsim plan`: a dry run. Prints the design and estimates of researcher-steps, time on this
// machine (from a short calibration) and output size (study/plan.hpp).
#include <string>
#include <vector>

namespace normsim::cli {

/// The text of `normsim plan --help`.
[[nodiscard]] std::string plan_help();

/// Runs `normsim plan <args>`. Returns the exit code. Throws UsageError, ScenarioError.
[[nodiscard]] int plan_command(const std::vector<std::string>& args);

}  // namespace normsim::cli
