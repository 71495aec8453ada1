// Resampling one entity: giving one researcher (or lab) another key changes that entity's draws and
// no other entity's draws (docs/model.md "Random streams"; what variance attribution relies on).
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace normsim;
using namespace normsim::model;
using test::keys_for;

namespace {

struct Draws {
  std::vector<double> talent;
  std::vector<std::vector<std::uint64_t>> results;  // per researcher, cumulative count per step
  std::vector<std::vector<double>> quality;         // per researcher, cumulative quality per step
  std::vector<double> compute;
};

Draws trace(const ModelParams& p, const EntityKeys& keys) {
  Model m(p, keys);
  Draws d;
  d.results.resize(m.researcher_count());
  d.quality.resize(m.researcher_count());
  for (std::size_t j = 0; j < m.researcher_count(); ++j) d.talent.push_back(m.talent(j));
  for (std::size_t l = 0; l < m.lab_count(); ++l) d.compute.push_back(m.compute(l));
  while (!m.finished()) {
    m.step();
    for (std::size_t j = 0; j < m.researcher_count(); ++j) {
      d.results[j].push_back(m.results_of(j));
      d.quality[j].push_back(m.quality_sum_of(j));
    }
  }
  return d;
}

}  // namespace

TEST_CASE("changing one researcher's key changes that researcher's draws and no other entity's", "[model]") {
  ModelParams p = test::small_world();
  p.world.steps = 60;
  p.world.stop_at_transformative = false;
  const EntityKeys base = keys_for(p, 17, 0);
  const Draws before = trace(p, base);
  const std::size_t changed = 5;
  EntityKeys other = base;
  other.researchers[changed] ^= 0x9e3779b97f4a7c15ULL;
  const Draws after = trace(p, other);

  CHECK(after.compute == before.compute);
  for (std::size_t j = 0; j < before.talent.size(); ++j) {
    INFO("researcher " << j);
    if (j == changed) {
      CHECK(after.talent[j] != before.talent[j]);
      CHECK(after.quality[j] != before.quality[j]);
    } else {
      CHECK(after.talent[j] == before.talent[j]);
      CHECK(after.results[j] == before.results[j]);
      CHECK(after.quality[j] == before.quality[j]);
    }
  }
}

TEST_CASE("changing one lab's key changes its compute and no researcher's draws", "[model]") {
  ModelParams p = test::small_world();
  p.world.steps = 40;
  const EntityKeys base = keys_for(p, 18, 0);
  EntityKeys other = base;
  other.labs[1] ^= 0x1234ULL;
  const Draws before = trace(p, base);
  const Draws after = trace(p, other);
  CHECK(after.compute[0] == before.compute[0]);
  CHECK(after.compute[1] != before.compute[1]);
  CHECK(after.compute[2] == before.compute[2]);
  CHECK(after.talent == before.talent);
}

TEST_CASE("a pinned talent replaces the draw and a pinned rate replaces r", "[model]") {
  ModelParams p = test::small_world();
  PinnedResearcher star;
  star.lab = 2;
  star.focus = Focus::capabilities;
  star.talent = 4.0;
  star.result_rate = 0.0;
  p.individuals = {star};
  Model m(p, keys_for(p, 19, 0));
  const std::size_t j = m.roster().lab_begin[3] - 1;  // the last researcher of lab 2
  CHECK(m.talent(j) == 4.0);
  CHECK(m.rate(j) == 0.0);
  test::run_to_end(m);
  CHECK(m.results_of(j) == 0);
  // Rate r · θ · K^β for an unpinned researcher.
  CHECK(m.rate(0) == Approx(p.researchers.result_rate * m.talent(0) * std::pow(m.compute(0), 0.5)).epsilon(1e-15));
}

TEST_CASE("a knocked-out researcher or lab produces nothing and leaves every other draw alone", "[model]") {
  model::ModelParams p;
  p.labs.sizes = {6, 4};
  p.labs.interp_fraction = {0.34, 0.25};
  p.world.steps = 30;
  p.world.stop_at_transformative = false;
  const model::Roster roster = model::build_roster(p);
  const model::EntityKeys keys = normsim::test::keys_for(p, 7, 1);
  const auto results = [&](const model::ModelParams& params) {
    model::Model m(params, keys);
    while (!m.finished()) m.step();
    std::vector<std::uint64_t> r(m.researcher_count());
    for (std::size_t j = 0; j < r.size(); ++j) r[j] = m.results_of(j);
    return r;
  };
  const std::vector<std::uint64_t> base = results(p);
  model::ModelParams one = p;
  one.knockouts.push_back({model::KnockOut::Kind::researcher, 2});
  const std::vector<std::uint64_t> without_one = results(one);
  model::ModelParams lab = p;
  lab.knockouts.push_back({model::KnockOut::Kind::lab, 1});
  const std::vector<std::uint64_t> without_lab = results(lab);
  for (std::size_t j = 0; j < base.size(); ++j) {
    // Arrivals are a researcher's own draws: only the knocked-out ones change (to none).
    CHECK(without_one[j] == (j == 2 ? 0U : base[j]));
    CHECK(without_lab[j] == (roster.researchers[j].lab == 1 ? 0U : base[j]));
  }
  CHECK(base[2] > 0);
}
