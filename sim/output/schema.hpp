#pragma once
// The schema registry: one table of every dataset and root attribute the HDF5 sink writes, built
// from the model's descriptor tables (model/outcomes.hpp) plus the fixed entries. The documentation
// (schema_markdown) is generated from it, and tests check that a written file holds exactly these
// objects, so that the documentation and the code cannot drift apart.
#include "output/layout.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace normsim::output {

/// What an entry describes.
enum class SchemaKind {
  dataset,         ///< an HDF5 dataset, `path` is its absolute path ("/outcomes/xrisk")
  root_attribute,  ///< an attribute of the root group, `path` is its name ("master_seed")
};

/// One dataset or root attribute of a normsim-runs file.
struct SchemaEntry {
  SchemaKind kind = SchemaKind::dataset;
  std::string path;     ///< dataset path or attribute name
  std::string type;     ///< "float64", "uint64", "int64", "uint8", "string" or "string[]"
  std::string shape;    ///< "[P]", "[R]", "[T]", "[P, R]", "[P, R, T]", "[n]" or "scalar"
                        ///< (P = points, R = replicates per point, T = steps)
  std::string units;    ///< units of the values ("" when not meaningful)
  std::string meaning;  ///< one sentence
  bool reproducible = true;     ///< identical for the same scenario, seed and build, any thread count
  bool needs_series = false;    ///< present only when Layout::series is true
  /// 0: a fixed path; 1: one dataset per numeric design factor, 2: per categorical factor — the
  /// path then holds the placeholder "<factor>" for the factor's name (its scenario key);
  /// 3: written only by `normsim attribute` (output/attribution_table.hpp), once per table
  /// ("<table>": an outcome name, or "<outcome>.shapley") and index ("<index>": first_order,
  /// total, shapley, share, knockout); 4: written only by `normsim check` under /claims/<id>;
  /// 5: written only by `normsim discover` under /discovery/<claim> ("<box>": box_1, …, rejected).
  int per_factor = 0;
};

/// Every entry, datasets first (in file order), then root attributes. Never empty.
[[nodiscard]] const std::vector<SchemaEntry>& schema_entries();

/// Paths of the fixed datasets whose contents are reproducible (the determinism tests compare
/// exactly these); without the /series datasets when `series` is false, without /design.
[[nodiscard]] std::vector<std::string> reproducible_dataset_paths(bool series);

/// Paths of every reproducible dataset of a file written with `layout`, /design/<factor> included.
[[nodiscard]] std::vector<std::string> reproducible_dataset_paths(const Layout& layout);

/// Paths of every dataset a file written with `layout` holds (the registry with "<factor>"
/// expanded), in registry order.
[[nodiscard]] std::vector<std::string> dataset_paths_for(const Layout& layout);

/// The file format name and version written as root attributes `format` and `format_version`.
inline constexpr const char* kFormatName = "normsim-runs";
inline constexpr std::int64_t kFormatVersion = 2;

/// A Markdown section "## HDF5 output": how to open a file in h5py, pandas and xarray, then one
/// table of datasets and one of root attributes. Ends with a newline.
[[nodiscard]] std::string schema_markdown();

}  // namespace normsim::output
