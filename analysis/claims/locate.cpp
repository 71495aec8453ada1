// The search behind locate_crossing: sign decisions at the grid, then bisection of each bracket,
// with undecidable probes kept inside the bracket. Why sign decisions and bisection, the proof of
// the guarantee and the measured coverage and savings: analysis/claims/README.md, "Locating a
// crossing".
#include "analysis/claims/locate.hpp"

#include "analysis/claims/family.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace normsim::analysis {

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();
// A bracket around undecidable points that span at least the resolution stops once each gap between
// them and a decided end is at most this share of their span: the bracket is then at most 1.5 times
// the undecidable zone, and the next probes, at the zone's edge, would each cost about max_replicates
// for a small gain.
constexpr double kZoneGapShare = 0.25;
// Standard errors of optimism before a point is abandoned as undecidable (Search::hopeless).
constexpr double kGridOptimism = 2.0;
constexpr double kProbeOptimism = 1.0;

struct Point {
  double x = 0.0;
  PointRole role = PointRole::grid;
  std::uint64_t first = 0;
  std::unique_ptr<ConfidenceSequence> sequence;
  SequentialDecision decision;
  std::uint64_t target = 0;  // replicates the point is to have after the current round
  bool done = false;
  int sign = 0;
};

struct Bracket {
  std::size_t low = 0;  // ids of the decided ends
  std::size_t high = 0;
  std::vector<std::size_t> zone;  // ids of the undecided points inside, in x order
  std::size_t index = kNone;      // among the refined brackets; kNone: not refined
  std::size_t probes = 0;
  BracketEnd end = BracketEnd::not_refined;
  bool active = false;
};

void validate(const LocateSettings& s) {
  const auto fail = [](const std::string& why) { throw std::invalid_argument("locate_crossing: " + why); };
  if (!(s.alpha > 0.0 && s.alpha < 1.0)) fail("alpha must be in (0, 1), got " + detail::shortest(s.alpha));
  if (!std::isfinite(s.value)) fail("the claim's value must be finite");
  if (s.grid.size() < 2) fail("the grid needs at least two points");
  for (std::size_t i = 0; i < s.grid.size(); ++i) {
    if (!std::isfinite(s.grid[i])) fail("grid point " + std::to_string(i) + " is not finite");
    if (i > 0 && !(s.grid[i] > s.grid[i - 1])) fail("the grid must be strictly increasing");
  }
  if (s.initial_replicates < 2) fail("initial_replicates must be at least 2");
  if (s.max_replicates < s.initial_replicates) fail("max_replicates must be at least initial_replicates");
  if (!(s.growth > 1.0) || !std::isfinite(s.growth)) {
    fail("growth must be finite and > 1, got " + detail::shortest(s.growth));
  }
  if (!(s.resolution >= 0.0) || !std::isfinite(s.resolution)) fail("the resolution must be finite and ≥ 0");
  if (std::isnan(s.lo) || std::isnan(s.hi)) fail("NaN in the observations' range");
  if (std::isfinite(s.lo) && std::isfinite(s.hi) && !(s.lo < s.hi)) fail("the observations' range needs lo < hi");
  // The last probe's block must end below 2^64.
  const std::uint64_t blocks_max = std::numeric_limits<std::uint64_t>::max() / s.max_replicates;
  const std::size_t probes = s.probes_per_bracket;
  if (s.refined_brackets != 0 && probes > (blocks_max - 1) / s.refined_brackets) {
    fail("replicate indices of the probes would pass 2^64");
  }
}

bool claim_holds(bool claimed_below, int sign) { return claimed_below ? sign < 0 : sign > 0; }

