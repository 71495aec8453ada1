#pragma once
// Variance attribution of a scenario: how much of each outcome's variance each lab, each
// researcher, groups of them and the sweep's factors explain — first-order (Saltelli 2010) and
// total (Jansen) Sobol indices with percentile-bootstrap intervals from a pick-freeze design over
// the entities' keys (runner/attribution_sets.hpp), estimated by analysis/attribution; optionally
// Shapley effects, knockouts, Janon's all-entities design and screening. The design's runs go
// through the journalled pipeline (resume, shards, MPI) into an HDF5 file of [matrices, rows]; the
// tables are added under /attribution.
#include "analysis/attribution/norm_share.hpp"
#include "output/attribution_table.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace normsim::study {

/// An attribution to make. Unset optionals take the scenario's [attribution] values (or their
/// defaults when it has none).
struct AttributeConfig {
  scenario::Scenario scenario;        ///< loaded, overrides applied
  std::string scenario_file;          ///< as given (messages, provenance); scenario.source when empty
  std::string command_line;           ///< recorded as provenance
  std::filesystem::path output;       ///< the HDF5 file (with `shard`: the shard journals are named after it)
  std::vector<std::string> outcomes;  ///< outcome names; empty: attribution.outcomes
  std::optional<std::uint64_t> rows;  ///< N; attribution.rows
  std::optional<std::uint64_t> bootstrap;  ///< resamples; attribution.bootstrap
  std::optional<double> target_width;  ///< convergence report's target CI width; attribution.target_ci_width
  bool no_researchers = false;        ///< no per-researcher indices (attribution.researchers = "none")
  bool radial = false;                ///< no matrix B: total indices only
  bool shapley = false;               ///< also Shapley effects (or attribution.shapley)
  std::uint64_t janon_rows = 0;       ///< > 0: also every entity's first-order index, Janon, 2N runs
  std::optional<Shard> shard;         ///< run only this shard into `output`.shard-I-of-N.journal
  std::uint64_t from_shards = 0;      ///< N > 0: run nothing, combine the N shard journals
  bool resume = false;
  bool overwrite = false;
  /// An earlier attribution file of the same design with fewer rows (a sequential check's previous
  /// look: the same scenario, seeds, outcomes and groups): its runs are the first rows of every
  /// matrix of this design (runner::PickFreezeSet: designs are nested), so they are copied into the
  /// journal instead of made again. Empty: none. Refused with shards; InputError if the file's
  /// matrices differ from the design's or it has as many rows or more.
  std::filesystem::path extend;
  Conduct conduct;
};

/// What an attribution found.
struct AttributionResult {
  PipelineStatus status = PipelineStatus::failed;
  std::filesystem::path journal;      ///< this process's journal (a shard's, to report it)
  std::vector<output::AttributionTable> tables;  ///< main tables, then knockouts, Janon, Shapley
  std::vector<std::string> constant;  ///< outcomes without variance over the design (no table)
  std::uint64_t runs = 0;             ///< runs of the main design
  std::uint64_t copied = 0;           ///< of them, copied from AttributeConfig::extend (all processes), not made
  std::uint64_t extra_runs = 0;       ///< runs of the extra designs (screening, knockouts, Janon, Shapley), in memory
  std::uint64_t rows = 0;             ///< N
  double target_width = 0.05;         ///< for the convergence report
  runner::ExecutionReport report;     ///< the main design's runs made now, on this process
  int threads = 1;
};

/// The /attribution attribute extra_runs of an attribution file (AttributionResult::extra_runs), or
/// nullopt for a file of a normsim before nested designs (B's keys at replicate N + i), which did not
/// record it: such a file cannot be extended (AttributeConfig::extend).
[[nodiscard]] std::optional<std::uint64_t> recorded_extra_runs(const output::Hdf5Reader& file);

/// Makes the attribution `config` describes. Throws InputError (a contradiction between options
/// and the scenario, naming both), scenario::ScenarioError, output::OutputExists, output::OutputError.
/// Under mpirun, every rank calls it; rank 0 estimates and writes the tables.
[[nodiscard]] AttributionResult attribute(const AttributeConfig& config, const Processes& processes);

/// The share of each outcome's variance that the single categorical factor of a finished sweep
/// explains, per outcome, with the level differences when the sweep used common keys.
struct FactorShare {
  std::string outcome;
  analysis::NormShare share;
  std::vector<analysis::LevelDifference> differences;  ///< empty without common keys
};

struct FactorShareResult {
  std::string factor;                  ///< the factor's key
  std::vector<std::string> labels;     ///< label of each level, by level code
  std::vector<std::int64_t> levels;    ///< level code of each point
  std::uint64_t points = 0;
  std::uint64_t replicates = 0;
  bool paired = false;                 ///< the sweep used common keys
  std::vector<FactorShare> shares;     ///< one per outcome
};

/// `normsim attribute SWEEP.h5`: reads the finished sweep file `path` (a grid over exactly one
/// categorical factor, else InputError), estimates the shares (law of total variance,
/// bias-corrected, percentile bootstrap with `bootstrap` resamples at `confidence`, on `threads`
/// threads, 0 = all cores) and writes them as /attribution tables into the file. Throws
/// InputError, output::OutputError.
[[nodiscard]] FactorShareResult factor_share(const std::filesystem::path& path, const std::vector<std::string>& outcomes,
                                             std::uint64_t bootstrap, int threads = 0, double confidence = 0.95);

}  // namespace normsim::study
