#pragma once
// Synthetic samplers for the tests of locate_crossing: observations with a known mean θ(x), made as
// the model's common keys would make them. Replicate r's randomness is a function of (seed, r) for
// the part shared by every x (the common keys) and of (seed, r, x) for the rest, so that
//   - asking again for (x, r) gives the same observation,
//   - observations of one replicate at different x are positively correlated,
//   - different replicates are independent.
// A counter-based generator (SplitMix64 finaliser over the counters) rather than an engine per
// draw: seeding an mt19937_64 per observation would dominate the simulations' time.
#include "analysis/claims/locate.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <utility>
#include <vector>

namespace normsim::test {

/// SplitMix64's finaliser: a bijective mix of 64 bits (Steele, Lea & Flood 2014).
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A uniform in (0, 1) addressed by counters: (seed, replicate, stream, x's bits).
inline double counter_uniform(std::uint64_t seed, std::uint64_t replicate, std::uint64_t stream, std::uint64_t x_bits) {
  const std::uint64_t h = mix64(mix64(mix64(mix64(seed) ^ replicate) ^ stream) ^ x_bits);
  return (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;
}

/// A standard normal addressed the same way (Box–Muller on two counter uniforms).
inline double counter_normal(std::uint64_t seed, std::uint64_t replicate, std::uint64_t stream, std::uint64_t x_bits) {
  const double u = counter_uniform(seed, replicate, 2 * stream, x_bits);
  const double v = counter_uniform(seed, replicate, 2 * stream + 1, x_bits);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

using Theta = std::function<double(double)>;

/// What kind of noise a SyntheticSampler adds to θ(x).
enum class Noise {
  none,       ///< the observation is θ(x)
  normal,     ///< θ(x) + sd·(√ρ·Z_r + √(1 − ρ)·E_r(x)), Z and E standard normal
  uniform,    ///< θ(x) + sd·√3·(√ρ·(2U_r − 1) + √(1 − ρ)·(2V_r(x) − 1)): bounded, in θ ± sd·√3·(√ρ + √(1 − ρ))
  bernoulli,  ///< 1[U_r < p(x)] − 1[U'_r < q(x)] with p − q = θ, p + q = 2·base: in {−1, 0, 1}, U common to every x
};

/// Observations of mean θ(x) with common keys, recording every request.
class SyntheticSampler final : public analysis::CrossingSampler {
 public:
  SyntheticSampler(Theta theta, Noise noise, double sd, double rho, std::uint64_t seed, double base = 0.3)
      : theta_(std::move(theta)), noise_(noise), sd_(sd), rho_(rho), seed_(seed), base_(base) {}

  std::vector<double> draw(double x, std::uint64_t first_replicate, std::uint64_t count) override {
    requests.push_back({x, first_replicate, count});
    std::vector<double> out(count);
    for (std::uint64_t i = 0; i < count; ++i) out[i] = observe(x, first_replicate + i);
    return out;
  }

  /// The observation of replicate r at x.
  [[nodiscard]] double observe(double x, std::uint64_t r) const {
    const double t = theta_(x);
    const auto bits = std::bit_cast<std::uint64_t>(x);
    switch (noise_) {
      case Noise::none: return t;
      case Noise::normal:
        return t + sd_ * (std::sqrt(rho_) * counter_normal(seed_, r, 0, 0) +
                          std::sqrt(1.0 - rho_) * counter_normal(seed_, r, 1, bits));
      case Noise::uniform:
        return t + sd_ * std::sqrt(3.0) *
                       (std::sqrt(rho_) * (2.0 * counter_uniform(seed_, r, 0, 0) - 1.0) +
                        std::sqrt(1.0 - rho_) * (2.0 * counter_uniform(seed_, r, 1, bits) - 1.0));
      case Noise::bernoulli: {
        const double p = base_ + t / 2;
        const double q = base_ - t / 2;
        return (counter_uniform(seed_, r, 0, 0) < p ? 1.0 : 0.0) - (counter_uniform(seed_, r, 1, 0) < q ? 1.0 : 0.0);
      }
    }
    return t;
  }

  /// Every draw() call, in order.
  std::vector<analysis::DrawRequest> requests;

 private:
  Theta theta_;
  Noise noise_;
  double sd_;
  double rho_;
  std::uint64_t seed_;
  double base_;
};

}  // namespace normsim::test
