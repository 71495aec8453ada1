#pragma once
// The shape of a run set as the output sees it: P design points × R replicates × T steps, plus the
// design table (one column per varied scenario key). Plain values, no HDF5. One layout serves every
// run set: a single scenario is one point (P = 1) with an empty design.
#include <cstdint>
#include <string>
#include <vector>

namespace normsim::output {

/// One column of the design table: the value of one scenario key at every design point.
/// Invariants (checked by validate_layout): values.size() == levels.size() == P; a numeric factor
/// has levels all −1 and no labels; a categorical factor has values all NaN and every level in
/// [0, labels.size()).
struct DesignFactor {
  std::string name;                  ///< the scenario key, e.g. "research.spill_probability"; no '/'
  bool categorical = false;          ///< true: the key takes one of `labels`; false: a number
  std::vector<std::string> labels;   ///< level labels of a categorical factor (empty when numeric)
  std::vector<double> values;        ///< [P] numeric value at each point (NaN when categorical)
  std::vector<std::int64_t> levels;  ///< [P] index into labels at each point (−1 when numeric)
  std::string units;                 ///< units of a numeric factor ("" if none or categorical)
  std::string scale = "linear";      ///< how the numeric design spaced it: "linear", "log", ...
};

/// Shape of the file. Run index = point · R + replicate, 0 ≤ run index < P · R.
struct Layout {
  std::uint64_t points = 1;         ///< P: design points (1 for a single scenario); P·R = 0 is valid
  std::uint64_t replicates = 0;     ///< R: replicates per point
  std::int64_t steps = 0;           ///< T: maximum steps per run (columns of the series), ≥ 0
  bool series = true;               ///< write the per-step series under /series
  std::vector<DesignFactor> design; ///< the design table, one entry per varied key (may be empty)

  /// P · R: number of runs (rows of the flattened run index).
  [[nodiscard]] std::uint64_t runs() const noexcept { return points * replicates; }
};

/// Throws OutputError naming the first broken invariant: negative steps, P·R overflowing 2^63, a
/// factor with an empty name, a '/' in its name, a duplicate name, columns of the wrong length,
/// or levels/values inconsistent with the categorical flag.
void validate_layout(const Layout& layout);

}  // namespace normsim::output