class Search {
 public:
  Search(CrossingSampler& sampler, const LocateSettings& settings)
      : sampler_(sampler), s_(settings), runs_left_(settings.budget) {
    point_alpha_ = per_point_alpha(s_.alpha, locate_points(s_), ErrorControl::family_wise);
    double spacing = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < s_.grid.size(); ++i) spacing = std::min(spacing, s_.grid[i] - s_.grid[i - 1]);
    resolution_ = s_.resolution > 0.0 ? s_.resolution : spacing / 16.0;
    // The asymptotic sequence is within 16 % of its narrowest from tuned_n/4 to 64·tuned_n: tuned by
    // default at the geometric middle of the replicates a point may get, it is near its best where the
    // decisions cost most (close to a crossing, at many replicates), while the early looks, far from
    // the crossing, decide cheaply anyway (README: the runs measured against tuning at the first look).
    const double middle =
        std::sqrt(static_cast<double>(s_.initial_replicates) * static_cast<double>(s_.max_replicates));
    tuned_ = s_.tuned_replicates > 0 ? s_.tuned_replicates : static_cast<std::uint64_t>(std::llround(middle));
  }

  LocateResult run();

 private:
  std::size_t add_point(double x, PointRole role, std::uint64_t first) {
    Point p;
    p.x = x;
    p.role = role;
    p.first = first;
    p.sequence = make_mean_sequence({point_alpha_, s_.lo, s_.hi, s_.bounded, tuned_});
    points_.push_back(std::move(p));
    return points_.size() - 1;
  }

  void evaluate(const std::vector<std::size_t>& ids);
  void settle(Point& p) const;
  [[nodiscard]] bool hopeless(const Point& p) const;
  [[nodiscard]] bool plan(Bracket& b, double& x);
  void absorb(Bracket& b, std::size_t probe);
  [[nodiscard]] Crossing report(const Bracket& b) const;
  [[nodiscard]] std::string guarantee() const;

  CrossingSampler& sampler_;
  const LocateSettings& s_;
  double point_alpha_ = 0.0;
  double resolution_ = 0.0;
  std::uint64_t tuned_ = 1;
  std::uint64_t runs_left_;
  std::uint64_t runs_ = 0;
  std::vector<Point> points_;
  std::vector<UnresolvedRegion> unresolved_;
};

void Search::evaluate(const std::vector<std::size_t>& ids) {
  // First look: initial_replicates each, in order, as far as the budget goes.
  std::uint64_t left = runs_left_;
  for (const std::size_t id : ids) {
    points_[id].target = std::min(s_.initial_replicates, left);
    left -= points_[id].target;
    points_[id].done = points_[id].target == 0;
  }
  for (;;) {
    std::vector<DrawRequest> requests;
    std::vector<std::size_t> owners;
    for (const std::size_t id : ids) {
      const Point& p = points_[id];
      const std::uint64_t n = p.sequence->n();
      if (p.done || p.target <= n) continue;
      requests.push_back({p.x, p.first + n, p.target - n});
      owners.push_back(id);
    }
    if (requests.empty()) return;
    const std::vector<std::vector<double>> answers = sampler_.draw_round(requests);
    if (answers.size() != requests.size()) {
      throw std::runtime_error("locate_crossing: the sampler answered " + std::to_string(answers.size()) + " of " +
                               std::to_string(requests.size()) + " requests");
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (answers[i].size() != requests[i].count) {
        throw std::runtime_error("locate_crossing: the sampler returned " + std::to_string(answers[i].size()) +
                                 " observations for " + std::to_string(requests[i].count) + " replicates");
      }
      for (const double y : answers[i]) {
        if (!std::isfinite(y)) {
          throw std::domain_error("locate_crossing: the sampler returned a non-finite observation");
        }
      }
      points_[owners[i]].sequence->add(answers[i]);
      runs_ += requests[i].count;
      runs_left_ -= requests[i].count;
    }
    // Decide, then plan the next round (doubling, the most promising first, within the budget) for
    // the points still open; a point the round cannot grow is finished.
    std::vector<RoundPoint> state;
    std::vector<std::size_t> open;
    for (const std::size_t id : ids) {
      Point& p = points_[id];
      if (p.done) continue;
      settle(p);
      if (p.done) continue;
      state.push_back({p.sequence->n(), p.decision.prospect, p.decision.n_needed});
      open.push_back(id);
    }
    if (open.empty()) return;
    // next_round's rule with the factor `growth` for its 2: the most promising first (smallest n_needed),
    // within the budget; the first point that does not fit gets what is left.
    std::vector<std::size_t> order(open.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double na = std::isnan(state[a].n_needed) ? kInf : state[a].n_needed;
      const double nb = std::isnan(state[b].n_needed) ? kInf : state[b].n_needed;
      return na < nb;
    });
    std::uint64_t left_round = runs_left_;
    for (const std::size_t i : order) {
      Point& p = points_[open[i]];
      const std::uint64_t n = p.sequence->n();
      const double grown = std::ceil(static_cast<double>(n) * s_.growth);
      std::uint64_t target = grown >= static_cast<double>(s_.max_replicates) ? s_.max_replicates
                                                                             : static_cast<std::uint64_t>(grown);
      target = std::min(s_.max_replicates, std::max(target, n + 1));
      const std::uint64_t extra = std::min(target - n, left_round);
      left_round -= extra;
      p.target = n + extra;
      p.done = extra == 0;
    }
  }
}

