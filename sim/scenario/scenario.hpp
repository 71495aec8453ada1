#pragma once
// Scenario files: TOML (toml++) into typed settings. Every key of docs/model.md has its default when
// absent; every value is validated here, once, with the file position of the offending key; the
// model never sees strings. `--set key=value` overrides go through the same rules and are recorded.
// The key registry (scenario/keys.hpp) is the one place where keys, defaults, ranges and meanings
// are written; the reference document is generated from it.
#include "model/params.hpp"
#include "scenario/attribution.hpp"
#include "scenario/claims.hpp"
#include "scenario/sweep.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::scenario {

/// `[run]`: how many replicates and which master seed.
struct RunSettings {
  std::uint64_t replicates = 100;  ///< replicates of the scenario, ≥ 1
  std::uint64_t seed = 1;          ///< master seed of the key derivation
};

struct Scenario {
  model::ModelParams model;          ///< validated model parameters
  RunSettings run;
  std::string source;                ///< path of the file, or the name given for text input
  std::string text;                  ///< the file's text as read
  std::vector<std::string> overrides;  ///< `key=value` overrides applied on top, in order
  model::NormPreset norm_preset = model::NormPreset::open;  ///< preset the norm was built from
  Sweep sweep;                       ///< `[sweep]`: the design points (one point, no factors, by default)
  std::optional<AttributionSettings> attribution;  ///< `[attribution]`; absent when the file has none
  std::vector<Claim> claims;         ///< `[[claims]]` in file order (or as replaced by --set claims=[...])
};

/// A problem with the input, with where it is. what() is the complete user-facing message, e.g.
/// "scenarios/x.toml:4:1: research.spill_probability = 1.5 is out of range; allowed: [0, 1]". For an
/// override the source is "--set key=value" (the override as given) and there is no position.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string source, std::int64_t line, std::int64_t column, std::string key, std::string message);
  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] std::int64_t line() const noexcept { return line_; }      ///< 1-based; 0 if unknown
  [[nodiscard]] std::int64_t column() const noexcept { return column_; }  ///< 1-based; 0 if unknown
  [[nodiscard]] const std::string& key() const noexcept { return key_; }  ///< dotted key, may be empty
  [[nodiscard]] const std::string& message() const noexcept { return message_; }  ///< without the position

 private:
  std::string source_;
  std::int64_t line_;
  std::int64_t column_;
  std::string key_;
  std::string message_;
};

/// Reads, parses and validates a scenario file, then applies `overrides` ("key=value", value in
/// TOML syntax, bare words taken as strings) in order; a later value replaces what it overrides, a
/// norm.preset the allowances and embargoes given before it (REFERENCE.md, "Precedence"). Throws
/// ScenarioError, also for a --set that every point of the sweep would replace.
[[nodiscard]] Scenario load_file(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// Same, from text; `source` names it in messages.
[[nodiscard]] Scenario load_text(std::string_view text, std::string_view source,
                                 const std::vector<std::string>& overrides = {});

/// The scenario with every key at its effective value (defaults included), as TOML text that
/// load_text() reads back to the same settings, [sweep], [attribution] and [[claims]] included when
/// present. Stored in every output file. The base of a sweep keeps its norm as given (preset and the norm.* values
/// in effect after the file and the overrides); its points read back the same (REFERENCE.md, "Precedence").
[[nodiscard]] std::string resolved_toml(const Scenario& scenario);

}  // namespace normsim::scenario
