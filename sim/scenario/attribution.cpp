// The syntax of [attribution]'s values (entity references, researcher selections, outcome names)
// and the section as TOML.
#include "scenario/attribution.hpp"

#include "scenario/draft.hpp"
#include "scenario/keys.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <limits>

namespace normsim::scenario {

namespace {

// In enum order (EntityRefKind, ResearcherSelectionKind); whether the kind takes ":index".
struct KindWord {
  std::string_view word;
  bool indexed;
};
constexpr std::array<KindWord, 6> kEntityWords{{{"lab", true},
                                                {"lab_researchers", true},
                                                {"researcher", true},
                                                {"individual", true},
                                                {"labs", false},
                                                {"researchers", false}}};
constexpr std::array<KindWord, 4> kSelectionWords{{{"all", false}, {"none", false}, {"top_talent", true}, {"sample", true}}};

// "word" or "word:index" against `words`: the kind's position and the index (0 when none).
template <std::size_t N>
std::optional<std::pair<std::size_t, std::uint64_t>> parse_word(std::string_view text,
                                                                const std::array<KindWord, N>& words) noexcept {
  const std::size_t colon = text.find(':');
  const std::string_view word = text.substr(0, colon);
  for (std::size_t k = 0; k < N; ++k) {
    if (words[k].word != word) continue;
    if (!words[k].indexed) {
      if (colon != std::string_view::npos) return std::nullopt;
      return std::pair<std::size_t, std::uint64_t>{k, 0};
    }
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view digits = text.substr(colon + 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    std::uint64_t index = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (result.ec != std::errc() || index > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return std::pair<std::size_t, std::uint64_t>{k, index};
  }
  return std::nullopt;
}

}  // namespace

std::uint64_t AttributionSettings::runs(std::uint64_t group_count) const noexcept {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (group_count > kMax - 2) return kMax;
  const std::uint64_t matrices = group_count + 2;
  if (rows != 0 && matrices > kMax / rows) return kMax;
  return rows * matrices;
}

std::string_view outcome_name(model::OutcomeId id) noexcept {
  const auto i = static_cast<std::size_t>(id);
  return i < model::kOutcomeCount ? model::kOutcomeDescriptors[i].name : std::string_view("?");
}

std::optional<model::OutcomeId> outcome_by_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < model::kOutcomeCount; ++i) {
    if (model::kOutcomeDescriptors[i].name == name) return static_cast<model::OutcomeId>(i);
  }
  return std::nullopt;
}

std::string entity_text(const EntityRef& ref) {
  const KindWord& k = kEntityWords[static_cast<std::size_t>(ref.kind)];
  return k.indexed ? fmt::format("{}:{}", k.word, ref.index) : std::string(k.word);
}

std::optional<EntityRef> parse_entity(std::string_view text) noexcept {
  const auto parsed = parse_word(text, kEntityWords);
  if (!parsed) return std::nullopt;
  return EntityRef{static_cast<EntityRefKind>(parsed->first), parsed->second};
}

std::string selection_text(const ResearcherSelection& selection) {
  const KindWord& k = kSelectionWords[static_cast<std::size_t>(selection.kind)];
  return k.indexed ? fmt::format("{}:{}", k.word, selection.count) : std::string(k.word);
}

std::optional<ResearcherSelection> parse_selection(std::string_view text) noexcept {
  const auto parsed = parse_word(text, kSelectionWords);
  if (!parsed) return std::nullopt;
  const auto kind = static_cast<ResearcherSelectionKind>(parsed->first);
  if (kSelectionWords[parsed->first].indexed && parsed->second == 0) return std::nullopt;  // K ≥ 1
  return ResearcherSelection{kind, parsed->second};
}

std::string attribution_toml(const AttributionSettings& settings) {
  detail::Draft draft;
  draft.attribution.present = true;
  draft.attribution.settings = settings;
  std::string out = "\n[attribution]\n";
  for (const Key& key : keys()) {
    if (key.slot == nullptr || key.name.rfind("attribution.", 0) != 0) continue;
    out += fmt::format("{} = {}\n", key.name.substr(12), value_toml(key, draft));
  }
  for (const AttributionGroup& g : settings.groups) {
    out += fmt::format("\n[[attribution.group]]\nname = {}\nmembers = [", detail::toml_string(g.name));
    for (std::size_t i = 0; i < g.members.size(); ++i) {
      out += fmt::format("{}\"{}\"", i > 0 ? ", " : "", entity_text(g.members[i]));
    }
    out += "]\n";
  }
  return out;
}

}  // namespace normsim::scenario
