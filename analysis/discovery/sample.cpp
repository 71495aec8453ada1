#include "analysis/discovery/sample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace normsim::analysis::discovery::detail {

Sample make_sample(const PointSet& points, std::span<const std::uint32_t> rows) {
  Sample s;
  s.n = rows.size();
  const std::size_t dims = points.dimensions.size();
  s.x.resize(dims);
  s.order.resize(dims);
  s.level.resize(dims);
  s.y.resize(s.n);
  s.w.resize(s.n);
  for (std::size_t j = 0; j < s.n; ++j) {
    s.y[j] = points.interest[rows[j]];
    s.w[j] = points.weight(rows[j]);
  }
  for (std::size_t d = 0; d < dims; ++d) {
    std::vector<double>& x = s.x[d];
    x.resize(s.n);
    for (std::size_t j = 0; j < s.n; ++j) x[j] = points.columns[d][rows[j]];
    if (points.dimensions[d].kind == DimensionKind::categorical) {
      s.level[d].resize(s.n);
      for (std::size_t j = 0; j < s.n; ++j) s.level[d][j] = static_cast<std::uint8_t>(x[j]);
      continue;
    }
    std::vector<std::uint32_t>& order = s.order[d];
    order = all_rows(s.n);
    // Ties ordered by position: the order, and hence every peel, is a pure function of the sample.
    std::sort(order.begin(), order.end(),
              [&x](std::uint32_t a, std::uint32_t b) { return x[a] < x[b] || (x[a] == x[b] && a < b); });
  }
  return s;
}

std::vector<std::uint32_t> all_rows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::uint32_t{0});
  return rows;
}

bool inside(const Sample& s, const std::vector<Dimension>& dims, const Box& box, std::size_t j) noexcept {
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const Limits& lim = box.limits[d];
    if (dims[d].kind == DimensionKind::numeric) {
      const double x = s.x[d][j];
      if (!(x >= lim.low && x <= lim.high)) return false;
    } else if (((lim.levels >> s.level[d][j]) & 1U) == 0) {
      return false;
    }
  }
  return true;
}

Sums box_sums(const Sample& s, const std::vector<Dimension>& dims, const Box& box) {
  Sums sums;
  for (std::size_t j = 0; j < s.n; ++j) {
    if (!inside(s, dims, box, j)) continue;
    sums.weight += s.w[j];
    sums.interest += s.w[j] * s.y[j];
    sums.weight_sq += s.w[j] * s.w[j];
    ++sums.count;
  }
  return sums;
}

Sums all_sums(const Sample& s) {
  Sums sums;
  for (std::size_t j = 0; j < s.n; ++j) {
    sums.weight += s.w[j];
    sums.interest += s.w[j] * s.y[j];
    sums.weight_sq += s.w[j] * s.w[j];
  }
  sums.count = s.n;
  return sums;
}

BoxStatistics statistics(const Sums& sums, const Totals& totals) noexcept {
  BoxStatistics st;
  st.coverage = totals.interest > 0.0 ? sums.interest / totals.interest : 0.0;
  st.density = sums.weight > 0.0 ? sums.interest / sums.weight : std::numeric_limits<double>::quiet_NaN();
  st.mass = totals.weight > 0.0 ? sums.weight / totals.weight : 0.0;
  st.n_points = sums.count;
  return st;
}

bool is_restricted(const Dimension& dim, const Limits& initial, const Limits& box, Side side) noexcept {
  if (dim.kind == DimensionKind::categorical) return side == Side::levels && box.levels != initial.levels;
  if (side == Side::low) return box.low != initial.low;
  if (side == Side::high) return box.high != initial.high;
  return false;
}

std::vector<std::pair<std::size_t, Side>> restricted_sides(const std::vector<Dimension>& dims, const Box& initial,
                                                           const Box& box) {
  std::vector<std::pair<std::size_t, Side>> sides;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const Limits& a = initial.limits[d];
    const Limits& b = box.limits[d];
    for (const Side side : {Side::low, Side::high, Side::levels}) {
      if (is_restricted(dims[d], a, b, side)) sides.emplace_back(d, side);
    }
  }
  return sides;
}

std::size_t restricted_dimensions(const std::vector<Dimension>& dims, const Box& initial, const Box& box) {
  std::size_t count = 0;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    for (const Side side : {Side::low, Side::high, Side::levels}) {
      if (is_restricted(dims[d], initial.limits[d], box.limits[d], side)) {
        ++count;
        break;
      }
    }
  }
  return count;
}

Box without(const Box& box, const Box& initial, std::size_t d, Side side) {
  Box out = box;
  switch (side) {
    case Side::low: out.limits[d].low = initial.limits[d].low; break;
    case Side::high: out.limits[d].high = initial.limits[d].high; break;
    case Side::levels: out.limits[d].levels = initial.limits[d].levels; break;
  }
  return out;
}

double quasi_p(const Sample& s, const std::vector<Dimension>& dims, const Box& initial, const Box& box, std::size_t d,
               Side side) {
  const Sums in = box_sums(s, dims, box);
  const Sums wider = box_sums(s, dims, without(box, initial, d, side));
  if (in.weight <= 0.0 || wider.weight <= 0.0) return 1.0;
  // Kish's effective size: n itself for unit weights, so that binary unweighted data get the exact
  // binomial test of the EMA Workbench's quasi-p-values, and weights lower n as they concentrate.
  const double n_eff = in.weight * in.weight / in.weight_sq;
  const double k_eff = std::clamp(in.interest / in.weight * n_eff, 0.0, n_eff);
  const double p0 = std::clamp(wider.interest / wider.weight, 0.0, 1.0);
  return binomial_upper_tail(n_eff, k_eff, p0);
}

std::vector<Restriction> make_restrictions(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                                           const Box& box) {
  std::vector<Restriction> out;
  for (const auto& [d, side] : restricted_sides(dims, initial, box)) {
    Restriction r;
    r.dimension = d;
    r.name = dims[d].name;
    r.kind = dims[d].kind;
    r.side = side;
    if (side == Side::low) r.limit = box.limits[d].low;
    if (side == Side::high) r.limit = box.limits[d].high;
    if (side == Side::levels) {
      r.levels = box.limits[d].levels;
      for (std::size_t k = 0; k < dims[d].levels.size(); ++k) {
        if ((r.levels >> k) & 1U) r.level_names.push_back(dims[d].levels[k]);
      }
    }
    r.quasi_p = quasi_p(s, dims, initial, box, d, side);
    out.push_back(std::move(r));
  }
  return out;
}

double split_point(double removed, double kept) noexcept {
  // The midpoint puts the limit halfway across the gap that the data leave unresolved (as sdtoolkit
  // and the EMA Workbench do), which halves the expected error against a limit at a data value.
  // Adjacent doubles can round the midpoint onto `removed`: then the kept value itself is the limit.
  const double mid = removed + (kept - removed) / 2.0;
  if (removed < kept) return (mid > removed && mid <= kept) ? mid : kept;
  return (mid < removed && mid >= kept) ? mid : kept;
}

}  // namespace normsim::analysis::discovery::detail
