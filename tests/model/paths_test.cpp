// The same bits on every vector path: a run with the portable code and a run with each vector path
// the CPU supports give identical talents, rates, result counts, quality sums, series and outcomes.
// (The CLI tests check the same of whole files, across processes and NORMSIM_SIMD.)
#include "support.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

using namespace normsim;
using namespace normsim::model;
using test::keys_for;

namespace {

/// Everything a run exposes, as raw bits (NaN == NaN when the bits agree); runs `m` to its end.
std::vector<std::uint64_t> fingerprint(Model& m) {
  std::vector<std::uint64_t> bits;
  const auto add = [&](double x) { bits.push_back(std::bit_cast<std::uint64_t>(x)); };
  for (std::size_t j = 0; j < m.researcher_count(); ++j) {
    add(m.talent(j));
    add(m.rate(j));
  }
  for (std::size_t l = 0; l < m.lab_count(); ++l) add(m.compute(l));
  while (!m.finished()) {
    m.step();
    for (const double v : m.last_step()) add(v);
  }
  for (std::size_t j = 0; j < m.researcher_count(); ++j) {
    bits.push_back(m.results_of(j));
    add(m.quality_sum_of(j));
  }
  for (const double v : m.outcomes()) add(v);
  return bits;
}

std::vector<std::uint64_t> fingerprint(const ModelParams& p, const EntityKeys& keys, random::VectorPath path) {
  Model m(p, keys, random::Math{random::MathBackend::deterministic, path});
  return fingerprint(m);
}

std::vector<random::VectorPath> supported_paths() {
  std::vector<random::VectorPath> paths;
  const random::VectorPath best = random::best_vector_path();
  if (best != random::VectorPath::portable) paths.push_back(random::VectorPath::avx2);
  if (best == random::VectorPath::avx512) paths.push_back(random::VectorPath::avx512);
  return paths;
}

}  // namespace

TEST_CASE("a run gives the same bits on every vector path", "[model][determinism]") {
  ModelParams baseline;  // the model's defaults: 375 researchers, rounds of many results
  ModelParams embargoed = test::small_world();
  embargoed.norm = preset_norm(NormPreset::embargo_capabilities);
  embargoed.labs.leak_rate = 0.05;
  embargoed.hazard.scope = HazardScope::every_lab;
  embargoed.researchers.result_rate = 3.0;  // several results per researcher and step
  embargoed.world.stop_at_transformative = false;
  embargoed.world.steps = 60;
  for (const ModelParams* p : {&baseline, &embargoed}) {
    for (std::uint64_t replicate = 0; replicate < 4; ++replicate) {
      const EntityKeys keys = keys_for(*p, 5, replicate);
      const std::vector<std::uint64_t> portable = fingerprint(*p, keys, random::VectorPath::portable);
      for (const random::VectorPath path : supported_paths()) {
        INFO("path " << random::vector_path_name(path) << ", replicate " << replicate);
        CHECK(fingerprint(*p, keys, path) == portable);
      }
    }
  }
}

TEST_CASE("a model built on a recycled one gives the bits of a new model", "[model][determinism]") {
  // A chain of different worlds, each built on the memory of the one before: larger and smaller
  // rosters, pinned talents and a knockout (fewer talents drawn than researchers), several results
  // per researcher and step, and a recycled model that had not finished.
  ModelParams baseline;
  ModelParams busy = test::small_world();
  busy.norm = preset_norm(NormPreset::embargo_capabilities);
  busy.researchers.result_rate = 3.0;
  busy.world.stop_at_transformative = false;
  busy.world.steps = 40;
  ModelParams pinned = test::small_world();
  PinnedResearcher star;
  star.lab = 1;
  star.talent = 6.0;
  pinned.individuals = {star};
  pinned.knockouts = {KnockOut{KnockOut::Kind::lab, 2}};
  pinned.hazard.scope = HazardScope::every_lab;
  const random::Math math = random::Math::for_this_process();
  std::optional<Model> previous;
  std::uint64_t replicate = 0;
  for (const ModelParams* p : {&busy, &baseline, &pinned, &busy, &pinned, &baseline, &baseline}) {
    INFO("world " << replicate);
    const auto roster = std::make_shared<const Roster>(build_roster(*p));
    const EntityKeys keys = keys_for(*p, 11, replicate++);
    Model fresh(*p, roster, keys, math);
    const std::vector<std::uint64_t> expected = fingerprint(fresh);
    if (!previous) {
      previous.emplace(*p, roster, keys, math);
      previous->step();  // left unfinished: the next world recycles a model in mid-run
      continue;
    }
    Model recycled(*p, roster, keys, math, std::move(*previous));
    CHECK(fingerprint(recycled) == expected);
    previous.emplace(std::move(recycled));
  }
}
