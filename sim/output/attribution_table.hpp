#pragma once
// Variance-attribution results in a normsim file, under /attribution/<table>/, <table> = the
// outcome's name, with a suffix for the tables beside the main one (".shapley", ".knockout",
// ".janon"):
//   factor                 int64 [G]  0 … G−1, attribute `labels` (the factor or group names) and
//                                     `kinds` (factor_kind_name: "group", "researcher", "lab", …)
//   <index>/estimate, low, high  float64 [G]  an index (first_order, total, shapley, …) and its
//                                     confidence interval; attributes `estimator`, `ci`
//   <index>/se             float64 [G]  the estimate's standard error (bootstrap sd, or t-based), from
//                                     which claims make intervals at other levels
//   attributes of the outcome group: rows (design rows N), runs, variance, confidence, bootstrap
// The results are added to a finished file through a copy that is renamed over it, so a reader
// never sees a half-written file.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::output {

/// What a factor of a table is. Stored in files by name (factor_kind_name): never rename.
enum class FactorKind : std::uint8_t {
  group,                ///< "group": all labs, all researchers, a lab's researchers
  lab,                  ///< "lab": one lab's own stream (compute, decisions)
  lab_and_researchers,  ///< "lab and its researchers": a lab's stream with its researchers
  custom_group,         ///< "custom group": an [[attribution.group]]
  researcher,           ///< "researcher": one researcher (regular or pinned)
  parameter,            ///< "parameter": a [sweep] factor over a model parameter
  norm,                 ///< "norm": a [sweep] factor over the norm (norm.preset, norm.*, norm)
  knockout,             ///< "knockout": an entity removed (knockout tables)
  categorical_factor,   ///< "categorical factor": the factor of a finished sweep (attribute on a file)
};
inline constexpr std::array<std::string_view, 9> kFactorKindNames{
    "group", "lab", "lab and its researchers", "custom group", "researcher", "parameter", "norm", "knockout",
    "categorical factor"};

/// The name stored in files.
[[nodiscard]] std::string_view factor_kind_name(FactorKind kind) noexcept;
/// The kind of a stored name, or nullopt.
[[nodiscard]] std::optional<FactorKind> factor_kind_by_name(std::string_view name) noexcept;

/// Which table of an outcome: the main design's, or one beside it.
enum class TableKind : std::uint8_t {
  main,      ///< "<outcome>": first-order and total indices of the main design (or a factor's share)
  shapley,   ///< "<outcome>.shapley": Shapley effects next to the same factors' first-order and total
  knockout,  ///< "<outcome>.knockout": paired mean change without each entity
  janon,     ///< "<outcome>.janon": first-order indices of every lab stream and researcher (Janon)
};

/// ".shapley", ".knockout", ".janon", or "" for the main table.
[[nodiscard]] std::string_view table_suffix(TableKind kind) noexcept;

/// One index for every factor of a table, with its interval.
struct IndexColumn {
  std::string name;       ///< dataset group name: "first_order", "total", "shapley", "knockout", …
  std::string estimator;  ///< e.g. "Saltelli 2010", "Jansen 1999", "Janon 2014"
  std::string ci;         ///< how the interval was made, e.g. "bootstrap percentile, 200 resamples, seed 1"
  std::vector<double> estimate;  ///< [G]
  std::vector<double> low;       ///< [G] lower end of the interval
  std::vector<double> high;      ///< [G] upper end
  std::vector<double> se;        ///< [G] standard error of the estimate (bootstrap sd, or t-based); empty: not written
};

/// The attribution of one outcome's variance.
struct AttributionTable {
  std::string outcome;              ///< an outcome name (model/outcomes.hpp)
  TableKind table = TableKind::main;
  std::vector<std::string> labels;  ///< [G] factor / group names
  std::vector<FactorKind> kinds;    ///< [G]
  std::vector<IndexColumn> indices;
  std::uint64_t rows = 0;           ///< N, rows of the design
  std::uint64_t runs = 0;           ///< runs the estimates used
  double variance = 0;              ///< the outcome's variance V
  double confidence = 0.95;         ///< level of the intervals
  /// The table's name in the file: the outcome and table_suffix(table).
  [[nodiscard]] std::string name() const { return outcome + std::string(table_suffix(table)); }
};

/// Adds every table to `file` (an existing normsim file), replacing an /attribution group if
/// present; with `extra_runs`, the group's attribute extra_runs records it (the runs of the extra
/// designs an attribution made in memory). Throws OutputError (file, object, HDF5 cause) on failure
/// or on columns whose length is not G; `file` is unchanged then.
void write_attribution(const std::filesystem::path& file, const std::vector<AttributionTable>& tables,
                       std::optional<std::uint64_t> extra_runs = std::nullopt);

}  // namespace normsim::output
