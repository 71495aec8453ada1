#pragma once
// `locate` in a claim: where the claim's quantity crosses its value along one numeric factor of
// the sweep, at every combination of the other factors (analysis/claims/locate.hpp does the
// search; here the sampler runs the model). Runs are made in memory on common keys: replicate r
// has the keys of the sweep's replicate r at every level of the factor, so that a point's runs are
// the same whichever round of the search asked for them.
#include "analysis/claims/locate.hpp"
#include "output/claims_table.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace normsim::study {

/// The search of one claim: its boundary table (per combination of the other factors) and the
/// searches' results.
struct LocatedClaim {
  output::ClaimBoundary boundary;
  std::vector<analysis::LocateResult> searches;  ///< one per combination
};

/// The index of the factor `claim` locates along. Throws InputError, naming `file` and the claim,
/// unless it is a numeric, non-integer factor of a grid with common keys, other than the factor the
/// claim compares.
[[nodiscard]] std::size_t located_factor(const scenario::Claim& claim, const scenario::Scenario& base,
                                         const std::string& file);

/// Searches `claim` (with `locate`) at every combination of the sweep's other factors, each search
/// at error α/C (family-wise over the C combinations) or α (per point). Throws InputError, naming
/// `file` and the claim, when the factor is not a numeric factor of a grid with common keys, and
/// what the runs throw. Runs on this process's threads.
/// `max_runs`: model runs all the claim's searches may spend together (split evenly between them).
[[nodiscard]] LocatedClaim locate_claim(const scenario::Claim& claim, const scenario::Scenario& base,
                                        const std::string& file, const Conduct& conduct,
                                        std::uint64_t max_runs = std::numeric_limits<std::uint64_t>::max());

}  // namespace normsim::study
