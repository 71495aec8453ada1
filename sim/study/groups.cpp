#include "study/groups.hpp"

#include "model/model.hpp"
#include "random/streams.hpp"
#include "study/domains.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <numeric>

namespace normsim::study {

using output::FactorKind;

void GroupSet::add(runner::KeyGroup group, FactorKind kind) {
  groups.push_back(std::move(group));
  kinds.push_back(kind);
}

std::string researcher_label(const model::RosterEntry& e) {
  const bool pinned = e.kind == random::EntityKind::individual;
  return fmt::format("{} {} (lab {}, {})", pinned ? "individual" : "researcher", e.entity_index, e.lab,
                     e.focus == model::Focus::capabilities ? "capabilities" : "interpretability");
}

std::vector<runner::EntityRef> members_of(const model::Roster& roster, const scenario::EntityRef& ref) {
  std::vector<runner::EntityRef> out;
  using K = scenario::EntityRefKind;
  switch (ref.kind) {
    case K::lab:
      out.push_back({random::EntityKind::lab, ref.index});
      break;
    case K::labs:
      for (std::size_t l = 0; l < roster.lab_count(); ++l) out.push_back({random::EntityKind::lab, l});
      break;
    case K::researcher:
      out.push_back({random::EntityKind::researcher, ref.index});
      break;
    case K::individual:
      out.push_back({random::EntityKind::individual, ref.index});
      break;
    case K::lab_researchers:
    case K::researchers:
      for (const model::RosterEntry& e : roster.researchers) {
        if (ref.kind == K::researchers || static_cast<std::uint64_t>(e.lab) == ref.index) {
          out.push_back({e.kind, e.entity_index});
        }
      }
      break;
  }
  return out;
}

std::vector<std::size_t> tracked_researchers(const runner::Point& point, const scenario::ResearcherSelection& sel,
                                             std::uint64_t master_seed, std::uint64_t sample_seed) {
  const std::size_t m = point.roster->researchers.size();
  std::vector<std::size_t> all(m);
  std::iota(all.begin(), all.end(), std::size_t{0});
  using K = scenario::ResearcherSelectionKind;
  if (sel.kind == K::all) return all;
  if (sel.kind == K::none) return {};
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(sel.count), m);
  if (sel.kind == K::top_talent) {
    runner::RunPlan row0;
    row0.stream_point = point.stream_id;
    const model::Model model(point.params, point.roster, runner::derive_keys(*point.roster, master_seed, row0));
    std::stable_sort(all.begin(), all.end(), [&](std::size_t a, std::size_t b) { return model.talent(a) > model.talent(b); });
  } else {
    const auto domain = static_cast<std::uint64_t>(DesignDomain::researcher_sample);
    for (std::size_t i = 0; i + 1 < m; ++i) {  // Fisher–Yates, first k positions
      const std::size_t j = i + static_cast<std::size_t>(random::philox64({i, 0, 0, 0}, {sample_seed, domain})[0] % (m - i));
      std::swap(all[i], all[j]);
    }
  }
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

namespace {

/// "all labs" and "all researchers" over the given entities.
void add_whole_kinds(GroupSet& set, std::vector<runner::EntityRef> labs, std::vector<runner::EntityRef> everyone) {
  set.add({"all labs", std::move(labs)}, FactorKind::group);
  set.add({"all researchers", std::move(everyone)}, FactorKind::group);
}

}  // namespace

GroupSet roster_groups(const model::Roster& roster, const std::vector<std::size_t>& researchers,
                       const std::vector<scenario::AttributionGroup>& custom) {
  GroupSet set;
  std::vector<runner::EntityRef> labs;
  std::vector<runner::EntityRef> everyone;
  for (std::size_t l = 0; l < roster.lab_count(); ++l) labs.push_back({random::EntityKind::lab, l});
  for (const model::RosterEntry& e : roster.researchers) everyone.push_back({e.kind, e.entity_index});
  add_whole_kinds(set, std::move(labs), std::move(everyone));
  for (std::size_t l = 0; l < roster.lab_count(); ++l) {
    set.add({fmt::format("lab {} stream", l), {{random::EntityKind::lab, l}}}, FactorKind::lab);
    runner::KeyGroup members{fmt::format("lab {} researchers", l), {}};
    for (std::size_t j = roster.lab_begin[l]; j < roster.lab_begin[l + 1]; ++j) {
      members.entities.push_back({roster.researchers[j].kind, roster.researchers[j].entity_index});
    }
    runner::KeyGroup whole{fmt::format("lab {}", l), {{random::EntityKind::lab, l}}};
    whole.entities.insert(whole.entities.end(), members.entities.begin(), members.entities.end());
    set.add(std::move(members), FactorKind::group);
    set.add(std::move(whole), FactorKind::lab_and_researchers);
  }
  for (const scenario::AttributionGroup& g : custom) {
    runner::KeyGroup group{g.name, {}};
    for (const scenario::EntityRef& ref : g.members) {
      const std::vector<runner::EntityRef> m = members_of(roster, ref);
      group.entities.insert(group.entities.end(), m.begin(), m.end());
    }
    set.add(std::move(group), FactorKind::custom_group);
  }
  for (const std::size_t j : researchers) {
    const model::RosterEntry& e = roster.researchers[j];
    set.add({researcher_label(e), {{e.kind, e.entity_index}}}, FactorKind::researcher);
  }
  return set;
}

GroupSet whole_kind_groups(std::uint64_t max_labs, std::uint64_t max_researchers, std::uint64_t individuals,
                           const std::vector<scenario::AttributionGroup>& custom) {
  GroupSet set;
  std::vector<runner::EntityRef> labs;
  std::vector<runner::EntityRef> everyone;
  for (std::uint64_t l = 0; l < max_labs; ++l) labs.push_back({random::EntityKind::lab, l});
  for (std::uint64_t j = 0; j < max_researchers; ++j) everyone.push_back({random::EntityKind::researcher, j});
  for (std::uint64_t k = 0; k < individuals; ++k) everyone.push_back({random::EntityKind::individual, k});
  add_whole_kinds(set, labs, everyone);
  for (const scenario::AttributionGroup& g : custom) {
    runner::KeyGroup group{g.name, {}};
    for (const scenario::EntityRef& ref : g.members) {
      const std::vector<runner::EntityRef>& whole = ref.kind == scenario::EntityRefKind::labs ? labs : everyone;
      group.entities.insert(group.entities.end(), whole.begin(), whole.end());
    }
    set.add(std::move(group), FactorKind::custom_group);
  }
  return set;
}

}  // namespace normsim::study
