#include "runner/summary.hpp"

#include <cmath>

namespace normsim::runner {

void OutcomeStats::add(double x) noexcept {
  ++count;
  const double delta = x - mean;
  mean += delta / static_cast<double>(count);
  m2 += delta * (x - mean);
}

double OutcomeStats::variance() const noexcept {
  return count < 2 ? model::kMissing : m2 / static_cast<double>(count - 1);
}

double OutcomeStats::standard_error() const noexcept {
  return count < 2 ? model::kMissing : std::sqrt(variance() / static_cast<double>(count));
}

void SummarySink::write(const RunRecord& record) {
  ++runs_;
  for (std::size_t i = 0; i < model::kOutcomeCount; ++i) {
    if (!std::isnan(record.outcomes[i])) stats_[i].add(record.outcomes[i]);
  }
}

}  // namespace normsim::runner
