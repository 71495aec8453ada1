// PrPl-EB (Waudby-Smith & Ramdas 2024, Theorem 2) and the projection of its width.
#include "analysis/claims/bernstein.hpp"

#include "analysis/claims/family.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace normsim::analysis {

namespace detail {

namespace {

/// λ_s = min(c, sqrt(2 L / (σ² s log(1 + s)))) at a real s ≥ 1 (continuous in s, so that blocks of
/// the projection can be evaluated at their midpoints).
double capped_bet(double log_threshold, double variance, double s) {
  return std::min(BernsteinState::kCap, std::sqrt(2.0 * log_threshold / (variance * s * std::log1p(s))));
}

/// −log(1 − λ) − λ = 4 ψ_E(λ).
double psi4(double lambda) { return -std::log1p(-lambda) - lambda; }

}  // namespace

BernsteinState::BernsteinState(double alpha) noexcept : log_threshold_(std::log(2.0 / alpha)) {}

double BernsteinState::variance() const noexcept {
  return (0.25 + squares_) / static_cast<double>(t_ + 1);
}

double BernsteinState::next_bet() const noexcept {
  const auto s = static_cast<double>(t_ + 1);
  return std::sqrt(2.0 * log_threshold_ / (variance() * s * std::log1p(s)));
}

void BernsteinState::add(double y) noexcept {
  const double lambda = std::min(kCap, next_bet());
  const double mean_before = (0.5 + sum_) / static_cast<double>(t_ + 1);  // μ̂_{t−1}
  const double v = 4.0 * (y - mean_before) * (y - mean_before);
  penalty_ += v * psi4(lambda) / 4.0;
  lambda_ += lambda;
  lambda_y_ += lambda * y;
  ++t_;
  sum_ += y;
  const double mean_now = (0.5 + sum_) / static_cast<double>(t_ + 1);  // μ̂_t, including y
  squares_ += (y - mean_now) * (y - mean_now);
  const double delta = y - welford_mean_;
  welford_mean_ += delta / static_cast<double>(t_);
  welford_m2_ += delta * (y - welford_mean_);
}

double BernsteinState::standard_error() const noexcept {
  if (t_ < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto t = static_cast<double>(t_);
  return std::sqrt(std::max(welford_m2_, 0.0) / (t - 1.0) / t);
}

// The continued sums are marched in blocks: from s, the next max(1, ⌊s/64⌋) terms are taken equal
// to the term at the block's midpoint (λ is smooth in s; relative error of the sums ~1e-5, ample
// for a planning figure), so that 64·ln(m/t) blocks reach m. A partial block takes its first k
// terms at the same value, so that projected_half_width and first_size_below agree exactly.
struct BernsteinState::Block {
  std::uint64_t start, length;
  double bet, penalty;  // one term's λ and E[v ψ_E(λ)] = σ̂²(−log(1 − λ) − λ)
};

BernsteinState::Block BernsteinState::block_at(std::uint64_t s, double variance_now) const noexcept {
  const std::uint64_t length = std::max<std::uint64_t>(s / 64, 1);
  const double mid = static_cast<double>(s) + 0.5 * static_cast<double>(length - 1);
  const double bet = capped_bet(log_threshold_, variance_now, mid);
  return {s, length, bet, variance_now * psi4(bet)};
}

double BernsteinState::projected_half_width(std::uint64_t m) const noexcept {
  const double variance_now = variance();
  double lambda = lambda_;
  double penalty = penalty_;
  for (std::uint64_t s = t_ + 1; s <= m;) {
    const Block b = block_at(s, variance_now);
    const auto k = static_cast<double>(std::min(b.length, m - s + 1));
    lambda += k * b.bet;
    penalty += k * b.penalty;
    s += b.length;
  }
  return (log_threshold_ + penalty) / lambda;
}

std::uint64_t BernsteinState::first_size_below(double target, std::uint64_t largest) const noexcept {
  const double variance_now = variance();
  double lambda = lambda_;
  double penalty = penalty_;
  for (std::uint64_t s = t_ + 1; s <= largest;) {
    const Block b = block_at(s, variance_now);
    const auto length = static_cast<double>(b.length);
    if ((log_threshold_ + penalty + length * b.penalty) / (lambda + length * b.bet) < target) {
      // Inside this block: (L + P + k·p)/(Λ + k·λ) < target  ⟺  k·(target·λ − p) > L + P − target·Λ,
      // and target·λ − p > 0 there (the ratio falls below target by the block's end).
      const double need = (log_threshold_ + penalty - target * lambda) / (target * b.bet - b.penalty);
      std::uint64_t k = need < 0.0 ? 1 : static_cast<std::uint64_t>(std::min(std::floor(need) + 1.0, length));
      k = std::clamp<std::uint64_t>(k, 1, b.length);
      // Rounding in `need`: settle on the exact first k by the same arithmetic as projected_half_width.
      const auto ratio = [&](std::uint64_t j) {
        const auto jj = static_cast<double>(j);
        return (log_threshold_ + penalty + jj * b.penalty) / (lambda + jj * b.bet);
      };
      while (k < b.length && !(ratio(k) < target)) ++k;
      while (k > 1 && ratio(k - 1) < target) --k;
      return s + k - 1;
    }
    lambda += length * b.bet;
    penalty += length * b.penalty;
    s += b.length;
  }
  return 0;
}

Interval to_outcome_units(double lo, double range, double low, double high) noexcept {
  const double hi = lo + range;
  return {std::clamp(std::nextafter(lo + range * low, -HUGE_VAL), lo, hi),
          std::clamp(std::nextafter(lo + range * high, HUGE_VAL), lo, hi)};
}

}  // namespace detail

std::string range_text(double lo, double hi) {
  // Appended piecewise: GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::string&&.
  std::string text("[");
  text.append(detail::shortest(lo)).append(", ").append(detail::shortest(hi)).append("]");
  return text;
}

BernsteinSequence::BernsteinSequence(double alpha, double lo, double hi)
    : alpha_(alpha), lo_(lo), range_(hi - lo), state_(alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    throw std::invalid_argument("BernsteinSequence: alpha must be in (0, 1), got " + detail::shortest(alpha));
  }
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !std::isfinite(range_)) {
    throw std::invalid_argument("BernsteinSequence: the range " + range_text(lo, hi) + " is not a finite interval");
  }
}

