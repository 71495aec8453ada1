#pragma once
// Parameter sweeps: the `[sweep]` section of a scenario file and its design points. A sweep is a
// set of factors (scenario keys and their levels or ranges) and a design (grid, zip, Latin
// hypercube, scrambled Sobol) that places P points; every point runs `run.replicates` replicates.
// Point values are computed on demand from the factors (grid, zip) or from stored unit-cube
// coordinates (Latin hypercube, Sobol: P × factors doubles, P ≤ 10^6), so a 10^7-point grid costs
// no memory beyond its factors' level lists.
//
// scenario.hpp includes this header (Scenario has a `Sweep sweep` member), so it declares Scenario
// forward rather than including it.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::scenario {

struct Scenario;

namespace detail {
struct SweepPlan;  // the unresolved base scenario and the sampled coordinates (sweep.cpp)
}

/// How the design points are placed (`sweep.design`).
enum class DesignKind : std::uint8_t {
  single,           ///< no sweep: one point, no factors (the default)
  grid,             ///< full factorial, row-major, the last factor varies fastest
  zip,              ///< point p takes level p of every factor (all factors have the same number of levels)
  latin_hypercube,  ///< `sweep.points` points, one per stratum of every factor's range
  sobol,            ///< the first `sweep.points` points of a digitally shifted Sobol sequence
};

/// One swept key (`[[sweep.factor]]`). A factor is discrete (a list of levels: `values`, or
/// `from`/`to` with `num` or `step` in grid and zip designs) or continuous (`from`/`to` in Latin
/// hypercube and Sobol designs: `levels` empty).
struct Factor {
  std::string key;                  ///< dotted scenario key, or "norm" (whole norms as levels)
  bool categorical = false;         ///< levels are not numbers (strings, booleans, arrays, norm tables)
  bool log_scale = false;           ///< `scale = "log"`: geometric spacing / log-uniform draws
  bool integer = false;             ///< an integer key: continuous draws are rounded to integers
  std::vector<std::string> levels;  ///< TOML literal of each level, canonical (as resolved_toml writes)
  std::vector<double> level_numbers;  ///< numeric value of each level; NaN when categorical
  std::vector<std::string> labels;  ///< one per level: `labels` as given, else the level text (strings unquoted)
  double from = 0.0;                ///< lower bound (`from`), when given
  double to = 0.0;                  ///< upper bound (`to`), when given
  std::string units;                ///< the key's units (registry), empty if dimensionless
  // The factor as written, so that resolved_toml() writes it back: values or from/to/num/step/scale.
  bool values_given = false;        ///< `values = [...]` (else from/to)
  bool labels_given = false;        ///< `labels = [...]`
  std::int64_t num = 0;             ///< `num`, 0 when absent
  double step = 0.0;                ///< `step`, 0 when absent
};

/// The design of a scenario. Invariants (checked by the loader): kind single ⇔ no factors;
/// 1 ≤ points ≤ 10^7 (≤ 10^6 for latin_hypercube and sobol).
struct Sweep {
  DesignKind kind = DesignKind::single;
  std::vector<Factor> factors;
  std::uint64_t points = 1;               ///< number of design points P
  std::uint64_t sampling_seed = 1;        ///< `sweep.seed`: seed of LHS and Sobol draws; not run.seed
  std::uint64_t max_runs = 1'000'000;     ///< `sweep.max_runs`: larger sweeps need --force
  bool common_keys = false;               ///< `sweep.common_keys`: every point uses the base scenario's keys
  std::shared_ptr<const detail::SweepPlan> plan;  ///< internal; null for a single scenario

  /// Level of factor f at point p (index into `levels`), or −1 for a continuous factor.
  /// Throws std::out_of_range for p ≥ points or f ≥ factors.size().
  [[nodiscard]] std::int64_t level(std::uint64_t p, std::size_t f) const;
  /// Numeric value of factor f at point p; NaN for a categorical factor. Throws std::out_of_range.
  [[nodiscard]] double numeric(std::uint64_t p, std::size_t f) const;
  /// Value of factor f at point p as a TOML literal (what follows "key = "). Throws std::out_of_range.
  [[nodiscard]] std::string value_text(std::uint64_t p, std::size_t f) const;
  /// Runs of the whole sweep: points × replicates, saturating at UINT64_MAX.
  [[nodiscard]] std::uint64_t runs(std::uint64_t replicates) const noexcept;
};

/// Name of a design kind as written in files ("grid", "latin_hypercube", ...).
[[nodiscard]] std::string_view design_name(DesignKind kind) noexcept;

/// The scenario of design point p: the base scenario (file, then its --set overrides) with the
/// point's factor values applied on top and validated. The result has no sweep (kind single), and
/// its `overrides` list the base's followed by the point's "key=value" assignments.
/// Throws ScenarioError naming the point ("sweep point 3 (norm.preset = \"closed\", ...): ...") when
/// the combination is invalid (e.g. labs.interp_fraction list against a labs.sizes level), and
/// std::out_of_range for p ≥ base.sweep.points.
[[nodiscard]] Scenario point_scenario(const Scenario& base, std::uint64_t p);

/// Value of `factor` at unit coordinate u ∈ (0, 1) as a TOML literal: a factor with levels takes
/// level floor(u · levels) (each level with probability 1/levels for a uniform u); a from/to factor
/// the value at u on its scale (log-uniform with scale = "log"; integers rounded).
[[nodiscard]] std::string factor_value_text(const Factor& factor, double unit);

/// The scenario with every factor of base.sweep at unit coordinate unit[f] (factor_value_text),
/// applied on top of the base and validated like point_scenario. This is how an attribution design
/// samples a sweep's factors (the sweep's design and points are not used). `where` prefixes error
/// messages ("attribution row 5, matrix B"). Throws std::invalid_argument if unit.size() differs
/// from the number of factors, ScenarioError when the combination is invalid.
[[nodiscard]] Scenario scenario_at(const Scenario& base, std::span<const double> unit, std::string_view where);

/// Identity of a point's model for the key derivation (random::KeyAddress::point): stable_hash of
/// the resolved model sections (resolved_toml without its comments, [run] and [sweep]). Two points
/// with the same effective parameters, in any design and at any position, get the same id, so
/// changing the design never changes a run's dynamics.
[[nodiscard]] std::uint64_t point_stream_id(const Scenario& point);

/// Identity of base scenario + design: stable_hash of resolved_toml without its comment lines
/// (model, [run] replicates and seed, [sweep]). Equal for shards and journals of the same sweep.
[[nodiscard]] std::uint64_t sweep_identity(const Scenario& base);

}  // namespace normsim::scenario
