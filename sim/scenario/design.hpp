#pragma once
// Sweep designs as pure functions: which levels (grid, zip) or which unit-cube coordinates (Latin
// hypercube, scrambled Sobol) each design point gets. No TOML and no scenario keys here, so that the
// designs can be tested on their own; sim/scenario/sweep.cpp maps coordinates to factor values.
//
// Randomness (LHS permutations and offsets, Sobol shifts) is Philox4x64-10 addressed by the sampling
// seed (`sweep.seed`), never a sequential generator: a design is a pure function of (kind, points,
// dimensions, sampling seed).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace normsim::scenario::design {

/// Largest number of points of any design (a typo guard: 10^7 points of one replicate each are
/// already days of computing for the baseline model).
inline constexpr std::uint64_t kMaxPoints = 10'000'000;

/// Largest number of points of a sampled design (Latin hypercube, Sobol), whose unit-cube
/// coordinates are stored: points × factors doubles.
inline constexpr std::uint64_t kMaxSampledPoints = 1'000'000;

/// Product of `sizes` (the number of grid points), saturating at UINT64_MAX. 1 for no factors.
[[nodiscard]] std::uint64_t grid_size(std::span<const std::uint64_t> sizes) noexcept;

/// Level of each factor at grid point `point`: row-major order, the last factor varies fastest.
/// Precondition: every size ≥ 1 and point < grid_size(sizes).
[[nodiscard]] std::vector<std::uint64_t> grid_levels(std::span<const std::uint64_t> sizes, std::uint64_t point);

/// Latin hypercube of `points` points in `dims` dimensions, row-major [p · dims + d], each
/// coordinate in the open interval (0, 1). In every dimension the P strata [k/P, (k+1)/P) hold
/// exactly one point each: coordinate = (π_d(p) + v_pd) / P with π_d a uniformly random permutation
/// (Fisher–Yates) and v_pd uniform in (0, 1), all drawn from Philox4x64-10 keyed by `seed`.
/// Precondition: 1 ≤ points ≤ kMaxSampledPoints.
[[nodiscard]] std::vector<double> latin_hypercube(std::uint64_t points, std::size_t dims, std::uint64_t seed);

/// The first `points` points of the Sobol sequence in `dims` dimensions (Joe–Kuo direction numbers,
/// boost::random::sobol), as 32-bit fractions, row-major; point 0 is the origin (boost starts at
/// point 1, which is 0.5 in every dimension). Precondition: 1 ≤ dims ≤ 3667.
[[nodiscard]] std::vector<std::uint32_t> sobol_words(std::uint64_t points, std::size_t dims);

/// Scrambled Sobol points in (0, 1): a random digital shift, i.e. each dimension's 32-bit words are
/// XORed with one random word drawn from `seed`, then mapped to (w + ½)·2^-32. A digital shift maps
/// every dyadic interval [k/2^m, (k+1)/2^m) onto another one, so the net property survives: for
/// P = 2^m points each dimension fills the 2^m strata exactly once. With `scrambled` false the words
/// are used unshifted (for tests against the published sequence).
[[nodiscard]] std::vector<double> sobol(std::uint64_t points, std::size_t dims, std::uint64_t seed,
                                        bool scrambled = true);

/// Level in 0 … levels−1 of unit coordinate u ∈ [0, 1): floor(u · levels), clamped.
[[nodiscard]] std::uint64_t unit_to_level(double u, std::uint64_t levels) noexcept;

/// Value in [from, to] of unit coordinate u ∈ [0, 1]: (1−u)·from + u·to, or geometric
/// (exp of that on log from, log to) when `log_scale`; clamped to [from, to]. Never overflows for
/// finite bounds. Precondition: from ≤ to, and from > 0 when log_scale.
[[nodiscard]] double unit_to_value(double u, double from, double to, bool log_scale) noexcept;

/// Stable 64-bit hash of text, for identities stored in output files: FNV-1a 64 over the bytes,
/// then one Philox4x64-10 block (counter {fnv, length, 0, 0}, key {kHashDomain, 0}) word 0, so that
/// nearby texts give unrelated hashes. Fixed forever: changing it changes every run's keys.
[[nodiscard]] std::uint64_t stable_hash(std::string_view text) noexcept;

/// Philox key word of stable_hash. ASCII "normhash".
inline constexpr std::uint64_t kHashDomain = 0x6e6f726d68617368ULL;

/// Philox key word of the design draws (LHS, Sobol shifts). ASCII "normdsgn".
inline constexpr std::uint64_t kDesignDomain = 0x6e6f726d6473676eULL;

}  // namespace normsim::scenario::design