void Search::settle(Point& p) const {
  p.decision = decide_sequential(*p.sequence, s_.claimed_below, s_.value, s_.max_replicates);
  if (p.decision.verdict != Verdict::inconclusive) {
    p.sign = p.decision.interval.low > s_.value ? 1 : -1;
    p.done = true;
  } else {
    p.done = p.sequence->n() >= s_.max_replicates || hopeless(p);
  }
}

bool Search::hopeless(const Point& p) const {
  // Give up on a point when even an optimistic distance, |estimate − v| + z standard errors, would
  // need more than max_replicates to clear v (the projection of decide_sequential's n_needed, made
  // from that distance instead of the estimate's). Stopping is always valid (the sequences are
  // anytime-valid); it saves the runs an undecidable point near a crossing would take up to
  // max_replicates, at the price of sometimes abandoning a point max_replicates would have decided.
  // Grid points decide the status (an undecided one leaves the count of crossings open), so they
  // get z = 2 (with z = 1 a grid point twice the half-width at max_replicates from v was left
  // undecided in 3 % of searches, with max(|estimate − v|, se) in 23 %); a probe only narrows a
  // bracket, so z = 1: a third fewer runs than z = 2 for brackets 6 % wider, the same runs per width
  // against a dense grid (README, "Locating a crossing").
  const std::uint64_t n = p.sequence->n();
  if (n < 2) return false;
  const double se = p.sequence->standard_error();
  if (!std::isfinite(se)) return false;
  const double z = p.role == PointRole::grid ? kGridOptimism : kProbeOptimism;
  const double distance = std::abs(p.decision.estimate - s_.value) + z * se;
  const double m = p.sequence->size_to_clear(distance, s_.value > p.decision.estimate, p.decision.interval);
  return m > static_cast<double>(s_.max_replicates);
}

bool Search::plan(Bracket& b, double& x) {
  if (!b.active) return false;
  const auto finish = [&b](BracketEnd why) {
    b.end = why;
    b.active = false;
    return false;
  };
  const double low = points_[b.low].x;
  const double high = points_[b.high].x;
  if (high - low <= resolution_) return finish(BracketEnd::resolution);
  if (b.zone.empty()) {
    x = low + (high - low) / 2;
  } else {
    const double zone_low = points_[b.zone.front()].x;
    const double zone_high = points_[b.zone.back()].x;
    const double gap_low = zone_low - low;
    const double gap_high = high - zone_high;
    const double zone = zone_high - zone_low;
    if (zone >= resolution_ && std::max(gap_low, gap_high) <= kZoneGapShare * zone) return finish(BracketEnd::zone);
    x = gap_low >= gap_high ? low + gap_low / 2 : zone_high + gap_high / 2;
  }
  if (!(x > low && x < high)) return finish(BracketEnd::resolution);  // at the limit of double precision
  if (b.probes >= s_.probes_per_bracket) return finish(BracketEnd::probes);
  if (runs_left_ == 0) return finish(BracketEnd::budget);
  return true;
}

void Search::absorb(Bracket& b, std::size_t probe) {
  const Point& p = points_[probe];
  if (p.sequence->n() == 0) {  // the budget ran out before this probe's first look
    b.end = BracketEnd::budget;
    b.active = false;
    return;
  }
  const int sign_low = points_[b.low].sign;
  if (p.sign == 0) {
    const auto at = std::find_if(b.zone.begin(), b.zone.end(), [&](std::size_t id) { return points_[id].x > p.x; });
    b.zone.insert(at, probe);
    return;
  }
  if (b.zone.empty()) {
    (p.sign == sign_low ? b.low : b.high) = probe;
    return;
  }
  if (p.x < points_[b.zone.front()].x) {
    if (p.sign == sign_low) {
      b.low = probe;
    } else {
      // θ − v changes sign between the low end and the probe; the zone now lies between two points of
      // one sign, where θ may touch v or cross it an even number of times.
      unresolved_.push_back({p.x, points_[b.high].x, false});
      b.high = probe;
      b.zone.clear();
    }
  } else if (p.sign != sign_low) {
    b.high = probe;
  } else {
    unresolved_.push_back({points_[b.low].x, p.x, false});
    b.low = probe;
    b.zone.clear();
  }
}

