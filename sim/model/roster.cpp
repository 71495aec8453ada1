#include "model/roster.hpp"

#include <algorithm>
#include <cmath>

namespace normsim::model {

std::int64_t interpretability_count(double share, std::int64_t n) noexcept {
  const double exact = share * static_cast<double>(n);
  // Halves round up (docs/model.md); the relative slack keeps 0.29 · 50 = 14.499999999999998 at 15.
  return static_cast<std::int64_t>(std::floor(exact + 0.5 + 1e-9 * std::max(1.0, exact)));
}

Roster build_roster(const ModelParams& params) {
  Roster roster;
  const std::size_t lab_count = params.labs.sizes.size();
  roster.lab_begin.reserve(lab_count + 1);
  std::uint64_t regular_index = 0;
  for (std::size_t l = 0; l < lab_count; ++l) {
    roster.lab_begin.push_back(roster.researchers.size());
    const std::int64_t n = params.labs.sizes[l];
    const std::int64_t interp = interpretability_count(params.labs.interp_fraction[l], n);
    for (std::int64_t i = 0; i < n; ++i) {
      RosterEntry e;
      e.lab = static_cast<std::int64_t>(l);
      e.focus = i < interp ? Focus::interpretability : Focus::capabilities;
      e.kind = random::EntityKind::researcher;
      e.entity_index = regular_index++;
      roster.researchers.push_back(e);
    }
    for (std::size_t p = 0; p < params.individuals.size(); ++p) {
      const PinnedResearcher& pinned = params.individuals[p];
      if (pinned.lab != static_cast<std::int64_t>(l)) continue;
      RosterEntry e;
      e.lab = pinned.lab;
      e.focus = pinned.focus;
      e.talent = pinned.talent;
      e.result_rate = pinned.result_rate;
      e.kind = random::EntityKind::individual;
      e.entity_index = p;
      roster.researchers.push_back(e);
    }
  }
  roster.lab_begin.push_back(roster.researchers.size());
  return roster;
}

}  // namespace normsim::model
