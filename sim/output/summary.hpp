#pragma once
// Per-point summary statistics of one outcome over the replicates of that point, as written under
// /summary/<outcome>/ (output/schema.hpp). Pure computation, no HDF5, so that tests and analysis
// code can check the file against an independent computation.
#include <cstdint>
#include <span>
#include <vector>

namespace normsim::output {

/// Summary of the non-missing values of one outcome at one design point.
/// Every statistic is NaN when it is undefined (mean and quantiles with n = 0; sd, se with n < 2).
struct OutcomeSummary {
  double mean = 0;        ///< arithmetic mean, summed in replicate order (deterministic)
  double sd = 0;          ///< sample standard deviation (divisor n − 1), two-pass
  double se = 0;          ///< standard error of the mean, sd / √n
  double q05 = 0;         ///< 5 % quantile, type 7 (see quantile_type7)
  double q50 = 0;         ///< median, type 7
  double q95 = 0;         ///< 95 % quantile, type 7
  std::uint64_t n = 0;    ///< number of values used: completed replicates whose value is not NaN
};

/// Quantile q ∈ [0, 1] of `sorted` (ascending, no NaN) by linear interpolation between order
/// statistics, Hyndman & Fan type 7 (R's default, numpy's "linear"): h = (n − 1)·q,
/// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). NaN for an empty input.
[[nodiscard]] double quantile_type7(std::span<const double> sorted, double q);

/// Summarises `values` (one entry per replicate in replicate order; NaN = missing, excluded).
/// `scratch` is reused storage for the sorted copy (avoids an allocation per point). Never throws
/// except std::bad_alloc.
[[nodiscard]] OutcomeSummary summarize(std::span<const double> values, std::vector<double>& scratch);

}  // namespace normsim::output
