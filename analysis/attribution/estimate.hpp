#pragma once
// What every estimator returns, and the bootstrap behind its confidence interval.
//
// Confidence intervals are *percentile* bootstrap intervals (not BCa): the statistic is recomputed on
// `resamples` resamples of the design's rows drawn with replacement, and the interval is the
// (α/2, 1 − α/2) quantiles of those replicates (linear interpolation between order statistics).
// Rows are resampled jointly: one resample picks row indices once and every array of the design
// (y_A, y_B, every y_AB_j, ...) is read at those rows, so the correlations that pick-freeze
// estimators rely on are preserved. The resampled rows are a pure function of (seed, resample, row)
// through Philox4x64-10, so a result is reproducible bit for bit.
//
// Missing outcomes: the estimators reject NaN and ±∞ (std::invalid_argument naming the array and
// the row). An outcome that can be missing, such as t_transform when transformative capability is
// never reached, must be passed either censored at the horizon T (min(t, T)), or as an indicator
// outcome (1 if reached, 0 if not), or both as two outcomes; which one is a modelling choice of
// the caller and must be stated with the result.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::analysis {

/// One estimated quantity with its bootstrap (or t-based, where stated) confidence interval.
struct Estimate {
  std::string estimator;         ///< estimator and CI method, e.g. "first-order (Saltelli 2010); percentile bootstrap"
  double value = 0.0;            ///< point estimate on the full sample (units of the quantity)
  double ci_low = 0.0;           ///< lower end of the confidence interval
  double ci_high = 0.0;          ///< upper end of the confidence interval
  double standard_error = 0.0;   ///< bootstrap standard deviation of the statistic (or the t-based SE)
  std::size_t n = 0;             ///< number of design rows (or pairs) behind the estimate
};

/// How confidence intervals are computed.
struct BootstrapSettings {
  std::size_t resamples = 1000;                    ///< bootstrap resamples B; 0 gives CI = [value, value], SE 0
  double confidence = 0.95;                        ///< two-sided level, in (0, 1)
  std::uint64_t seed = 0x626f6f7473747261ULL;      ///< fixed bootstrap seed (ASCII "bootstra")
};

/// A statistic over resampled rows: fills `out` (one value per estimated quantity) from the rows
/// listed in `rows` (indices into the design, with repetitions, in increasing order). Must be
/// deterministic and safe to call concurrently: bootstrap() evaluates resamples in parallel (a
/// statistic keeps its scratch in the call, not in captured buffers).
using RowStatistic = std::function<void(std::span<const std::uint32_t> rows, std::span<double> out)>;

/// Runs `statistic` on the identity rows 0 … n_rows−1 (the point estimate) and on `settings.resamples`
/// joint resamples, and returns one Estimate per output value, named `estimator_name`. The resamples
/// run in parallel in the caller's oneTBB task arena (so on as many threads as it allows); the
/// result is the same bits for any thread count.
/// Throws std::invalid_argument if n_rows < 2 or n_rows ≥ 2^32, confidence is not in (0, 1).
[[nodiscard]] std::vector<Estimate> bootstrap(std::size_t n_rows, std::size_t n_values,
                                              const RowStatistic& statistic,
                                              const BootstrapSettings& settings,
                                              std::string_view estimator_name);

/// Convergence: the number of design rows expected to bring a CI of width `current_width`, obtained
/// with `current_rows` rows, down to `target_width`, assuming width ∝ 1/√N (Monte Carlo rate; a
/// scrambled Sobol design usually converges faster, so this is an upper estimate), rounded up to a
/// power of two and never below current_rows. Throws std::invalid_argument unless widths > 0 and
/// current_rows ≥ 1.
[[nodiscard]] std::uint64_t suggested_rows(double current_width, std::uint64_t current_rows, double target_width);

/// Throws std::invalid_argument("<what>: non-finite value at row i ...") if any value is NaN or ±∞.
void require_finite(std::span<const double> values, std::string_view what);

/// Throws std::invalid_argument if `values.size() != expected`.
void require_size(std::span<const double> values, std::size_t expected, std::string_view what);

/// Two-sided Student-t quantile t_{df, (1+confidence)/2}. Throws std::invalid_argument if df < 1.
[[nodiscard]] double student_t_quantile(double confidence, std::size_t df);

}  // namespace normsim::analysis
