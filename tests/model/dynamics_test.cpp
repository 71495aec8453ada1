// Cross-output consistency: the hazard and survival follow docs/model.md's formulas from the recorded
// series; leaks conserve knowledge; outcomes agree with the state they summarise.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

using namespace normsim;
using namespace normsim::model;
using test::keys_for;
using test::run_to_end;

namespace {

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double formula_hazard(const HazardParams& h, double c, double i) {
  const double danger = logistic((std::log1p(c) - std::log1p(h.danger_capability)) / h.width);
  const double gap = logistic((std::log1p(c) - std::log1p(h.understanding_cover * i)) / h.width);
  return h.max * danger * gap;
}

ModelParams dangerous_world() {
  ModelParams p = test::small_world();
  p.researchers.result_rate = 2.0;
  p.hazard.danger_capability = 50.0;
  p.hazard.transformative_capability = 2000.0;
  p.hazard.max = 0.5;
  return p;
}

}  // namespace

TEST_CASE("frontier hazard and survival follow the formulas of docs/model.md 7.6", "[model]") {
  for (const auto basis : {HazardBasis::progress, HazardBasis::time}) {
    ModelParams p = dangerous_world();
    p.hazard.basis = basis;
    Model m(p, keys_for(p, 2, 0));
    double previous = 0;
    double survival = 1;
    run_to_end(m, [&](const Model& s) {
      const StepValues& v = s.last_step();
      const double c = at(v, SeriesId::frontier_capability);
      const double delta = basis == HazardBasis::progress ? std::log1p(c) - std::log1p(previous) : 1.0;
      const double expected = formula_hazard(p.hazard, c, at(v, SeriesId::frontier_interpretability)) * delta;
      CHECK(at(v, SeriesId::hazard) == Approx(expected).epsilon(1e-12).margin(1e-15));
      survival *= 1 - std::min(1.0, at(v, SeriesId::hazard));
      previous = c;
    });
    const Outcomes o = m.outcomes();
    CHECK(at(o, OutcomeId::xrisk) == Approx(1 - survival).epsilon(1e-12));
    CHECK(at(o, OutcomeId::xrisk) > 0.0);
    CHECK(at(o, OutcomeId::capability) == previous);
  }
}

TEST_CASE("the frontier is the lab with the largest accessible capability", "[model]") {
  ModelParams p = dangerous_world();
  p.norm = preset_norm(NormPreset::closed);
  p.norm.compliance = 1.0;
  Model m(p, keys_for(p, 12, 0));
  run_to_end(m, [](const Model& s) {
    double best = 0;
    std::size_t best_lab = 0;
    for (std::size_t l = 0; l < s.lab_count(); ++l) {
      const double c = s.private_capability(l) + s.public_capability();
      if (c > best) {
        best = c;
        best_lab = l;
      }
    }
    CHECK(at(s.last_step(), SeriesId::frontier_capability) == Approx(best).epsilon(1e-14));
    CHECK(at(s.last_step(), SeriesId::frontier_interpretability) ==
          Approx(s.private_interpretability(best_lab) + s.public_interpretability()).epsilon(1e-14));
  });
}

TEST_CASE("with one lab, every_lab scope equals frontier scope", "[model]") {
  ModelParams p = dangerous_world();
  p.labs.sizes = {20};
  p.labs.interp_fraction = {0.2};
  Model frontier(p, keys_for(p, 6, 0));
  p.hazard.scope = HazardScope::every_lab;
  Model every(p, keys_for(p, 6, 0));
  const Outcomes a = run_to_end(frontier);
  const Outcomes b = run_to_end(every);
  CHECK(at(a, OutcomeId::xrisk) == Approx(at(b, OutcomeId::xrisk)).epsilon(1e-12));
  CHECK(at(a, OutcomeId::xrisk) > 0.0);
}

TEST_CASE("every_lab scope multiplies the labs' survivals", "[model]") {
  ModelParams p = dangerous_world();
  p.hazard.scope = HazardScope::every_lab;
  p.hazard.basis = HazardBasis::time;  // Δ = 1: the per-lab hazard depends on the state only
  Model m(p, keys_for(p, 7, 0));
  double survival = 1;
  run_to_end(m, [&](const Model& s) {
    double step_survival = 1;
    for (std::size_t l = 0; l < s.lab_count(); ++l) {
      const double h = formula_hazard(p.hazard, s.private_capability(l) + s.public_capability(),
                                      s.private_interpretability(l) + s.public_interpretability());
      step_survival *= 1 - std::min(1.0, h);
    }
    CHECK(at(s.last_step(), SeriesId::hazard) == Approx(1 - step_survival).epsilon(1e-12));
    survival *= step_survival;
  });
  CHECK(m.survival() == Approx(survival).epsilon(1e-12));
}

TEST_CASE("leaks move knowledge to the pool and conserve it", "[model]") {
  ModelParams p = test::small_world();
  p.norm = preset_norm(NormPreset::embargo_capabilities, 5);
  p.labs.leak_rate = 0.1;
  p.world.steps = 50;
  p.world.stop_at_transformative = false;
  Model m(p, keys_for(p, 13, 0));
  double produced_c = 0;
  double produced_i = 0;
  run_to_end(m, [&](const Model& s) {
    const StepFlows& f = s.last_flows();
    produced_c += f.released_capability + f.embargoed_capability + f.private_capability;
    produced_i += f.released_interpretability + f.embargoed_interpretability + f.private_interpretability;
    double held_c = s.public_capability();
    double held_i = s.public_interpretability();
    for (std::size_t l = 0; l < s.lab_count(); ++l) {
      held_c += s.private_capability(l);
      held_i += s.private_interpretability(l);
    }
    CHECK(held_c == Approx(produced_c).epsilon(1e-12));
    CHECK(held_i == Approx(produced_i).epsilon(1e-12));
  });
  // With a closed norm nothing is published, so everything public came through leaks.
  p.norm = preset_norm(NormPreset::closed);
  p.norm.compliance = 1.0;
  Model closed(p, keys_for(p, 13, 0));
  run_to_end(closed);
  CHECK(closed.public_capability() > 0.0);
  for (std::size_t l = 0; l < closed.lab_count(); ++l) CHECK(closed.private_capability(l) > 0.0);
}

