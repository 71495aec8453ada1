#include "analysis/discovery/box.hpp"

#include "analysis/discovery/sample.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace normsim::analysis::discovery {

Dimension Dimension::numeric(std::string name, double low, double high) {
  Dimension d;
  d.name = std::move(name);
  d.kind = DimensionKind::numeric;
  d.low = low;
  d.high = high;
  return d;
}

Dimension Dimension::categorical(std::string name, std::vector<std::string> levels) {
  Dimension d;
  d.name = std::move(name);
  d.kind = DimensionKind::categorical;
  d.levels = std::move(levels);
  return d;
}

void validate(const PointSet& points) {
  const std::size_t n = points.size();
  if (points.dimensions.empty()) throw std::invalid_argument("discovery: no dimensions");
  if (n == 0) throw std::invalid_argument("discovery: no points");
  if (n >= (std::size_t{1} << 32)) throw std::invalid_argument(fmt::format("discovery: {} points, need < 2^32", n));
  if (points.columns.size() != points.dimensions.size()) {
    throw std::invalid_argument(fmt::format("discovery: {} dimensions but {} columns", points.dimensions.size(),
                                            points.columns.size()));
  }
  for (std::size_t d = 0; d < points.dimensions.size(); ++d) {
    const Dimension& dim = points.dimensions[d];
    const std::vector<double>& col = points.columns[d];
    if (col.size() != n) {
      throw std::invalid_argument(fmt::format("discovery: column '{}' has {} values, expected {}", dim.name, col.size(), n));
    }
    if (dim.kind == DimensionKind::numeric) {
      if (!std::isnan(dim.low) && !std::isnan(dim.high) && !(dim.low <= dim.high)) {
        throw std::invalid_argument(fmt::format("discovery: '{}' has range [{}, {}]", dim.name, dim.low, dim.high));
      }
      if (std::isinf(dim.low) || std::isinf(dim.high)) {
        throw std::invalid_argument(fmt::format("discovery: '{}' has an infinite range end", dim.name));
      }
    } else if (dim.levels.empty() || dim.levels.size() > kMaxLevels) {
      throw std::invalid_argument(
          fmt::format("discovery: '{}' has {} levels, need 1 to {}", dim.name, dim.levels.size(), kMaxLevels));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double x = col[i];
      if (!std::isfinite(x)) throw std::invalid_argument(fmt::format("discovery: '{}' is not finite at point {}", dim.name, i));
      if (dim.kind == DimensionKind::numeric) {
        if ((!std::isnan(dim.low) && x < dim.low) || (!std::isnan(dim.high) && x > dim.high)) {
          throw std::invalid_argument(fmt::format("discovery: '{}' = {} at point {} is outside its range [{}, {}]",
                                                  dim.name, x, i, dim.low, dim.high));
        }
      } else if (x != std::floor(x) || x < 0.0 || x >= static_cast<double>(dim.levels.size())) {
        throw std::invalid_argument(fmt::format("discovery: '{}' = {} at point {} is not a level index 0 to {}",
                                                dim.name, x, i, dim.levels.size() - 1));
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!(points.interest[i] >= 0.0 && points.interest[i] <= 1.0)) {
      throw std::invalid_argument(fmt::format("discovery: interest {} at point {} is not in [0, 1]", points.interest[i], i));
    }
  }
  if (!points.weights.empty()) {
    if (points.weights.size() != n) {
      throw std::invalid_argument(fmt::format("discovery: {} weights for {} points", points.weights.size(), n));
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(std::isfinite(points.weights[i]) && points.weights[i] > 0.0)) {
        throw std::invalid_argument(fmt::format("discovery: weight {} at point {} is not finite and > 0", points.weights[i], i));
      }
    }
  }
}

Box initial_box(const PointSet& points) {
  validate(points);
  Box box;
  box.limits.resize(points.dimensions.size());
  for (std::size_t d = 0; d < points.dimensions.size(); ++d) {
    const Dimension& dim = points.dimensions[d];
    Limits& lim = box.limits[d];
    if (dim.kind == DimensionKind::categorical) {
      const std::size_t k = dim.levels.size();
      lim.levels = k == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1;
      continue;
    }
    const auto [lo, hi] = std::minmax_element(points.columns[d].begin(), points.columns[d].end());
    lim.low = std::isnan(dim.low) ? *lo : dim.low;
    lim.high = std::isnan(dim.high) ? *hi : dim.high;
  }
  return box;
}

bool contains(const PointSet& points, const Box& box, std::size_t i) noexcept {
  for (std::size_t d = 0; d < points.dimensions.size(); ++d) {
    const double x = points.columns[d][i];
    const Limits& lim = box.limits[d];
    if (points.dimensions[d].kind == DimensionKind::numeric) {
      if (!(x >= lim.low && x <= lim.high)) return false;
    } else if (((lim.levels >> static_cast<unsigned>(x)) & 1U) == 0) {
      return false;
    }
  }
  return true;
}

namespace {

void require_dimensions(const PointSet& points, const Box& box, const char* what) {
  if (box.limits.size() != points.dimensions.size()) {
    throw std::invalid_argument(fmt::format("discovery: {} has {} dimensions, the points {}", what, box.limits.size(),
                                            points.dimensions.size()));
  }
}

}  // namespace

BoxStatistics evaluate(const PointSet& points, const Box& box) {
  validate(points);
  require_dimensions(points, box, "box");
  const detail::Sample s = detail::make_sample(points, detail::all_rows(points.size()));
  const detail::Sums all = detail::all_sums(s);
  return detail::statistics(detail::box_sums(s, points.dimensions, box), {all.weight, all.interest});
}

const char* side_name(Side side) noexcept {
  switch (side) {
    case Side::low: return "low";
    case Side::high: return "high";
    case Side::levels: return "levels";
  }
  return "?";
}

std::vector<Restriction> restrictions(const PointSet& points, const Box& initial, const Box& box) {
  validate(points);
  require_dimensions(points, initial, "initial box");
  require_dimensions(points, box, "box");
  const detail::Sample s = detail::make_sample(points, detail::all_rows(points.size()));
  return detail::make_restrictions(s, points.dimensions, initial, box);
}

std::string describe(const Restriction& r) {
  switch (r.side) {
    case Side::low: return fmt::format("{} >= {:.4g}", r.name, r.limit);
    case Side::high: return fmt::format("{} <= {:.4g}", r.name, r.limit);
    case Side::levels: return fmt::format("{} in {{{}}}", r.name, fmt::join(r.level_names, ", "));
  }
  return r.name;
}

double binomial_upper_tail(double n, double k, double p) {
  if (!(k >= 0.0 && k <= n && p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument(fmt::format("binomial_upper_tail: need 0 <= k <= n and p in [0, 1], got n = {}, k = {}, p = {}",
                                            n, k, p));
  }
  if (k <= 0.0) return 1.0;
  if (p <= 0.0) return 0.0;
  if (p >= 1.0) return 1.0;
  // P(X >= k) = I_p(k, n − k + 1): the order-statistic identity, which also continues the tail to the
  // non-integer effective sizes of weighted or fractional data.
  return boost::math::ibeta(k, n - k + 1.0, p);
}

}  // namespace normsim::analysis::discovery
