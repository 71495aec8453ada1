#pragma once
// Internal to the scenario loader: applying a parsed TOML document to a Draft. This header
// includes toml++ and is included only by the loader's .cpp files (toml++ is a private dependency).
#include "scenario/draft.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace normsim::scenario {
struct Key;
}  // namespace normsim::scenario

namespace normsim::scenario::detail {

/// Where the document being read is, for errors: its source name and whether positions are known.
struct Here {
  const std::string& source;
  bool positions;

  /// Throws ScenarioError at `region` (no position when `positions` is false).
  [[noreturn]] void fail(const toml::source_region& region, const std::string& key, const std::string& message) const;
  /// The origin of a value at `region`.
  [[nodiscard]] Origin origin(const toml::source_region& region) const;
};

/// The value as messages quote it: numbers bare, strings quoted, other kinds by name.
[[nodiscard]] std::string describe(const toml::node& node);

/// Reads `node` into `slot` as a value of `key`, named `name` in messages. Throws ScenarioError for a
/// wrong type or an out-of-range value, at the node.
void read_value(const Key& key, const std::string& name, const toml::node& node, const Slot& slot, const Here& here);

/// Throws "unknown key 'name'; did you mean '...'?" at `region`.
[[noreturn]] void unknown_key(const Here& here, const toml::source_region& region, const std::string& name,
                              std::string_view what = "key");

/// Applies the keys of `table` as keys under `prefix` ("norm": a norm given as an inline table),
/// after replace_earlier_norm() with the keys it sets: `table` is one source of values.
void apply_table(const toml::table& table, const std::string& prefix, Draft& draft, const Here& here,
                 Origins& origins);

/// Reads `[[sweep.factor]]` (the array at `node`) into draft.sweep.factors, validating each entry's
/// fields and each value against the swept key (sweep_read.cpp). Throws ScenarioError.
void apply_sweep_factors(const toml::node& node, Draft& draft, const Here& here, Origins& origins);

/// Reads `[[attribution.group]]` (the array at `node`) into draft.attribution.settings.groups,
/// validating each entry's name and members (attribution_read.cpp). Throws ScenarioError.
void apply_attribution_groups(const toml::node& node, Draft& draft, const Here& here, Origins& origins);

/// Reads `[[claims]]` (the array at `node`) into draft.claims, replacing any earlier claims and
/// validating each entry's keys against its quantity (claims_read.cpp). Throws ScenarioError.
void apply_claims(const toml::node& node, Draft& draft, const Here& here, Origins& origins);

/// Applies every key of `document` (one source: the file, one --set, one sweep level) to `draft`, in
/// file order, validating each value on its own; the norm values it replaces are cleared first.
/// `source` names the input in errors; with `positions` false (overrides) no line:column is given.
/// Throws ScenarioError for unknown keys, wrong types and out-of-range values.
void apply_document(const toml::table& document, Draft& draft, const std::string& source, bool positions,
                    Origins& origins);

}  // namespace normsim::scenario::detail