Crossing Search::report(const Bracket& b) const {
  Crossing c;
  c.low = points_[b.low].x;
  c.high = points_[b.high].x;
  c.holds_below = claim_holds(s_.claimed_below, points_[b.low].sign);
  c.undecided_inside = b.zone.size();
  c.end = b.end;
  // Root of the weighted least-squares line through the estimates in [low, high] (weights n: the
  // points' variances are alike near a crossing). Observations of different points are independent
  // here except between grid points, where common keys make the slope only more precise.
  std::vector<std::size_t> ids{b.low};
  ids.insert(ids.end(), b.zone.begin(), b.zone.end());
  ids.push_back(b.high);
  double w = 0, wx = 0, wy = 0;
  for (const std::size_t id : ids) {
    const double n = static_cast<double>(points_[id].sequence->n());
    w += n;
    wx += n * points_[id].x;
    wy += n * points_[id].decision.estimate;
  }
  const double mx = wx / w;
  const double my = wy / w;
  double sxy = 0, sxx = 0;
  for (const std::size_t id : ids) {
    const double n = static_cast<double>(points_[id].sequence->n());
    sxy += n * (points_[id].x - mx) * (points_[id].decision.estimate - my);
    sxx += n * (points_[id].x - mx) * (points_[id].x - mx);
  }
  const double slope = sxy / sxx;
  // θ − v goes from sign_low to −sign_low, so the slope must have the sign of −sign_low.
  if (std::isfinite(slope) && slope * static_cast<double>(-points_[b.low].sign) > 0.0) {
    c.estimate = std::clamp(mx + (s_.value - my) / slope, c.low, c.high);
  } else if (!b.zone.empty()) {
    c.estimate = (points_[b.zone.front()].x + points_[b.zone.back()].x) / 2;
  } else {
    c.estimate = (c.low + c.high) / 2;
  }
  return c;
}

std::string Search::guarantee() const {
  const std::size_t k = locate_points(s_);
  const auto sequence = make_mean_sequence({point_alpha_, s_.lo, s_.hi, s_.bounded, tuned_});
  return "with probability ≥ " + detail::shortest(1.0 - s_.alpha) + " every decided sign of θ − v is right (" +
         map_guarantee(s_.alpha, k, ErrorControl::family_wise) + "; " + sequence->guarantee() +
         "; each probe on replicates of its own), hence: each crossing's interval holds an odd number of crossings "
         "of θ (θ continuous in the factor), and between adjacent points decided with the same sign θ crosses v "
         "an even number of times (none, unless it crosses back within that gap)";
}

