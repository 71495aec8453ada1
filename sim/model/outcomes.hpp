#pragma once
// What a run produces: scalar outcomes and per-step series (docs/model.md, "Outcomes and series"), and a
// descriptor table for each (name, units, meaning) that the output sink, the summary printer and
// the documentation generator all read, so that the names exist in exactly one place.
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace normsim::model {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// Scalar outcomes of one run, indexed by `OutcomeId`. Counts are stored as doubles (exact below
/// 2^53) so that every outcome is one float64 column.
enum class OutcomeId : std::uint8_t {
  capability,
  interpretability,
  xrisk,
  t_transform,
  steps_run,
  published_fraction,
  public_capability_share,
  defections,
  mean_propensity_capabilities,
  mean_propensity_interpretability,
  results,
};
inline constexpr std::size_t kOutcomeCount = 11;

/// Per-step series of one run, indexed by `SeriesId`; value at step t is the state after step t.
enum class SeriesId : std::uint8_t {
  frontier_capability,
  frontier_interpretability,
  hazard,
  public_capability,
  public_interpretability,
  published_fraction,
  mean_propensity_capabilities,
  mean_propensity_interpretability,
};
inline constexpr std::size_t kSeriesCount = 8;

struct Descriptor {
  std::string_view name;
  std::string_view units;
  std::string_view meaning;
};

inline constexpr std::array<Descriptor, kOutcomeCount> kOutcomeDescriptors{{
    {"capability", "capability units", "C*: frontier capability Ĉ_ℓ* at the end of the run"},
    {"interpretability", "interpretability units", "I*: accessible interpretability Î_ℓ* of the frontier lab at the end"},
    {"xrisk", "probability", "1 − S_end: cumulative probability of catastrophe over the run"},
    {"t_transform", "step", "first step with C* ≥ C_T; NaN (missing) if never reached"},
    {"steps_run", "steps", "number of steps executed (T, or t_transform with the stop)"},
    {"published_fraction", "fraction", "published results / all results (NaN if no results)"},
    {"public_capability_share", "fraction", "C_pub / C* at the end (NaN if C* = 0)"},
    {"defections", "results", "results published against the norm (not permitted, lab did not comply)"},
    {"mean_propensity_capabilities", "probability", "final π^cap averaged over labs"},
    {"mean_propensity_interpretability", "probability", "final π^int averaged over labs"},
    {"results", "results", "number of results produced by all researchers"},
}};

inline constexpr std::array<Descriptor, kSeriesCount> kSeriesDescriptors{{
    {"frontier_capability", "capability units", "C*_t: frontier capability after step t"},
    {"frontier_interpretability", "interpretability units", "I*_t: accessible interpretability of the frontier lab"},
    {"hazard", "probability per step", "h_t (every_lab scope: 1 − Π_ℓ(1 − min(1, h_ℓ,t)))"},
    {"public_capability", "capability units", "C_pub after step t"},
    {"public_interpretability", "interpretability units", "I_pub after step t"},
    {"published_fraction", "fraction", "results published in step t / results produced in step t (NaN if none)"},
    {"mean_propensity_capabilities", "probability", "π^cap averaged over labs after step t"},
    {"mean_propensity_interpretability", "probability", "π^int averaged over labs after step t"},
}};

using Outcomes = std::array<double, kOutcomeCount>;
using StepValues = std::array<double, kSeriesCount>;

[[nodiscard]] constexpr double& at(Outcomes& o, OutcomeId id) noexcept { return o[static_cast<std::size_t>(id)]; }
[[nodiscard]] constexpr double at(const Outcomes& o, OutcomeId id) noexcept { return o[static_cast<std::size_t>(id)]; }
[[nodiscard]] constexpr double& at(StepValues& s, SeriesId id) noexcept { return s[static_cast<std::size_t>(id)]; }
[[nodiscard]] constexpr double at(const StepValues& s, SeriesId id) noexcept { return s[static_cast<std::size_t>(id)]; }

}  // namespace normsim::model
