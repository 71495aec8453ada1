#pragma once
// The key registry: the one place where every scenario key is written, with its TOML type,
// allowed values, units, meaning and a sample non-default value (for tests). Defaults are not
// written here: they are read from a default-constructed model::ModelParams / RunSettings, so that
// sim/model/params.hpp stays their single source. The loader, resolved_toml() and the reference
// document (keys_markdown) are all driven by this table.
#include "scenario/draft.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace normsim::scenario {

/// TOML shape a key accepts.
enum class KeyType : std::uint8_t {
  boolean,
  integer,         ///< TOML integer; a float is an error
  number,          ///< TOML float or integer (1 reads as 1.0); finite only
  string,          ///< one of the key's `choices`
  integer_list,    ///< non-empty array of integers
  number_or_list,  ///< a number, or an array of numbers (one per lab)
  table_list,      ///< array of tables (`[[individuals]]`, `[[sweep.factor]]`)
  value_list,      ///< non-empty array of values of another key (`sweep.factor.values`)
  string_list,     ///< array of strings (`sweep.factor.labels`, `attribution.outcomes`, `attribution.knockout`)
};

/// Closed range of a number key; `min_exclusive` / `max_exclusive` make an end open. Non-finite
/// values are always out of range.
struct NumberRange {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  bool max_exclusive = false;
};

/// Closed range of an integer key (of each entry of an integer list).
struct IntegerRange {
  std::int64_t min = 0;
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

/// One scenario key. `slot` locates its value in a Draft (top-level keys); `field` in a pinned
/// researcher (keys `individuals.*`, which are read per `[[individuals]]` entry). Exactly one of
/// them is set, except for `individuals`, `sweep.factor` and `sweep.factor.*` (read per
/// `[[sweep.factor]]` entry by sweep_read.cpp) and `attribution.group` and `attribution.group.*`
/// (read per `[[attribution.group]]` entry by attribution_read.cpp), which have neither.
struct Key {
  std::string_view name{};      ///< dotted name, e.g. "research.spill_probability"
  KeyType type = KeyType::number;
  std::string_view units{};     ///< empty for dimensionless quantities
  std::string_view meaning{};   ///< short, in docs/model.md's words
  NumberRange number{};         ///< for number and number_or_list keys
  IntegerRange integer{};       ///< for integer and integer_list keys
  std::span<const std::string_view> choices{};  ///< for string keys, in enum order; for pattern keys
                                                ///< (attribution.researchers, .knockout, .group.members)
                                                ///< the kind words; for attribution.outcomes the names
  std::string_view choice_noun{};  ///< "norm preset": used in "... is not a norm preset"
  std::string_view sample{};    ///< a valid non-default value as a TOML literal; empty for individuals
  bool optional = false;        ///< keys that may be absent (individuals.talent, sweep.points, ...)
  bool may_be_empty = false;    ///< integer_list keys whose value may be [] (labs.noncompliant)
  std::string_view allowed{};   ///< allowed values in words when the type and range cannot say it
  detail::Slot (*slot)(detail::Draft&) = nullptr;
  detail::Slot (*field)(model::PinnedResearcher&) = nullptr;
};

/// Every key, grouped by table in the order resolved_toml() writes them.
[[nodiscard]] std::span<const Key> keys() noexcept;

/// The key named `name` (dotted), or nullptr.
[[nodiscard]] const Key* find_key(std::string_view name) noexcept;

/// The registered name nearest to `name` by edit distance (keys and their tables), or empty when
/// nothing is within a third of `name`'s length.
[[nodiscard]] std::string nearest_key(std::string_view name);

/// `key`'s allowed values in words, e.g. "[0, 1]", "integers 1 … 10000000", "open, closed".
[[nodiscard]] std::string allowed_text(const Key& key);

/// `key`'s value in `draft` as a TOML literal ("0.25", "[1, 2]", "\"open\""); doubles in the
/// shortest form that reads back bit-exactly. Empty for keys without a slot.
[[nodiscard]] std::string value_toml(const Key& key, detail::Draft& draft);

/// `key`'s effective value in a loaded scenario, as value_toml(). Empty for `individuals.*`.
[[nodiscard]] std::string value_toml(const Key& key, const Scenario& scenario);

/// Field `key` (an `individuals.*` key) of `researcher` as a TOML literal; empty when absent.
[[nodiscard]] std::string field_toml(const Key& key, model::PinnedResearcher& researcher);

/// `key`'s default as a TOML literal (from a default-constructed Scenario); for `individuals.*`
/// "required" or "absent", for `individuals` and `sweep.factor` "none", for other keys without a
/// slot (sweep.factor.*) "required" or "absent".
[[nodiscard]] std::string default_toml(const Key& key);

/// Shortest decimal text of `x` that reads back to the same double (std::to_chars).
[[nodiscard]] std::string number_text(double x);

/// number_text as a TOML float literal: ".0" added to integral values, so that the text reads as a
/// float ("0.5", "2.0", "1e-07", "inf").
[[nodiscard]] std::string float_literal(double x);

/// The registry as a Markdown section: heading "## Scenario keys", a table
/// key | type | default | allowed | meaning, and the rules that the table cannot show.
[[nodiscard]] std::string keys_markdown();

}  // namespace normsim::scenario
