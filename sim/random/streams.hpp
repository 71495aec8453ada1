#pragma once
// Counter-based random streams: every draw of a run is addressed by
// (entity key, purpose, step, index) and computed by Philox4x64-10 (Random123), never taken from a
// shared sequential generator. This is what makes a run a deterministic function of its parameters
// and of one 64-bit key per entity, whatever the thread count or processing order (MODEL.md,
// "Randomness").
//
//   Philox key     = { entity key, kStreamDomain }
//   Philox counter = { purpose, step, index, 0 }
//
// A block is the 4 × 64-bit output for one address. Callers take uniforms, exponentials and
// normals from the words of a block with the conversions below; which word serves which quantity is
// documented at the call site (sim/model).
#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace normsim::random {

/// What a draw is for. Values are fixed and spaced so that adding a purpose never renumbers the
/// others (a renumbering would silently change every result ever produced). Never reuse a value.
enum class Purpose : std::uint64_t {
  // Researcher streams.
  talent = 100,  ///< θ_j: one block at step 0, index 0 (two normals by Box–Muller, the first used)
  result = 110,  ///< result ordinal k (step 0, index k): arrival gap, quality, spill, flag
  // Lab streams.
  compute = 200,      ///< K_ℓ: one block at step 0, index 0
  publication = 210,  ///< step t, index = local researcher index · 2^40 + result ordinal: three coins
  imitation = 220,    ///< step t, index 0: partner choice, copy coin, two mutation coins
  mutation = 230,     ///< step t, index 0: two normal mutation sizes (Box–Muller)
};

/// Second word of every stream's Philox key: separates the draw streams from key derivation
/// (random/keys.hpp), which uses the same cipher under another domain. ASCII "normsim1".
inline constexpr std::uint64_t kStreamDomain = 0x6e6f726d73696d31ULL;

/// Four 64-bit words of Philox4x64-10 output.
using Block = std::array<std::uint64_t, 4>;

/// Philox4x64 with 10 rounds applied to one counter under one key: the only cipher call in normsim.
[[nodiscard]] inline Block philox_block(const std::array<std::uint64_t, 4>& counter,
                                      const std::array<std::uint64_t, 2>& key) noexcept {
  r123::Philox4x64_R<10>::ctr_type c{{counter[0], counter[1], counter[2], counter[3]}};
  r123::Philox4x64_R<10>::key_type k{{key[0], key[1]}};
  const auto out = r123::Philox4x64_R<10>{}(c, k);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

/// All draws of one entity. Cheap to copy (one word); stateless: the same address always gives the
/// same block.
class Stream {
 public:
  explicit constexpr Stream(std::uint64_t entity_key) noexcept : key_{entity_key} {}

  [[nodiscard]] Block block(Purpose purpose, std::uint64_t step, std::uint64_t index) const noexcept {
    return philox_block({static_cast<std::uint64_t>(purpose), step, index, 0}, {key_, kStreamDomain});
  }

  [[nodiscard]] constexpr std::uint64_t key() const noexcept { return key_; }

 private:
  std::uint64_t key_;
};

/// Uniform on [0, 1) with 53 random bits: the top 53 bits of the word times 2^-53. Used for coins:
/// `uniform01(w) < p` is true with probability exactly p for any p representable in 53 bits, never
/// for p = 0 and always for p = 1.
[[nodiscard]] constexpr double uniform01(std::uint64_t word) noexcept {
  return static_cast<double>(word >> 11) * 0x1.0p-53;
}

/// Uniform on (0, 1]: never 0, so that its logarithm is finite.
[[nodiscard]] constexpr double uniform01_open_low(std::uint64_t word) noexcept {
  return static_cast<double>((word >> 11) + 1) * 0x1.0p-53;
}

/// Exp(1) by inversion: −ln U with U on (0, 1]. Range [0, 36.7].
[[nodiscard]] inline double exponential(std::uint64_t word) noexcept {
  return -std::log(uniform01_open_low(word));
}

/// Two independent N(0, 1) draws by the Box–Muller transform of two words.
[[nodiscard]] inline std::array<double, 2> normal_pair(std::uint64_t w0, std::uint64_t w1) noexcept {
  constexpr double two_pi = 6.283185307179586476925286766559;
  const double radius = std::sqrt(-2.0 * std::log(uniform01_open_low(w0)));
  const double angle = two_pi * uniform01(w1);
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

/// Uniform integer in [0, n) for n ≥ 1 by Lemire's multiply-shift; bias below n / 2^64.
[[nodiscard]] constexpr std::uint64_t uniform_index(std::uint64_t word, std::uint64_t n) noexcept {
  __extension__ using u128 = unsigned __int128;  // GCC/Clang extension: the 64×64→128 product
  return static_cast<std::uint64_t>((static_cast<u128>(word) * n) >> 64);
}

}  // namespace normsim::random
