#pragma once
// Helpers for model tests: keys for a replicate, small parameter sets, running to the end.
#include "model/model.hpp"
#include "random/keys.hpp"

#include <cmath>
#include <functional>
#include <vector>

namespace normsim::test {

/// Keys as the runner derives them (seed, point 0, replicate), without depending on the runner.
inline model::EntityKeys keys_for(const model::ModelParams& p, std::uint64_t seed, std::uint64_t replicate) {
  const model::Roster roster = model::build_roster(p);
  model::EntityKeys keys;
  for (std::size_t l = 0; l < roster.lab_count(); ++l) {
    keys.labs.push_back(random::derive_key({seed, 0, replicate, random::EntityKind::lab, l}));
  }
  for (const auto& r : roster.researchers) {
    keys.researchers.push_back(random::derive_key({seed, 0, replicate, r.kind, r.entity_index}));
  }
  return keys;
}

/// A small world for fast statistical tests: 3 labs of 10, 8 and 6 researchers.
inline model::ModelParams small_world() {
  model::ModelParams p;
  p.labs.sizes = {10, 8, 6};
  p.labs.interp_fraction = {0.3, 0.25, 0.5};
  return p;
}

/// Runs to the end, calling `each_step(model)` after every step.
inline model::Outcomes run_to_end(model::Model& m, const std::function<void(const model::Model&)>& each_step = {}) {
  while (!m.finished()) {
    m.step();
    if (each_step) each_step(m);
  }
  return m.outcomes();
}

/// Mean and standard error of a sample.
struct MeanSe {
  double mean = 0;
  double se = 0;
};

inline MeanSe mean_se(const std::vector<double>& x) {
  double sum = 0;
  for (const double v : x) sum += v;
  const double mean = sum / static_cast<double>(x.size());
  double ss = 0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
}

}  // namespace normsim::test
