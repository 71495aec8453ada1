#include "random/keys.hpp"

#include "random/streams.hpp"

namespace normsim::random {

std::uint64_t derive_key(const KeyAddress& a) noexcept {
  return philox64({a.point, a.replicate, static_cast<std::uint64_t>(a.kind), a.index},
                    {a.master_seed, kKeyDomain})[0];
}

std::string_view key_derivation_description() noexcept {
  return "entity key = word 0 of Philox4x64-10(counter = {point, replicate, kind, index}, "
         "key = {master_seed, 0x6e6f726d6b657931}); kind: lab = 1, researcher = 2, individual = 3. "
         "Each draw = Philox4x32-10(counter = {purpose, step, index mod 2^32, index div 2^32}, "
         "key = {entity key mod 2^32, entity key div 2^32}); purposes: talent = 100, result = 110, "
         "compute = 200, publication = 210, imitation = 220, mutation = 230.";
}

}  // namespace normsim::random
