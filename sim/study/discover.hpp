#pragma once
// Scenario discovery (normsim discover): where in a space of assumptions a claim fails. The
// scenario's [sweep] samples the assumptions (latin_hypercube, sobol or grid); the claim is
// evaluated at every design point from the point's replicates, a point is "of interest" when the
// claim fails at its estimate, and PRIM (analysis/discovery) finds the boxes of assumptions where
// such points concentrate. Stored under /discovery/<claim>/ in the run file
// (output/discovery_table.hpp).
//
// Claims it can use:
//   mean, probability   at each point of the scenario's sweep (the runs are `normsim run`'s)
//   mean_difference     at each point, both norms (the claim's `norm` and `versus` presets, each
//                       given as norm.preset on top of the point) on the same keys: the point's
//                       stream id (scenario::point_stream_id of the point as the scenario states it,
//                       or the base's with sweep.common_keys), so that the two runs of a replicate
//                       differ only by the norm; different points keep different keys. The run file
//                       holds 2P rows: row 2p is point p under `norm`, row 2p + 1 under `versus`
//                       (design columns norm.preset and sweep_point say so).
// Each point's interval is at level claims.confidence for that point alone (per point: PRIM, not the
// verdicts, makes the map; the verdicts are stored for reading). Bounded outcomes (x-risk, shares,
// and their differences) get the exact betting interval, unbounded ones a Student t interval, as
// `normsim check`.
#include "analysis/discovery/discover.hpp"
#include "output/discovery_table.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace normsim::study {

struct DiscoverConfig {
  scenario::Scenario scenario;     ///< loaded, with its claims and sweep; overrides applied
  std::string scenario_file;       ///< as given (messages, provenance); scenario.source when empty
  std::string command_line;        ///< recorded as provenance
  std::string claim;               ///< id of one of the scenario's claims; empty: its only claim
  std::filesystem::path output;    ///< the run file; /discovery/<claim> is added to it
  analysis::discovery::DiscoverySettings settings;  ///< PRIM, covering, permutations, bootstrap
  bool resume = false;             ///< keep a finished file, continue a journal
  bool overwrite = false;          ///< replace an existing file
  bool force = false;              ///< run more than sweep.max_runs
  Conduct conduct;
};

struct DiscoverResult {
  PipelineStatus status = PipelineStatus::failed;  ///< written: the discovery was made (rank 0)
  output::DiscoveryTable table;                    ///< as stored under /discovery/<claim>/
  std::string formula;                             ///< claim_formula() of the claim
  std::uint64_t runs = 0;                          ///< model runs behind the points (all rows)
  std::uint64_t replicates = 0;                    ///< per point (and per norm)
  std::array<std::size_t, 3> verdicts{};           ///< points where the claim holds, fails, is inconclusive
};

/// The claim `config.claim` of `config.scenario` as discover uses it. Throws InputError naming the
/// file: no claims, no such id (listing the ids), no id given with several claims, a quantity discover
/// cannot use, a sweep without factors (or with a norm factor for mean_difference), a paired claim
/// without `norm`/`versus`.
[[nodiscard]] const scenario::Claim& discover_claim(const DiscoverConfig& config);

/// Runs what the claim needs into config.output through the journalled pipeline (resume, threads,
/// MPI: every rank calls it, rank 0 evaluates), evaluates the claim at every point, runs PRIM and
/// writes /discovery/<claim>. With resume and a finished file, no run is made: the file must hold
/// this scenario's runs (else InputError). Throws InputError (above, and runs above sweep.max_runs
/// without force, PRIM's settings out of range), output::OutputExists, output::OutputError.
[[nodiscard]] DiscoverResult discover(const DiscoverConfig& config, const Processes& processes);

}  // namespace normsim::study
