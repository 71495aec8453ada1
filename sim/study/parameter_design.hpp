#pragma once
// The sweep's factors as factors of an attribution design (attribution.per_point = false): each is
// sampled uniformly (a factor with levels over its levels, a from/to factor over its range, on its
// scale) at the coordinates of a scrambled Sobol design, matrix A from its first and B from its
// last F columns. Keys never depend on the parameters (one stream id for the whole design), so
// AB:<factor> differs from A in that factor only.
#include "output/attribution_table.hpp"
#include "runner/attribution_sets.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace normsim::study {

struct ParameterDesign {
  runner::ParameterFactors factors;                  ///< empty without a sweep
  std::vector<output::FactorKind> kinds;             ///< norm or parameter, one per factor
  std::shared_ptr<const runner::Point> base_point;   ///< the scenario, or the centre of the factors' ranges
  bool varies_roster = false;                        ///< a factor is labs.sizes: entity j differs between rows
  std::uint64_t max_labs = 0;                        ///< with varies_roster: the most labs of any level
  std::uint64_t max_researchers = 0;                 ///< … and the most regular researchers
};

/// The parameter design of `base` with `rows` rows, sampled from `seed` (attribution.seed, moved
/// into DesignDomain::parameters). Without factors: no factors, base_point = the scenario's point.
/// Throws InputError naming `file` when the scenario asks for one attribution per point (check's
/// job) or when rows is not a power of 2 with factors (rows of a Sobol design); ScenarioError
/// when a corner of the design is not a valid scenario.
[[nodiscard]] ParameterDesign parameter_design(const scenario::Scenario& base, bool per_point, std::uint64_t rows,
                                               std::uint64_t seed, const std::string& file);

}  // namespace normsim::study
