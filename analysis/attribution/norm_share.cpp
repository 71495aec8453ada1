#include "analysis/attribution/norm_share.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace normsim::analysis {

namespace {

std::size_t replicates_of(std::span<const double> y, std::size_t levels, std::string_view what) {
  if (levels < 2) throw std::invalid_argument(fmt::format("{}: need at least 2 levels, got {}", what, levels));
  if (y.size() % levels != 0) {
    throw std::invalid_argument(fmt::format("{}: {} values are not a multiple of {} levels", what, y.size(), levels));
  }
  const std::size_t r = y.size() / levels;
  if (r < 2) throw std::invalid_argument(fmt::format("{}: need at least 2 replicates per level, got {}", what, r));
  require_finite(y, what);
  return r;
}

}  // namespace

NormShare norm_share(std::span<const double> y, std::size_t levels, bool paired, const BootstrapSettings& settings) {
  const std::size_t reps = replicates_of(y, levels, "norm_share");
  const auto k = static_cast<double>(levels);
  const auto rr = static_cast<double>(reps);
  // Paired: one index vector of R rows, read at the same r for every level. Unpaired: k·R draws in
  // [0, k·R); level l reads positions [l·R, (l+1)·R) modulo R, so levels are resampled independently.
  const std::size_t n_rows = paired ? reps : levels * reps;
  const RowStatistic statistic = [&](std::span<const std::uint32_t> rows, std::span<double> out) {
    // The call's own scratch: resamples are evaluated concurrently (bootstrap()).
    std::vector<double> level_mean(levels);
    std::vector<double> cross_mean(reps);
    auto pick = [&](std::size_t l, std::size_t r) -> double {
      const std::size_t source = paired ? rows[r] : rows[l * reps + r] % reps;
      return y[l * reps + source];
    };
    double grand = 0.0;
    double within = 0.0;
    for (std::size_t l = 0; l < levels; ++l) {
      double s = 0.0;
      for (std::size_t r = 0; r < reps; ++r) s += pick(l, r);
      level_mean[l] = s / rr;
      grand += level_mean[l];
      double ss = 0.0;
      for (std::size_t r = 0; r < reps; ++r) ss += (pick(l, r) - level_mean[l]) * (pick(l, r) - level_mean[l]);
      within += ss / (rr - 1.0);
    }
    grand /= k;
    within /= k;
    double between_plug_in = 0.0;
    for (std::size_t l = 0; l < levels; ++l) between_plug_in += (level_mean[l] - grand) * (level_mean[l] - grand);
    between_plug_in /= k;
    for (std::size_t r = 0; r < reps; ++r) {
      double s = 0.0;
      for (std::size_t l = 0; l < levels; ++l) s += pick(l, r);
      cross_mean[r] = s / k;
    }
    double correction = 0.0;  // Σ_l s²(z_l), z_{l,r} = y_{l,r} − cross_mean[r]; mean of z_l is m_l − m̄
    for (std::size_t l = 0; l < levels; ++l) {
      const double zbar = level_mean[l] - grand;
      double ss = 0.0;
      for (std::size_t r = 0; r < reps; ++r) {
        const double z = pick(l, r) - cross_mean[r] - zbar;
        ss += z * z;
      }
      correction += ss / (rr - 1.0);
    }
    const double between = between_plug_in - correction / (k * rr);
    const double total = between + within;
    const double total_plug_in = between_plug_in + within * (rr - 1.0) / rr;
    out[0] = total > 0.0 ? between / total : 0.0;
    out[1] = total_plug_in > 0.0 ? between_plug_in / total_plug_in : 0.0;
    out[2] = between;
    out[3] = within;
  };
  double lo = y[0];
  double hi = y[0];
  for (const double v : y) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!(hi > lo)) throw std::domain_error("norm_share: the output is constant; its share is undefined");
  std::vector<Estimate> e = bootstrap(n_rows, 4, statistic, settings,
                                      paired ? "norm share (law of total variance, bias-corrected); paired percentile bootstrap"
                                             : "norm share (law of total variance, bias-corrected); percentile bootstrap");
  e[1].estimator = "norm share, plug-in (uncorrected); percentile bootstrap";
  e[2].estimator = "between-level variance (bias-corrected); percentile bootstrap";
  e[3].estimator = "mean within-level variance; percentile bootstrap";
  for (Estimate& x : e) x.n = reps;
  return {std::move(e[0]), std::move(e[1]), std::move(e[2]), std::move(e[3])};
}

Estimate paired_mean_difference(std::span<const double> first, std::span<const double> second, double confidence) {
  const std::size_t n = first.size();
  if (n < 2) throw std::invalid_argument("paired_mean_difference: need at least 2 pairs");
  require_size(second, n, "paired_mean_difference: second");
  require_finite(first, "paired_mean_difference: first");
  require_finite(second, "paired_mean_difference: second");
  double mean = 0.0;
  for (std::size_t r = 0; r < n; ++r) mean += first[r] - second[r];
  mean /= static_cast<double>(n);
  double ss = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    const double d = first[r] - second[r] - mean;
    ss += d * d;
  }
  const double se = std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
  const double t = student_t_quantile(confidence, n - 1);
  return {"paired mean difference; Student-t CI", mean, mean - t * se, mean + t * se, se, n};
}

std::vector<LevelDifference> level_differences(std::span<const double> y, std::size_t levels, double confidence) {
  const std::size_t reps = replicates_of(y, levels, "level_differences");
  std::vector<LevelDifference> out;
  for (std::size_t a = 0; a < levels; ++a) {
    for (std::size_t b = a + 1; b < levels; ++b) {
      out.push_back({a, b, paired_mean_difference(y.subspan(a * reps, reps), y.subspan(b * reps, reps), confidence)});
    }
  }
  return out;
}

Estimate knockout_effect(std::span<const double> y_with, std::span<const double> y_without, double confidence) {
  Estimate e = paired_mean_difference(y_without, y_with, confidence);
  e.estimator = "knockout: paired mean difference (without - with); Student-t CI";
  return e;
}

}  // namespace normsim::analysis
