#pragma once
// Verdicts of claims in a normsim file, under /claims/<id>/ (issue 5):
//   estimate, low, high   float64 [P]  the claimed quantity and its confidence interval
//   verdict               int8 [P]     0 holds, 1 fails, 2 inconclusive (analysis::Verdict)
//   n                     uint64 [P]   sample size behind the estimate (replicates or design rows)
//   n_needed              float64 [P]  sample size that would likely decide an inconclusive verdict;
//                                      0 when decided, inf when no sample size can
//   design/<key>          [P]          where each entry was evaluated: the sweep's factors (as /design)
//   attributes: statement, quantity, outcome, compare ("<" or ">"), value, confidence, scope
//   ("points": one entry per point or cell of the sweep; "design": one entry for the whole
//   scenario), estimator (how the estimate and its interval were made), units (of the quantity).
// /claims has the attribute verdict_labels = ["holds", "fails", "inconclusive"]. Written into a
// finished file through a copy renamed over it, like /attribution.
#include "output/layout.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace normsim::output {

struct ClaimResult {
  std::string id;          ///< HDF5 group name: [A-Za-z0-9_.-]
  std::string statement;
  std::string quantity;    ///< "mean", "max_researcher_index", ...
  std::string outcome;
  std::string compare;     ///< "<" or ">"
  double value = 0;
  double confidence = 0.95;
  std::string scope;       ///< "points" or "design"
  std::string estimator;
  std::string units;       ///< units of the quantity: "fraction", "probability", or the outcome's units
  std::vector<double> estimate, low, high, n_needed;  ///< [P] each
  std::vector<std::int8_t> verdict;                  ///< [P]
  std::vector<std::uint64_t> n;                      ///< [P]
  std::vector<DesignFactor> design;                  ///< coordinates, [P] each; empty for scope "design"
};

/// Adds /claims (replacing an existing one) to the finished normsim file `file`. Throws
/// OutputError on unequal column lengths or HDF5 failures; `file` is unchanged then.
void write_claims(const std::filesystem::path& file, const std::vector<ClaimResult>& claims);

}  // namespace normsim::output
