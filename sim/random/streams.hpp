#pragma once
// Counter-based random streams: every draw of a run is addressed by
// (entity key, purpose, step, index) and computed by Philox4x32-10 (Random123), never taken from a
// shared sequential generator. This is what makes a run a deterministic function of its parameters
// and of one 64-bit key per entity, whatever the thread count or processing order (docs/model.md,
// "Random streams").
//
//   Philox key     = { low 32 bits of the entity key, high 32 bits }
//   Philox counter = { purpose, step, low 32 bits of index, high 32 bits of index }
//
// A block is the 4 × 32-bit output for one address. Philox4x32 rather than 4x64: one block holds
// exactly what one result needs (arrival gap, quality, spill coin, flag coin) and costs about
// two-thirds of a 4x64 block on x86-64 (7.4 vs 11.5 ns measured). Quantities that need more than 32
// bits (the normals behind talent and compute) combine two words. Which word serves which quantity
// is documented at the call site (sim/model).
#include "random/math.hpp"

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace normsim::random {

/// What a draw is for. Values are fixed and spaced so that adding a purpose never renumbers the
/// others (a renumbering would silently change every result ever produced). Never reuse a value.
enum class Purpose : std::uint32_t {
  // Researcher streams.
  talent = 100,  ///< θ_j: step 0, index 0; one normal from all four words
  result = 110,  ///< step 0, index = result ordinal k: arrival gap, quality, spill, flag
  // Lab streams.
  compute = 200,      ///< K_ℓ: step 0, index 0; one normal from all four words
  publication = 210,  ///< step t, index = local researcher index · 2^40 + result ordinal: three coins
  imitation = 220,    ///< step t, index 0: partner choice, copy coin, two mutation coins
  mutation = 230,     ///< step t, index 0: two normal mutation sizes
};

/// Four 32-bit words of Philox4x32-10 output.
using Block = std::array<std::uint32_t, 4>;

/// Philox4x32 with 10 rounds: the only cipher call behind the draws. (Random123 defines macros
/// named philox4x32/philox4x64, hence the shorter names.)
[[nodiscard]] inline Block philox32(const std::array<std::uint32_t, 4>& counter,
                                      const std::array<std::uint32_t, 2>& key) noexcept {
  const r123::Philox4x32_R<10>::ctr_type c{{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32_R<10>::key_type k{{key[0], key[1]}};
  const auto out = r123::Philox4x32_R<10>{}(c, k);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

/// Philox4x64 with 10 rounds: used by the key derivation (random/keys.hpp), which needs 64-bit output.
[[nodiscard]] inline std::array<std::uint64_t, 4> philox64(const std::array<std::uint64_t, 4>& counter,
                                                             const std::array<std::uint64_t, 2>& key) noexcept {
  const r123::Philox4x64_R<10>::ctr_type c{{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x64_R<10>::key_type k{{key[0], key[1]}};
  const auto out = r123::Philox4x64_R<10>{}(c, k);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

/// All draws of one entity. Cheap to copy (two words); stateless: the same address always gives the
/// same block.
class Stream {
 public:
  explicit constexpr Stream(std::uint64_t entity_key) noexcept
      : key_{static_cast<std::uint32_t>(entity_key), static_cast<std::uint32_t>(entity_key >> 32)} {}

  /// The block at (purpose, step, index). Precondition: step < 2^32.
  [[nodiscard]] Block block(Purpose purpose, std::uint64_t step, std::uint64_t index) const noexcept {
    return philox32({static_cast<std::uint32_t>(purpose), static_cast<std::uint32_t>(step),
                       static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)},
                      key_);
  }

  [[nodiscard]] constexpr std::uint64_t key() const noexcept {
    return static_cast<std::uint64_t>(key_[0]) | (static_cast<std::uint64_t>(key_[1]) << 32);
  }

 private:
  std::array<std::uint32_t, 2> key_;
};

/// Uniform on the open interval (0, 1) from one word: (w + ½) · 2^-32. Used for coins and
/// exponentials: `uniform(w) < p` is never true for p = 0, always for p = 1, and true with
/// probability within 2^-33 of p otherwise; −ln uniform(w) is finite, at most 22.9.
[[nodiscard]] constexpr double uniform(std::uint32_t word) noexcept {
  return (static_cast<double>(word) + 0.5) * 0x1.0p-32;
}

/// The coin `uniform(w) < p` as an integer comparison: `w < coin_threshold(p)`, for every word w
/// and every p in [0, 1]. Exact: (w + ½)·2^-32 < p ⟺ w + ½ < P with P = p·2^32 (scaling by a power
/// of two and w + ½ are exact in double), ⟺ w < P − ½, ⟺ w < ⌈P − ½⌉ for an integer w. For P ≥ ½,
/// P − ½ is exact (a multiple of P's ulp, at most 2^-20, and no larger than P); for P < ½ no word
/// lands and the rounded P − ½ lies in [−½, 0), whose ceiling is 0 as well. Result in [0, 2^32].
[[nodiscard]] inline std::uint64_t coin_threshold(double p) noexcept {
  const double t = std::ceil(p * 0x1.0p32 - 0.5);
  return t <= 0.0 ? 0 : static_cast<std::uint64_t>(t);
}

/// 2π rounded to double, the angle factor of the Box–Muller transform.
inline constexpr double kTwoPi = 6.283185307179586476925286766559;

/// Uniform on (0, 1) with 53 random bits from two words, for the normals behind talent and compute.
[[nodiscard]] constexpr double uniform53(std::uint32_t high, std::uint32_t low) noexcept {
  const std::uint64_t bits = ((static_cast<std::uint64_t>(high) << 32) | low) >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

/// Exp(1) by inversion: −ln U, with `math`'s log (the deterministic one unless a test asks for
/// another).
[[nodiscard]] inline double exponential(std::uint32_t word, const Math& math = Math{}) noexcept {
  return -math.log(uniform(word));
}

/// Two independent N(0, 1) draws by the Box–Muller transform of a whole block (two 53-bit uniforms;
/// the tails reach 8.6 standard deviations), with `math`'s functions.
[[nodiscard]] inline std::array<double, 2> normal_pair(const Block& b, const Math& math = Math{}) noexcept {
  const double radius = std::sqrt(-2.0 * math.log(uniform53(b[0], b[1])));
  const double angle = kTwoPi * uniform53(b[2], b[3]);
  return {radius * math.cos(angle), radius * math.sin(angle)};
}

/// Uniform integer in [0, n) for 1 ≤ n < 2^32 by Lemire's multiply-shift; bias below n / 2^32.
[[nodiscard]] constexpr std::uint32_t uniform_index(std::uint32_t word, std::uint32_t n) noexcept {
  return static_cast<std::uint32_t>((static_cast<std::uint64_t>(word) * n) >> 32);
}

}  // namespace normsim::random
