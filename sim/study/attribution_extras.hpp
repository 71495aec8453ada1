#pragma once
// The designs of an attribution beside the journalled main design: screening (a groups-only
// design first), knockouts, Janon's replicated design and Shapley effects. They are small next to
// the main design and run in memory. Internal to the study library (attribute.cpp).
#include "output/attribution_table.hpp"
#include "output/hdf5_reader.hpp"
#include "runner/attribution_sets.hpp"
#include "scenario/attribution.hpp"
#include "study/groups.hpp"
#include "study/tables.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::study::detail {

/// What every extra design shares with the main one.
struct ExtraContext {
  std::shared_ptr<const runner::Point> point;  ///< the base point (no factors: the scenario)
  std::uint64_t rows = 0;                      ///< N of the main design
  std::uint64_t master_seed = 0;               ///< run.seed
  int threads = 1;
  const TableBuilder* tables = nullptr;        ///< level and bootstrap of every interval
  std::function<void(std::string_view)> note;  ///< progress messages (may be null)
  std::uint64_t* runs = nullptr;               ///< when set, every extra design adds its runs to it
};

/// Screening: the groups-only design, then the researchers of every lab whose researchers' total
/// index is confidently below `threshold` for every outcome (upper end of its interval below it)
/// are dropped from `tracked`. Deterministic, so a resumed attribution screens the same way.
[[nodiscard]] std::vector<std::size_t> screen(const ExtraContext& c, const std::vector<std::size_t>& tracked,
                                              const std::vector<std::string>& outcomes, double threshold);

/// Knockout tables "<outcome>.knockout": for each target, the design's A rows again with the
/// target producing nothing (same keys for everyone), the paired mean change of each outcome of
/// the main tables (`file`'s /outcomes, matrix A), with a Student t interval.
void add_knockouts(const ExtraContext& c, const std::vector<scenario::EntityRef>& targets,
                   const output::Hdf5Reader& file, std::vector<output::AttributionTable>& tables);

/// Janon tables "<outcome>.janon": every lab stream's and researcher's first-order index at once
/// from the replicated design of 2 · `rows` runs. Outcomes without variance get no table.
void add_janon(const ExtraContext& c, std::uint64_t rows, const std::vector<std::string>& outcomes,
               std::vector<output::AttributionTable>& tables);

/// Shapley tables "<outcome>.shapley" of the parameter factors and the custom groups (or, without
/// custom groups, the labs with their researchers), next to their first-order and total indices
/// from the main tables. Throws InputError beyond 12 factors and groups.
void add_shapley(const ExtraContext& c, const runner::ParameterFactors& factors, const GroupSet& groups,
                 std::vector<output::AttributionTable>& tables);

}  // namespace normsim::study::detail
