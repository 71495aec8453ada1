#pragma once
// Streaming summary of outcomes (mean and standard error per outcome), for the CLI's report.
// Accumulates in the order records arrive; the figures printed are informative, the HDF5 file is
// the reproducible record.
#include "runner/record.hpp"

#include <array>
#include <cstdint>

namespace normsim::runner {

struct OutcomeStats {
  std::uint64_t count = 0;  ///< runs where the outcome is not missing (NaN)
  double mean = 0;
  double m2 = 0;            ///< sum of squared deviations (Welford)
  [[nodiscard]] double variance() const noexcept;        ///< sample variance; NaN for count < 2
  [[nodiscard]] double standard_error() const noexcept;  ///< sqrt(variance / count)
  void add(double x) noexcept;
};

class SummarySink final : public RunSink {
 public:
  void write(const RunRecord& record) override;
  [[nodiscard]] const OutcomeStats& stats(model::OutcomeId id) const noexcept {
    return stats_[static_cast<std::size_t>(id)];
  }
  [[nodiscard]] std::uint64_t runs() const noexcept { return runs_; }

 private:
  std::array<OutcomeStats, model::kOutcomeCount> stats_{};
  std::uint64_t runs_ = 0;
};

}  // namespace normsim::runner
