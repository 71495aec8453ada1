#pragma once
// Internal to the scenario loader: applying a parsed TOML document to a Draft. This header
// includes toml++ and is included only by the loader's .cpp files (toml++ is a private dependency).
#include "scenario/draft.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <string>

namespace normsim::scenario::detail {

/// Where a value came from: the file and position, or "--set key=value" with no position.
struct Origin {
  std::string source;
  std::int64_t line = 0;    ///< 1-based; 0 when unknown
  std::int64_t column = 0;  ///< 1-based; 0 when unknown
};

/// The origin of the last value applied to each key, for errors found once every key is read
/// (interp_fraction length, individuals' labs, norm.embargo with the wrong preset).
/// Individuals' labs are recorded as "individuals[i].lab".
using Origins = std::map<std::string, Origin>;

/// Applies every key of `document` to `draft`, in file order, validating each value on its own.
/// `source` names the input in errors; with `positions` false (overrides) no line:column is given.
/// Throws ScenarioError for unknown keys, wrong types and out-of-range values.
void apply_document(const toml::table& document, Draft& draft, const std::string& source, bool positions,
                    Origins& origins);

}  // namespace normsim::scenario::detail
