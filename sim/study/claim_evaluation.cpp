#include "study/claim_evaluation.hpp"

#include "analysis/attribution/norm_share.hpp"
#include "analysis/claims/betting.hpp"
#include "analysis/claims/family.hpp"
#include "study/claim_text.hpp"
#include "study/claim_values.hpp"
#include "study/setup.hpp"

#include <boost/math/distributions/normal.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace normsim::study {

namespace {

using analysis::Prospect;
using scenario::Claim;
using scenario::ClaimQuantity;

/// Why an entry evaluated once (a fixed design, or a resampled statistic) is not decided: decided;
/// on the value when its estimate lies within one standard error of it (no sample size can be
/// named); beyond `cap` when the likely deciding size exceeds it; else more runs would decide it.
Prospect prospect_of(const analysis::Decision& d, double estimate, double se, double value, double cap) {
  if (d.verdict != analysis::Verdict::inconclusive) return Prospect::decided;
  if (!std::isfinite(d.n_needed) || !(std::abs(estimate - value) > se)) return Prospect::on_value;
  return d.n_needed <= cap ? Prospect::more_runs : Prospect::beyond_budget;
}

double sample_se(const std::vector<double>& y) {
  if (y.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double mean = 0;
  for (const double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  double ss = 0;
  for (const double v : y) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(y.size() - 1) / static_cast<double>(y.size()));
}

/// An entry of a claim on the runs' outcomes: the design points it uses and its observations
/// (one per replicate: the outcome, an indicator, or a paired difference).
struct Stream {
  std::vector<std::uint64_t> points;
  std::vector<double> y;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
};

/// The observations of claim `c` at every entry, and the design coordinates of the entries.
std::vector<Stream> streams_of(const Claim& c, const EvaluationContext& x, std::vector<output::DesignFactor>& design) {
  const scenario::Scenario& base = *x.base;
  RunValues& runs = *x.runs;
  std::vector<Stream> out;
  if (c.quantity == ClaimQuantity::mean || c.quantity == ClaimQuantity::probability) {
    for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
      Stream s;
      s.points = {p};
      s.y = runs.at(c.outcome, p);
      if (c.quantity == ClaimQuantity::probability) {
        for (double& v : s.y) v = (c.above ? v > *c.above : v < *c.below) ? 1.0 : 0.0;
        s.lo = 0.0;
        s.hi = 1.0;
      } else {
        std::tie(s.lo, s.hi) = outcome_range(c.outcome, runs.horizon_of(p));
      }
      out.push_back(std::move(s));
    }
    design = make_layout(base, false).design;
    return out;
  }
  // Paired differences of two levels, per cell of the grid, over the replicates both have.
  const auto [factor, levels] = compared_levels(base, c, x.file);
  const GridCells grid = grid_cells(base, factor);
  for (const std::vector<std::uint64_t>& cell : grid.cells.points) {
    Stream s;
    s.points = {cell[levels[0]], cell[levels[1]]};
    const std::vector<double> a = runs.at(c.outcome, s.points[0]);
    const std::vector<double> b = runs.at(c.outcome, s.points[1]);
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t r = 0; r < n; ++r) s.y.push_back(a[r] - b[r]);
    const double horizon = std::max(runs.horizon_of(s.points[0]), runs.horizon_of(s.points[1]));
    const auto [lo, hi] = outcome_range(c.outcome, horizon);
    s.lo = lo - hi;
    s.hi = hi - lo;
    out.push_back(std::move(s));
  }
  design = grid.design;
  return out;
}

