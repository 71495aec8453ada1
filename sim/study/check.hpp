#pragma once
// Checking a scenario's [[claims]]: the scenario's runs (run()), the attributions its attribution
// claims need (attribute(), once for the whole design or once per sweep point), then every claim's
// estimate, interval and verdict (holds / fails / inconclusive) at every point or cell it is
// evaluated at, stored under /claims in the run file.
#include "analysis/claims/verdict.hpp"
#include "output/claims_table.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace normsim::study {

/// A sequential check (normsim check --until-decided): rounds of more runs for the entries still
/// undecided, until every claim is decided or the budget is spent.
struct Sequential {
  bool until_decided = false;
  std::uint64_t max_runs = 0;  ///< runs of the whole check (scenario, rounds, attributions); 0: sweep.max_runs
  double max_seconds = 0;      ///< no new round after this many seconds; 0: no limit
};

struct CheckConfig {
  scenario::Scenario scenario;     ///< loaded, with its claims; overrides applied
  std::string scenario_file;       ///< as given (messages, provenance); scenario.source when empty
  std::string command_line;        ///< recorded as provenance
  std::filesystem::path output;    ///< the run file; attributions go beside it (attribution_file)
  bool resume = false;             ///< keep finished files, resume journals
  bool overwrite = false;          ///< replace existing files
  bool force = false;              ///< run a sweep above sweep.max_runs
  Sequential sequential;
  Conduct conduct;
};

/// One claim's verdicts.
struct ClaimOutcome {
  output::ClaimResult result;          ///< as stored under /claims/<id>/
  std::string formula;                 ///< claim_formula()
  analysis::Verdict overall = analysis::Verdict::inconclusive;  ///< over every entry
  std::array<std::size_t, 3> counts{};  ///< entries that hold, fail, are inconclusive
};

struct CheckResult {
  PipelineStatus status = PipelineStatus::failed;  ///< written: the claims were evaluated (rank 0)
  std::vector<ClaimOutcome> claims;                ///< in the scenario's order
  std::uint64_t runs = 0;                          ///< model runs of the whole check
  std::vector<std::filesystem::path> rounds;       ///< the round files of a sequential check
};

/// The attribution file of a check writing `output`: <stem>.attribution.h5, or
/// <stem>.point-P.attribution.h5 for point P with attribution.per_point; looks after the first
/// (a sequential check) add .look-J before .attribution.h5.
[[nodiscard]] std::filesystem::path attribution_file(const std::filesystem::path& output,
                                                     std::optional<std::uint64_t> point, std::uint64_t look = 1);

/// Checks every claim of `config.scenario` (which must have claims: else InputError). Validates
/// the claims against the design before anything runs (InputError naming the file and claim).
/// Throws what run() and attribute() throw. Under mpirun every rank calls it; rank 0 evaluates.
[[nodiscard]] CheckResult check(const CheckConfig& config, const Processes& processes);

}  // namespace normsim::study
