#pragma once
// How `normsim attribute` shows its tables on stdout: groups by total index, the top researchers,
// the sums and spread of the researchers' indices, a convergence line; knockout, Janon and
// Shapley tables; the factor share of a finished sweep.
#include "output/attribution_table.hpp"
#include "study/attribute.hpp"

#include <string>
#include <vector>

namespace normsim::cli {

/// Every table of `result`, in order, and a line for each outcome without variance. Each table
/// header states the level of its intervals.
void print_attribution(const study::AttributionResult& result, const std::vector<std::string>& outcomes,
                       std::uint64_t janon_rows);

/// The shares and level differences of `attribute SWEEP.h5`.
void print_factor_share(const study::FactorShareResult& result, double confidence);

}  // namespace normsim::cli