LocateResult Search::run() {
  std::vector<std::size_t> grid;
  for (const double x : s_.grid) grid.push_back(add_point(x, PointRole::grid, 0));
  evaluate(grid);

  // Brackets between adjacent decided grid points of opposite signs (undecided grid points between
  // them start their zone); undecided points between decided points of one sign, or beyond the last
  // decided point, leave the count open there.
  std::vector<Bracket> brackets;
  std::size_t previous = kNone;
  for (std::size_t i = 0; i <= grid.size(); ++i) {
    if (i < grid.size() && points_[grid[i]].sign == 0) continue;
    const std::size_t first_between = previous == kNone ? 0 : previous + 1;
    const bool undecided_between = i > first_between;
    if (previous == kNone || i == grid.size()) {
      if (undecided_between) {
        const double low = previous == kNone ? s_.grid.front() : s_.grid[previous];
        const double high = i == grid.size() ? s_.grid.back() : s_.grid[i];
        unresolved_.push_back({low, high, true});
      }
    } else if (points_[grid[i]].sign != points_[grid[previous]].sign) {
      Bracket b;
      b.low = grid[previous];
      b.high = grid[i];
      for (std::size_t j = first_between; j < i; ++j) b.zone.push_back(grid[j]);
      brackets.push_back(std::move(b));
    } else if (undecided_between) {
      unresolved_.push_back({s_.grid[previous], s_.grid[i], false});
    }
    previous = i;
  }
  if (s_.probes_per_bracket > 0) {
    for (std::size_t i = 0; i < brackets.size() && i < s_.refined_brackets; ++i) {
      brackets[i].index = i;
      brackets[i].active = true;
    }
  }

  // Bisection, one probe per bracket per stage; the stage's probes are evaluated together.
  for (;;) {
    std::vector<std::size_t> new_points;
    std::vector<std::size_t> owners;
    for (std::size_t i = 0; i < brackets.size(); ++i) {
      Bracket& b = brackets[i];
      double x = 0.0;
      if (!plan(b, x)) continue;
      new_points.push_back(add_point(x, PointRole::probe, probe_first_replicate(s_, b.index, b.probes)));
      owners.push_back(i);
      ++b.probes;
    }
    if (new_points.empty()) break;
    evaluate(new_points);
    for (std::size_t i = 0; i < new_points.size(); ++i) absorb(brackets[owners[i]], new_points[i]);
  }

  LocateResult result;
  for (const Bracket& b : brackets) result.crossings.push_back(report(b));
  std::sort(unresolved_.begin(), unresolved_.end(),
            [](const UnresolvedRegion& a, const UnresolvedRegion& b) { return a.low < b.low; });
  result.unresolved = unresolved_;
  if (brackets.size() >= 2) {
    result.status = CrossingStatus::crosses_more_than_once;
  } else if (!unresolved_.empty()) {
    result.status = CrossingStatus::undecided;
  } else {
    result.status = brackets.empty() ? CrossingStatus::no_crossing : CrossingStatus::crosses_once;
  }
  for (const Point& p : points_) {
    if (p.sequence->n() == 0) continue;  // never evaluated: the budget ran out first
    result.points.push_back({p.x, p.role, p.first, p.decision, p.sign});
  }
  std::stable_sort(result.points.begin(), result.points.end(),
                   [](const EvaluatedPoint& a, const EvaluatedPoint& b) { return a.x < b.x; });
  result.runs = runs_;
  result.points_allowed = locate_points(s_);
  result.point_alpha = point_alpha_;
  result.resolution = resolution_;
  result.guarantee = guarantee();
  result.method = points_.front().sequence->method() + "; sign of θ − v decided at the grid, brackets narrowed by "
                  "bisection on fresh replicates (analysis/claims/README.md, \"Locating a crossing\")";
  return result;
}

}  // namespace

std::vector<std::vector<double>> CrossingSampler::draw_round(std::span<const DrawRequest> requests) {
  std::vector<std::vector<double>> answers;
  answers.reserve(requests.size());
  for (const DrawRequest& r : requests) answers.push_back(draw(r.x, r.first_replicate, r.count));
  return answers;
}

std::vector<double> even_grid(double a, double b, std::size_t points) {
  if (!std::isfinite(a) || !std::isfinite(b) || !(a < b) || points < 2) {
    throw std::invalid_argument("even_grid: needs finite a < b and at least two points");
  }
  std::vector<double> grid(points);
  const double steps = static_cast<double>(points - 1);
  for (std::size_t i = 0; i + 1 < points; ++i) grid[i] = a + (b - a) * (static_cast<double>(i) / steps);
  grid.back() = b;
  return grid;
}

std::size_t locate_points(const LocateSettings& settings) noexcept {
  return settings.grid.size() + settings.refined_brackets * settings.probes_per_bracket;
}

std::uint64_t probe_first_replicate(const LocateSettings& settings, std::size_t bracket, std::size_t probe) noexcept {
  const std::uint64_t block = 1 + static_cast<std::uint64_t>(bracket) * settings.probes_per_bracket + probe;
  return block * settings.max_replicates;
}

std::string_view crossing_status_name(CrossingStatus status) noexcept {
  switch (status) {
    case CrossingStatus::crosses_once: return "crosses_once";
    case CrossingStatus::crosses_more_than_once: return "crosses_more_than_once";
    case CrossingStatus::no_crossing: return "no_crossing";
    case CrossingStatus::undecided: return "undecided";
  }
  return "?";
}

std::string_view bracket_end_name(BracketEnd end) noexcept {
  switch (end) {
    case BracketEnd::resolution: return "resolution";
    case BracketEnd::zone: return "zone";
    case BracketEnd::probes: return "probes";
    case BracketEnd::budget: return "budget";
    case BracketEnd::not_refined: return "not_refined";
  }
  return "?";
}

LocateResult locate_crossing(CrossingSampler& sampler, const LocateSettings& settings) {
  validate(settings);
  Search search(sampler, settings);
  return search.run();
}

}  // namespace normsim::analysis
