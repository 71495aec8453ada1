// Design generation. Every random word comes from Philox4x64-10 at
// counter {purpose, dimension, index, 0}, key {sampling seed, kDesignDomain}.
#include "scenario/design.hpp"

#include "random/math.hpp"
#include "random/streams.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace normsim::scenario::design {

namespace {

// What a design word is for: fixed values, never renumbered (they decide every sampled design).
enum class DesignPurpose : std::uint64_t {
  lhs_permutation = 1,  ///< index i: the swap partner of position i in Fisher–Yates
  lhs_offset = 2,       ///< index p: the offset of point p inside its stratum
  sobol_shift = 3,      ///< index 0: the XOR word of the dimension
};

std::uint64_t design_word(DesignPurpose purpose, std::uint64_t dim, std::uint64_t index, std::uint64_t seed) {
  return random::philox64({static_cast<std::uint64_t>(purpose), dim, index, 0}, {seed, kDesignDomain})[0];
}

// Uniform in (0, 1) with 53 bits.
double unit53(std::uint64_t word) { return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53; }

}  // namespace

std::uint64_t grid_size(std::span<const std::uint64_t> sizes) noexcept {
  std::uint64_t n = 1;
  for (const std::uint64_t s : sizes) {
    if (s != 0 && n > std::numeric_limits<std::uint64_t>::max() / s) return std::numeric_limits<std::uint64_t>::max();
    n *= s;
  }
  return n;
}

std::vector<std::uint64_t> grid_levels(std::span<const std::uint64_t> sizes, std::uint64_t point) {
  std::vector<std::uint64_t> levels(sizes.size());
  for (std::size_t f = sizes.size(); f-- > 0;) {
    levels[f] = point % sizes[f];
    point /= sizes[f];
  }
  return levels;
}

std::vector<double> latin_hypercube(std::uint64_t points, std::size_t dims, std::uint64_t seed) {
  const auto n = static_cast<std::size_t>(points);
  std::vector<double> unit(n * dims);
  std::vector<std::uint64_t> stratum(n);
  for (std::size_t d = 0; d < dims; ++d) {
    for (std::size_t i = 0; i < n; ++i) stratum[i] = i;
    // Fisher–Yates from the top: position i swaps with a uniform j in [0, i] (multiply-shift of
    // the top 32 bits: i + 1 ≤ 2^20, bias below (i+1)/2^32).
    for (std::size_t i = n; i-- > 1;) {
      const std::uint64_t word = design_word(DesignPurpose::lhs_permutation, d, i, seed) >> 32;
      const auto j = static_cast<std::size_t>((word * (static_cast<std::uint64_t>(i) + 1)) >> 32);
      std::swap(stratum[i], stratum[j]);
    }
    for (std::size_t p = 0; p < n; ++p) {
      const double v = unit53(design_word(DesignPurpose::lhs_offset, d, p, seed));
      // (k + v)/P rounds below (k+1)/P for v < 1 because both are exact to 53 bits at P ≤ 2^20.
      unit[p * dims + d] = (static_cast<double>(stratum[p]) + v) / static_cast<double>(points);
    }
  }
  return unit;
}

std::vector<std::uint32_t> sobol_words(std::uint64_t points, std::size_t dims) {
  const auto n = static_cast<std::size_t>(points);
  std::vector<std::uint32_t> words(n * dims, 0);  // point 0: the origin
  if (n <= 1 || dims == 0) return words;
  boost::random::sobol_engine<std::uint32_t, 32, boost::random::default_sobol_table> engine(dims);
  for (std::size_t p = 1; p < n; ++p) {
    for (std::size_t d = 0; d < dims; ++d) words[p * dims + d] = engine();
  }
  return words;
}

std::vector<double> sobol(std::uint64_t points, std::size_t dims, std::uint64_t seed, bool scrambled) {
  const std::vector<std::uint32_t> words = sobol_words(points, dims);
  std::vector<std::uint32_t> shift(dims, 0);
  if (scrambled) {
    for (std::size_t d = 0; d < dims; ++d) {
      shift[d] = static_cast<std::uint32_t>(design_word(DesignPurpose::sobol_shift, d, 0, seed) >> 32);
    }
  }
  std::vector<double> unit(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    unit[i] = random::uniform(words[i] ^ shift[dims == 0 ? 0 : i % dims]);
  }
  return unit;
}

std::uint64_t unit_to_level(double u, std::uint64_t levels) noexcept {
  if (!(u > 0.0)) return 0;
  const double x = std::floor(u * static_cast<double>(levels));
  if (!(x < static_cast<double>(levels))) return levels - 1;
  return std::min(static_cast<std::uint64_t>(x), levels - 1);
}

double unit_to_value(double u, double from, double to, bool log_scale) noexcept {
  double x = 0.0;
  if (log_scale) {
    // SLEEF's deterministic functions (random/math.hpp), not the C library's, whose bits may
    // depend on the CPU: a point's parameter values are a function of the scenario alone.
    const random::Math math{};
    x = math.exp((1.0 - u) * math.log(from) + u * math.log(to));
  } else {
    x = (1.0 - u) * from + u * to;
  }
  if (u <= 0.0) return from;
  if (u >= 1.0) return to;
  return std::clamp(x, from, to);
}

std::uint64_t stable_hash(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return random::philox64({h, static_cast<std::uint64_t>(text.size()), 0, 0}, {kHashDomain, 0})[0];
}

}  // namespace normsim::scenario::design
