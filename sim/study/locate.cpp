#include "study/locate.hpp"

#include "analysis/claims/family.hpp"
#include "runner/execute.hpp"
#include "scenario/attribution.hpp"
#include "scenario/sweep.hpp"
#include "study/censoring.hpp"
#include "study/claim_text.hpp"
#include "study/claim_values.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

namespace normsim::study {

namespace {

using scenario::Claim;
using scenario::ClaimQuantity;

/// The runs of a round: (point, replicate) pairs, keyed on the base scenario's stream id (common
/// keys) and each pair's replicate index.
class PairSet final : public runner::RunSet {
 public:
  PairSet(std::vector<std::shared_ptr<const runner::Point>> points, std::vector<std::pair<std::size_t, std::uint64_t>> runs,
          std::uint64_t seed)
      : points_(std::move(points)), runs_(std::move(runs)), seed_(seed) {}
  [[nodiscard]] std::uint64_t size() const override { return runs_.size(); }
  [[nodiscard]] runner::RunPlan plan(std::uint64_t k) const override {
    runner::RunPlan p;
    p.run_index = k;
    p.point = runs_[k].first;
    p.replicate = runs_[k].second;
    p.stream_replicate = runs_[k].second;
    p.stream_point = points_[p.point]->stream_id;
    return p;
  }
  [[nodiscard]] std::shared_ptr<const runner::Point> point(std::uint64_t p) const override { return points_[p]; }
  [[nodiscard]] std::uint64_t master_seed() const override { return seed_; }

