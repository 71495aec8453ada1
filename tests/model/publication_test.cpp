// The publication rule and the embargo (issue 2, item 9).
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace normsim;
using namespace normsim::model;
using test::keys_for;
using test::run_to_end;

TEST_CASE("publication frequency per category is π·(a + (1 − a)(1 − c)) within 4 SE", "[model][statistical]") {
  ModelParams p = test::small_world();
  p.labs.interp_fraction = {0.5, 0.5, 0.5};
  p.labs.propensity_capabilities = 0.6;
  p.labs.propensity_interpretability = 0.85;
  p.adaptation.enabled = false;  // π stays at its initial value
  p.research.spill_probability = 0.4;
  p.research.screen_sensitivity = 0.6;
  p.research.screen_false_positive = 0.3;  // all three categories occur
  p.norm.allow = {0.3, 0.55, 0.2};
  p.norm.compliance = 0.7;
  p.world.steps = 100;
  p.world.stop_at_transformative = false;

  std::array<double, kCategoryCount> results{};
  std::array<double, kCategoryCount> published{};
  std::array<double, kCategoryCount> defections{};
  for (std::uint64_t rep = 0; rep < 60; ++rep) {
    Model m(p, keys_for(p, 21, rep));
    run_to_end(m);
    for (std::size_t l = 0; l < m.lab_count(); ++l) {
      for (std::size_t k = 0; k < kCategoryCount; ++k) {
        results[k] += static_cast<double>(m.tally(l).results[k]);
        published[k] += static_cast<double>(m.tally(l).published[k]);
        defections[k] += static_cast<double>(m.tally(l).defections[k]);
      }
    }
  }
  const std::array<double, kCategoryCount> pi{p.labs.propensity_capabilities, p.labs.propensity_interpretability,
                                              p.labs.propensity_interpretability};
  const double c = p.norm.compliance;
  for (std::size_t k = 0; k < kCategoryCount; ++k) {
    const double a = p.norm.allow[k];
    const double expected = pi[k] * (a + (1 - a) * (1 - c));
    const double expected_defection = pi[k] * (1 - a) * (1 - c);
    REQUIRE(results[k] > 1000);
    const double freq = published[k] / results[k];
    const double se = std::sqrt(expected * (1 - expected) / results[k]);
    const double defect = defections[k] / results[k];
    const double se_defect = std::sqrt(expected_defection * (1 - expected_defection) / results[k]);
    INFO("category " << k << ": " << freq << " vs " << expected << " (SE " << se << "), n = " << results[k]);
    CHECK(std::abs(freq - expected) < 4 * se);
    CHECK(std::abs(defect - expected_defection) < 4 * se_defect);
  }
}

TEST_CASE("a result published with embargo e reaches the pool exactly e steps later", "[model]") {
  for (const std::int64_t e : {0, 1, 3, 7}) {
    ModelParams p = test::small_world();
    p.labs.propensity_capabilities = 1.0;
    p.labs.propensity_interpretability = 0.0;  // only capabilities results are published
    p.adaptation.enabled = false;
    p.norm = preset_norm(NormPreset::open);
    p.norm.embargo = {e, 0, 0};
    p.world.steps = 40;
    p.world.stop_at_transformative = false;

    Model m(p, keys_for(p, 8, static_cast<std::uint64_t>(e)));
    std::vector<double> published_at;  // capability published at step t (index t − 1)
    std::vector<double> pool_after;
    run_to_end(m, [&](const Model& s) {
      const StepFlows& f = s.last_flows();
      published_at.push_back(f.released_capability + f.embargoed_capability);
      pool_after.push_back(s.public_capability());
      CHECK(s.public_interpretability() == 0.0);
    });
    // The pool after step t holds everything published at steps ≤ t − e.
    double released = 0;
    for (std::size_t t = 1; t <= published_at.size(); ++t) {
      if (static_cast<std::int64_t>(t) - e >= 1) released += published_at[t - 1 - static_cast<std::size_t>(e)];
      INFO("e = " << e << ", after step " << t);
      CHECK(pool_after[t - 1] == Approx(released).epsilon(1e-12).margin(1e-12));
    }
    // And not earlier: one step of lag less would give another pool (published amounts are > 0).
    if (e > 0) CHECK(pool_after[static_cast<std::size_t>(e) - 1] == 0.0);
    CHECK(released > 0.0);
  }
}