TEST_CASE("outcomes agree with the state and the series", "[model]") {
  ModelParams p = test::small_world();
  p.labs.sizes = {60, 40, 20};
  Model m(p, keys_for(p, 14, 0));
  std::vector<StepValues> series;
  run_to_end(m, [&](const Model& s) { series.push_back(s.last_step()); });
  const Outcomes o = m.outcomes();
  double results = 0;
  double published = 0;
  double defections = 0;
  for (std::size_t l = 0; l < m.lab_count(); ++l) {
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      results += static_cast<double>(m.tally(l).results[k]);
      published += static_cast<double>(m.tally(l).published[k]);
      defections += static_cast<double>(m.tally(l).defections[k]);
    }
  }
  double by_researcher = 0;
  for (std::size_t j = 0; j < m.researcher_count(); ++j) by_researcher += static_cast<double>(m.results_of(j));
  CHECK(at(o, OutcomeId::results) == results);
  CHECK(by_researcher == results);
  CHECK(at(o, OutcomeId::published_fraction) == published / results);
  CHECK(at(o, OutcomeId::defections) == defections);
  CHECK(at(o, OutcomeId::steps_run) == static_cast<double>(series.size()));
  CHECK(at(o, OutcomeId::capability) == at(series.back(), SeriesId::frontier_capability));
  CHECK(at(o, OutcomeId::interpretability) == at(series.back(), SeriesId::frontier_interpretability));
  CHECK(at(o, OutcomeId::public_capability_share) == m.public_capability() / at(o, OutcomeId::capability));
  CHECK(at(o, OutcomeId::mean_propensity_capabilities) == at(series.back(), SeriesId::mean_propensity_capabilities));
  // Open norm by default: something is published; the stop ends the run at the threshold.
  CHECK(published > 0);
  if (!std::isnan(at(o, OutcomeId::t_transform))) {
    CHECK(at(o, OutcomeId::t_transform) == at(o, OutcomeId::steps_run));
    CHECK(at(o, OutcomeId::capability) >= p.hazard.transformative_capability);
  }
}

TEST_CASE("adaptation keeps propensities in [0, 1] and moves them only through imitation or mutation", "[model]") {
  ModelParams p = test::small_world();
  p.world.steps = 120;
  p.world.stop_at_transformative = false;
  // Without mutation every lab only copies others, and all start equal: nothing can change.
  p.adaptation.mutation = 0.0;
  Model still(p, keys_for(p, 15, 0));
  run_to_end(still);
  for (std::size_t l = 0; l < still.lab_count(); ++l) {
    CHECK(still.propensity_capabilities(l) == p.labs.propensity_capabilities);
    CHECK(still.propensity_interpretability(l) == p.labs.propensity_interpretability);
  }
  // With mutation on every review, propensities wander but stay probabilities.
  p.adaptation.mutation = 1.0;
  Model moving(p, keys_for(p, 15, 0));
  bool changed = false;
  run_to_end(moving, [&](const Model& s) {
    for (std::size_t l = 0; l < s.lab_count(); ++l) {
      REQUIRE(s.propensity_capabilities(l) >= 0.0);
      REQUIRE(s.propensity_capabilities(l) <= 1.0);
      REQUIRE(s.propensity_interpretability(l) >= 0.0);
      REQUIRE(s.propensity_interpretability(l) <= 1.0);
      changed = changed || s.propensity_capabilities(l) != p.labs.propensity_capabilities;
    }
  });
  CHECK(changed);
  // Reviews happen only after steps with t mod M = 0.
  p.adaptation.every = 7;
  Model periodic(p, keys_for(p, 15, 0));
  double last = p.labs.propensity_capabilities;
  run_to_end(periodic, [&](const Model& s) {
    const double now = s.propensity_capabilities(0);
    if (s.steps_run() % 7 != 0) CHECK(now == last);
    last = now;
  });
}

TEST_CASE("a run is a deterministic function of its parameters and keys", "[model]") {
  const ModelParams p = test::small_world();
  Model a(p, keys_for(p, 99, 3));
  Model b(p, keys_for(p, 99, 3));
  std::vector<StepValues> sa;
  std::vector<StepValues> sb;
  run_to_end(a, [&](const Model& s) { sa.push_back(s.last_step()); });
  run_to_end(b, [&](const Model& s) { sb.push_back(s.last_step()); });
  CHECK(sa.size() == sb.size());
  CHECK(std::memcmp(sa.data(), sb.data(), sa.size() * sizeof(StepValues)) == 0);
  const Outcomes oa = a.outcomes();
  const Outcomes ob = b.outcomes();
  CHECK(std::memcmp(oa.data(), ob.data(), sizeof(Outcomes)) == 0);
  Model c(p, keys_for(p, 99, 4));
  CHECK(at(run_to_end(c), OutcomeId::results) != at(oa, OutcomeId::results));
}
