#pragma once
// From a loaded scenario to what the runner and the output need: the run set (design points ×
// replicates, points built on demand), the output layout with its design table, the journal
// header, and the provenance. Shared by run, plan and merge, so that all three see the same sweep.
#include "output/journal.hpp"
#include "output/layout.hpp"
#include "output/provenance.hpp"
#include "runner/plan.hpp"
#include "scenario/scenario.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace normsim::study {

/// The run set of a scenario: P = sweep.points points × run.replicates replicates, point p built
/// by scenario::point_scenario and keyed by scenario::point_stream_id (of the base scenario for
/// every point when sweep.common_keys).
[[nodiscard]] std::unique_ptr<runner::SweepSet> make_run_set(const scenario::Scenario& base);

/// The output layout: P, R, T (the largest world.steps of any point), series flag, design table.
/// Memory O(P · factors).
[[nodiscard]] output::Layout make_layout(const scenario::Scenario& base, bool series);

/// Identity of what decides a run's bits besides the scenario: the model's bits revision
/// (model::kBitsRevision) and the elementary functions' implementation (random::math_implementation()).
[[nodiscard]] std::uint64_t numerics_identity();

/// The journal header: identity scenario::sweep_identity(base) XOR numerics_identity() (a journal
/// written by a build whose numbers differ is neither resumed nor merged), the layout's shape, and
/// the resolved scenario text as description (so that `merge` can rebuild the layout from shards).
[[nodiscard]] output::JournalHeader make_journal_header(const scenario::Scenario& base, const output::Layout& layout);

/// Provenance fields that come from the build and the scenario (the caller adds times, threads…).
[[nodiscard]] output::Provenance make_provenance(const scenario::Scenario& base, const std::string& command_line,
                                                 const std::string& scenario_file);

/// Checks before a journalled run: `output` must not exist unless `overwrite` (skipped when
/// `output` is empty, e.g. for a shard); an existing `journal` needs `resume` (continue it) or
/// `overwrite` (it is deleted). Throws output::OutputExists otherwise.
void prepare_journal(const std::filesystem::path& output, const std::filesystem::path& journal, bool resume,
                     bool overwrite);

/// "2026-11-27T11:58:03Z".
[[nodiscard]] std::string utc_now();

}  // namespace normsim::study
