#include "analysis/attribution/sobol_indices.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace normsim::analysis {

namespace {

// Pooled mean and variance (divisor count − 1) of the listed rows of one or two arrays.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

Moments pooled_moments(std::span<const std::uint32_t> rows, std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  std::size_t count = 0;
  for (const std::uint32_t r : rows) sum += a[r];
  count += rows.size();
  if (!b.empty()) {
    for (const std::uint32_t r : rows) sum += b[r];
    count += rows.size();
  }
  const double mean = sum / static_cast<double>(count);
  double ss = 0.0;
  for (const std::uint32_t r : rows) ss += (a[r] - mean) * (a[r] - mean);
  if (!b.empty()) {
    for (const std::uint32_t r : rows) ss += (b[r] - mean) * (b[r] - mean);
  }
  return {mean, ss / static_cast<double>(count - 1)};
}

void validate(const PickFreezeOutputs& o) {
  const std::size_t n = o.y_a.size();
  if (n < 2) throw std::invalid_argument("sobol_indices: need at least 2 rows");
  require_size(o.y_b, n, "y_B");
  require_finite(o.y_a, "y_A");
  require_finite(o.y_b, "y_B");
  for (std::size_t j = 0; j < o.y_ab.size(); ++j) {
    const std::string what = fmt::format("y_AB[{}]", j);
    require_size(o.y_ab[j], n, what);
    require_finite(o.y_ab[j], what);
  }
}

void require_variance(double v) {
  if (!(v > 0.0)) throw std::domain_error("variance attribution: the output is constant (V = 0); indices are undefined");
}

std::vector<std::uint32_t> identity_rows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<std::uint32_t>(i);
  return rows;
}

// mean((y_B − μ)(y − y_A)) over rows.
double centred_product(std::span<const std::uint32_t> rows, std::span<const double> y_b, double mu,
                       std::span<const double> y, std::span<const double> y_a) {
  double s = 0.0;
  for (const std::uint32_t r : rows) s += (y_b[r] - mu) * (y[r] - y_a[r]);
  return s / static_cast<double>(rows.size());
}

// mean((y_A − y)²) over rows.
double mean_square_difference(std::span<const std::uint32_t> rows, std::span<const double> y_a,
                              std::span<const double> y) {
  double s = 0.0;
  for (const std::uint32_t r : rows) s += (y_a[r] - y[r]) * (y_a[r] - y[r]);
  return s / static_cast<double>(rows.size());
}

// Both sums of sobol_indices() for W groups in one pass over the rows: for each group j,
// first[j] = Σ (y_B − μ)(y_j − y_A) and total[j] = Σ (y_A − y_j)², each summed in row order as
// centred_product() and mean_square_difference() sum them (the same bits). 2·W independent sums
// instead of one chain of dependent additions at a time: the bootstrap's statistic is
// latency-bound otherwise.
template <std::size_t W>
void first_and_total_sums(std::span<const std::uint32_t> rows, std::span<const double> y_a,
                          std::span<const double> y_b, double mu, const std::span<const double>* y, double* first,
                          double* total) {
  std::array<double, W> f{};
  std::array<double, W> t{};
  for (const std::uint32_t r : rows) {
    const double centred = y_b[r] - mu;
    const double a = y_a[r];
    for (std::size_t j = 0; j < W; ++j) {
      const double v = y[j][r];
      f[j] += centred * (v - a);
      t[j] += (a - v) * (a - v);
    }
  }
  for (std::size_t j = 0; j < W; ++j) {
    first[j] = f[j];
    total[j] = t[j];
  }
}

}  // namespace

SobolIndices sobol_indices(const PickFreezeOutputs& outputs, const BootstrapSettings& settings) {
  validate(outputs);
  const std::size_t m = outputs.y_ab.size();
  require_variance(pooled_moments(identity_rows(outputs.y_a.size()), outputs.y_a, outputs.y_b).variance);
  const RowStatistic statistic = [&outputs, m](std::span<const std::uint32_t> rows, std::span<double> out) {
    const Moments mo = pooled_moments(rows, outputs.y_a, outputs.y_b);
    if (!(mo.variance > 0.0)) {
      std::fill(out.begin(), out.end(), 0.0);
      return;
    }
    // out[j] = centred_product(…, y_AB[j], …) / V and out[m + j] = mean_square_difference(…) / 2V,
    // four groups per pass.
    constexpr std::size_t kWidth = 4;
    std::array<double, kWidth> first{};
    std::array<double, kWidth> total{};
    const auto count = static_cast<double>(rows.size());
    const auto store = [&](std::size_t j, std::size_t w) {
      for (std::size_t k = 0; k < w; ++k) {
        out[j + k] = first[k] / count / mo.variance;
        out[m + j + k] = total[k] / count / (2.0 * mo.variance);
      }
    };
    std::size_t j = 0;
    for (; j + kWidth <= m; j += kWidth) {
      first_and_total_sums<kWidth>(rows, outputs.y_a, outputs.y_b, mo.mean, &outputs.y_ab[j], first.data(), total.data());
      store(j, kWidth);
    }
    for (; j < m; ++j) {
      first_and_total_sums<1>(rows, outputs.y_a, outputs.y_b, mo.mean, &outputs.y_ab[j], first.data(), total.data());
      store(j, 1);
    }
  };
  std::vector<Estimate> all_estimates =
      bootstrap(outputs.y_a.size(), 2 * m, statistic, settings, "Sobol indices; percentile bootstrap");
  SobolIndices result;
  for (std::size_t j = 0; j < m; ++j) {
    all_estimates[j].estimator = "first-order S (Saltelli 2010); percentile bootstrap";
    all_estimates[m + j].estimator = "total ST (Jansen 1999); percentile bootstrap";
    result.first_order.push_back(std::move(all_estimates[j]));
    result.total.push_back(std::move(all_estimates[m + j]));
  }
  return result;
}

