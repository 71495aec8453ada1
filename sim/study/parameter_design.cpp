#include "study/parameter_design.hpp"

#include "analysis/attribution/design.hpp"
#include "scenario/sweep.hpp"
#include "study/domains.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace normsim::study {

ParameterDesign parameter_design(const scenario::Scenario& base, bool per_point, std::uint64_t rows,
                                 std::uint64_t seed, const std::string& file) {
  ParameterDesign d;
  const std::vector<scenario::Factor>& factors = base.sweep.factors;
  if (factors.empty()) {
    d.base_point = make_run_set(base)->point(0);
    return d;
  }
  if (per_point) {
    throw InputError(fmt::format("{}: attribution.per_point = true attributes every point of the sweep: run normsim "
                                 "check, or attribute one point with --set sweep.design='\"single\"' --set "
                                 "sweep.factor=[] and its values",
                                 file));
  }
  if (rows < 2 || (rows & (rows - 1)) != 0) {
    throw InputError(fmt::format("{}: with the sweep's factors in the design, attribution.rows must be a power of 2 "
                                 "(rows of a Sobol design), got {}",
                                 file, rows));
  }
  const std::size_t count = factors.size();
  const auto design =
      std::make_shared<const analysis::SaltelliDesign>(count, rows, domain_seed(seed, DesignDomain::parameters));
  const std::vector<double> centre(count, 0.5);
  scenario::Scenario middle = scenario::scenario_at(base, centre, "the centre of the factors' ranges");
  const std::uint64_t id = scenario::point_stream_id(middle);
  d.base_point = runner::make_point(std::move(middle.model), id);
  for (std::size_t f = 0; f < count; ++f) {
    d.factors.names.push_back(factors[f].key);
    d.kinds.push_back(factors[f].key.rfind("norm", 0) == 0 ? output::FactorKind::norm : output::FactorKind::parameter);
    if (factors[f].key != "labs.sizes") continue;
    d.varies_roster = true;
    for (std::size_t l = 0; l < factors[f].levels.size(); ++l) {
      std::vector<double> u = centre;
      u[f] = (static_cast<double>(l) + 0.5) / static_cast<double>(factors[f].levels.size());
      const scenario::Scenario s = scenario::scenario_at(base, u, fmt::format("labs.sizes level {}", l));
      d.max_labs = std::max<std::uint64_t>(d.max_labs, s.model.labs.sizes.size());
      std::uint64_t n = 0;
      for (const std::int64_t size : s.model.labs.sizes) n += static_cast<std::uint64_t>(size);
      d.max_researchers = std::max(d.max_researchers, n);
    }
  }
  d.factors.make = [base, design, id, count](std::uint64_t row, const std::vector<bool>& from_b) {
    std::vector<double> a(count);
    std::vector<double> b(count);
    design->row(row, analysis::SaltelliDesign::Matrix::a, a);
    design->row(row, analysis::SaltelliDesign::Matrix::b, b);
    for (std::size_t f = 0; f < count; ++f) a[f] = from_b[f] ? b[f] : a[f];
    scenario::Scenario s = scenario::scenario_at(base, a, fmt::format("attribution row {}", row));
    return runner::make_point(std::move(s.model), id);
  };
  return d;
}

}  // namespace normsim::study
