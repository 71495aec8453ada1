// Group construction of attribution designs (study/groups.hpp).
#include "model/model.hpp"
#include "model/roster.hpp"
#include "scenario/scenario.hpp"
#include "study/groups.hpp"
#include "study/setup.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace normsim;
using output::FactorKind;

namespace {

scenario::Scenario small() {
  return scenario::load_text("[labs]\nsizes = [4, 3, 2]\n[world]\nsteps = 20\n"
                             "[[individuals]]\nlab = 1\nfocus = \"capabilities\"\ntalent = 5.0\n",
                             "groups test");
}

}  // namespace

TEST_CASE("roster_groups: default groups in order, custom groups, then tracked researchers", "[study]") {
  const scenario::Scenario s = small();
  const auto point = study::make_run_set(s)->point(0);
  const model::Roster& roster = *point->roster;
  REQUIRE(roster.lab_count() == 3);
  const std::vector<scenario::AttributionGroup> custom{
      {"two labs", {{scenario::EntityRefKind::lab, 0}, {scenario::EntityRefKind::lab_researchers, 2}}}};
  const std::vector<std::size_t> tracked{0, 5};
  const study::GroupSet g = study::roster_groups(roster, tracked, custom);
  const std::size_t defaults = study::default_group_count(3, false);
  REQUIRE(g.groups.size() == defaults + 1 + 2);
  REQUIRE(g.kinds.size() == g.groups.size());
  CHECK(g.groups[0].name == "all labs");
  CHECK(g.groups[0].entities.size() == 3);
  CHECK(g.groups[1].name == "all researchers");
  CHECK(g.groups[1].entities.size() == roster.researchers.size());
  for (std::size_t l = 0; l < 3; ++l) {
    CHECK(g.groups[study::lab_researchers_group(l)].name == "lab " + std::to_string(l) + " researchers");
    CHECK(g.groups[study::lab_researchers_group(l)].entities.size() == roster.lab_begin[l + 1] - roster.lab_begin[l]);
    CHECK(g.kinds[study::lab_researchers_group(l) - 1] == FactorKind::lab);
    CHECK(g.kinds[study::lab_researchers_group(l) + 1] == FactorKind::lab_and_researchers);
    // The whole lab is its stream and its researchers.
    CHECK(g.groups[study::lab_researchers_group(l) + 1].entities.size() ==
          g.groups[study::lab_researchers_group(l)].entities.size() + 1);
  }
  CHECK(g.kinds[defaults] == FactorKind::custom_group);
  CHECK(g.groups[defaults].entities.size() == 1 + 2);  // lab 0's stream and lab 2's two researchers
  CHECK(g.kinds[defaults + 1] == FactorKind::researcher);
  CHECK(g.groups[defaults + 2].name == study::researcher_label(roster.researchers[5]));
  // The pinned individual is in lab 1, after its regular researchers.
  const auto pinned = std::find_if(roster.researchers.begin(), roster.researchers.end(),
                                   [](const model::RosterEntry& e) { return e.kind == random::EntityKind::individual; });
  REQUIRE(pinned != roster.researchers.end());
  CHECK(study::researcher_label(*pinned) == "individual 0 (lab 1, capabilities)");
}

TEST_CASE("tracked_researchers: all, none, the most talented, a seeded sample", "[study]") {
  const scenario::Scenario s = small();
  const auto point = study::make_run_set(s)->point(0);
  const std::size_t m = point->roster->researchers.size();
  using K = scenario::ResearcherSelectionKind;
  CHECK(study::tracked_researchers(*point, {K::all, 0}, 1, 1).size() == m);
  CHECK(study::tracked_researchers(*point, {K::none, 0}, 1, 1).empty());
  // The 3 most talented in design row 0 (the talents the model draws from row 0's keys).
  const std::vector<std::size_t> top = study::tracked_researchers(*point, {K::top_talent, 3}, 1, 1);
  REQUIRE(top.size() == 3);
  CHECK(std::is_sorted(top.begin(), top.end()));
  runner::RunPlan row0;
  row0.stream_point = point->stream_id;
  const model::Model model(point->params, point->roster, runner::derive_keys(*point->roster, 1, row0));
  double lowest_kept = 1e300;
  for (const std::size_t j : top) lowest_kept = std::min(lowest_kept, model.talent(j));
  for (std::size_t j = 0; j < m; ++j) {
    if (std::find(top.begin(), top.end(), j) == top.end()) CHECK(model.talent(j) <= lowest_kept);
  }
  const std::vector<std::size_t> a = study::tracked_researchers(*point, {K::sample, 4}, 1, 7);
  const std::vector<std::size_t> b = study::tracked_researchers(*point, {K::sample, 4}, 1, 7);
  const std::vector<std::size_t> c = study::tracked_researchers(*point, {K::sample, 4}, 1, 8);
  CHECK(a == b);
  CHECK(a.size() == 4);
  CHECK(std::set<std::size_t>(a.begin(), a.end()).size() == 4);
  CHECK(std::all_of(a.begin(), a.end(), [m](std::size_t j) { return j < m; }));
  CHECK(a != c);  // another attribution.seed, another sample (10 researchers: C(10,4) = 210 samples)
  CHECK(study::tracked_researchers(*point, {K::sample, 100}, 1, 7).size() == m);  // clipped
}

TEST_CASE("whole_kind_groups: all labs and researchers up to the largest roster", "[study]") {
  const std::vector<scenario::AttributionGroup> custom{{"labs only", {{scenario::EntityRefKind::labs, 0}}}};
  const study::GroupSet g = study::whole_kind_groups(5, 40, 2, custom);
  REQUIRE(g.groups.size() == study::default_group_count(5, true) + 1);
  CHECK(g.groups[0].entities.size() == 5);
  CHECK(g.groups[1].entities.size() == 42);
  CHECK(g.groups[2].entities.size() == 5);
  CHECK(g.kinds[2] == FactorKind::custom_group);
}
