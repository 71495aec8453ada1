#include "study/discover_points.hpp"

#include "analysis/claims/betting.hpp"
#include "analysis/claims/estimators.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/sweep.hpp"
#include "study/censoring.hpp"
#include "study/claim_text.hpp"
#include "study/claim_values.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace normsim::study {

namespace dsc = analysis::discovery;
using scenario::Claim;
using scenario::ClaimQuantity;

namespace {

/// The horizon (world.steps) of each point: t_transform's censoring and its range.
std::vector<double> horizons(const scenario::Scenario& base) {
  const bool swept = std::any_of(base.sweep.factors.begin(), base.sweep.factors.end(),
                                 [](const scenario::Factor& f) { return f.key == "world.steps"; });
  std::vector<double> h(base.sweep.points, static_cast<double>(base.model.world.steps));
  if (swept) {
    for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
      h[p] = static_cast<double>(scenario::point_scenario(base, p).model.world.steps);
    }
  }
  return h;
}

}  // namespace

PointValues evaluate_points(const Claim& claim, const scenario::Scenario& base, const std::filesystem::path& path,
                            bool paired) {
  const output::Hdf5Reader file(path);
  const bool reached = claim.outcome == scenario::kReachedTransformative;
  const std::string name = reached ? std::string("t_transform") : claim.outcome;
  const std::vector<double> column = file.read_float64("/outcomes/" + name);
  const std::uint64_t r = base.run.replicates;
  const std::vector<double> horizon = horizons(base);
  // The replicates of row `row` (a point, or one norm at a point), censored as check does.
  const auto row_values = [&](std::uint64_t row, double h) {
    std::vector<double> y(column.begin() + static_cast<std::ptrdiff_t>(row * r),
                          column.begin() + static_cast<std::ptrdiff_t>((row + 1) * r));
    if (reached) {
      for (double& v : y) v = std::isnan(v) ? 0.0 : 1.0;
    } else if (name == "t_transform") {
      censor(y, h);
    }
    return y;
  };
  // α = 1 − confidence without the binary noise of the subtraction (as check).
  const double alpha = std::round((1 - claim.confidence) * 1e12) / 1e12;
  const bool below = claim.compare == scenario::Comparison::less;
  PointValues out;
  std::string method;
  std::string guarantee;
  for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
    std::vector<double> y;
    auto [lo, hi] = outcome_range(claim.outcome, horizon[p]);
    if (paired) {
      const std::vector<double> a = row_values(2 * p, horizon[p]);
      const std::vector<double> b = row_values(2 * p + 1, horizon[p]);
      for (std::uint64_t k = 0; k < r; ++k) y.push_back(a[k] - b[k]);
      std::tie(lo, hi) = std::pair<double, double>{lo - hi, hi - lo};
    } else {
      y = row_values(p, horizon[p]);
      if (claim.quantity == ClaimQuantity::probability) {
        for (double& v : y) v = (claim.above ? v > *claim.above : v < *claim.below) ? 1.0 : 0.0;
        lo = 0.0;
        hi = 1.0;
      }
    }
    analysis::ClaimEstimate e;
    if (std::isfinite(lo) && std::isfinite(hi)) {
      // Bounded: the exact betting interval for this n, as check (a t interval under-covers skewed
      // outcomes such as x-risk).
      analysis::BettingSequence interval(alpha, lo, hi, y.size());
      interval.add(y);
      const analysis::Interval i = interval.interval();
      e = {interval.estimate(), i.low, i.high, y.size()};
      method = interval.method();
      guarantee = interval.guarantee();
    } else {
      e = analysis::mean_interval(y, 1 - alpha);
      method = "mean; Student t interval";
      guarantee = "approximate: outcome not bounded";
    }
    const analysis::Decision d = analysis::decide(e.estimate, e.low, e.high, below, claim.value, e.n);
    const bool holds_at_estimate = below ? e.estimate < claim.value : e.estimate > claim.value;
    out.estimate.push_back(e.estimate);
    out.low.push_back(e.low);
    out.high.push_back(e.high);
    out.n.push_back(e.n);
    out.verdict.push_back(static_cast<std::int8_t>(d.verdict));
    out.interest.push_back(holds_at_estimate ? 0.0 : 1.0);
  }
  out.estimator = fmt::format("{}; {}", claim_estimator(claim, paired), method);
  out.guarantee = fmt::format(
      "per point: each point's interval at level {} on its own, no correction over the {} points (PRIM maps where "
      "the claim fails at its estimate; the verdicts are for reading); {}",
      claim.confidence, base.sweep.points, guarantee);
  out.interest_rule = fmt::format("1 where the claim fails at its estimate (the estimate is not {} {}), else 0",
                                  scenario::comparison_text(claim.compare), claim.value);
  return out;
}

std::vector<Assumption> discovery_dimensions(const scenario::Scenario& base, const std::string& file) {
  std::vector<Assumption> out;
  for (std::size_t f = 0; f < base.sweep.factors.size(); ++f) {
    const scenario::Factor& factor = base.sweep.factors[f];
    Assumption a;
    a.factor = f;
    if (factor.categorical) {
      if (factor.labels.size() > dsc::kMaxLevels) {
        throw InputError(fmt::format("{}: sweep factor {} has {} levels; discover handles at most {}", file,
                                     factor.key, factor.labels.size(), dsc::kMaxLevels));
      }
      a.dimension = dsc::Dimension::categorical(factor.key, factor.labels);
      out.push_back(std::move(a));
      continue;
    }
    double low = factor.from;
    double high = factor.to;
    if (!factor.level_numbers.empty()) {
      low = *std::min_element(factor.level_numbers.begin(), factor.level_numbers.end());
      high = *std::max_element(factor.level_numbers.begin(), factor.level_numbers.end());
    }
    a.log = factor.log_scale;
    if (a.log) {
      if (!(low > 0)) {
        throw InputError(fmt::format("{}: sweep factor {} has scale = \"log\" over [{}, {}]; discover searches it "
                                     "on ln(value) and needs a positive range",
                                     file, factor.key, low, high));
      }
      low = kMath.log(low);
      high = kMath.log(high);
    }
    a.dimension = dsc::Dimension::numeric(factor.key, low, high);
    out.push_back(std::move(a));
  }
  return out;
}

dsc::PointSet point_set(const scenario::Scenario& base, const std::vector<Assumption>& assumptions,
                        const std::vector<double>& interest) {
  dsc::PointSet points;
  for (const Assumption& a : assumptions) {
    dsc::Dimension d = a.dimension;
    std::vector<double> column;
    for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
      if (d.kind == dsc::DimensionKind::categorical) {
        column.push_back(static_cast<double>(base.sweep.level(p, a.factor)));
      } else {
        const double x = base.sweep.numeric(p, a.factor);
        column.push_back(a.log ? kMath.log(x) : x);
      }
    }
    if (d.kind == dsc::DimensionKind::numeric && !column.empty()) {
      d.low = std::min(d.low, *std::min_element(column.begin(), column.end()));
      d.high = std::max(d.high, *std::max_element(column.begin(), column.end()));
    }
    points.dimensions.push_back(std::move(d));
    points.columns.push_back(std::move(column));
  }
  points.interest = interest;
  return points;
}

}  // namespace normsim::study
