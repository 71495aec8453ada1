#pragma once
// How a missing outcome enters the estimators and the claims: t_transform is NaN when the frontier
// never reached transformative capability, and is then censored at the run's horizon T
// (world.steps). One rule for `attribute` and `check`.
#include <cmath>
#include <vector>

namespace normsim::study {

/// `value`, or `horizon` when it is missing (NaN).
[[nodiscard]] inline double censored(double value, double horizon) noexcept {
  return std::isnan(value) ? horizon : value;
}

/// Censors every missing value of `values` at `horizon`.
inline void censor(std::vector<double>& values, double horizon) noexcept {
  for (double& v : values) v = censored(v, horizon);
}

}  // namespace normsim::study
