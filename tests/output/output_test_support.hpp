#pragma once
// Shared helpers of the output tests: synthetic records with known values and a scratch directory.
#include "output/provenance.hpp"
#include "runner/record.hpp"
#include "scratch_dir.hpp"

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace normsim::output::test {

/// The value written for outcome k of run r: distinct for every (r, k), NaN for t_transform of odd runs.
inline double outcome_value(std::uint64_t r, std::size_t k) {
  if (k == static_cast<std::size_t>(model::OutcomeId::t_transform) && r % 2 == 1) return model::kMissing;
  return static_cast<double>(r) * 100.0 + static_cast<double>(k) + 0.25;
}

/// The value of series k of run r after step t (1-based): distinct for every (r, k, t).
inline double series_value(std::uint64_t r, std::size_t k, std::size_t t) {
  return static_cast<double>(r) + static_cast<double>(k) / 8.0 + static_cast<double>(t) * 1e-3;
}

/// Steps run by run r: runs r % 3 == 2 stop early (after steps − r % 5 − 1 steps, at least 0).
inline std::size_t steps_run(std::uint64_t r, std::size_t steps) {
  if (r % 3 != 2) return steps;
  const std::size_t cut = static_cast<std::size_t>(r % 5) + 1;
  return steps > cut ? steps - cut : 0;
}

/// A single-scenario layout (P = 1) of R replicates and T steps.
inline Layout single_point(std::uint64_t replicates, std::int64_t steps, bool series) {
  Layout layout;
  layout.replicates = replicates;
  layout.steps = steps;
  layout.series = series;
  return layout;
}

/// A record for run r with `steps` maximum steps (series empty when !with_series); point and
/// replicate derived from r with `replicates` per point (0: a single point, replicate = r).
inline runner::RunRecord make_record(std::uint64_t r, std::size_t steps, bool with_series = true,
                                     std::uint64_t replicates = 0) {
  runner::RunRecord rec;
  rec.run_index = r;
  rec.point = replicates == 0 ? 0 : r / replicates;
  rec.replicate = replicates == 0 ? r : r % replicates;
  for (std::size_t k = 0; k < model::kOutcomeCount; ++k) rec.outcomes[k] = outcome_value(r, k);
  if (with_series) {
    rec.series.resize(steps_run(r, steps));
    for (std::size_t t = 0; t < rec.series.size(); ++t)
      for (std::size_t k = 0; k < model::kSeriesCount; ++k) rec.series[t][k] = series_value(r, k, t + 1);
  }
  rec.researcher_steps = 10 * r + 7;
  rec.wall_seconds = 0.5 + static_cast<double>(r);
  return rec;
}

/// A provenance with every field set to a recognisable value.
inline Provenance sample_provenance() {
  Provenance p;
  p.normsim_version = "0.1.0";
  p.git_commit = "abc123";
  p.compiler = "GCC 12";
  p.build_type = "Release";
  p.command_line = "normsim run scenario.toml -o runs.h5";
  p.scenario_file = "scenario.toml";
  p.scenario_resolved = "[run]\nseed = 42\n# π^cap, ünïcode\n";
  p.key_derivation = "splitmix64(seed, point, replicate, entity)";
  p.rng = "Philox4x64-10 (Random123)";
  p.host = "testhost";
  p.start_time = "2026-01-01T00:00:00Z";
  p.cli_overrides = {"run.replicates=4", "model.labs=3"};
  p.master_seed = 0xFFFF'FFFF'FFFF'FFF1ULL;  // above 2^53: must survive exactly
  p.threads = 4;
  p.processes = 1;
  return p;
}

using normsim::test::ScratchDir;

}  // namespace normsim::output::test