TEST_CASE("embargoed results that would be released after T stay private", "[model]") {
  ModelParams p = test::small_world();
  p.labs.propensity_capabilities = 1.0;
  p.adaptation.enabled = false;
  p.norm = preset_norm(NormPreset::embargo_capabilities, 1000);
  p.norm.allow = {1.0, 0.0, 0.0};
  p.norm.compliance = 1.0;
  p.world.steps = 30;
  p.world.stop_at_transformative = false;
  Model m(p, keys_for(p, 4, 0));
  run_to_end(m);
  CHECK(m.public_capability() == 0.0);
  CHECK(m.private_capability(0) > 0.0);
}

TEST_CASE("a labs.noncompliant lab publishes as if there were no norm and the others obey", "[model][statistical]") {
  // Closed norm, compliance 1: only lab 1 (non-compliant) publishes, at its propensity π per
  // category (desire ∧ ¬complies with c = 0); the other labs publish nothing.
  ModelParams p = test::small_world();
  p.adaptation.enabled = false;
  p.norm = preset_norm(NormPreset::closed);
  p.norm.compliance = 1.0;
  p.labs.noncompliant = {1};
  p.world.steps = 100;
  p.world.stop_at_transformative = false;
  double results = 0;
  double published = 0;
  for (std::uint64_t rep = 0; rep < 20; ++rep) {
    Model m(p, keys_for(p, 8, rep));
    run_to_end(m);
    for (std::size_t l = 0; l < m.lab_count(); ++l) {
      const auto& tally = m.tally(l);
      if (l != 1) {
        for (std::size_t k = 0; k < kCategoryCount; ++k) REQUIRE(tally.published[k] == 0);
        continue;
      }
      results += static_cast<double>(tally.results[0]);
      published += static_cast<double>(tally.published[0]);
      CHECK(tally.defections[0] == tally.published[0]);  // everything it publishes defies the norm
    }
  }
  const double pi = p.labs.propensity_capabilities;
  REQUIRE(results > 1000);
  const double se = std::sqrt(pi * (1 - pi) / results);
  CHECK(std::abs(published / results - pi) < 4 * se);
  // Without the non-compliant lab, the same keys publish nothing at all.
  ModelParams none = p;
  none.labs.noncompliant.clear();
  Model obeyed(none, keys_for(none, 8, 0));
  CHECK(at(run_to_end(obeyed), OutcomeId::published_fraction) == 0.0);
}

TEST_CASE("result counts stay exact in steps with more results than a packed count field holds", "[model]") {
  // The hot loop counts a lab's results per category in 21-bit fields of one word (production.cpp)
  // and unpacks them at the end of the step, or after every segment once a step has more than
  // 2^21 − 1 results. Lab 0 here has only capabilities researchers and about 2.25 million results
  // per step: a field that overflowed would carry into the interpretability categories' counts.
  ModelParams p;
  p.labs.sizes = {150, 20};
  p.labs.interp_fraction = {0.0, 0.5};
  p.labs.compute_sigma = 0.0;
  p.researchers.talent_sigma = 0.0;
  p.researchers.result_rate = 15000.0;  // results per researcher and step
  p.labs.propensity_capabilities = 1.0;
  p.labs.propensity_interpretability = 1.0;
  p.adaptation.enabled = false;
  p.norm = preset_norm(NormPreset::open);  // with π = 1 every result is published
  p.world.steps = 2;
  p.world.stop_at_transformative = false;
  Model m(p, keys_for(p, 4, 0));
  std::uint64_t previous = 0;
  while (!m.finished()) {
    m.step();
    std::uint64_t lab0 = 0;
    for (std::size_t j = 0; j < 150; ++j) lab0 += m.results_of(j);
    INFO("lab 0 after step " << m.steps_run() << ": " << lab0 << " results");
    REQUIRE(lab0 - previous > (std::uint64_t{1} << 21));  // this step overflows one field
    previous = lab0;
  }
  for (std::size_t l = 0; l < m.lab_count(); ++l) {
    std::uint64_t produced = 0;
    for (std::size_t j = m.roster().lab_begin[l]; j < m.roster().lab_begin[l + 1]; ++j) produced += m.results_of(j);
    const LabTally& tally = m.tally(l);
    INFO("lab " << l);
    CHECK(tally.results[0] + tally.results[1] + tally.results[2] == produced);
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      CHECK(tally.published[k] == tally.results[k]);
      CHECK(tally.defections[k] == 0);
    }
  }
  CHECK(m.tally(0).results[1] == 0);
  CHECK(m.tally(0).results[2] == 0);
  CHECK(m.tally(1).results[1] + m.tally(1).results[2] > 0);
}
