#pragma once
// Verdicts of claims in a normsim file, under /claims/<id>/ (issue 5):
//   estimate, low, high   float64 [P]  the claimed quantity and its confidence interval
//   verdict               int8 [P]     0 holds, 1 fails, 2 inconclusive (analysis::Verdict)
//   n                     uint64 [P]   sample size behind the estimate (replicates or design rows)
//   boundary/             with `locate` (ClaimBoundary): status, estimate, low, high, count, runs
//                                      [C] and design/<factor> per combination of the other factors;
//                                      crossings/{combination, estimate, low, high, end, holds_below} [X];
//                                      points/{combination, x, estimate, low, high, n, sign, role} [Q];
//                                      attributes factor, alpha, guarantee, method, status_labels
//   n_needed              float64 [P]  sample size that would likely decide an inconclusive verdict;
//                                      0 when decided, inf when no sample size can
//   prospect              int8 [P]     why an entry stopped: 0 decided, 1 more runs would likely decide
//                                      it (budget or fixed design), 2 beyond the budget, 3 the estimate
//                                      sits on the value (no budget can be named)
//   runs                  uint64 [P]   model runs spent on the entry (its points' replicates, or the
//                                      attribution designs' runs)
//   design/<key>          [P]          where each entry was evaluated: the sweep's factors (as /design)
//   attributes: statement, quantity, outcome, compare ("<" or ">"), value, confidence, scope
//   ("points": one entry per point or cell of the sweep; "design": one entry for the whole
//   scenario), estimator (how the estimate and its interval were made), units (of the quantity),
//   error (family_wise or per_point), entry_confidence (the level of each entry's interval: 1 − α/k
//   family-wise), mode (fixed or sequential), looks (rounds of a sequential check), guarantee (the
//   error guarantee in words).
// /claims has the attribute verdict_labels = ["holds", "fails", "inconclusive"]. Written into a
// finished file through a copy renamed over it, like /attribution.
#include "output/layout.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace normsim::output {

/// Where a claim's quantity crosses its value along one factor (`locate`), per combination C of the
/// other factors, under /claims/<id>/boundary/.
struct ClaimBoundary {
  std::string factor;                          ///< the located factor's key
  std::vector<DesignFactor> design;            ///< [C] the other factors' values (as /design)
  std::vector<std::int8_t> status;             ///< [C] 0 crosses once, 1 more than once, 2 no crossing, 3 undecided
  std::vector<double> estimate, low, high;     ///< [C] the first crossing and its interval (NaN: none)
  std::vector<std::uint64_t> crossings;        ///< [C] crossings found
  std::vector<std::uint64_t> runs;             ///< [C] model runs of the search
  // Every crossing [X] and every point the searches evaluated [Q].
  std::vector<std::uint64_t> crossing_combination;
  std::vector<double> crossing_estimate, crossing_low, crossing_high;
  std::vector<std::int8_t> crossing_end;       ///< analysis::BracketEnd
  std::vector<std::int8_t> crossing_holds_below;  ///< 1: the claim holds below the crossing
  std::vector<std::uint64_t> point_combination;
  std::vector<double> point_x, point_estimate, point_low, point_high;
  std::vector<std::uint64_t> point_n;
  std::vector<std::int8_t> point_sign;         ///< +1 above the value, −1 below, 0 undecided
  std::vector<std::int8_t> point_role;         ///< 0 grid, 1 probe
  double alpha = 0.05;                         ///< error of each search
  std::string guarantee;                       ///< in words
  std::string method;
};

struct ClaimResult {
  std::string id;          ///< HDF5 group name: [A-Za-z0-9_.-]
  std::string statement;
  std::string quantity;    ///< "mean", "max_researcher_index", ...
  std::string outcome;
  std::string compare;     ///< "<" or ">"
  double value = 0;
  double confidence = 0.95;       ///< 1 − α of the claim as a whole (its map, its looks)
  double entry_confidence = 0.95; ///< level of each entry's interval (1 − α/k family-wise, 1 − α per point)
  std::string error = "family_wise";  ///< "family_wise" or "per_point"
  std::string mode = "fixed";     ///< "fixed" (one design) or "sequential" (normsim check --until-decided)
  std::uint64_t looks = 1;        ///< evaluations of the claim (rounds of a sequential check)
  std::string guarantee;          ///< the error guarantee in words
  std::string scope;       ///< "points" or "design"
  std::string estimator;
  std::string units;       ///< units of the quantity: "fraction", "probability", or the outcome's units
  std::vector<double> estimate, low, high, n_needed;  ///< [P] each
  std::vector<std::int8_t> verdict;                  ///< [P]
  std::vector<std::int8_t> prospect;                 ///< [P] analysis::Prospect
  std::vector<std::uint64_t> runs;                   ///< [P]
  std::vector<std::uint64_t> n;                      ///< [P]
  std::vector<DesignFactor> design;                  ///< coordinates, [P] each; empty for scope "design"
  std::optional<ClaimBoundary> boundary;             ///< with `locate`
};

/// What the whole check cost, stored as attributes of /claims: wall_seconds (from the start of the
/// `normsim check` invocation to its verdicts: the scenario's runs, sequential rounds, attribution
/// looks and locate searches; a resumed check counts the resumed invocation only) and runs (every
/// model run the verdicts rest on).
struct CheckCost {
  double wall_seconds = 0;
  std::uint64_t runs = 0;
};
/// Adds /claims (replacing an existing one) to the finished normsim file `file`. Throws
/// OutputError on unequal column lengths or HDF5 failures; `file` is unchanged then.
void write_claims(const std::filesystem::path& file, const std::vector<ClaimResult>& claims, const CheckCost& cost);

}  // namespace normsim::output
