// Hedged-capital betting CS (Waudby-Smith & Ramdas 2024, Theorem 3) with exact boundary search.
// The outcomes are kept (16 bytes each) because the capital at a candidate mean m depends on m
// through every factor; a grid over m would cost O(grid) per outcome and limit the resolution.
#include "analysis/claims/betting.hpp"

#include "analysis/claims/family.hpp"

#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace normsim::analysis {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Root-finding stops when the bracket is this narrow (y units, i.e. a fraction of the range): far
// below any claim's resolution, and the returned end is the bracket's excluded side anyway.
constexpr double kResolution = 1e-12;

}  // namespace

BettingSequence::BettingSequence(double alpha, double lo, double hi, std::uint64_t fixed_n)
    : alpha_(alpha), lo_(lo), range_(hi - lo), state_(alpha), fixed_n_(fixed_n) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw std::invalid_argument("BettingSequence: alpha must be in (0, 1), got " + detail::shortest(alpha));
  }
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !std::isfinite(range_)) {
    throw std::invalid_argument("BettingSequence: the range " + range_text(lo, hi) + " is not a finite interval");
  }
}

void BettingSequence::add(double x) {
  if (!(x >= lo_ && x <= lo_ + range_)) {
    throw std::domain_error("BettingSequence: outcome " + detail::shortest(x) + " outside " +
                            range_text(lo_, lo_ + range_));
  }
  const double y = std::clamp((x - lo_) / range_, 0.0, 1.0);
  // From the outcomes before y only: predictable.
  bet_.push_back(fixed_n_ == 0 ? state_.next_bet()
                               : std::sqrt(2.0 * state_.log_threshold() /
                                           (state_.variance() * static_cast<double>(fixed_n_))));
  y_.push_back(y);
  state_.add(y);
}

double BettingSequence::estimate() const noexcept {
  if (state_.t() == 0) return std::numeric_limits<double>::quiet_NaN();
  return lo_ + range_ * (state_.sum() / static_cast<double>(state_.t()));
}

double BettingSequence::log_capital(double m, bool minus, bool running) const {
  constexpr double c = detail::BernsteinState::kCap;
  // The cap keeps every factor ≥ 1 − c > 0: λ(y − m) ≥ −(c/m)·m for K⁺, −λ(y − m) ≥ −(c/(1−m))(1−m) for K⁻.
  const double cap = minus ? (m < 1.0 ? c / (1.0 - m) : kInf) : (m > 0.0 ? c / m : kInf);
  const double sign = minus ? -1.0 : 1.0;
  // Factors are multiplied in blocks of kBlock and the logarithm taken once per block (and once for
  // the block's highest partial product, for the running maximum): 5–8 times faster than a log1p per
  // outcome. No block can overflow or underflow: a factor lies in [1 − c, 1 + λ̇] and λ̇ ≤
  // sqrt(8 log(2/α)/log 2) < 91 for any α > 1e-300 (σ̂²_t ≥ 1/(4(t+1))), so a block is within
  // [2^-16, 91^16]. Rounding: ~1e-16 per factor, 1e-10 in log K at n = 10⁶, against a threshold ≥ log 2.
  constexpr std::size_t kBlock = 16;
  double log_k = 0.0;
  double best = 0.0;  // K_0 = 1
  const std::size_t n = y_.size();
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t end = std::min(n, start + kBlock);
    double product = 1.0;
    double peak = 1.0;  // the block's highest partial product (≥ 1: the value at its start counts)
    for (std::size_t i = start; i < end; ++i) {
      product *= 1.0 + sign * std::min(bet_[i], cap) * (y_[i] - m);
      peak = std::max(peak, product);
    }
    if (running) best = std::max(best, log_k + std::log(peak));
    log_k += std::log(product);
  }
  return running ? best : log_k;
}

Interval BettingSequence::ends(bool running) const {
  const double threshold = state_.log_threshold();  // log(2/α): capital ≥ 2/α excludes m
  const auto tolerance = [](double a, double b) { return std::abs(b - a) <= kResolution; };
  // Lower end: log K⁺ − threshold is non-increasing in m, negative at m = 1 (every factor ≤ 1).
  double low = 0.0;
  const auto plus = [&](double m) { return log_capital(m, false, running) - threshold; };
  const double plus_at_0 = plus(0.0);
  if (plus_at_0 >= 0.0) {
    std::uintmax_t iterations = 200;
    const auto bracket =
        boost::math::tools::toms748_solve(plus, 0.0, 1.0, plus_at_0, plus(1.0), tolerance, iterations);
    low = bracket.first;  // plus(first) ≥ 0: an excluded mean, at or below the set's lower end
  }
  // Upper end: log K⁻ − threshold is non-decreasing in m, negative at m = 0.
  double high = 1.0;
  const auto minus = [&](double m) { return log_capital(m, true, running) - threshold; };
  const double minus_at_1 = minus(1.0);
  if (minus_at_1 >= 0.0) {
    std::uintmax_t iterations = 200;
    const auto bracket =
        boost::math::tools::toms748_solve(minus, 0.0, 1.0, minus(0.0), minus_at_1, tolerance, iterations);
    high = bracket.second;  // minus(second) ≥ 0: excluded, at or above the set's upper end
  }
  return {low, high};
}

Interval BettingSequence::current_interval() const {
  if (y_.empty()) return {lo_, lo_ + range_};
  Interval e = ends(false);
  if (e.low > e.high) e.low = e.high = 0.5 * (e.low + e.high);
  return detail::to_outcome_units(lo_, range_, e.low, e.high);
}

Interval BettingSequence::interval() const {
  if (y_.empty()) return {lo_, lo_ + range_};
  const Interval e = ends(true);
  if (e.low > e.high) return current_interval();
  return detail::to_outcome_units(lo_, range_, e.low, e.high);
}

bool BettingSequence::contains(double m) const {
  const double y = (m - lo_) / range_;
  if (!(y >= 0.0 && y <= 1.0)) return false;
  if (y_.empty()) return true;
  const double threshold = state_.log_threshold();
  if (log_capital(y, false, true) < threshold && log_capital(y, true, true) < threshold) return true;
  // The running intersection is empty (probability ≤ α): interval() falls back to CS_n.
  const Interval e = ends(true);
  if (e.low <= e.high) return false;
  return log_capital(y, false, false) < threshold && log_capital(y, true, false) < threshold;
}

std::string BettingSequence::guarantee() const {
  return "anytime-valid, exact for outcomes in " + range_text(lo_, lo_ + range_);
}

std::string BettingSequence::method() const {
  if (fixed_n_ > 0) {
    return "mean; hedged-capital betting confidence interval tuned for n = " + std::to_string(fixed_n_) +
           " (Waudby-Smith & Ramdas 2024)";
  }
  return "mean; hedged-capital betting confidence sequence (Waudby-Smith & Ramdas 2024), running intersection";
}

double BettingSequence::boundary(std::uint64_t m) const {
  return range_ * state_.projected_half_width(m);
}

std::uint64_t BettingSequence::first_size_below(double target) const {
  return state_.first_size_below(target / range_, kLargest);
}

}  // namespace normsim::analysis
