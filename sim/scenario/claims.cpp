// The names of a claim's enums and the `[[claims]]` tables as TOML.
#include "scenario/claims.hpp"

#include "scenario/draft.hpp"
#include "scenario/keys.hpp"

#include <fmt/format.h>

#include <cmath>

namespace normsim::scenario {

namespace {

std::string preset_literal(model::NormPreset preset) {
  const auto choices = find_key("norm.preset")->choices;  // the registry's names, in enum order
  const auto i = static_cast<std::size_t>(preset);
  return fmt::format("\"{}\"", i < choices.size() ? choices[i] : std::string_view("?"));
}

}  // namespace

std::string_view quantity_name(ClaimQuantity quantity) noexcept {
  const auto i = static_cast<std::size_t>(quantity);
  return i < kClaimQuantityNames.size() ? kClaimQuantityNames[i] : std::string_view("?");
}

std::string_view index_name(IndexKind kind) noexcept {
  const auto i = static_cast<std::size_t>(kind);
  return i < kIndexKindNames.size() ? kIndexKindNames[i] : std::string_view("?");
}

std::string_view comparison_text(Comparison compare) noexcept {
  const auto i = static_cast<std::size_t>(compare);
  return i < kComparisonTexts.size() ? kComparisonTexts[i] : std::string_view("?");
}

std::string_view claim_error_name(ClaimError error) noexcept {
  const auto i = static_cast<std::size_t>(error);
  return i < kClaimErrorNames.size() ? kClaimErrorNames[i] : std::string_view("?");
}

std::string claims_toml(const std::vector<Claim>& claims) {
  std::string out;
  for (const Claim& c : claims) {
    out += fmt::format("\n[[claims]]\nid = {}\nstatement = {}\nquantity = \"{}\"\noutcome = {}\ncompare = \"{}\"\n"
                       "value = {}\n",
                       detail::toml_string(c.id), detail::toml_string(c.statement), quantity_name(c.quantity),
                       detail::toml_string(c.outcome), comparison_text(c.compare), float_literal(c.value));
    if (c.above) out += fmt::format("above = {}\n", float_literal(*c.above));
    if (c.below) out += fmt::format("below = {}\n", float_literal(*c.below));
    if (c.norm) out += fmt::format("norm = {}\n", preset_literal(*c.norm));
    if (c.versus) out += fmt::format("versus = {}\n", preset_literal(*c.versus));
    if (!c.norms.empty()) {
      out += "norms = [";
      for (std::size_t i = 0; i < c.norms.size(); ++i) out += (i > 0 ? ", " : "") + preset_literal(c.norms[i]);
      out += "]\n";
    }
    if (c.index) out += fmt::format("index = \"{}\"\n", index_name(*c.index));
    if (!c.factor.empty()) out += fmt::format("factor = {}\n", detail::toml_string(c.factor));
    if (!c.factors.empty()) {
      out += "factors = [";
      for (std::size_t i = 0; i < c.factors.size(); ++i) out += (i > 0 ? ", " : "") + detail::toml_string(c.factors[i]);
      out += "]\n";
    }
    if (!c.level.empty()) out += fmt::format("level = {}\n", detail::toml_string(c.level));
    if (!c.baseline.empty()) out += fmt::format("baseline = {}\n", detail::toml_string(c.baseline));
    if (c.k > 0) out += fmt::format("k = {}\n", c.k);
    // The error control is written only when it is not the default, so that the text of scenarios
    // written before these keys existed stays as it was.
    if (c.confidence != 0.95) out += fmt::format("confidence = {}\n", float_literal(c.confidence));
    if (!c.locate.empty()) out += fmt::format("locate = {}\n", detail::toml_string(c.locate));
    if (c.error != ClaimError::family_wise) out += fmt::format("error = \"{}\"\n", claim_error_name(c.error));
  }
  return out;
}

}  // namespace normsim::scenario
