// Which value wins when several sources set the norm (REFERENCE.md, "Precedence"): the file, then
// each --set in order, then a sweep point's levels, each given later than the one before. A preset
// given later means that preset's norm, so it clears the allowances and embargoes of earlier
// sources; keys given with it or after it adjust it. What cannot be ordered (two factors of one
// point) or would have no effect (a --set that every point replaces) is an error, not a guess.
#include "scenario/draft.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

namespace normsim::scenario::detail {

namespace {

constexpr std::string_view kPreset = "norm.preset";
constexpr std::string_view kEmbargo = "norm.embargo";
constexpr std::string_view kEmbargoCapabilities = "norm.embargo_capabilities";

// The values a preset sets, besides itself: every allowance and embargo (norm.compliance is no
// preset's: every preset has c = 0.9 only because that is the key's default).
constexpr std::array<std::string_view, 7> kPresetValues{
    "norm.allow.capabilities",   "norm.allow.interpretability",   "norm.allow.flagged", "norm.embargo_capabilities",
    "norm.embargo_interpretability", "norm.embargo_flagged", "norm.embargo"};

bool is_preset_value(std::string_view key) {
  return std::find(kPresetValues.begin(), kPresetValues.end(), key) != kPresetValues.end();
}

bool is_embargo_name(std::string_view key) { return key == kEmbargo || key == kEmbargoCapabilities; }

bool under_norm(std::string_view key) { return key.rfind("norm.", 0) == 0; }

void forget(Origins& origins, std::string_view key) { origins.erase(std::string(key)); }

void clear_capabilities_embargo(NormChoice& norm, Origins& origins, std::string_view keep) {
  const auto cap = static_cast<std::size_t>(model::Category::capabilities);
  if (keep != kEmbargo) {
    norm.embargo.reset();
    forget(origins, kEmbargo);
  }
  if (keep != kEmbargoCapabilities) {
    norm.embargo_by_category[cap].reset();
    forget(origins, kEmbargoCapabilities);
  }
}

// "test.toml:5:7", or the --set as given when there is no position.
std::string where(const Origin& origin) {
  if (origin.line > 0) return fmt::format("{}:{}:{}", origin.source, origin.line, origin.column);
  return origin.source;
}

// Why every level of a factor over `factor` replaces `key`, and what to do instead, for messages.
std::string_view replaced_because(std::string_view factor, std::string_view key) {
  if (factor == key) return "; drop the --set, or change the sweep's levels (--set sweep.factor=[...])";
  if (factor == "norm") return ", whose levels replace the whole norm; give the value in each level instead";
  if (factor == kPreset) {
    return ", whose presets set every allowance and embargo; to give it to every preset, sweep whole norms with "
           "key = \"norm\" instead";
  }
  return ", which sets the capabilities embargo by its other name; drop the --set";
}

}  // namespace

void replace_earlier_norm(const std::vector<std::string>& keys, Draft& draft, Origins& origins) {
  const auto has = [&](std::string_view k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };
  NormChoice& norm = draft.norm;
  if (has(kPreset)) {
    norm.allow.fill(std::nullopt);
    norm.embargo_by_category.fill(std::nullopt);
    norm.embargo.reset();
    for (const std::string_view k : kPresetValues) forget(origins, k);
    return;
  }
  // The two names of the capabilities embargo: the one given now replaces the other. Both in one
  // source: norm.embargo_capabilities wins when the norm is resolved, as in a file.
  if (has(kEmbargo) && !has(kEmbargoCapabilities)) clear_capabilities_embargo(norm, origins, kEmbargo);
  if (has(kEmbargoCapabilities) && !has(kEmbargo)) clear_capabilities_embargo(norm, origins, kEmbargoCapabilities);
}

void reset_norm(Draft& draft, Origins& origins) {
  draft.norm = NormChoice{};
  for (auto it = origins.begin(); it != origins.end();) it = under_norm(it->first) ? origins.erase(it) : std::next(it);
}

bool factor_sets(std::string_view factor, std::string_view key) {
  if (factor == key) return true;
  if (factor == "norm") return under_norm(key);
  if (factor == kPreset) return is_preset_value(key);
  return is_embargo_name(factor) && is_embargo_name(key);
}

std::optional<std::string> factor_conflict(std::string_view earlier, std::string_view later) {
  if (!factor_sets(earlier, later) && !factor_sets(later, earlier)) return std::nullopt;
  if (is_embargo_name(earlier) && is_embargo_name(later) && earlier != later) {
    return std::string(": both set the capabilities embargo");
  }
  if (earlier == kPreset || later == kPreset) {
    if (earlier == later) return std::string();
    return fmt::format(
        ": every preset sets {} too, so each point would take it from two factors at once; sweep whole norms "
        "with key = \"norm\" (inline tables such as {{preset = \"closed\", allow = {{flagged = 0.5}}}}) instead",
        earlier == kPreset ? later : earlier);
  }
  return std::string();  // the same key, or norm and a norm.* key
}

void check_overrides_not_swept(const Draft& draft, const Origins& origins, const Origins& file_origins,
                               const std::string& source) {
  const std::vector<Factor>& factors = draft.sweep.factors;
  if (draft.sweep.design == DesignKind::single) return;  // build_sweep reports factors without a design
  for (const auto& [key, origin] : origins) {
    const auto from_file = file_origins.find(key);
    if (from_file != file_origins.end() && from_file->second == origin) continue;  // not (last) given by --set
    for (std::size_t f = 0; f < factors.size(); ++f) {
      if (!factor_sets(factors[f].key, key)) continue;
      const std::string entry = fmt::format("sweep.factor[{}]", f);
      const auto factor_origin = origins.find(entry + ".key");
      const Origin at = factor_origin == origins.end() ? Origin{source, 0, 0} : factor_origin->second;
      throw ScenarioError(origin.source, origin.line, origin.column, key,
                          fmt::format("{} has no effect: every point of the sweep replaces it with a level of {} "
                                      "(key = \"{}\", {}){}",
                                      key, entry, factors[f].key, where(at), replaced_because(factors[f].key, key)));
    }
  }
}

}  // namespace normsim::scenario::detail
