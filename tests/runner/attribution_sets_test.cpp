// Run sets of variance attribution: which keys each matrix's runs get.
#include "runner/attribution_sets.hpp"
#include "runner/collect_sink.hpp"
#include "runner/execute.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

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

/// The plan of the run with run index `run_index` (positions are row-major, run indices matrix-major).
RunPlan plan_of_run(const RunSet& set, std::uint64_t run_index) {
  for (std::uint64_t k = 0; k < set.size(); ++k) {
    RunPlan p = set.plan(k);
    if (p.run_index == run_index) return p;
  }
  throw std::out_of_range("no run " + std::to_string(run_index));
}

/// Keys of the run with run index `run_index`, on that run's own roster.
model::EntityKeys keys_of(const RunSet& set, std::uint64_t run_index) {
  const RunPlan p = plan_of_run(set, run_index);
  return derive_keys(*set.point(p.point)->roster, set.master_seed(), p);
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

// ---------------------------------------------------------------------------------------------
// Parameter factors.

namespace {

constexpr std::uint64_t kBaseStream = 77;
constexpr std::uint64_t kSeed = 5;

const std::vector<std::string> kFactorNames{"research.spill_probability", "labs.sizes", "researchers.talent_sigma"};

/// Parameters of row `row` with factor f from B when from_b[f]. The mask and row are encoded so
/// that decode() recovers them: spill = 0.5 · f0 + row / 10⁴; labs.sizes: A has {10, 6} in even
/// rows and {4, 3} in odd rows, B has {8, 8, 5} and an individual in lab 2; talent σ = 1 or 2.
model::ModelParams factor_params(std::uint64_t row, const std::vector<bool>& from_b) {
  model::ModelParams p;
  p.world.steps = 10;
  p.research.spill_probability = (from_b.at(0) ? 0.5 : 0.0) + static_cast<double>(row) * 1e-4;
  if (from_b.at(1)) {
    p.labs.sizes = {8, 8, 5};
    p.individuals.push_back({2, model::Focus::capabilities, 1.0, 0.3});
  } else {
    p.labs.sizes = row % 2 == 0 ? std::vector<std::int64_t>{10, 6} : std::vector<std::int64_t>{4, 3};
  }
  p.labs.interp_fraction.assign(p.labs.sizes.size(), 0.3);
  p.researchers.talent_sigma = from_b.at(2) ? 2.0 : 1.0;
  return p;
}

struct Decoded {
  std::uint64_t row = 0;
  std::vector<bool> from_b;
};

Decoded decode(const model::ModelParams& p) {
  Decoded d;
  const bool f0 = p.research.spill_probability >= 0.5;
  d.row = static_cast<std::uint64_t>(std::lround((p.research.spill_probability - (f0 ? 0.5 : 0.0)) * 1e4));
  d.from_b.resize(3);
  d.from_b[0] = f0;
  d.from_b[1] = p.labs.sizes.size() == 3;
  d.from_b[2] = p.researchers.talent_sigma == 2.0;
  return d;
}

/// Counts calls of `make`, in total and per (row, mask).
struct MakeLog {
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::map<std::pair<std::uint64_t, std::vector<bool>>, int> per_point;
};

ParameterFactors fake_factors(MakeLog* log = nullptr) {
  ParameterFactors f;
  f.names = kFactorNames;
  f.make = [log](std::uint64_t row, const std::vector<bool>& from_b) {
    if (log != nullptr) {
      ++log->calls;
      const std::lock_guard lock(log->mutex);
      ++log->per_point[{row, from_b}];
    }
    // A stream id that must not matter: keys come from the base point's.
    return make_point(factor_params(row, from_b), 1000 + row);
  };
  return f;
}

std::shared_ptr<const Point> base_point() {
  model::ModelParams p;
  p.labs.sizes = {10, 6};
  p.labs.interp_fraction = {0.3, 0.3};
  p.world.steps = 10;
  return make_point(p, kBaseStream);
}

/// The key the plain derivation gives `e` in replicate `replicate` of the base stream (first
/// principles: the address, not the sets' code).
std::uint64_t plain_key(std::uint64_t replicate, random::EntityKind kind, std::uint64_t index) {
  return random::derive_key({kSeed, kBaseStream, replicate, kind, index});
}

bool in_group(const KeyGroup& g, random::EntityKind kind, std::uint64_t index) {
  return std::any_of(g.entities.begin(), g.entities.end(),
                     [&](const EntityRef& e) { return e.kind == kind && e.index == index; });
}

/// Expected keys of a run on `roster`: every entity from replicate `replicate`, except the entities
/// of `b_groups`, from replicate `b_replicate` (kFirstBReplicate + row).
model::EntityKeys expected_keys(const model::Roster& roster, std::uint64_t replicate, std::uint64_t b_replicate,
                                const std::vector<const KeyGroup*>& b_groups) {
  const auto from_b = [&](random::EntityKind kind, std::uint64_t index) {
    return std::any_of(b_groups.begin(), b_groups.end(), [&](const KeyGroup* g) { return in_group(*g, kind, index); });
  };
  model::EntityKeys keys;
  for (std::uint64_t l = 0; l < roster.lab_count(); ++l) {
    keys.labs.push_back(plain_key(from_b(random::EntityKind::lab, l) ? b_replicate : replicate, random::EntityKind::lab, l));
  }
  for (const model::RosterEntry& e : roster.researchers) {
    keys.researchers.push_back(plain_key(from_b(e.kind, e.entity_index) ? b_replicate : replicate, e.kind, e.entity_index));
  }
  return keys;
}

std::vector<KeyGroup> factor_groups() {
  KeyGroup wide{"researchers 5-12", {}};
  for (std::uint64_t j = 5; j <= 12; ++j) wide.entities.push_back({random::EntityKind::researcher, j});
  return {{"lab 1", {{random::EntityKind::lab, 1}}},
          wide,
          {"lab 2 and individual 0", {{random::EntityKind::lab, 2}, {random::EntityKind::individual, 0}}}};
}

}  // namespace

TEST_CASE("with parameter factors the matrices are A, B, AB per factor, then AB per group", "[runner][attribution]") {
  const PickFreezeSet set(base_point(), factor_groups(), 6, kSeed, true, fake_factors());
  CHECK(set.matrices() == 8);
  CHECK(set.size() == 48);
  CHECK(set.matrix_names() ==
        std::vector<std::string>{"A", "B", "AB:research.spill_probability", "AB:labs.sizes",
                                 "AB:researchers.talent_sigma", "AB:lab 1", "AB:researchers 5-12",
                                 "AB:lab 2 and individual 0"});
  for (std::size_t f = 0; f < 3; ++f) CHECK(set.matrix_of_factor(f) == 2 + f);
  for (std::size_t g = 0; g < 3; ++g) CHECK(set.matrix_of_group(g) == 5 + g);

  const PickFreezeSet radial(base_point(), factor_groups(), 6, kSeed, false, fake_factors());
  CHECK(radial.matrices() == 7);
  CHECK(radial.matrix_names() ==
        std::vector<std::string>{"A", "AB:research.spill_probability", "AB:labs.sizes", "AB:researchers.talent_sigma",
                                 "AB:lab 1", "AB:researchers 5-12", "AB:lab 2 and individual 0"});
  CHECK(radial.matrix_of_factor(0) == 1);
  CHECK(radial.matrix_of_group(0) == 4);

  ParameterFactors no_make;
  no_make.names = {"x"};
  CHECK_THROWS_AS(PickFreezeSet(base_point(), {}, 6, kSeed, true, no_make), std::invalid_argument);
}

TEST_CASE("with parameter factors each run has its matrix's parameters and keys that ignore them", "[runner][attribution]") {
  const std::vector<KeyGroup> groups = factor_groups();
  for (const bool with_b : {true, false}) {
    const std::uint64_t rows = 6;
    const PickFreezeSet set(base_point(), groups, rows, kSeed, with_b, fake_factors());
    const std::uint64_t first_factor = with_b ? 2 : 1;
    std::map<std::uint64_t, model::EntityKeys> keys_of_a;  // by row
    for (std::uint64_t k = 0; k < set.size(); ++k) {
      const RunPlan p = set.plan(k);
      const std::uint64_t matrix = p.run_index / rows;
      const std::uint64_t row = p.run_index % rows;
      CAPTURE(with_b, k, matrix, row);
      // Row-major positions, unchanged run-index layout.
      CHECK(row == k / set.matrices());
      CHECK(matrix == k % set.matrices());
      CHECK(p.replicate == row);
      CHECK(p.stream_point == kBaseStream);

      // The run's parameters: the right row and mask.
      const std::shared_ptr<const Point> point = set.point(p.point);
      const Decoded d = decode(point->params);
      std::vector<bool> mask(3, false);
      if (with_b && matrix == 1) mask.assign(3, true);
      if (matrix >= first_factor && matrix < first_factor + 3) mask[matrix - first_factor] = true;
      CHECK(d.row == row);
      CHECK(d.from_b == mask);

      // The run's keys, on its own roster.
      const model::EntityKeys keys = derive_keys(*point->roster, kSeed, p);
      const bool is_b = with_b && matrix == 1;
      std::vector<const KeyGroup*> b_groups;
      if (matrix >= first_factor + 3) b_groups.push_back(&groups[matrix - first_factor - 3]);
      const model::EntityKeys expected = expected_keys(*point->roster, is_b ? kFirstBReplicate + row : row, kFirstBReplicate + row, b_groups);
      CHECK(keys.labs == expected.labs);
      CHECK(keys.researchers == expected.researchers);
      CHECK(p.stream_replicate == (is_b ? kFirstBReplicate + row : row));

      // A and AB:<factor> runs of a row share every entity's key (the rosters agree unless the
      // factor is labs.sizes: then compare the common entities).
      if (matrix == 0) keys_of_a[row] = keys;
      if (matrix >= first_factor && matrix < first_factor + 3) {
        const model::EntityKeys& a = keys_of_a.at(row);
        const std::size_t labs = std::min(a.labs.size(), keys.labs.size());
        for (std::size_t l = 0; l < labs; ++l) CHECK(keys.labs[l] == a.labs[l]);
        // A's roster has regular researchers only, in index order.
        const model::Roster& roster = *point->roster;
        for (std::size_t j = 0; j < roster.researchers.size(); ++j) {
          const model::RosterEntry& e = roster.researchers[j];
          if (e.kind == random::EntityKind::researcher && e.entity_index < a.researchers.size()) {
            CHECK(keys.researchers[j] == a.researchers[static_cast<std::size_t>(e.entity_index)]);
          }
        }
        if (matrix - first_factor != 1) {
          CHECK(keys.labs == a.labs);
          CHECK(keys.researchers == a.researchers);
        }
      }
    }
  }
}

TEST_CASE("positions of factor designs are a bijection onto the run indices", "[runner][attribution]") {
  const PickFreezeSet pick(base_point(), factor_groups(), 5, kSeed, true, fake_factors());
  const MixSet mix(base_point(), factor_groups(), 5, 4, kSeed,
                   [](std::uint64_t row, std::uint64_t column) { return std::vector<bool>(6, (row + column) % 2 == 1); },
                   fake_factors());
  const PickFreezeSet plain(base_point(), factor_groups(), 5, kSeed, true);
  for (const RunSet* set : std::vector<const RunSet*>{&pick, &mix, &plain}) {
    std::set<std::uint64_t> seen;
    for (std::uint64_t k = 0; k < set->size(); ++k) {
      const std::uint64_t index = set->plan(k).run_index;
      CHECK(index < set->size());
      CHECK(seen.insert(index).second);
    }
    CHECK(seen.size() == set->size());
  }
}

TEST_CASE("factor points are built once per row and variant in position order, and stay right in any order", "[runner][attribution]") {
  SECTION("one thread, position order") {
    MakeLog log;
    const std::uint64_t rows = 40;
    const PickFreezeSet set(base_point(), factor_groups(), rows, kSeed, true, fake_factors(&log));
    for (std::uint64_t k = 0; k < set.size(); ++k) {
      const RunPlan p = set.plan(k);
      CHECK(decode(set.point(p.point)->params).row == p.replicate);
    }
    // Variants A, B and one per factor: F + 2 = 5 points a row, each built once.
    CHECK(log.calls.load() == static_cast<int>(rows * 5));
    CHECK(log.per_point.size() == rows * 5);
    for (const auto& [point, calls] : log.per_point) CHECK(calls == 1);

    // The cache is bounded: 200 points were built, so row 0's are gone and are built again, while
    // the last row's are still there.
    const int before = log.calls.load();
    (void)set.point((rows - 1) * 5);
    CHECK(log.calls.load() == before);
    (void)set.point(0);
    CHECK(log.calls.load() == before + 1);
    CHECK(decode(set.point(0)->params).row == 0);
  }
  SECTION("many threads, random order, more points than the cache holds") {
    MakeLog log;
    const std::uint64_t rows = 120;  // 600 points, cache of 64
    const PickFreezeSet set(base_point(), factor_groups(), rows, kSeed, true, fake_factors(&log));
    std::vector<std::uint64_t> order(set.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937_64{42});
    std::atomic<int> wrong{0};
    tbb::parallel_for(std::size_t{0}, order.size(), [&](std::size_t i) {
      const RunPlan p = set.plan(order[i]);
      const std::uint64_t matrix = p.run_index / rows;
      const Decoded d = decode(set.point(p.point)->params);
      std::vector<bool> mask(3, matrix == 1);
      if (matrix >= 2 && matrix < 5) mask[matrix - 2] = true;
      if (d.row != p.replicate || d.from_b != mask) ++wrong;
      try {
        (void)derive_keys(*set.point(p.point)->roster, kSeed, p);
      } catch (const std::invalid_argument&) {
        ++wrong;
      }
    });
    CHECK(wrong.load() == 0);
    CHECK(log.per_point.size() == rows * 5);
  }
  SECTION("a mixing design in position order") {
    MakeLog log;
    const std::uint64_t rows = 30;
    const std::uint64_t columns = 7;
    // Column c takes the first c of the 6 inputs from B (a Goda-like walk in a fixed order).
    const MixSet set(base_point(), factor_groups(), rows, columns, kSeed,
                     [](std::uint64_t, std::uint64_t c) {
                       std::vector<bool> m(6);
                       for (std::size_t i = 0; i < 6; ++i) m[i] = i < c;
                       return m;
                     },
                     fake_factors(&log));
    for (std::uint64_t k = 0; k < set.size(); ++k) (void)set.point(set.plan(k).point);
    // Distinct factor masks a row: none, 1, 2 and all 3 from B.
    CHECK(log.calls.load() == static_cast<int>(rows * 4));
    for (const auto& [point, calls] : log.per_point) CHECK(calls == 1);
  }
}

TEST_CASE("a group's entities absent from the run's roster get no override", "[runner][attribution]") {
  const std::uint64_t rows = 4;
  const std::vector<KeyGroup> groups = factor_groups();
  const PickFreezeSet set(base_point(), groups, rows, kSeed, true, fake_factors());
  for (std::uint64_t row = 0; row < rows; ++row) {
    CAPTURE(row);
    // AB:researchers 5-12 has A's roster: 16 regular researchers in even rows, 7 in odd rows.
    const RunPlan wide = plan_of_run(set, set.matrix_of_group(1) * rows + row);
    std::set<std::uint64_t> overridden;
    for (const KeyOverride& o : wide.key_overrides) {
      CHECK(o.kind == random::EntityKind::researcher);
      overridden.insert(o.index);
    }
    CHECK(overridden == (row % 2 == 0 ? std::set<std::uint64_t>{5, 6, 7, 8, 9, 10, 11, 12}
                                      : std::set<std::uint64_t>{5, 6}));
    CHECK_NOTHROW(derive_keys(*set.point(wide.point)->roster, kSeed, wide));
    // Lab 2 and individual 0 exist only with B's labs.sizes: never in an AB:<group> run.
    const RunPlan absent = plan_of_run(set, set.matrix_of_group(2) * rows + row);
    CHECK(absent.key_overrides.empty());
    const model::EntityKeys keys = derive_keys(*set.point(absent.point)->roster, kSeed, absent);
    CHECK(keys.labs == expected_keys(*set.point(absent.point)->roster, row, kFirstBReplicate + row, {}).labs);
  }
  // B's roster has them, with B's keys.
  const RunPlan b = plan_of_run(set, rows + 1);
  const model::Roster& b_roster = *set.point(b.point)->roster;
  CHECK(b_roster.lab_count() == 3);
  CHECK(RosterEntities(b_roster).has({random::EntityKind::individual, 0}));
  CHECK_FALSE(RosterEntities(*set.point(plan_of_run(set, 1).point)->roster).has({random::EntityKind::individual, 0}));
  CHECK(derive_keys(b_roster, kSeed, b).labs[2] == plain_key(kFirstBReplicate + 1, random::EntityKind::lab, 2));

  // derive_keys still refuses an override of an entity the roster does not have.
  RunPlan bad = plan_of_run(set, 1);
  bad.key_overrides.push_back({random::EntityKind::researcher, 12, 1});
  CHECK_THROWS_AS(derive_keys(*set.point(bad.point)->roster, kSeed, bad), std::invalid_argument);
}

TEST_CASE("roster entities: labs, regular researchers and individuals by index", "[runner][attribution]") {
  model::ModelParams p;
  p.labs.sizes = {2, 1};
  p.labs.interp_fraction = {0.5, 0.0};
  p.individuals.push_back({1, model::Focus::capabilities, 1.0, 0.2});
  p.individuals.push_back({5, model::Focus::capabilities, 1.0, 0.2});  // no lab 5: not in the roster
  const RosterEntities present(model::build_roster(p));
  CHECK(present.has({random::EntityKind::lab, 1}));
  CHECK_FALSE(present.has({random::EntityKind::lab, 2}));
  CHECK(present.has({random::EntityKind::researcher, 2}));
  CHECK_FALSE(present.has({random::EntityKind::researcher, 3}));
  CHECK(present.has({random::EntityKind::individual, 0}));
  CHECK_FALSE(present.has({random::EntityKind::individual, 1}));
  CHECK_FALSE(present.has({random::EntityKind::individual, 7}));
}

TEST_CASE("a mixing design with factors routes the first flags to parameters and the rest to groups", "[runner][attribution]") {
  const std::uint64_t rows = 6;
  const std::uint64_t columns = 5;
  const std::vector<KeyGroup> groups = factor_groups();
  // Flag i of (row, column): bit i of row · 7 + column · 3 (3 factors, then 3 groups).
  const auto mix = [](std::uint64_t row, std::uint64_t column) {
    std::vector<bool> m(6);
    for (std::size_t i = 0; i < 6; ++i) m[i] = (((row * 7 + column * 3) >> i) & 1U) != 0;
    return m;
  };
  const MixSet set(base_point(), groups, rows, columns, kSeed, mix, fake_factors());
  CHECK(set.size() == rows * columns);
  for (std::uint64_t k = 0; k < set.size(); ++k) {
    const RunPlan p = set.plan(k);
    const std::uint64_t row = k / columns;
    const std::uint64_t column = k % columns;
    CAPTURE(k, row, column);
    CHECK(p.run_index == column * rows + row);
    CHECK(p.replicate == row);
    CHECK(p.stream_point == kBaseStream);
    CHECK(p.stream_replicate == row);
    const std::vector<bool> m = mix(row, column);
    const std::shared_ptr<const Point> point = set.point(p.point);
    const Decoded d = decode(point->params);
    CHECK(d.row == row);
    CHECK(d.from_b == std::vector<bool>(m.begin(), m.begin() + 3));
    std::vector<const KeyGroup*> b_groups;
    for (std::size_t g = 0; g < 3; ++g) {
      if (m[3 + g]) b_groups.push_back(&groups[g]);
    }
    const model::EntityKeys keys = derive_keys(*point->roster, kSeed, p);
    const model::EntityKeys expected = expected_keys(*point->roster, row, kFirstBReplicate + row, b_groups);
    CHECK(keys.labs == expected.labs);
    CHECK(keys.researchers == expected.researchers);
  }
  const MixSet short_mix(base_point(), groups, rows, columns, kSeed,
                         [](std::uint64_t, std::uint64_t) { return std::vector<bool>(3, true); }, fake_factors());
  CHECK_THROWS_AS(short_mix.plan(0), std::logic_error);
}

TEST_CASE("without factors the plans are those of the plain design", "[runner][attribution]") {
  const std::shared_ptr<const Point> base = base_point();
  const std::vector<KeyGroup> groups{{"researcher 3", {{random::EntityKind::researcher, 3}}},
                                     {"lab 1 and researcher 0", {{random::EntityKind::lab, 1}, {random::EntityKind::researcher, 0}}}};
  for (const bool with_b : {true, false}) {
    const std::uint64_t rows = 5;
    const PickFreezeSet set(base, groups, rows, kSeed, with_b);
    const std::uint64_t first_group = with_b ? 2 : 1;
    CHECK(set.size() == (first_group + 2) * rows);
    for (std::uint64_t k = 0; k < set.size(); ++k) {
      const RunPlan p = set.plan(k);
      const std::uint64_t matrix = p.run_index / rows;
      const std::uint64_t row = p.run_index % rows;
      CAPTURE(with_b, k);
      CHECK(p.point == matrix);
      CHECK(p.replicate == row);
      CHECK(p.stream_point == kBaseStream);
      CHECK(set.point(p.point) == base);
      const bool is_b = with_b && matrix == 1;
      CHECK(p.stream_replicate == (is_b ? kFirstBReplicate + row : row));
      std::vector<const KeyGroup*> b_groups;
      if (matrix >= first_group) b_groups.push_back(&groups[matrix - first_group]);
      const model::EntityKeys keys = derive_keys(*base->roster, kSeed, p);
      const model::EntityKeys expected = expected_keys(*base->roster, is_b ? kFirstBReplicate + row : row, kFirstBReplicate + row, b_groups);
      CHECK(keys.labs == expected.labs);
      CHECK(keys.researchers == expected.researchers);
      // Overrides exactly the group's entities, in the group's order.
      if (matrix >= first_group) {
        const KeyGroup& g = groups[matrix - first_group];
        REQUIRE(p.key_overrides.size() == g.entities.size());
        for (std::size_t e = 0; e < g.entities.size(); ++e) {
          CHECK(p.key_overrides[e].kind == g.entities[e].kind);
          CHECK(p.key_overrides[e].index == g.entities[e].index);
          CHECK(p.key_overrides[e].key == plain_key(kFirstBReplicate + row, g.entities[e].kind, g.entities[e].index));
        }
      } else {
        CHECK(p.key_overrides.empty());
      }
    }
  }
  // A mixing design: column c takes group 0 from B when c ≥ 1 and group 1 when c ≥ 2.
  const std::uint64_t rows = 4;
  const MixSet mix(base, groups, rows, 3, kSeed, [](std::uint64_t, std::uint64_t c) {
    return std::vector<bool>{c >= 1, c >= 2};
  });
  for (std::uint64_t k = 0; k < mix.size(); ++k) {
    const RunPlan p = mix.plan(k);
    const std::uint64_t column = p.run_index / rows;
    const std::uint64_t row = p.run_index % rows;
    CHECK(row == k / 3);
    CHECK(column == k % 3);
    CHECK(p.point == column);
    CHECK(mix.point(p.point) == base);
    std::vector<const KeyGroup*> b_groups;
    for (std::size_t g = 0; g < column && g < 2; ++g) b_groups.push_back(&groups[g]);
    const model::EntityKeys keys = derive_keys(*base->roster, kSeed, p);
    const model::EntityKeys expected = expected_keys(*base->roster, row, kFirstBReplicate + row, b_groups);
    CHECK(keys.labs == expected.labs);
    CHECK(keys.researchers == expected.researchers);
  }
}

TEST_CASE("a design with parameter factors runs end to end", "[runner][attribution]") {
  const std::uint64_t rows = 3;
  const PickFreezeSet set(base_point(), factor_groups(), rows, kSeed, true, fake_factors());
  CollectSink sink;
  ExecutionOptions options;
  options.record.series = false;
  options.threads = 2;
  execute(set, sink, options);
  REQUIRE(sink.records.size() == set.size());
  // AB:researchers.talent_sigma differs from A only in σ_θ: with the same keys the runs differ.
  std::size_t differ = 0;
  for (std::uint64_t row = 0; row < rows; ++row) {
    differ += same_outcomes(sink.records.at(row), sink.records.at(set.matrix_of_factor(2) * rows + row)) ? 0U : 1U;
  }
  CHECK(differ > 0);
}

TEST_CASE("designs are nested: the first rows of a larger design are the runs of the smaller one", "[runner][attribution]") {
  // What lets a sequential check's look extend the previous one: no run depends on the row count.
  const std::vector<KeyGroup> groups = factor_groups();
  const auto same_run = [](const RunSet& small, std::uint64_t small_index, const RunSet& large, std::uint64_t large_index) {
    const RunPlan a = plan_of_run(small, small_index);
    const RunPlan b = plan_of_run(large, large_index);
    CHECK(a.stream_point == b.stream_point);
    CHECK(a.stream_replicate == b.stream_replicate);
    CHECK(a.replicate == b.replicate);
    const Point& pa = *small.point(a.point);
    const Point& pb = *large.point(b.point);
    const Decoded da = decode(pa.params);
    const Decoded db = decode(pb.params);
    CHECK(da.row == db.row);
    CHECK(da.from_b == db.from_b);
    const model::EntityKeys ka = derive_keys(*pa.roster, kSeed, a);
    const model::EntityKeys kb = derive_keys(*pb.roster, kSeed, b);
    CHECK(ka.labs == kb.labs);
    CHECK(ka.researchers == kb.researchers);
  };
  for (const bool with_b : {true, false}) {
    const PickFreezeSet small(base_point(), groups, 4, kSeed, with_b, fake_factors());
    const PickFreezeSet large(base_point(), groups, 8, kSeed, with_b, fake_factors());
    REQUIRE(small.matrix_names() == large.matrix_names());
    for (std::uint64_t m = 0; m < small.matrices(); ++m) {
      for (std::uint64_t row = 0; row < 4; ++row) {
        CAPTURE(with_b, m, row);
        same_run(small, m * 4 + row, large, m * 8 + row);
      }
    }
  }
  const auto walk = [](std::uint64_t row, std::uint64_t c) {
    return std::vector<bool>{c >= 1, (c + row) % 3 == 0, c >= 2, c >= 1, (c + row) % 2 == 1, c >= 3};
  };
  const MixSet small(base_point(), groups, 4, 4, kSeed, walk, fake_factors());
  const MixSet large(base_point(), groups, 8, 4, kSeed, walk, fake_factors());
  for (std::uint64_t c = 0; c < 4; ++c) {
    for (std::uint64_t row = 0; row < 4; ++row) {
      CAPTURE(c, row);
      same_run(small, c * 4 + row, large, c * 8 + row);
    }
  }
}