/// Claims on the runs' outcomes: means, probabilities, paired differences.
void evaluate_streams(const Claim& c, const EvaluationContext& x, ClaimEvaluation& ev, double alpha,
                      analysis::ErrorControl control) {
  const std::vector<Stream> streams = streams_of(c, x, ev.result.design);
  const double alpha_entry = analysis::per_point_alpha(alpha, streams.size(), control);
  const bool below = c.compare == scenario::Comparison::less;
  std::string sequence_guarantee;
  for (const Stream& s : streams) {
    EntryOutcome e;
    e.points = s.points;
    e.runs = s.y.size() * s.points.size();
    if (x.sequential) {
      analysis::MeanSequenceSettings settings;
      settings.alpha = alpha_entry;
      settings.lo = s.lo;
      settings.hi = s.hi;
      settings.tuned_n = std::max<std::uint64_t>(x.base->run.replicates, 2);
      const std::unique_ptr<analysis::ConfidenceSequence> seq = analysis::make_mean_sequence(settings);
      seq->add(s.y);
      const analysis::SequentialDecision d = analysis::decide_sequential(*seq, below, c.value, x.max_n);
      e.value = {d.estimate, d.interval.low, d.interval.high, d.n};
      e.verdict = d.verdict;
      e.n_needed = d.n_needed;
      e.prospect = d.prospect;
      if (sequence_guarantee.empty() || std::isinf(s.lo)) sequence_guarantee = seq->guarantee();
      ev.result.estimator = seq->method();
    } else if (std::isfinite(s.lo) && std::isfinite(s.hi)) {
      // Bounded outcomes: an exact interval (betting, tuned for this n). A Student t interval at the
      // levels of maps (1 − α/k) under-covers skewed outcomes such as x-risk (tested).
      analysis::BettingSequence interval(alpha_entry, s.lo, s.hi, s.y.size());
      interval.add(s.y);
      const analysis::Interval i = interval.interval();
      e.value = {interval.estimate(), i.low, i.high, s.y.size()};
      const analysis::Decision d = analysis::decide(e.value.estimate, e.value.low, e.value.high, below, c.value, e.value.n);
      e.verdict = d.verdict;
      e.n_needed = d.n_needed;
      e.prospect = prospect_of(d, e.value.estimate, interval.standard_error(), c.value, std::numeric_limits<double>::infinity());
      ev.result.estimator = interval.method();
      sequence_guarantee = interval.guarantee();
    } else {
      e.value = analysis::mean_interval(s.y, 1 - alpha_entry);
      const analysis::Decision d = analysis::decide(e.value.estimate, e.value.low, e.value.high, below, c.value, e.value.n);
      e.verdict = d.verdict;
      e.n_needed = d.n_needed;
      e.prospect = prospect_of(d, e.value.estimate, sample_se(s.y), c.value, std::numeric_limits<double>::infinity());
      sequence_guarantee = "Student t interval (approximate: outcome not bounded)";
    }
    ev.entries.push_back(std::move(e));
  }
  ev.result.entry_confidence = 1 - alpha_entry;
  ev.result.guarantee = analysis::map_guarantee(alpha, streams.size(), control) +
                        (x.sequential ? fmt::format("; {}: valid at every look of the sequential check",
                                                    sequence_guarantee)
                                      : fmt::format("; one fixed design; {}", sequence_guarantee));
}

/// The share of the variance between the norms: a bootstrap interval, re-estimated at each look.
void evaluate_norm_share(const Claim& c, const EvaluationContext& x, ClaimEvaluation& ev, double alpha,
                         analysis::ErrorControl control) {
  const scenario::Scenario& base = *x.base;
  const auto [factor, levels] = compared_levels(base, c, x.file);
  const GridCells grid = grid_cells(base, factor);
  ev.result.design = grid.design;
  const double alpha_entry = analysis::per_point_alpha(alpha, grid.cells.points.size(), control);
  const double alpha_look = x.sequential ? analysis::look_alpha(alpha_entry, x.look) : alpha_entry;
  analysis::BootstrapSettings bootstrap;
  // At least 20 resamples beyond each end of the interval.
  bootstrap.resamples = static_cast<std::size_t>(
      std::max<double>({static_cast<double>(x.bootstrap), 200.0, std::ceil(40.0 / alpha_look)}));
  bootstrap.confidence = 1 - alpha_look;
  bootstrap.seed ^= x.bootstrap_seed;
  for (const std::vector<std::uint64_t>& cell : grid.cells.points) {
    EntryOutcome e;
    std::vector<std::vector<double>> y;
    std::size_t n = std::numeric_limits<std::size_t>::max();
    for (const std::size_t l : levels) {
      e.points.push_back(cell[l]);
      y.push_back(x.runs->at(c.outcome, cell[l]));
      n = std::min(n, y.back().size());
    }
    std::vector<double> stacked;
    for (const auto& v : y) stacked.insert(stacked.end(), v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    e.runs = n * levels.size();
    double se = std::numeric_limits<double>::quiet_NaN();
    try {
      const analysis::NormShare s = analysis::norm_share(stacked, levels.size(), base.sweep.common_keys, bootstrap);
      e.value = {s.share.value, s.share.ci_low, s.share.ci_high, n};
      se = s.share.standard_error;
    } catch (const std::domain_error&) {
      e.value = {};  // constant outcome: no variance to share, undecidable
      e.value.n = n;
    }
    const analysis::Decision d = analysis::decide(e.value.estimate, e.value.low, e.value.high,
                                                  c.compare == scenario::Comparison::less, c.value, n);
    e.verdict = d.verdict;
    e.n_needed = d.n_needed;
    e.prospect = prospect_of(d, e.value.estimate, se, c.value, static_cast<double>(x.max_n));
    ev.entries.push_back(std::move(e));
  }
  ev.result.entry_confidence = 1 - alpha_entry;
  ev.result.guarantee = analysis::map_guarantee(alpha, grid.cells.points.size(), control) +
                        (x.sequential ? fmt::format("; look {} at level 1 − {} (α·6/(π²j²) at look j: a union bound "
                                                    "over every look); percentile bootstrap (approximate)",
                                                    x.look, analysis::detail::shortest(alpha_look))
                                      : std::string("; one fixed design; percentile bootstrap (approximate)"));
}

/// Attribution claims: the parts' indices with bootstrap-normal intervals (index ± z·SE), each
/// part at the entry's level divided by the number of parts (Bonferroni), combined into the
/// interval of their sum or top-k sum, which then covers at the entry's level.
void evaluate_attribution(const Claim& c, const EvaluationContext& x, ClaimEvaluation& ev, double alpha,
                          analysis::ErrorControl control) {
  const std::size_t k = x.attribution_files.size();
  const double alpha_entry = analysis::per_point_alpha(alpha, k, control);
  std::size_t parts_count = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const AttributionParts parts = attribution_parts(x.attribution_files[i], c, x.file);
    parts_count = parts.estimate.size();
    const double alpha_look = x.sequential ? analysis::look_alpha(alpha_entry, x.attribution_looks[i]) : alpha_entry;
    const double z = boost::math::quantile(boost::math::normal(), 1 - alpha_look / (2 * static_cast<double>(parts_count)));
    std::vector<double> low;
    std::vector<double> high;
    for (std::size_t j = 0; j < parts_count; ++j) {
      low.push_back(parts.estimate[j] - z * parts.se[j]);
      high.push_back(parts.estimate[j] + z * parts.se[j]);
    }
    EntryOutcome e;
    e.value = parts.top_k == 0 ? analysis::sum_of_intervals(parts.estimate, low, high, parts.rows)
                               : analysis::top_k_sum(parts.estimate, low, high, parts.top_k, parts.rows);
    const analysis::Decision d = analysis::decide(e.value.estimate, e.value.low, e.value.high,
                                                  c.compare == scenario::Comparison::less, c.value, parts.rows);
    e.verdict = d.verdict;
    e.n_needed = d.n_needed;
    e.prospect = prospect_of(d, e.value.estimate, (e.value.high - e.value.low) / (2 * z), c.value,
                             x.attribution_max_rows.empty() ? static_cast<double>(x.max_n) : x.attribution_max_rows.at(i));
    e.runs = x.attribution_runs[i];
    ev.entries.push_back(std::move(e));
  }
  ev.result.entry_confidence = 1 - alpha_entry;
  ev.result.estimator = fmt::format(
      "{}; bootstrap-normal interval of each of the {} indices (index ± z·bootstrap SE, each at level 1 − α/{}: "
      "Bonferroni), combined",
      claim_estimator(c, false), parts_count, parts_count);
  ev.result.guarantee =
      analysis::map_guarantee(alpha, k, control) +
      (x.sequential ? "; look j at α·6/(π²j²) (rows doubling; a union bound over every look); bootstrap (approximate)"
                    : "; one fixed design; bootstrap (approximate)");
}

}  // namespace

