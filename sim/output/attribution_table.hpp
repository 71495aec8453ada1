#pragma once
// Variance-attribution results in a normsim file, under /attribution/<outcome>/ (issue 4):
//   factor                 int64 [G]  0 … G−1, attribute `labels` (the factor or group names) and
//                                     `kinds` ("group", "researcher", "lab", "parameter", …)
//   <index>/estimate, low, high  float64 [G]  an index (first_order, total, shapley, …) and its
//                                     confidence interval; attributes `estimator`, `ci`
//   attributes of the outcome group: rows (design rows N), runs, variance, confidence, bootstrap
// The results are added to a finished file through a copy that is renamed over it, so a reader
// never sees a half-written file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace normsim::output {

/// One index for every factor of a table, with its interval.
struct IndexColumn {
  std::string name;       ///< dataset group name: "first_order", "total", "shapley", "knockout", …
  std::string estimator;  ///< e.g. "Saltelli 2010", "Jansen 1999", "Janon 2014"
  std::string ci;         ///< how the interval was made, e.g. "bootstrap percentile, 200 resamples, seed 1"
  std::vector<double> estimate;  ///< [G]
  std::vector<double> low;       ///< [G] lower end of the interval
  std::vector<double> high;      ///< [G] upper end
};

/// The attribution of one outcome's variance.
struct AttributionTable {
  std::string outcome;              ///< an outcome name (model/outcomes.hpp)
  std::vector<std::string> labels;  ///< [G] factor / group names
  std::vector<std::string> kinds;   ///< [G] "group", "researcher", "lab", "parameter", "norm"
  std::vector<IndexColumn> indices;
  std::uint64_t rows = 0;           ///< N, rows of the design
  std::uint64_t runs = 0;           ///< runs the estimates used
  double variance = 0;              ///< the outcome's variance V
  double confidence = 0.95;         ///< level of the intervals
};

/// Adds every table to `file` (an existing normsim file), replacing an /attribution group if
/// present. Throws OutputError (file, object, HDF5 cause) on failure or on columns whose length
/// is not G; `file` is unchanged then.
void write_attribution(const std::filesystem::path& file, const std::vector<AttributionTable>& tables);

}  // namespace normsim::output
