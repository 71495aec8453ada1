// Variance attribution on the model itself (issue 4, item 4): exact pick-freeze over entity keys
// gives indices that obey the identities of a partition of the inputs.
#include "analysis/attribution/sobol_indices.hpp"
#include "runner/attribution_sets.hpp"
#include "runner/execute.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace normsim;
using namespace normsim::runner;

namespace {

/// Outcome `id` of every run of a pick-freeze set, in run order.
std::vector<double> outcomes_of(const PickFreezeSet& set, model::OutcomeId id) {
  struct Sink final : RunSink {
    std::vector<double> y;
    model::OutcomeId id{};
    void write(const RunRecord& r) override { y[r.run_index] = model::at(r.outcomes, id); }
  } sink;
  sink.y.assign(set.size(), std::nan(""));
  sink.id = id;
  ExecutionOptions options;
  options.record.series = false;
  execute(set, sink, options);
  return sink.y;
}

analysis::SobolIndices indices(const PickFreezeSet& set, const std::vector<double>& y, std::size_t groups) {
  const auto n = static_cast<std::size_t>(set.rows());
  const std::span<const double> all(y);
  analysis::PickFreezeOutputs out{all.subspan(0, n), all.subspan(n, n), {}};
  for (std::size_t g = 0; g < groups; ++g) out.y_ab.push_back(all.subspan((2 + g) * n, n));
  analysis::BootstrapSettings settings;
  settings.resamples = 300;
  return analysis::sobol_indices(out, settings);
}

model::ModelParams small_field() {
  model::ModelParams p;
  p.labs.sizes = {6, 5, 4};
  p.labs.interp_fraction = {0.34, 0.4, 0.25};
  p.world.steps = 40;
  p.world.stop_at_transformative = false;
  return p;
}

std::vector<EntityRef> all_researchers(const model::Roster& roster) {
  std::vector<EntityRef> out;
  for (const model::RosterEntry& e : roster.researchers) out.push_back({e.kind, e.entity_index});
  return out;
}

std::vector<EntityRef> all_labs(const model::Roster& roster) {
  std::vector<EntityRef> out;
  for (std::size_t l = 0; l < roster.lab_count(); ++l) out.push_back({random::EntityKind::lab, l});
  return out;
}

/// 4 standard errors of a sum of two estimates (treated as independent: conservative enough here,
/// since both come from the same rows and their errors are positively correlated).
double four_se(const analysis::Estimate& a, const analysis::Estimate& b) {
  return 4.0 * std::sqrt(a.standard_error * a.standard_error + b.standard_error * b.standard_error);
}

}  // namespace

TEST_CASE("labs and researchers partition the inputs: sum S is at most 1, sum ST at least 1", "[attribution][model][slow]") {
  const std::shared_ptr<const Point> point = make_point(small_field(), 3);
  const std::vector<KeyGroup> groups{{"labs", all_labs(*point->roster)}, {"researchers", all_researchers(*point->roster)}};
  const PickFreezeSet set(point, groups, 512, 21, true);
  for (const model::OutcomeId id : {model::OutcomeId::capability, model::OutcomeId::xrisk}) {
    INFO("outcome " << static_cast<int>(id));
    const analysis::SobolIndices s = indices(set, outcomes_of(set, id), 2);
    const analysis::Estimate& s_labs = s.first_order[0];
    const analysis::Estimate& s_res = s.first_order[1];
    const analysis::Estimate& st_labs = s.total[0];
    const analysis::Estimate& st_res = s.total[1];
    CHECK(s_labs.value + s_res.value <= 1.0 + four_se(s_labs, s_res));
    CHECK(st_labs.value + st_res.value >= 1.0 - four_se(st_labs, st_res));
    // With two groups that hold every input: ST_labs = 1 − S_researchers and vice versa.
    CHECK(std::abs(st_labs.value + s_res.value - 1.0) <= four_se(st_labs, s_res));
    CHECK(std::abs(st_res.value + s_labs.value - 1.0) <= four_se(st_res, s_labs));
  }
}

TEST_CASE("when only one researcher produces, that researcher explains all variance not due to labs", "[attribution][model][slow]") {
  model::ModelParams p = small_field();
  p.researchers.result_rate = 0.0;  // every regular researcher idle …
  p.individuals.push_back({1, model::Focus::capabilities, std::nullopt, 2.0});  // … but one, with a rate of its own
  const std::shared_ptr<const Point> point = make_point(p, 4);
  std::vector<EntityRef> idle;
  for (const model::RosterEntry& e : point->roster->researchers) {
    if (e.kind == random::EntityKind::researcher) idle.push_back({e.kind, e.entity_index});
  }
  const std::vector<KeyGroup> groups{{"labs", all_labs(*point->roster)},
                                     {"the producer", {{random::EntityKind::individual, 0}}},
                                     {"idle researchers", idle}};
  const PickFreezeSet set(point, groups, 512, 8, true);
  const analysis::SobolIndices s = indices(set, outcomes_of(set, model::OutcomeId::capability), 3);
  // The idle researchers draw nothing: exactly zero.
  CHECK(s.first_order[2].value == 0.0);
  CHECK(s.total[2].value == 0.0);
  // The producer's total index is everything the labs' first-order index leaves.
  CHECK(std::abs(s.total[1].value + s.first_order[0].value - 1.0) <= four_se(s.total[1], s.first_order[0]));
  CHECK(s.total[1].value > 0.5);
}
