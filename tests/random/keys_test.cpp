// Key derivation: the documented hash, and independence of every address field.
#include "random/keys.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace normsim::random;

TEST_CASE("entity keys are Philox under the key domain, word 0", "[random]") {
  KeyAddress a{7, 3, 11, EntityKind::researcher, 42};
  CHECK(derive_key(a) == philox64({3, 11, 2, 42}, {7, kKeyDomain})[0]);
  CHECK(static_cast<std::uint64_t>(EntityKind::lab) == 1);
  CHECK(static_cast<std::uint64_t>(EntityKind::researcher) == 2);
  CHECK(static_cast<std::uint64_t>(EntityKind::individual) == 3);
}

TEST_CASE("every field of the key address changes the key", "[random]") {
  const KeyAddress base{7, 3, 11, EntityKind::researcher, 42};
  std::set<std::uint64_t> keys{derive_key(base)};
  auto with = [&](auto change) {
    KeyAddress a = base;
    change(a);
    return derive_key(a);
  };
  keys.insert(with([](KeyAddress& a) { a.master_seed = 8; }));
  keys.insert(with([](KeyAddress& a) { a.point = 4; }));
  keys.insert(with([](KeyAddress& a) { a.replicate = 12; }));
  keys.insert(with([](KeyAddress& a) { a.kind = EntityKind::individual; }));
  keys.insert(with([](KeyAddress& a) { a.index = 43; }));
  CHECK(keys.size() == 6);
}

TEST_CASE("keys of a large population are distinct", "[random]") {
  std::set<std::uint64_t> keys;
  for (std::uint64_t r = 0; r < 100; ++r) {
    for (std::uint64_t i = 0; i < 1000; ++i) keys.insert(derive_key({1, 0, r, EntityKind::researcher, i}));
  }
  CHECK(keys.size() == 100000);
}

TEST_CASE("the key derivation is described as implemented", "[random]") {
  const std::string_view d = key_derivation_description();
  CHECK(d.find("0x6e6f726d6b657931") != std::string_view::npos);
  CHECK(d.find("Philox4x32-10(counter = {purpose, step, index mod 2^32, index div 2^32}") != std::string_view::npos);
  CHECK(d.find("counter = {point, replicate, kind, index}") != std::string_view::npos);
}
