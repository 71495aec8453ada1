#pragma once
// Seed domains of the study's own sampling (attribution designs, bootstrap, samples of
// researchers, journals), the design-level counterpart of random::Purpose. A domain is mixed into
// a seed by XOR (domain_seed) or is the second word of a Philox key, so that the streams of
// different purposes never coincide even when they start from the same seed. The values are the ASCII bytes of a short word;
// they are fixed forever — changing one changes every file written with it — and every new domain
// gets a new word.
#include <cstdint>

namespace normsim::study {

enum class DesignDomain : std::uint64_t {
  parameters = 0x706172616d73ULL,            ///< "params": the Sobol design of the parameter factors
  researcher_sample = 0x73616d706c65ULL,     ///< "sample": attribution.researchers = "sample:K"
  janon_permutations = 0x6a616e6f6eULL,      ///< "janon": entity permutations of the replicated design
  shapley_orders = 0x736861706c6579ULL,      ///< "shapley": Goda's random orders
  attribution_journal = 0x6174747269627574ULL,  ///< "attribut": an attribution journal's identity
  sequential_round = 0x7365717275ULL,        ///< "seqru": the journal of a sequential check's round
  discovery_pairs = 0x646973636f76ULL,       ///< "discov": the journal of normsim discover's paired runs
  /// "nested": mixed into an attribution journal's identity since matrix B's keys stopped depending
  /// on the rows (nested designs), so that a journal begun before cannot be resumed into one
  nested_designs = 0x6e6573746564ULL,
};

/// `seed` moved into `domain`.
[[nodiscard]] constexpr std::uint64_t domain_seed(std::uint64_t seed, DesignDomain domain) noexcept {
  return seed ^ static_cast<std::uint64_t>(domain);
}

}  // namespace normsim::study