 private:
  std::vector<std::shared_ptr<const runner::Point>> points_;
  std::vector<std::pair<std::size_t, std::uint64_t>> runs_;
  std::uint64_t seed_;
};

std::string number_text(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

/// Observations of a claim at one combination of the other factors: the outcome at level x of the
/// located factor (mean), or its paired difference between two levels of the compared factor.
class ModelSampler final : public analysis::CrossingSampler {
 public:
  /// `points`: one design point per compared level (one for mean) at this combination; their
  /// scenarios give every value but the located factor's.
  ModelSampler(const scenario::Scenario& base, const Claim& claim, std::string key, std::vector<std::uint64_t> points,
               const Conduct& conduct)
      : base_(base), claim_(claim), key_(std::move(key)), points_(std::move(points)), conduct_(conduct),
        stream_id_(scenario::point_stream_id(base)),
        outcome_(claim.outcome == scenario::kReachedTransformative ? model::OutcomeId::t_transform
                                                                   : *scenario::outcome_by_name(claim.outcome)) {}

  std::vector<double> draw(double x, std::uint64_t first, std::uint64_t count) override {
    const analysis::DrawRequest request{x, first, count};
    return draw_round({&request, 1}).front();
  }

  std::vector<std::vector<double>> draw_round(std::span<const analysis::DrawRequest> requests) override {
    std::vector<std::shared_ptr<const runner::Point>> points;
    std::vector<std::pair<std::size_t, std::uint64_t>> runs;
    for (const analysis::DrawRequest& r : requests) {
      for (const std::uint64_t p : points_) {
        points.push_back(point_at(p, r.x));
        for (std::uint64_t i = 0; i < r.count; ++i) runs.emplace_back(points.size() - 1, r.first_replicate + i);
      }
    }
    const PairSet set(points, runs, base_.run.seed);
    struct Collect final : runner::RunSink {
      std::vector<double> values;
      model::OutcomeId outcome{};
      void write(const runner::RunRecord& r) override { values[r.run_index] = r.outcomes[static_cast<std::size_t>(outcome)]; }
    } sink;
    sink.values = std::vector<double>(runs.size(), 0.0);
    sink.outcome = outcome_;
    runner::ExecutionOptions options;
    options.threads = conduct_.threads;
    options.record.series = false;
    (void)runner::execute(set, sink, options);
    runs_ += runs.size();
    // Per request: the observation of each replicate (a difference between the two levels' runs).
    std::vector<std::vector<double>> out;
    std::size_t k = 0;
    std::size_t point = 0;
    for (const analysis::DrawRequest& r : requests) {
      std::vector<std::vector<double>> per_level;
      for (std::size_t l = 0; l < points_.size(); ++l, ++point) {
        const double horizon = static_cast<double>(points[point]->params.world.steps);
        std::vector<double> y(sink.values.begin() + static_cast<std::ptrdiff_t>(k),
                              sink.values.begin() + static_cast<std::ptrdiff_t>(k + r.count));
        k += r.count;
        for (double& v : y) {
          v = claim_.outcome == scenario::kReachedTransformative ? (std::isnan(v) ? 0.0 : 1.0)
              : outcome_ == model::OutcomeId::t_transform          ? censored(v, horizon)
                                                                   : v;
        }
        per_level.push_back(std::move(y));
      }
      if (per_level.size() == 2) {
        for (std::size_t i = 0; i < r.count; ++i) per_level[0][i] -= per_level[1][i];
      }
      out.push_back(std::move(per_level[0]));
    }
    return out;
  }

  [[nodiscard]] std::uint64_t runs() const noexcept { return runs_; }

 private:
  /// The model of design point p with the located factor at x (built once per (p, x)).
  std::shared_ptr<const runner::Point> point_at(std::uint64_t p, double x) {
    const auto key = std::make_pair(p, x);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    const scenario::Scenario at = scenario::point_scenario(base_, p);
    std::vector<std::string> overrides = at.overrides;
    overrides.push_back("sweep.design=\"single\"");
    overrides.push_back("sweep.factor=[]");
    overrides.push_back(fmt::format("{}={}", key_, number_text(x)));
    scenario::Scenario s = scenario::load_text(base_.text, base_.source, overrides);
    auto point = runner::make_point(std::move(s.model), stream_id_);
    cache_.emplace(key, point);
    return point;
  }

  const scenario::Scenario& base_;
  const Claim& claim_;
  std::string key_;
  std::vector<std::uint64_t> points_;
  const Conduct& conduct_;
  std::uint64_t stream_id_;
  model::OutcomeId outcome_;
  std::map<std::pair<std::uint64_t, double>, std::shared_ptr<const runner::Point>> cache_;
  std::uint64_t runs_ = 0;
};

}  // namespace

std::size_t located_factor(const Claim& c, const scenario::Scenario& base, const std::string& file) {
  const scenario::Sweep& w = base.sweep;
  std::optional<std::size_t> located;
  for (std::size_t f = 0; f < w.factors.size(); ++f) {
    if (w.factors[f].key == c.locate) located = f;
  }
  if (!located || w.kind != scenario::DesignKind::grid || w.factors[*located].categorical || !w.common_keys) {
    throw InputError(fmt::format("{}: claim '{}' locates along \"{}\": the scenario needs a [sweep] with design = "
                                 "\"grid\", sweep.common_keys = true and a numeric factor key = \"{}\" (its levels are "
                                 "the search's first points)",
                                 file, c.id, c.locate, c.locate));
  }
  if (w.factors[*located].integer) {
    throw InputError(fmt::format("{}: claim '{}' locates along \"{}\", an integer key: locate searches a continuous "
                                 "range",
                                 file, c.id, c.locate));
  }
  if (c.quantity != ClaimQuantity::mean && compared_levels(base, c, file).first == *located) {
    throw InputError(fmt::format("{}: claim '{}' cannot locate along the factor it compares ({})", file, c.id, c.locate));
  }
  return *located;
}

LocatedClaim locate_claim(const Claim& c, const scenario::Scenario& base, const std::string& file,
                          const Conduct& conduct, std::uint64_t max_runs) {
  const scenario::Sweep& w = base.sweep;
  const std::optional<std::size_t> located = located_factor(c, base, file);
  const scenario::Factor& factor = w.factors[*located];
  // The compared factor of a difference, and the levels compared.
  std::optional<std::size_t> compared;
  std::vector<std::size_t> levels;
  if (c.quantity != ClaimQuantity::mean) std::tie(compared, levels) = compared_levels(base, c, file);
  // Combinations of the other factors: the cells of the grid over the located factor, restricted to
  // the compared factor's first level (the compared levels are looked up per combination).
  const GridCells over_located = grid_cells(base, *located);
  std::vector<double> grid(factor.level_numbers.begin(), factor.level_numbers.end());
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  std::map<std::vector<std::int64_t>, std::uint64_t> point_of;  // levels of every factor → point
  for (std::uint64_t p = 0; p < w.points; ++p) {
    std::vector<std::int64_t> key;
    for (std::size_t f = 0; f < w.factors.size(); ++f) key.push_back(w.level(p, f));
    point_of[key] = p;
  }
  const double alpha = std::round((1 - c.confidence) * 1e12) / 1e12;
  const analysis::ErrorControl control =
      c.error == scenario::ClaimError::per_point ? analysis::ErrorControl::per_point : analysis::ErrorControl::family_wise;
  LocatedClaim out;
  output::ClaimBoundary& b = out.boundary;
  b.factor = c.locate;
  std::vector<std::size_t> kept;  // cells of over_located that are combinations (compared factor at its first level)
  for (std::size_t cell = 0; cell < over_located.cells.points.size(); ++cell) {
    const std::uint64_t p = over_located.cells.first_point[cell];
    if (compared && w.level(p, *compared) != 0) continue;
    kept.push_back(cell);
  }
  b.alpha = analysis::per_point_alpha(alpha, kept.size(), control);
  for (const output::DesignFactor& f : over_located.design) {
    if (compared && f.name == w.factors[*compared].key) continue;
    output::DesignFactor column = f;
    column.values.clear();
    column.levels.clear();
    for (const std::size_t cell : kept) {
      column.values.push_back(f.values[cell]);
      column.levels.push_back(f.levels[cell]);
    }
    b.design.push_back(std::move(column));
  }
  const auto [lo, hi] = outcome_range(c.outcome, static_cast<double>(base.model.world.steps));
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const std::uint64_t p0 = over_located.cells.first_point[kept[i]];
    std::vector<std::uint64_t> points;
    if (compared) {
      for (const std::size_t level : levels) {
        std::vector<std::int64_t> key;
        for (std::size_t f = 0; f < w.factors.size(); ++f) key.push_back(w.level(p0, f));
        key[*compared] = static_cast<std::int64_t>(level);
        points.push_back(point_of.at(key));
      }
    } else {
      points.push_back(p0);
    }
    ModelSampler sampler(base, c, c.locate, points, conduct);
    analysis::LocateSettings settings;
    settings.alpha = b.alpha;
    settings.value = c.value;
    settings.claimed_below = c.compare == scenario::Comparison::less;
    if (std::isfinite(lo) && std::isfinite(hi)) {
      settings.lo = compared ? lo - hi : lo;
      settings.hi = compared ? hi - lo : hi;
    }
    settings.grid = grid;
    settings.initial_replicates = std::max<std::uint64_t>(base.run.replicates, 2);
    settings.max_replicates = 16 * settings.initial_replicates;
    // Replicates this search may draw: its share of the runs, each replicate costing one run per level.
    if (max_runs != std::numeric_limits<std::uint64_t>::max()) {
      settings.budget = std::max<std::uint64_t>(max_runs / kept.size() / points.size(), 2 * settings.initial_replicates);
    }
    if (conduct.note) {
      std::string where;
      for (const output::DesignFactor& f : b.design) {
        where += fmt::format(" {}={}", f.name,
                             f.categorical ? f.labels.at(static_cast<std::size_t>(f.levels[i])) : number_text(f.values[i]));
      }
      conduct.note(fmt::format("check {}: locating where '{}' crosses {} along {}{}", file, c.id, c.value, c.locate,
                               where.empty() ? std::string() : " at" + where));
    }
    analysis::LocateResult r = analysis::locate_crossing(sampler, settings);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    b.status.push_back(static_cast<std::int8_t>(r.status));
    b.estimate.push_back(r.crossings.empty() ? nan : r.crossings.front().estimate);
    b.low.push_back(r.crossings.empty() ? nan : r.crossings.front().low);
    b.high.push_back(r.crossings.empty() ? nan : r.crossings.front().high);
    b.crossings.push_back(r.crossings.size());
    b.runs.push_back(sampler.runs());
    for (const analysis::Crossing& x : r.crossings) {
      b.crossing_combination.push_back(i);
      b.crossing_estimate.push_back(x.estimate);
      b.crossing_low.push_back(x.low);
      b.crossing_high.push_back(x.high);
      b.crossing_end.push_back(static_cast<std::int8_t>(x.end));
      b.crossing_holds_below.push_back(x.holds_below ? 1 : 0);
    }
    for (const analysis::EvaluatedPoint& q : r.points) {
      b.point_combination.push_back(i);
      b.point_x.push_back(q.x);
      b.point_estimate.push_back(q.decision.estimate);
      b.point_low.push_back(q.decision.interval.low);
      b.point_high.push_back(q.decision.interval.high);
      b.point_n.push_back(q.decision.n);
      b.point_sign.push_back(static_cast<std::int8_t>(q.sign));
      b.point_role.push_back(static_cast<std::int8_t>(q.role));
    }
    b.guarantee = analysis::map_guarantee(alpha, kept.size(), control) + "; each search: " + r.guarantee;
    b.method = r.method;
    out.searches.push_back(std::move(r));
  }
  return out;
}

}  // namespace normsim::study