std::vector<Estimate> second_order_indices(const PickFreezeOutputs& outputs, std::span<const PairOutputs> pairs,
                                           const BootstrapSettings& settings) {
  validate(outputs);
  const std::size_t m = outputs.y_ab.size();
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    if (pairs[p].i >= m || pairs[p].j >= m || pairs[p].i == pairs[p].j) {
      throw std::invalid_argument(fmt::format("second_order_indices: pair {} names groups ({}, {}) of {}", p,
                                              pairs[p].i, pairs[p].j, m));
    }
    const std::string what = fmt::format("y_AB[{},{}]", pairs[p].i, pairs[p].j);
    require_size(pairs[p].y_ab_ij, outputs.y_a.size(), what);
    require_finite(pairs[p].y_ab_ij, what);
  }
  require_variance(pooled_moments(identity_rows(outputs.y_a.size()), outputs.y_a, outputs.y_b).variance);
  const RowStatistic statistic = [&outputs, pairs](std::span<const std::uint32_t> rows, std::span<double> out) {
    const Moments mo = pooled_moments(rows, outputs.y_a, outputs.y_b);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      if (!(mo.variance > 0.0)) {
        out[p] = 0.0;
        continue;
      }
      const double closed = centred_product(rows, outputs.y_b, mo.mean, pairs[p].y_ab_ij, outputs.y_a);
      const double first_i = centred_product(rows, outputs.y_b, mo.mean, outputs.y_ab[pairs[p].i], outputs.y_a);
      const double first_j = centred_product(rows, outputs.y_b, mo.mean, outputs.y_ab[pairs[p].j], outputs.y_a);
      out[p] = (closed - first_i - first_j) / mo.variance;
    }
  };
  return bootstrap(outputs.y_a.size(), pairs.size(), statistic, settings,
                   "second-order S_ij = closed S^c_ij (via y_ABij, Saltelli 2010 form) - S_i - S_j; percentile bootstrap");
}

std::vector<Estimate> radial_total_indices(std::span<const double> y_a, const std::vector<std::span<const double>>& y_a_j,
                                           const BootstrapSettings& settings, std::span<const double> y_b) {
  const std::size_t n = y_a.size();
  if (n < 2) throw std::invalid_argument("radial_total_indices: need at least 2 rows");
  require_finite(y_a, "y_A");
  if (!y_b.empty()) {
    require_size(y_b, n, "y_B");
    require_finite(y_b, "y_B");
  }
  for (std::size_t k = 0; k < y_a_j.size(); ++k) {
    const std::string what = fmt::format("y_A_j[{}]", k);
    require_size(y_a_j[k], n, what);
    require_finite(y_a_j[k], what);
  }
  require_variance(pooled_moments(identity_rows(n), y_a, y_b).variance);
  const RowStatistic statistic = [&](std::span<const std::uint32_t> rows, std::span<double> out) {
    const Moments mo = pooled_moments(rows, y_a, y_b);
    for (std::size_t k = 0; k < y_a_j.size(); ++k) {
      out[k] = mo.variance > 0.0 ? mean_square_difference(rows, y_a, y_a_j[k]) / (2.0 * mo.variance) : 0.0;
    }
  };
  return bootstrap(n, y_a_j.size(), statistic, settings, "radial total ST (Jansen 1999); percentile bootstrap");
}

std::vector<bool> groups_to_skip(std::span<const Estimate> group_totals, double threshold) {
  std::vector<bool> skip(group_totals.size());
  for (std::size_t g = 0; g < group_totals.size(); ++g) skip[g] = group_totals[g].ci_high < threshold;
  return skip;
}

std::vector<std::size_t> members_to_track(std::span<const std::size_t> member_group, const std::vector<bool>& skip) {
  std::vector<std::size_t> tracked;
  for (std::size_t m = 0; m < member_group.size(); ++m) {
    if (member_group[m] >= skip.size()) {
      throw std::out_of_range(fmt::format("members_to_track: member {} is in group {} of {}", m, member_group[m], skip.size()));
    }
    if (!skip[member_group[m]]) tracked.push_back(m);
  }
  return tracked;
}

}  // namespace normsim::analysis
