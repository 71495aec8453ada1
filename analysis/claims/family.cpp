// Bonferroni over points and a p-series over looks. Why these and not Holm's step-down or α/2^j:
// analysis/claims/README.md ("Maps" and "Looks").
#include "analysis/claims/family.hpp"

#include <array>
#include <charconv>
#include <numbers>
#include <stdexcept>

namespace normsim::analysis {

namespace {

void require_level(double alpha, const char* what) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw std::invalid_argument(std::string(what) + ": alpha must be in (0, 1), got " + detail::shortest(alpha));
  }
}

}  // namespace

namespace detail {

std::string shortest(double value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (ec != std::errc()) return "?";
  return {buffer.data(), end};
}

}  // namespace detail

std::string_view error_control_name(ErrorControl control) noexcept {
  switch (control) {
    case ErrorControl::family_wise: return "family_wise";
    case ErrorControl::per_point: return "per_point";
  }
  return "?";
}

double per_point_alpha(double alpha, std::size_t points, ErrorControl control) {
  require_level(alpha, "per_point_alpha");
  if (points == 0) throw std::invalid_argument("per_point_alpha: a map has at least one point");
  return control == ErrorControl::family_wise ? alpha / static_cast<double>(points) : alpha;
}

double look_alpha(double alpha, std::uint64_t look) {
  require_level(alpha, "look_alpha");
  if (look == 0) throw std::invalid_argument("look_alpha: looks are numbered from 1");
  // Σ_{j≥1} 1/j² = π²/6. The share decays polynomially, not geometrically: a check whose budget is
  // in time has no fixed number of looks, and at look 10 the level is still α/164 (α/1024 with
  // α/2^j), which keeps the quantiles and the bootstrap resamples they need moderate.
  const auto j = static_cast<double>(look);
  return alpha * 6.0 / (std::numbers::pi * std::numbers::pi * j * j);
}

std::string map_guarantee(double alpha, std::size_t points, ErrorControl control) {
  const double each = per_point_alpha(alpha, points, control);
  if (points == 1) return "P(the verdict wrong) ≤ " + detail::shortest(each);
  if (control == ErrorControl::per_point) {
    return "per point: P(a point's verdict wrong) ≤ " + detail::shortest(each) + " at each point";
  }
  return "family-wise: P(any of the " + std::to_string(points) + " points' verdicts wrong) ≤ " +
         detail::shortest(alpha) + " (Bonferroni: each point at level 1 − " + detail::shortest(each) + ")";
}

}  // namespace normsim::analysis
