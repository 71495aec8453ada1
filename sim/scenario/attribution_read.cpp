// Reading `[[attribution.group]]` entries, and the checks of [attribution] that need the whole
// scenario: entity indices against the roster sizes, top_talent:K / sample:K against the number of
// researchers, and attribution.per_point against the [sweep].
#include "scenario/keys.hpp"
#include "scenario/read.hpp"

#include <fmt/format.h>

#include <numeric>

namespace normsim::scenario::detail {

namespace {

// Shapley effects over more groups cost too much (N·(d + 1) runs per permutation estimate, 2^d subsets).
constexpr std::size_t kMaxShapleyGroups = 12;

[[noreturn]] void fail_at(const Origins& origins, const std::string& name, const std::string& source,
                          const std::string& key, const std::string& message) {
  const auto it = origins.find(name);
  const Origin origin = it == origins.end() ? Origin{source, 0, 0} : it->second;
  throw ScenarioError(origin.source, origin.line, origin.column, key, message);
}

struct RosterSizes {
  std::uint64_t labs = 0;
  std::uint64_t researchers = 0;  ///< regular researchers: Σ labs.sizes
  std::uint64_t individuals = 0;  ///< [[individuals]]
};

// `ref` (written at `name`) against the roster sizes.
void check_entity(const EntityRef& ref, const std::string& name, const std::string& key, const RosterSizes& sizes,
                  const Origins& origins, const std::string& source) {
  std::uint64_t bound = 0;
  std::string why;
  switch (ref.kind) {
    case EntityRefKind::lab:
    case EntityRefKind::lab_researchers:
      bound = sizes.labs;
      why = fmt::format("labs.sizes has {} labs", sizes.labs);
      break;
    case EntityRefKind::researcher:
      bound = sizes.researchers;
      why = sizes.researchers == 0 ? std::string("labs.sizes has no researchers")
                                   : fmt::format("labs.sizes has {} researchers", sizes.researchers);
      break;
    case EntityRefKind::individual:
      bound = sizes.individuals;
      why = sizes.individuals == 0 ? std::string("the scenario has no [[individuals]]")
                                   : fmt::format("the scenario has {} [[individuals]]", sizes.individuals);
      break;
    case EntityRefKind::labs:
    case EntityRefKind::researchers: return;
  }
  if (ref.index < bound) return;
  const std::string text = entity_text(ref);
  if (bound == 0) fail_at(origins, name, source, key, fmt::format("{} = \"{}\" is out of range; {}", name, text, why));
  const std::string word = text.substr(0, text.find(':'));
  fail_at(origins, name, source, key,
          fmt::format("{} = \"{}\" is out of range; allowed: {}:0 … {}:{} ({})", name, text, word, word, bound - 1,
                      why));
}

}  // namespace

void apply_attribution_groups(const toml::node& node, Draft& draft, const Here& here, Origins& origins) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "attribution.group",
              fmt::format("attribution.group must be an array of tables, got {}", describe(node)));
  }
  std::vector<AttributionGroup> groups;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    const std::string entry = fmt::format("attribution.group[{}]", i);
    const auto* table = element.as_table();
    if (table == nullptr) {
      here.fail(element.source(), "attribution.group", fmt::format("{} must be a table, got {}", entry, describe(element)));
    }
    origins[entry] = here.origin(element.source());
    for (auto&& [k, v] : *table) {
      const std::string name = "attribution.group." + std::string(k.str());
      if (find_key(name) == nullptr) unknown_key(here, k.source(), name);
    }
    for (const std::string_view required : {"name", "members"}) {
      if (!table->contains(required)) {
        here.fail(element.source(), "attribution.group",
                  fmt::format("{} is missing the required key '{}'", entry, required));
      }
    }
    AttributionGroup group;
    const toml::node& name = *table->get("name");
    const auto* s = name.as_string();
    if (s == nullptr) {
      here.fail(name.source(), "attribution.group.name",
                fmt::format("{}.name must be a string, got {}", entry, describe(name)));
    }
    if (s->get().empty()) here.fail(name.source(), "attribution.group.name", fmt::format("{}.name must not be empty", entry));
    for (std::size_t earlier = 0; earlier < groups.size(); ++earlier) {
      if (groups[earlier].name == s->get()) {
        here.fail(name.source(), "attribution.group.name",
                  fmt::format("{}.name = \"{}\" is already the name of attribution.group[{}]", entry, s->get(),
                              earlier));
      }
    }
    group.name = s->get();
    const toml::node& members = *table->get("members");
    if (const auto* a = members.as_array(); a != nullptr && a->empty()) {
      here.fail(members.source(), "attribution.group.members", fmt::format("{}.members must not be empty", entry));
    }
    read_value(*find_key("attribution.group.members"), entry + ".members", members, &group.members, here);
    const toml::array& elements = *members.as_array();
    for (std::size_t j = 0; j < elements.size(); ++j) {
      origins[fmt::format("{}.members[{}]", entry, j)] = here.origin(elements[j].source());
    }
    groups.push_back(std::move(group));
  }
  draft.attribution.settings.groups = std::move(groups);
}

std::optional<AttributionSettings> resolve_attribution(const Draft& draft, const Origins& origins,
                                                       const std::string& source, const model::ModelParams& model) {
  if (!draft.attribution.present) return std::nullopt;
  const AttributionSettings& a = draft.attribution.settings;
  if (a.per_point && draft.sweep.design == DesignKind::single) {
    fail_at(origins, "attribution.per_point", source, "attribution.per_point",
            "attribution.per_point = true attributes at every point of a [sweep], and the scenario has none; "
            "add a [sweep] or remove attribution.per_point");
  }
  if (a.shapley && a.groups.size() > kMaxShapleyGroups) {
    fail_at(origins, "attribution.shapley", source, "attribution.shapley",
            fmt::format("attribution.shapley = true needs at most {} groups; attribution.group has {}",
                        kMaxShapleyGroups, a.groups.size()));
  }
  RosterSizes sizes;
  sizes.labs = model.labs.sizes.size();
  for (const std::int64_t n : model.labs.sizes) sizes.researchers += static_cast<std::uint64_t>(n);
  sizes.individuals = model.individuals.size();
  const std::uint64_t everyone = sizes.researchers + sizes.individuals;
  if (a.researchers.count > everyone) {
    fail_at(origins, "attribution.researchers", source, "attribution.researchers",
            fmt::format("attribution.researchers = \"{}\" is out of range; allowed: K ≤ {} (the scenario has {} "
                        "researchers)",
                        selection_text(a.researchers), everyone, everyone));
  }
  for (std::size_t i = 0; i < a.knockout.size(); ++i) {
    check_entity(a.knockout[i], fmt::format("attribution.knockout[{}]", i), "attribution.knockout", sizes, origins,
                 source);
  }
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    for (std::size_t j = 0; j < a.groups[g].members.size(); ++j) {
      check_entity(a.groups[g].members[j], fmt::format("attribution.group[{}].members[{}]", g, j),
                   "attribution.group.members", sizes, origins, source);
    }
  }
  return a;
}

}  // namespace normsim::scenario::detail
