// Run sets of variance attribution: which keys each matrix's runs get.
#include "runner/attribution_sets.hpp"
#include "runner/collect_sink.hpp"
#include "runner/execute.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <set>

using namespace normsim;
using namespace normsim::runner;
using normsim::test::CollectSink;

namespace {

std::shared_ptr<const Point> small_point() {
  model::ModelParams p;
  p.labs.sizes = {10, 6};
  p.labs.interp_fraction = {0.3, 0.3};
  p.world.steps = 25;
  return make_point(p, 77);
}

model::EntityKeys keys_of(const RunSet& set, std::uint64_t k) {
  return derive_keys(*set.point(0)->roster, set.master_seed(), set.plan(k));
}

bool same_outcomes(const RunRecord& a, const RunRecord& b) {
  return std::memcmp(a.outcomes.data(), b.outcomes.data(), sizeof(model::Outcomes)) == 0;
}

}  // namespace

TEST_CASE("AB matrices differ from A exactly in their group's keys, taken from B", "[runner][attribution]") {
  const std::vector<KeyGroup> groups{{"researcher 3", {{random::EntityKind::researcher, 3}}},
                                     {"lab 1", {{random::EntityKind::lab, 1}}}};
  const PickFreezeSet set(small_point(), groups, 8, 5, true);
  CHECK(set.size() == 4 * 8);
  CHECK(set.matrix_names() == std::vector<std::string>{"A", "B", "AB:researcher 3", "AB:lab 1"});
  for (std::uint64_t row = 0; row < 8; ++row) {
    const model::EntityKeys a = keys_of(set, row);
    const model::EntityKeys b = keys_of(set, 8 + row);
    const model::EntityKeys ab_researcher = keys_of(set, 16 + row);
    const model::EntityKeys ab_lab = keys_of(set, 24 + row);
    CHECK(a.researchers[3] != b.researchers[3]);
    CHECK(a.labs[1] != b.labs[1]);
    for (std::size_t j = 0; j < a.researchers.size(); ++j) {
      CHECK(ab_researcher.researchers[j] == (j == 3 ? b.researchers[j] : a.researchers[j]));
      CHECK(ab_lab.researchers[j] == a.researchers[j]);
    }
    CHECK(ab_researcher.labs == a.labs);
    CHECK(ab_lab.labs[0] == a.labs[0]);
    CHECK(ab_lab.labs[1] == b.labs[1]);
  }
}

TEST_CASE("resampling an entity that draws nothing changes no run", "[runner][attribution]") {
  // A researcher pinned with result rate 0 consumes no draws: its AB runs equal A's bit for bit.
  model::ModelParams p;
  p.labs.sizes = {10, 6};
  p.labs.interp_fraction = {0.3, 0.3};
  p.world.steps = 25;
  p.individuals.push_back({0, model::Focus::capabilities, 1.0, 0.0});
  const std::vector<KeyGroup> groups{{"idle", {{random::EntityKind::individual, 0}}},
                                     {"busy", {{random::EntityKind::researcher, 0}}}};
  const PickFreezeSet set(make_point(p, 1), groups, 6, 9, false);
  CollectSink sink;
  ExecutionOptions options;
  options.record.series = false;
  execute(set, sink, options);
  std::size_t changed_by_busy = 0;
  for (std::uint64_t row = 0; row < 6; ++row) {
    CHECK(same_outcomes(sink.records.at(row), sink.records.at(6 + row)));
    changed_by_busy += same_outcomes(sink.records.at(row), sink.records.at(12 + row)) ? 0U : 1U;
  }
  CHECK(changed_by_busy > 0);
}

TEST_CASE("the replicated design shares exactly one entity's key between paired rows", "[runner][attribution]") {
  std::vector<EntityRef> entities;
  for (std::uint64_t j = 0; j < 16; ++j) entities.push_back({random::EntityKind::researcher, j});
  const std::uint64_t rows = 64;
  const ReplicatedKeySet set(small_point(), entities, rows, 5, 11);
  for (std::size_t e = 0; e < entities.size(); ++e) {
    std::set<std::uint64_t> image;
    for (std::uint64_t j = 0; j < rows; ++j) image.insert(set.permuted_row(e, j));
    CHECK(image.size() == rows);  // a permutation
  }
  CHECK(set.permuted_row(0, 0) != set.permuted_row(1, 0));
  for (const std::uint64_t j : {0ULL, 17ULL, 63ULL}) {
    const model::EntityKeys second = keys_of(set, rows + j);
    for (std::size_t e = 0; e < entities.size(); ++e) {
      const model::EntityKeys first = keys_of(set, set.permuted_row(e, j));
      CHECK(second.researchers[e] == first.researchers[e]);
      CHECK(second.labs[0] != first.labs[0]);  // labs are not permuted: fresh keys
    }
  }
}

TEST_CASE("a mixing design keys each group from A or B as its mix says", "[runner][attribution]") {
  const std::vector<KeyGroup> groups{{"lab 0", {{random::EntityKind::lab, 0}}},
                                     {"researcher 2", {{random::EntityKind::researcher, 2}}}};
  // Column c takes the first c groups from B: 0 = A, 2 = B for these groups.
  const MixSet set(small_point(), groups, 4, 3, 5, [](std::uint64_t, std::uint64_t c) {
    return std::vector<bool>{c >= 1, c >= 2};
  });
  const PickFreezeSet reference(small_point(), groups, 4, 5, true);
  for (std::uint64_t row = 0; row < 4; ++row) {
    const model::EntityKeys a = keys_of(reference, row);
    const model::EntityKeys b = keys_of(reference, 4 + row);
    const model::EntityKeys c0 = keys_of(set, row);
    const model::EntityKeys c1 = keys_of(set, 4 + row);
    const model::EntityKeys c2 = keys_of(set, 8 + row);
    CHECK(c0.labs == a.labs);
    CHECK(c0.researchers == a.researchers);
    CHECK(c1.labs[0] == b.labs[0]);
    CHECK(c1.researchers[2] == a.researchers[2]);
    CHECK(c2.labs[0] == b.labs[0]);
    CHECK(c2.researchers[2] == b.researchers[2]);
    CHECK(c2.researchers[1] == a.researchers[1]);
  }
}
