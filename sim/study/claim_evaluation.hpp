#pragma once
// One claim's entries (points of the sweep, cells of a grid, or the whole design) evaluated to
// verdicts with the error the claim asks for: each entry's interval at level 1 − α/k (family-wise,
// Bonferroni over the k entries) or 1 − α (per point); in a sequential check, anytime-valid
// confidence sequences for means (valid at every look), and for resampled statistics (norm share,
// attribution indices) an error split over the looks (α·6/(π²j²) at look j).
#include "analysis/claims/estimators.hpp"
#include "analysis/claims/sequence.hpp"
#include "output/claims_table.hpp"
#include "scenario/scenario.hpp"
#include "study/rounds.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace normsim::study {

/// What a claim's evaluation reads and how it may spend runs.
struct EvaluationContext {
  const scenario::Scenario* base = nullptr;
  std::string file;                    ///< the scenario file, for messages
  RunValues* runs = nullptr;           ///< the run file and the round files
  /// The attribution file of each attribution entry (one for the whole design, or one per point),
  /// at its latest look, and the runs spent on each so far (all looks).
  std::vector<std::filesystem::path> attribution_files;
  std::vector<std::uint64_t> attribution_looks;  ///< look of each file (1, 2, …)
  std::vector<std::uint64_t> attribution_runs;
  /// The most rows each attribution entry may reach within the budget (for prospects: its n_needed
  /// is in rows, not runs); empty: max_n.
  std::vector<double> attribution_max_rows;
  bool sequential = false;             ///< --until-decided: sequences and looks
  std::uint64_t look = 1;              ///< the current look (round + 1) of resampled statistics on runs
  std::uint64_t max_n = 0;             ///< the most replicates a point may reach (for prospects)
  std::uint64_t bootstrap = 500;       ///< attribution.bootstrap (norm share resamples start here)
  std::uint64_t bootstrap_seed = 1;    ///< attribution.seed
};

/// One evaluated entry and what deciding it would take.
struct EntryOutcome {
  analysis::ClaimEstimate value;       ///< estimate, interval, n
  analysis::Verdict verdict = analysis::Verdict::inconclusive;
  double n_needed = 0;                 ///< 0 decided; else where it would likely be decided; +∞ none
  analysis::Prospect prospect = analysis::Prospect::more_runs;
  std::uint64_t runs = 0;              ///< model runs spent on the entry
  std::vector<std::uint64_t> points;   ///< the design points whose runs it uses (empty: attribution)
};

/// A claim evaluated: what goes to /claims/<id>/ and each entry's outcome.
struct ClaimEvaluation {
  output::ClaimResult result;  ///< everything but the verdict counts
  std::vector<EntryOutcome> entries;
  bool resampled = false;      ///< norm share or attribution: more data means a new look, not more outcomes
  bool attribution = false;    ///< an attribution claim: its entries are the attribution files
};

/// Evaluates `claim` at its entries. Throws InputError (a claim the scenario cannot evaluate,
/// naming the file and claim) and what reading the files throws.
[[nodiscard]] ClaimEvaluation evaluate_claim(const scenario::Claim& claim, const EvaluationContext& context);

}  // namespace normsim::study
