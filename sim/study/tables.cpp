#include "study/tables.hpp"

#include <fmt/core.h>

namespace normsim::study {

TableBuilder::TableBuilder(double confidence, std::uint64_t bootstrap, std::uint64_t seed) : confidence_(confidence) {
  bootstrap_.resamples = static_cast<std::size_t>(bootstrap);
  bootstrap_.confidence = confidence;
  bootstrap_.seed ^= seed;
}

std::string TableBuilder::level() const { return fmt::format("{:.4g} %", 100.0 * confidence_); }

output::AttributionTable TableBuilder::table(std::string outcome, output::TableKind kind, std::uint64_t rows,
                                             std::uint64_t runs, double variance) const {
  output::AttributionTable t;
  t.outcome = std::move(outcome);
  t.table = kind;
  t.rows = rows;
  t.runs = runs;
  t.variance = variance;
  t.confidence = confidence_;
  return t;
}

output::IndexColumn TableBuilder::bootstrap_column(std::string name, const std::vector<analysis::Estimate>& estimates,
                                                   std::string_view resampled) const {
  output::IndexColumn c = column(std::move(name), estimates.empty() ? std::string() : estimates.front().estimator,
                                 fmt::format("percentile bootstrap, {} resamples, {}", bootstrap_.resamples, resampled));
  for (const analysis::Estimate& e : estimates) append(c, e);
  return c;
}

output::IndexColumn TableBuilder::column(std::string name, std::string estimator, std::string_view method) const {
  output::IndexColumn c;
  c.name = std::move(name);
  c.estimator = std::move(estimator);
  c.ci = fmt::format("{}, {}", method, level());
  return c;
}

void append(output::IndexColumn& column, const analysis::Estimate& estimate) {
  column.estimate.push_back(estimate.value);
  column.low.push_back(estimate.ci_low);
  column.high.push_back(estimate.ci_high);
  column.se.push_back(estimate.standard_error);
}

}  // namespace normsim::study
