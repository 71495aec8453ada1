#pragma once
// Synthetic outcome streams with known means for the tests of the confidence sequences and of
// sequential checking: i.i.d. draws from a few distributions, optionally mapped affinely onto a
// range [lo, hi]. std::mt19937_64 (fully specified by the standard) with Boost.Random distributions
// (fixed algorithms) and Marsaglia & Tsang's gamma (for the Beta draws: 4× faster than Boost's
// beta_distribution, which dominated the coverage tests' time), so that a seed gives the same
// stream on every platform.
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

namespace normsim::test {

/// A distribution with its mean, standard deviation and the range its draws lie in.
struct OutcomeLaw {
  enum class Kind { bernoulli, beta, normal, lognormal } kind = Kind::normal;
  double a = 0.0;  ///< bernoulli: p; beta: mean; normal: mean; lognormal: μ of log
  double b = 1.0;  ///< beta: sd; normal: sd; lognormal: σ of log
  double lo = 0.0, hi = 1.0;  ///< bernoulli and beta draws are mapped from [0, 1] onto [lo, hi]
  std::string name;

  /// The mean of a draw (after the map onto [lo, hi]).
  [[nodiscard]] double mean() const {
    switch (kind) {
      case Kind::bernoulli: return lo + (hi - lo) * a;
      case Kind::beta: return lo + (hi - lo) * a;
      case Kind::normal: return a;
      case Kind::lognormal: return std::exp(a + b * b / 2);
    }
    return 0.0;
  }
  /// The standard deviation of a draw.
  [[nodiscard]] double sd() const {
    switch (kind) {
      case Kind::bernoulli: return (hi - lo) * std::sqrt(a * (1 - a));
      case Kind::beta: return (hi - lo) * b;
      case Kind::normal: return b;
      case Kind::lognormal: return std::sqrt((std::exp(b * b) - 1) * std::exp(2 * a + b * b));
    }
    return 0.0;
  }
};

inline OutcomeLaw bernoulli(double p, double lo = 0.0, double hi = 1.0, std::string name = "Bernoulli") {
  return {OutcomeLaw::Kind::bernoulli, p, 0.0, lo, hi, std::move(name)};
}
/// Beta on [0, 1] with the given mean and sd (requires sd² < mean(1 − mean)), mapped onto [lo, hi].
inline OutcomeLaw beta(double mean, double sd, double lo = 0.0, double hi = 1.0, std::string name = "Beta") {
  return {OutcomeLaw::Kind::beta, mean, sd, lo, hi, std::move(name)};
}
inline OutcomeLaw normal(double mean, double sd, std::string name = "normal") {
  return {OutcomeLaw::Kind::normal, mean, sd, 0.0, 0.0, std::move(name)};
}
inline OutcomeLaw lognormal(double mu, double sigma, std::string name = "lognormal") {
  return {OutcomeLaw::Kind::lognormal, mu, sigma, 0.0, 0.0, std::move(name)};
}

/// Draws from one law with one engine.
class OutcomeStream {
 public:
  /// Precondition (Beta): both shape parameters mean·k and (1 − mean)·k, k = mean(1 − mean)/sd² − 1,
  /// are at least 1 (Marsaglia–Tsang without the boost for small shapes).
  OutcomeStream(const OutcomeLaw& law, std::uint64_t seed) : law_(law), engine_(seed) {
    if (law.kind == OutcomeLaw::Kind::beta) {
      const double k = law.a * (1 - law.a) / (law.b * law.b) - 1;
      shape_a_ = law.a * k;
      shape_b_ = (1 - law.a) * k;
    }
  }

  double operator()() {
    switch (law_.kind) {
      case OutcomeLaw::Kind::bernoulli: return boost::random::uniform_01<double>()(engine_) < law_.a ? law_.hi : law_.lo;
      case OutcomeLaw::Kind::beta: {
        const double g = gamma(shape_a_);
        return law_.lo + (law_.hi - law_.lo) * (g / (g + gamma(shape_b_)));
      }
      case OutcomeLaw::Kind::normal: return boost::random::normal_distribution<double>(law_.a, law_.b)(engine_);
      case OutcomeLaw::Kind::lognormal: return boost::random::lognormal_distribution<double>(law_.a, law_.b)(engine_);
    }
    return 0.0;
  }

  std::mt19937_64& engine() { return engine_; }

 private:
  /// Gamma(shape, 1) for shape ≥ 1: Marsaglia & Tsang (2000), "A simple method for generating gamma
  /// variables", ACM TOMS 26(3).
  double gamma(double shape) {
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x = 0.0;
      double v = 0.0;
      do {
        x = normal_(engine_);
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = boost::random::uniform_01<double>()(engine_);
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

  OutcomeLaw law_;
  std::mt19937_64 engine_;
  boost::random::normal_distribution<double> normal_;
  double shape_a_ = 1.0;
  double shape_b_ = 1.0;
};

/// The one-sided binomial bound of the tests: the observed rate of an event of probability ≤ p
/// over m independent trials stays below p + 3·sqrt(p(1 − p)/m) (fails by chance with probability
/// about 0.1 %).
inline double binomial_bound(double p, std::size_t m) {
  return p + 3.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(m));
}

}  // namespace normsim::test
