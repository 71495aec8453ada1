// The roster: interpretability counts, pinned individuals, entity identities.
#include "model/roster.hpp"

#include <catch2/catch.hpp>

using namespace normsim::model;
using normsim::random::EntityKind;

TEST_CASE("interpretability researchers are round(f·n) with halves up", "[model]") {
  CHECK(interpretability_count(0.15, 120) == 18);
  CHECK(interpretability_count(0.15, 30) == 5);   // 4.5 rounds up
  CHECK(interpretability_count(0.15, 10) == 2);   // 1.5 (binary 1.4999…) rounds up
  CHECK(interpretability_count(0.15, 15) == 2);   // 2.25
  CHECK(interpretability_count(0.0, 50) == 0);
  CHECK(interpretability_count(1.0, 50) == 50);
  CHECK(interpretability_count(0.5, 0) == 0);
}

TEST_CASE("the baseline roster has 375 researchers, 57 on interpretability", "[model]") {
  const Roster r = build_roster(ModelParams{});
  REQUIRE(r.researchers.size() == 375);
  REQUIRE(r.lab_count() == 8);
  std::size_t interp = 0;
  for (const auto& e : r.researchers) interp += e.focus == Focus::interpretability ? 1U : 0U;
  CHECK(interp == 57);
  CHECK(r.lab_begin.front() == 0);
  CHECK(r.lab_begin[1] == 120);
  CHECK(r.researchers[0].focus == Focus::interpretability);
  CHECK(r.researchers[18].focus == Focus::capabilities);
  CHECK(r.researchers[374].entity_index == 374);
}

TEST_CASE("pinned individuals join their lab without renumbering regular researchers", "[model]") {
  ModelParams p;
  p.labs.sizes = {3, 2};
  p.labs.interp_fraction = {0.0, 0.0};
  PinnedResearcher star;
  star.lab = 0;
  star.focus = Focus::interpretability;
  star.talent = 5.0;
  p.individuals = {star};
  const Roster r = build_roster(p);
  REQUIRE(r.researchers.size() == 6);
  CHECK(r.lab_begin == std::vector<std::size_t>{0, 4, 6});
  CHECK(r.researchers[3].kind == EntityKind::individual);
  CHECK(r.researchers[3].entity_index == 0);
  CHECK(r.researchers[3].talent == 5.0);
  CHECK(r.researchers[3].focus == Focus::interpretability);
  // Lab 1's regular researchers keep regular indices 3 and 4 whatever is pinned to lab 0.
  CHECK(r.researchers[4].kind == EntityKind::researcher);
  CHECK(r.researchers[4].entity_index == 3);
  CHECK(r.researchers[5].entity_index == 4);
}