ClaimEvaluation evaluate_claim(const Claim& c, const EvaluationContext& x) {
  ClaimEvaluation ev;
  output::ClaimResult& r = ev.result;
  r.id = c.id;
  r.statement = c.statement;
  r.quantity = scenario::quantity_name(c.quantity);
  r.outcome = c.outcome;
  r.compare = scenario::comparison_text(c.compare);
  r.value = c.value;
  r.confidence = c.confidence;
  r.estimator = claim_estimator(c, x.base->sweep.common_keys);
  r.units = claim_units(c);
  r.error = std::string(scenario::claim_error_name(c.error));
  r.mode = x.sequential ? "sequential" : "fixed";
  r.looks = x.look;
  // α = 1 − confidence, without the binary noise of the subtraction (0.05, not 0.050000000000000044).
  const double alpha = std::round((1 - c.confidence) * 1e12) / 1e12;
  const analysis::ErrorControl control =
      c.error == scenario::ClaimError::per_point ? analysis::ErrorControl::per_point : analysis::ErrorControl::family_wise;
  if (is_attribution_claim(c)) {
    ev.attribution = ev.resampled = true;
    evaluate_attribution(c, x, ev, alpha, control);
    const scenario::AttributionSettings settings = x.base->attribution.value_or(scenario::AttributionSettings{});
    if (settings.per_point && x.base->sweep.points > 1) r.design = make_layout(*x.base, false).design;
  } else if (c.quantity == ClaimQuantity::norm_share) {
    ev.resampled = true;
    evaluate_norm_share(c, x, ev, alpha, control);
  } else {
    evaluate_streams(c, x, ev, alpha, control);
  }
  r.scope = r.design.empty() ? "design" : "points";
  for (const EntryOutcome& e : ev.entries) {
    r.estimate.push_back(e.value.estimate);
    r.low.push_back(e.value.low);
    r.high.push_back(e.value.high);
    r.n.push_back(e.value.n);
    r.n_needed.push_back(e.n_needed);
    r.verdict.push_back(static_cast<std::int8_t>(e.verdict));
    r.prospect.push_back(static_cast<std::int8_t>(e.prospect));
    r.runs.push_back(e.runs);
  }
  return ev;
}

}  // namespace normsim::study