void BernsteinSequence::add(double x) {
  if (!(x >= lo_ && x <= lo_ + range_)) {
    throw std::domain_error("BernsteinSequence: outcome " + detail::shortest(x) + " outside " +
                            range_text(lo_, lo_ + range_));
  }
  const double y = std::clamp((x - lo_) / range_, 0.0, 1.0);  // rounding may leave [0, 1] by an ulp
  state_.add(y);
  const double centre = state_.centre();
  const double half = state_.half_width();
  running_low_ = std::max(running_low_, centre - half);
  running_high_ = std::min(running_high_, centre + half);
}

double BernsteinSequence::estimate() const noexcept {
  if (state_.t() == 0) return std::numeric_limits<double>::quiet_NaN();
  return lo_ + range_ * (state_.sum() / static_cast<double>(state_.t()));
}

Interval BernsteinSequence::current_interval() const {
  if (state_.t() == 0) return {lo_, lo_ + range_};
  const double low = std::max(0.0, state_.centre() - state_.half_width());
  const double high = std::min(1.0, state_.centre() + state_.half_width());
  return detail::to_outcome_units(lo_, range_, low, high);
}

Interval BernsteinSequence::interval() const {
  if (state_.t() == 0) return {lo_, lo_ + range_};
  if (running_low_ > running_high_) return current_interval();
  return detail::to_outcome_units(lo_, range_, running_low_, running_high_);
}

bool BernsteinSequence::contains(double m) const {
  const double y = (m - lo_) / range_;
  if (state_.t() == 0) return y >= 0.0 && y <= 1.0;
  if (running_low_ > running_high_) {
    const double c = state_.centre();
    const double h = state_.half_width();
    return y >= std::max(0.0, c - h) && y <= std::min(1.0, c + h);
  }
  return y >= running_low_ && y <= running_high_;
}

std::string BernsteinSequence::guarantee() const {
  return "anytime-valid, exact for outcomes in " + range_text(lo_, lo_ + range_);
}

std::string BernsteinSequence::method() const {
  return "mean; predictable plug-in empirical-Bernstein confidence sequence (Waudby-Smith & Ramdas 2024), running "
         "intersection";
}

double BernsteinSequence::boundary(std::uint64_t m) const {
  return range_ * state_.projected_half_width(m);
}

std::uint64_t BernsteinSequence::first_size_below(double target) const {
  return state_.first_size_below(target / range_, kLargest);
}

}  // namespace normsim::analysis
