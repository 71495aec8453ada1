// Run sets: sweeps (point-major plans, keys from the point's id), subsets and shards.
#include "runner/collect_sink.hpp"
#include "runner/execute.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <map>
#include <set>

using namespace normsim;
using namespace normsim::runner;

namespace {

using normsim::test::CollectSink;

model::ModelParams small(double spill) {
  model::ModelParams p;
  p.labs.sizes = {20, 10};
  p.labs.interp_fraction = {0.3, 0.3};
  p.research.spill_probability = spill;
  p.world.steps = 30;
  return p;
}

/// Three points: spill 0, 0.2, 0.4; the stream id is the spill in thousandths (any function of
/// the parameters will do).
SweepSet::PointFactory factory(std::atomic<int>* built = nullptr) {
  return [built](std::uint64_t p) {
    if (built != nullptr) ++*built;
    const double spill = 0.2 * static_cast<double>(p);
    return make_point(small(spill), static_cast<std::uint64_t>(spill * 1000));
  };
}

bool same_outcomes(const RunRecord& a, const RunRecord& b) {
  return std::memcmp(a.outcomes.data(), b.outcomes.data(), sizeof(model::Outcomes)) == 0;
}

}  // namespace

TEST_CASE("a sweep's plans are point-major with the point's stream id", "[runner]") {
  const SweepSet set(3, 4, 9, factory());
  CHECK(set.size() == 12);
  const RunPlan p = set.plan(6);
  CHECK(p.run_index == 6);
  CHECK(p.point == 1);
  CHECK(p.replicate == 2);
  CHECK(p.stream_point == 200);
  CHECK(set.point(2)->params.research.spill_probability == 0.4);
}

TEST_CASE("a point's runs do not depend on the design around it", "[runner]") {
  // Point 1 of a three-point sweep and the same parameters as a plain replicate set with the same
  // stream id give the same runs: keys follow the point's values, not its position.
  const SweepSet sweep(3, 4, 9, factory());
  const ReplicateSet alone(small(0.2), 4, 9, 200);
  CollectSink a;
  CollectSink b;
  ExecutionOptions options;
  options.record.series = false;
  execute(sweep, a, options);
  execute(alone, b, options);
  for (std::uint64_t r = 0; r < 4; ++r) CHECK(same_outcomes(a.records.at(4 + r), b.records.at(r)));
  CHECK_FALSE(same_outcomes(a.records.at(0), a.records.at(4)));
}

TEST_CASE("points are built once per point in a sequential pass, not once per run", "[runner]") {
  std::atomic<int> built{0};
  const SweepSet set(3, 50, 9, factory(&built));
  CollectSink sink;
  ExecutionOptions options;
  options.threads = 1;
  options.record.series = false;
  execute(set, sink, options);
  CHECK(sink.records.size() == 150);
  CHECK(built.load() == 3);
}

TEST_CASE("shards partition a set, and subsets keep the rows of the base set", "[runner]") {
  const SweepSet set(3, 5, 9, factory());
  std::set<std::uint64_t> seen;
  for (std::uint64_t shard = 0; shard < 4; ++shard) {
    for (const std::uint64_t k : shard_positions(set.size(), shard, 4)) {
      CHECK(k % 4 == shard);
      CHECK(seen.insert(k).second);
    }
  }
  CHECK(seen.size() == set.size());
  CHECK(shard_positions(10, 4, 4).empty());

  CollectSink whole;
  CollectSink parts;
  ExecutionOptions options;
  options.record.series = false;
  execute(set, whole, options);
  for (std::uint64_t shard = 0; shard < 3; ++shard) {
    const SubsetSet subset(set, shard_positions(set.size(), shard, 3));
    execute(subset, parts, options);
  }
  REQUIRE(parts.records.size() == whole.records.size());
  for (const auto& [index, record] : whole.records) CHECK(same_outcomes(record, parts.records.at(index)));
  CHECK_THROWS_AS(SubsetSet(set, {15}), std::invalid_argument);
}
