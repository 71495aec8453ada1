#include "study/setup.hpp"

#include "model/model.hpp"
#include "output/error.hpp"
#include "random/keys.hpp"
#include "random/math.hpp"
#include "scenario/design.hpp"
#include "version/build_info.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <optional>
#include <unistd.h>

namespace normsim::study {

namespace {

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown";
  return buffer;
}

/// The largest number of steps any point can run: world.steps, or the largest value a
/// world.steps factor can take.
std::int64_t max_steps(const scenario::Scenario& base) {
  std::int64_t steps = base.model.world.steps;
  for (const scenario::Factor& f : base.sweep.factors) {
    if (f.key != "world.steps") continue;
    double largest = f.to;
    for (const double v : f.level_numbers) largest = std::max(largest, v);
    steps = std::max(steps, static_cast<std::int64_t>(std::ceil(largest)));
  }
  return steps;
}

}  // namespace

std::unique_ptr<runner::SweepSet> make_run_set(const scenario::Scenario& base) {
  // With sweep.common_keys every point takes the base scenario's id, so replicate r has the same
  // entity keys at every point (common random numbers: points compare pairwise).
  const std::optional<std::uint64_t> common =
      base.sweep.common_keys ? std::optional<std::uint64_t>(scenario::point_stream_id(base)) : std::nullopt;
  return std::make_unique<runner::SweepSet>(
      base.sweep.points, base.run.replicates, base.run.seed, [&base, common](std::uint64_t p) {
        scenario::Scenario point = scenario::point_scenario(base, p);
        const std::uint64_t id = common ? *common : scenario::point_stream_id(point);
        return runner::make_point(std::move(point.model), id);
      });
}

output::Layout make_layout(const scenario::Scenario& base, bool series) {
  output::Layout layout;
  layout.points = base.sweep.points;
  layout.replicates = base.run.replicates;
  layout.steps = max_steps(base);
  layout.series = series;
  const scenario::Sweep& sweep = base.sweep;
  for (std::size_t f = 0; f < sweep.factors.size(); ++f) {
    const scenario::Factor& factor = sweep.factors[f];
    output::DesignFactor column;
    column.name = factor.key;
    column.categorical = factor.categorical;
    if (factor.categorical) column.labels = factor.labels;
    column.units = factor.categorical ? "" : factor.units;
    column.scale = factor.log_scale ? "log" : "linear";
    column.values.resize(sweep.points);
    column.levels.resize(sweep.points);
    for (std::uint64_t p = 0; p < sweep.points; ++p) {
      column.values[p] = factor.categorical ? std::nan("") : sweep.numeric(p, f);
      column.levels[p] = factor.categorical ? sweep.level(p, f) : -1;
    }
    layout.design.push_back(std::move(column));
  }
  return layout;
}

std::uint64_t numerics_identity() {
  return scenario::design::stable_hash(
      fmt::format("model bits revision {}; {}", model::kBitsRevision, random::math_implementation()));
}

output::JournalHeader make_journal_header(const scenario::Scenario& base, const output::Layout& layout) {
  output::JournalHeader header;
  header.sweep_id = scenario::sweep_identity(base) ^ numerics_identity();
  header.points = layout.points;
  header.replicates = layout.replicates;
  header.steps = layout.steps;
  header.series = layout.series;
  header.description = scenario::resolved_toml(base);
  return header;
}

output::Provenance make_provenance(const scenario::Scenario& base, const std::string& command_line,
                                   const std::string& scenario_file) {
  output::Provenance p;
  p.normsim_version = build_info::version();
  p.git_commit = build_info::git_commit();
  p.compiler = build_info::compiler();
  p.build_type = build_info::build_type();
  p.command_line = command_line;
  p.scenario_file = scenario_file;
  p.scenario_resolved = scenario::resolved_toml(base);
  p.key_derivation = random::key_derivation_description();
  p.rng = "Philox4x32-10 draws, Philox4x64-10 keys (Random123)";
  p.math_implementation = random::math_implementation();
  p.vector_path = random::vector_path_name(random::process_vector_path());
  p.host = host_name();
  p.start_time = utc_now();
  p.cli_overrides = base.overrides;
  p.master_seed = base.run.seed;
  return p;
}

void prepare_journal(const std::filesystem::path& output, const std::filesystem::path& journal, bool resume,
                     bool overwrite) {
  if (!output.empty() && std::filesystem::exists(output) && !overwrite) {
    throw output::OutputExists(fmt::format("{} exists; pass --overwrite to replace it", output.string()));
  }
  if (std::filesystem::exists(journal) && !resume) {
    if (!overwrite) {
      throw output::OutputExists(fmt::format(
          "{} exists (an interrupted run?): pass --resume to continue it, or --overwrite to start over",
          journal.string()));
    }
    std::filesystem::remove(journal);
  }
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace normsim::study
