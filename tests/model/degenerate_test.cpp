// Degenerate parameter sets with analytic answers (issue 2, item 9). Statistical checks use a
// tolerance of 4 standard errors of the sample mean.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace normsim;
using namespace normsim::model;
using test::keys_for;
using test::mean_se;
using test::run_to_end;

namespace {

ModelParams closed_and_obeyed() {
  ModelParams p = test::small_world();
  p.norm = preset_norm(NormPreset::closed);
  p.norm.compliance = 1.0;
  return p;
}

}  // namespace

TEST_CASE("with φ = 0 and nothing published, E[C_ℓ(t)] = t·r·E[K^β]·n_cap·E[θ]", "[model][statistical][slow]") {
  ModelParams p = closed_and_obeyed();
  p.research.phi_capabilities = 0.0;
  p.research.spill_probability = 0.0;  // only capabilities researchers add capability
  p.labs.compute_sigma = 1.0;
  p.labs.compute_elasticity = 0.7;
  p.researchers.result_rate = 0.4;
  p.world.steps = 20;
  p.world.stop_at_transformative = false;
  const Roster roster = build_roster(p);

  // E[K^β] for K ~ LogNormal(−σ²/2, σ): exp(βμ + β²σ²/2) = exp(σ²β(β − 1)/2). E[θ] = 1.
  const double sigma = p.labs.compute_sigma;
  const double beta = p.labs.compute_elasticity;
  const double expected_k_beta = std::exp(sigma * sigma * beta * (beta - 1.0) / 2.0);

  constexpr std::uint64_t replicates = 3000;
  const std::size_t labs = roster.lab_count();
  std::vector<std::vector<double>> stock(labs);
  for (std::uint64_t rep = 0; rep < replicates; ++rep) {
    Model m(p, keys_for(p, 11, rep));
    run_to_end(m);
    for (std::size_t l = 0; l < labs; ++l) stock[l].push_back(m.private_capability(l));
  }
  for (std::size_t l = 0; l < labs; ++l) {
    std::int64_t capabilities = 0;
    for (std::size_t j = roster.lab_begin[l]; j < roster.lab_begin[l + 1]; ++j) {
      capabilities += roster.researchers[j].focus == Focus::capabilities ? 1 : 0;
    }
    const double expected = static_cast<double>(p.world.steps) * p.researchers.result_rate * expected_k_beta *
                            static_cast<double>(capabilities) * 1.0;
    const auto [mean, se] = mean_se(stock[l]);
    INFO("lab " << l << ": mean " << mean << " ± " << se << ", expected " << expected);
    CHECK(std::abs(mean - expected) < 4.0 * se);
  }
}

TEST_CASE("with spill probability 0, interpretability researchers never add capability", "[model]") {
  ModelParams p = test::small_world();
  p.labs.interp_fraction = {1.0, 1.0, 1.0};
  p.research.spill_probability = 0.0;
  p.world.steps = 60;
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    Model m(p, keys_for(p, 3, rep));
    run_to_end(m, [](const Model& s) { REQUIRE(at(s.last_step(), SeriesId::frontier_capability) == 0.0); });
    CHECK(at(m.outcomes(), OutcomeId::interpretability) > 0.0);
    for (std::size_t l = 0; l < m.lab_count(); ++l) CHECK(m.private_capability(l) == 0.0);
    CHECK(m.public_capability() == 0.0);
  }
  // The same world with spills does gain capability: the check above can fail.
  p.research.spill_probability = 1.0;
  Model spilling(p, keys_for(p, 3, 0));
  CHECK(at(run_to_end(spilling), OutcomeId::capability) > 0.0);
}

TEST_CASE("closed norm with compliance 1 keeps both public pools at 0", "[model]") {
  ModelParams p = closed_and_obeyed();
  p.world.steps = 80;
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    Model m(p, keys_for(p, 5, rep));
    run_to_end(m, [](const Model& s) {
      REQUIRE(at(s.last_step(), SeriesId::public_capability) == 0.0);
      REQUIRE(at(s.last_step(), SeriesId::public_interpretability) == 0.0);
    });
    CHECK(at(m.outcomes(), OutcomeId::published_fraction) == 0.0);
    CHECK(at(m.outcomes(), OutcomeId::capability) > 0.0);
  }
  // Compliance below 1 lets defections through: the pools do fill.
  p.norm.compliance = 0.5;
  Model leaky(p, keys_for(p, 5, 0));
  run_to_end(leaky);
  CHECK(leaky.public_capability() > 0.0);
  CHECK(at(leaky.outcomes(), OutcomeId::defections) > 0.0);
}

TEST_CASE("hazard.max = 0 gives xrisk 0", "[model]") {
  ModelParams p = test::small_world();
  p.hazard.max = 0.0;
  p.hazard.danger_capability = 0.0;  // as dangerous as possible otherwise
  for (const auto basis : {HazardBasis::progress, HazardBasis::time}) {
    for (const auto scope : {HazardScope::frontier, HazardScope::every_lab}) {
      p.hazard.basis = basis;
      p.hazard.scope = scope;
      Model m(p, keys_for(p, 9, 0));
      CHECK(at(run_to_end(m), OutcomeId::xrisk) == 0.0);
    }
  }
  p.hazard.max = 0.2;
  Model m(p, keys_for(p, 9, 0));
  CHECK(at(run_to_end(m), OutcomeId::xrisk) > 0.0);
}

TEST_CASE("a transformative threshold of 0 stops the run after the first step", "[model]") {
  ModelParams p = test::small_world();
  p.hazard.transformative_capability = 0.0;
  Model m(p, keys_for(p, 1, 0));
  const Outcomes o = run_to_end(m);
  CHECK(m.steps_run() == 1);
  CHECK(at(o, OutcomeId::steps_run) == 1.0);
  CHECK(at(o, OutcomeId::t_transform) == 1.0);
  // Without the stop the run goes on to T and still records step 1.
  p.world.stop_at_transformative = false;
  Model full(p, keys_for(p, 1, 0));
  const Outcomes f = run_to_end(full);
  CHECK(full.steps_run() == p.world.steps);
  CHECK(at(f, OutcomeId::t_transform) == 1.0);
}

TEST_CASE("steps are numbered in 32 bits: a larger world.steps is refused, the largest allowed runs", "[model]") {
  ModelParams p = test::small_world();
  p.world.steps = kMaxModelSteps;
  CHECK_THROWS_AS(Model(p, keys_for(p, 1, 0)), std::invalid_argument);
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  // One below: a researcher's due step is then never the "never due" marker. Stop at once.
  p.world.steps = kMaxModelSteps - 1;
  p.hazard.transformative_capability = 0.0;
  CHECK_NOTHROW(validate(p));
  Model m(p, keys_for(p, 1, 0));
  m.step();
  CHECK(m.finished());
}
