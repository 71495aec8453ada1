// The runner: plans, key overrides, and bit-identical records for any thread count.
#include "runner/collect_sink.hpp"
#include "runner/execute.hpp"
#include "runner/summary.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>

using namespace normsim;
using namespace normsim::runner;

namespace {

using normsim::test::CollectSink;

model::ModelParams small() {
  model::ModelParams p;
  p.labs.sizes = {30, 20, 10};
  p.labs.interp_fraction = {0.2, 0.2, 0.2};
  return p;
}

bool same_bits(const RunRecord& a, const RunRecord& b) {
  return a.run_index == b.run_index && a.researcher_steps == b.researcher_steps &&
         std::memcmp(a.outcomes.data(), b.outcomes.data(), sizeof(model::Outcomes)) == 0 &&
         a.series.size() == b.series.size() &&
         std::memcmp(a.series.data(), b.series.data(), a.series.size() * sizeof(model::StepValues)) == 0;
}

}  // namespace

TEST_CASE("1, 2 and 4 threads give bit-identical records", "[runner]") {
  const ReplicateSet set(small(), 64, 2024);
  std::vector<CollectSink> sinks(3);
  const int threads[] = {1, 2, 4};
  for (std::size_t i = 0; i < 3; ++i) {
    ExecutionOptions options;
    options.threads = threads[i];
    const ExecutionReport report = execute(set, sinks[i], options);
    CHECK(report.runs_completed == 64);
    CHECK_FALSE(report.interrupted);
  }
  for (std::size_t i = 1; i < 3; ++i) {
    REQUIRE(sinks[i].records.size() == 64);
    for (const auto& [index, record] : sinks[0].records) CHECK(same_bits(record, sinks[i].records.at(index)));
  }
}

TEST_CASE("records arrive once each, in run order, with researcher-steps", "[runner]") {
  const ReplicateSet set(small(), 20, 1);
  struct OrderSink final : RunSink {
    std::vector<std::uint64_t> order;
    void write(const RunRecord& r) override {
      order.push_back(r.run_index);
      CHECK(r.researcher_steps == 60 * static_cast<std::uint64_t>(model::at(r.outcomes, model::OutcomeId::steps_run)));
      CHECK(r.series.size() == static_cast<std::size_t>(model::at(r.outcomes, model::OutcomeId::steps_run)));
    }
  } sink;
  ExecutionOptions options;
  options.threads = 2;
  std::uint64_t last_done = 0;
  options.on_progress = [&](std::uint64_t done, std::uint64_t total) {
    CHECK(done == last_done + 1);
    CHECK(total == 20);
    last_done = done;
  };
  execute(set, sink, options);
  std::vector<std::uint64_t> expected(20);
  for (std::uint64_t i = 0; i < 20; ++i) expected[i] = i;
  CHECK(sink.order == expected);
}

TEST_CASE("a key override changes that run and leaves the derived keys otherwise", "[runner]") {
  const ReplicateSet set(small(), 1, 5);
  const model::Roster& roster = *set.point(0)->roster;
  RunPlan plan = set.plan(0);
  const model::EntityKeys base = derive_keys(roster, set.master_seed(), plan);
  plan.key_overrides.push_back({random::EntityKind::researcher, 7, 0xabcdefULL});
  const model::EntityKeys changed = derive_keys(roster, set.master_seed(), plan);
  CHECK(changed.labs == base.labs);
  for (std::size_t j = 0; j < base.researchers.size(); ++j) {
    if (j == 7) {
      CHECK(changed.researchers[j] == 0xabcdefULL);
    } else {
      CHECK(changed.researchers[j] == base.researchers[j]);
    }
  }
  const RunRecord a = run_one(set, set.plan(0), {});
  const RunRecord b = run_one(set, plan, {});
  CHECK_FALSE(same_bits(a, b));
  plan.key_overrides = {{random::EntityKind::individual, 0, 1}};
  CHECK_THROWS_WITH(derive_keys(roster, set.master_seed(), plan), Catch::Contains("does not have"));
}

TEST_CASE("the stop flag ends an execution early", "[runner]") {
  const ReplicateSet set(small(), 1000, 1);
  std::atomic<bool> stop{false};
  DiscardSink sink;
  ExecutionOptions options;
  options.threads = 2;
  options.stop = &stop;
  options.on_progress = [&](std::uint64_t done, std::uint64_t) {
    if (done == 10) stop = true;
  };
  const ExecutionReport report = execute(set, sink, options);
  CHECK(report.interrupted);
  CHECK(report.runs_completed >= 10);
  CHECK(report.runs_completed < 1000);
}

TEST_CASE("the summary sink computes means and standard errors", "[runner]") {
  SummarySink s;
  for (const double x : {1.0, 2.0, 3.0, 4.0}) {
    RunRecord r;
    r.outcomes.fill(model::kMissing);
    model::at(r.outcomes, model::OutcomeId::capability) = x;
    s.write(r);
  }
  const OutcomeStats& c = s.stats(model::OutcomeId::capability);
  CHECK(c.count == 4);
  CHECK(c.mean == 2.5);
  CHECK(c.variance() == Approx(5.0 / 3.0));
  CHECK(c.standard_error() == Approx(std::sqrt(5.0 / 3.0 / 4.0)));
  CHECK(s.stats(model::OutcomeId::xrisk).count == 0);
  CHECK(s.runs() == 4);
}
