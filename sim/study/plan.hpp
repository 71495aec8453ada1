#pragma once
// What a scenario will cost before it runs (`normsim plan`, and `run` when it refuses a sweep
// above sweep.max_runs): the design as text, and estimates of researcher-steps, time on this
// machine (from a short calibration) and output size, for the runs and for the [attribution].
#include "scenario/scenario.hpp"

#include <cstdint>
#include <string>

namespace normsim::study {

/// What a sweep will cost, from a calibration of a few runs.
struct Estimate {
  std::uint64_t runs = 0;                  ///< P · R
  std::uint64_t calibration_runs = 0;      ///< runs timed (one thread)
  double researcher_steps_per_run = 0;     ///< mean over the calibration runs
  double seconds_per_run = 0;              ///< one thread
  int threads = 1;                         ///< threads the estimate assumes
  double outcome_bytes = 0;                ///< /outcomes and /runs, uncompressed
  double series_bytes = 0;                 ///< /series upper bound (uncompressed, T steps each)
  [[nodiscard]] double researcher_steps() const noexcept { return researcher_steps_per_run * static_cast<double>(runs); }
  [[nodiscard]] double seconds() const noexcept {
    return seconds_per_run * static_cast<double>(runs) / static_cast<double>(threads);
  }
};

/// Times up to `calibration_points` points spread over the design, `replicates_each` runs each, on
/// one thread (at most ~2 s). Throws what the scenario's points throw.
[[nodiscard]] Estimate estimate(const scenario::Scenario& base, int threads, bool series,
                                std::uint64_t calibration_points = 8, std::uint64_t replicates_each = 2);

/// What the scenario's [attribution] will cost (attribute(), or check() for its attribution
/// claims): runs of the main design, Shapley, knockouts, screening; time from `e`.
/// Precondition: base.attribution.
[[nodiscard]] std::string describe_attribution(const scenario::Scenario& base, const Estimate& e);

/// The estimate as text, a few lines.
[[nodiscard]] std::string describe_estimate(const Estimate& e);

/// The design as text: kind, factors with levels or ranges, points, replicates, runs.
[[nodiscard]] std::string describe_design(const scenario::Scenario& base);

}  // namespace normsim::study
