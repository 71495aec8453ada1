// What the sequences share: the verdict from the interval, the projection behind n_needed, the
// prospect, the factory, and the doubling rounds.
#include "analysis/claims/sequence.hpp"

#include "analysis/claims/asymptotic.hpp"
#include "analysis/claims/bernstein.hpp"
#include "analysis/claims/betting.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace normsim::analysis {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

}  // namespace

void ConfidenceSequence::add(std::span<const double> xs) {
  for (const double x : xs) add(x);
}

double ConfidenceSequence::size_to_clear(double distance, bool upper, const Interval& now) const {
  if (!(distance > 0.0) || !std::isfinite(distance)) return kNever;
  const std::uint64_t n_now = n();
  if (n_now == 0) return kNever;
  const double half = upper ? now.high - estimate() : estimate() - now.low;
  const double b_now = boundary(n_now);
  if (!std::isfinite(half) || !(b_now > 0.0) || !std::isfinite(b_now)) return kNever;
  if (!(half > 0.0)) return static_cast<double>(n_now + 1);  // nothing left to shrink on that side
  // half·boundary(m)/boundary(n) < distance  ⟺  boundary(m) < distance·boundary(n)/half.
  const std::uint64_t m = first_size_below(distance * b_now / half);
  return m == 0 ? kNever : static_cast<double>(m);
}

std::uint64_t ConfidenceSequence::first_size_below(double target) const {
  // Boundaries are non-increasing in m: doubling brackets the crossing and bisection finds it.
  const std::uint64_t n_now = n();
  const auto below_target = [&](std::uint64_t m) { return boundary(m) < target; };
  std::uint64_t low = n_now;  // not below (else the caller's interval would already clear)
  std::uint64_t high = std::max<std::uint64_t>(2 * n_now, n_now + 1);
  while (!below_target(high)) {
    if (high >= kLargest) return 0;
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const std::uint64_t mid = low + (high - low) / 2;
    (below_target(mid) ? high : low) = mid;
  }
  return high;
}

double ConfidenceSequence::projected_half_width(std::uint64_t m, bool upper) const {
  return projected_half_width(m, upper, interval());
}

double ConfidenceSequence::projected_half_width(std::uint64_t m, bool upper, const Interval& now_interval) const {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::uint64_t now = n();
  if (now == 0 || m < now) return kNaN;
  const double half = upper ? now_interval.high - estimate() : estimate() - now_interval.low;
  const double b_now = boundary(now);
  if (!std::isfinite(half) || !(b_now > 0.0) || !std::isfinite(b_now)) return kNaN;
  return std::max(half, 0.0) * (boundary(m) / b_now);
}

std::string_view prospect_name(Prospect prospect) noexcept {
  switch (prospect) {
    case Prospect::decided: return "decided";
    case Prospect::more_runs: return "more_runs";
    case Prospect::beyond_budget: return "beyond_budget";
    case Prospect::on_value: return "on_value";
  }
  return "?";
}

SequentialDecision decide_sequential(const ConfidenceSequence& sequence, bool claimed_below, double value,
                                     std::uint64_t max_n) {
  if (std::isnan(value)) throw std::invalid_argument("decide_sequential: the claim's value is NaN");
  SequentialDecision d;
  d.estimate = sequence.estimate();
  d.interval = sequence.interval();
  d.n = sequence.n();
  d.verdict = decide(d.estimate, d.interval.low, d.interval.high, claimed_below, value, d.n).verdict;
  if (d.verdict != Verdict::inconclusive) {
    d.prospect = Prospect::decided;
    return d;
  }
  // The value lies in [low, high]: the side that must clear it is the one facing it from the estimate.
  const double distance = std::abs(d.estimate - value);
  d.n_needed = d.estimate == value ? kNever : sequence.size_to_clear(distance, value > d.estimate, d.interval);
  if (d.n < 2) {
    d.prospect = Prospect::more_runs;  // nothing known yet
  } else if (distance <= sequence.standard_error()) {
    d.prospect = Prospect::on_value;
  } else {
    d.prospect = d.n_needed <= static_cast<double>(max_n) ? Prospect::more_runs : Prospect::beyond_budget;
  }
  return d;
}

std::unique_ptr<ConfidenceSequence> make_mean_sequence(const MeanSequenceSettings& s) {
  if (std::isnan(s.lo) || std::isnan(s.hi)) throw std::invalid_argument("make_mean_sequence: NaN range");
  if (std::isfinite(s.lo) && std::isfinite(s.hi)) {
    if (s.bounded == BoundedMethod::empirical_bernstein) return std::make_unique<BernsteinSequence>(s.alpha, s.lo, s.hi);
    return std::make_unique<BettingSequence>(s.alpha, s.lo, s.hi);
  }
  return std::make_unique<AsymptoticSequence>(s.alpha, s.tuned_n);
}

std::vector<std::uint64_t> next_round(std::span<const RoundPoint> points, std::uint64_t max_n,
                                      std::uint64_t runs_left) {
  std::vector<std::uint64_t> sizes(points.size());
  std::vector<std::size_t> growing;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].n == 0) throw std::invalid_argument("next_round: a point has no outcomes yet");
    sizes[i] = points[i].n;
    if (points[i].prospect != Prospect::decided && points[i].n < max_n) growing.push_back(i);
  }
  // Most promising first: the round's runs go where a verdict is nearest. Ties (and NaN) keep the
  // map's order, so that the plan is deterministic.
  std::stable_sort(growing.begin(), growing.end(), [&](std::size_t a, std::size_t b) {
    const double na = std::isnan(points[a].n_needed) ? kNever : points[a].n_needed;
    const double nb = std::isnan(points[b].n_needed) ? kNever : points[b].n_needed;
    return na < nb;
  });
  for (const std::size_t i : growing) {
    if (runs_left == 0) break;
    const std::uint64_t n = points[i].n;
    const std::uint64_t target = n > max_n / 2 ? max_n : 2 * n;
    const std::uint64_t extra = std::min(target - n, runs_left);
    sizes[i] = n + extra;
    runs_left -= extra;
  }
  return sizes;
}

}  // namespace normsim::analysis
