#pragma once
// Entity keys: one 64-bit key per entity of a run, derived from
// (master seed, design point, replicate, entity kind, entity index) by a fixed hash:
//
//   key = word 0 of Philox4x64-10( counter = {point, replicate, kind, index},
//                                  key     = {master seed, kKeyDomain} )
//
// Philox is a bijection of the counter for a fixed key, so two different addresses under one master
// seed give different 256-bit outputs; the key is the first word, so two entities share a key with
// probability 2^-64 per pair.
// The description string below is recorded in every output file.
#include <cstdint>
#include <string_view>

namespace normsim::random {

/// Kinds of entity that own streams. Fixed values: they enter the hash.
enum class EntityKind : std::uint64_t {
  lab = 1,         ///< index ℓ = 0 … L−1
  researcher = 2,  ///< index = position among the regular researchers, labs in order
  individual = 3,  ///< index = position of the `[[individuals]]` entry (pinned researchers)
};

/// Second word of the key-derivation Philox key. ASCII "normkey1".
inline constexpr std::uint64_t kKeyDomain = 0x6e6f726d6b657931ULL;

/// Where an entity's key comes from.
struct KeyAddress {
  std::uint64_t master_seed = 0;  ///< `run.seed` (or --seed)
  std::uint64_t point = 0;        ///< design-point stream id (0 for a single scenario)
  std::uint64_t replicate = 0;    ///< replicate index within the point
  EntityKind kind = EntityKind::lab;
  std::uint64_t index = 0;        ///< entity index within its kind
};

/// The entity's 64-bit key. Pure, constant-time, thread-safe.
[[nodiscard]] std::uint64_t derive_key(const KeyAddress& address) noexcept;

/// Human-readable statement of the derivation, stored as the `key_derivation` attribute.
[[nodiscard]] std::string_view key_derivation_description() noexcept;

}  // namespace normsim::random
