#pragma once
// One builder for every attribution table (main design, Shapley, knockouts, Janon, the factor
// share of a finished sweep), so that every table and every interval description carries the
// level the intervals were actually computed at.
#include "analysis/attribution/estimate.hpp"
#include "output/attribution_table.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::study {

class TableBuilder {
 public:
  /// `confidence`: two-sided level of every interval, in (0, 1); `bootstrap`: resamples behind
  /// the bootstrap intervals; `seed`: attribution.seed, mixed into the bootstrap's seed.
  TableBuilder(double confidence, std::uint64_t bootstrap, std::uint64_t seed = 0);

  [[nodiscard]] double confidence() const noexcept { return confidence_; }
  /// The level as text: "95 %", "50 %", "99.9 %".
  [[nodiscard]] std::string level() const;
  /// The bootstrap settings behind the intervals (resamples, level, seed).
  [[nodiscard]] const analysis::BootstrapSettings& bootstrap() const noexcept { return bootstrap_; }

  /// An empty table of `outcome` (kind `table`) at this level.
  [[nodiscard]] output::AttributionTable table(std::string outcome, output::TableKind table, std::uint64_t rows,
                                               std::uint64_t runs, double variance) const;
  /// A column of bootstrap estimates: ci = "percentile bootstrap, B resamples, <resampled>, L %".
  [[nodiscard]] output::IndexColumn bootstrap_column(std::string name, const std::vector<analysis::Estimate>& estimates,
                                                     std::string_view resampled) const;
  /// An empty column whose intervals come from `method` (e.g. "Student t on the paired
  /// differences"): ci = "<method>, L %".
  [[nodiscard]] output::IndexColumn column(std::string name, std::string estimator, std::string_view method) const;

 private:
  double confidence_;
  analysis::BootstrapSettings bootstrap_;
};

/// Appends one estimate (value, interval) to `column`.
void append(output::IndexColumn& column, const analysis::Estimate& estimate);

}  // namespace normsim::study
