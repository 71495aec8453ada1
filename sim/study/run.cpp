#include "study/run.hpp"

#include "model/model.hpp"
#include "output/journal.hpp"
#include "random/math.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

namespace normsim::study {

namespace fs = std::filesystem;

RunResult run(const RunConfig& c, const Processes& processes) {
  const scenario::Scenario& base = c.scenario;
  const std::string file = c.scenario_file.empty() ? base.source : c.scenario_file;
  if (c.resume && c.overwrite) throw InputError("--resume and --overwrite contradict each other; choose one");
  const int threads = thread_count(c.conduct);
  const std::uint64_t total = base.sweep.runs(base.run.replicates);
  if (total > base.sweep.max_runs && !c.force) {
    const Estimate e = estimate(base, threads * processes.size(), c.series);
    throw InputError(fmt::format("{}: {} runs ({} points × {} replicates) exceed sweep.max_runs = {}; pass --force "
                                 "to run them anyway.\n{}",
                                 file, total, base.sweep.points, base.run.replicates, base.sweep.max_runs,
                                 describe_estimate(e)));
  }
  if (c.shard && processes.distributed()) throw InputError("--shard cannot be combined with mpirun");
  if (c.shard && (c.shard->count == 0 || c.shard->index >= c.shard->count)) {
    throw InputError(fmt::format("--shard {}/{}: expected I/N with 0 ≤ I < N", c.shard->index, c.shard->count));
  }
  const fs::path directory = c.output.has_parent_path() ? c.output.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw InputError(fmt::format("-o {}: directory {} does not exist", c.output.string(), directory.string()));
  }
  const std::unique_ptr<runner::SweepSet> set = make_run_set(base);
  const auto ranks = static_cast<std::uint64_t>(processes.size());
  Pipeline p;
  p.set = set.get();
  p.layout = make_layout(base, c.series);
  p.header = make_journal_header(base, p.layout);
  p.provenance = make_provenance(base, c.command_line, file);
  p.output = c.output;
  p.sharded = c.shard.has_value();
  p.shard = c.shard.value_or(Shard{static_cast<std::uint64_t>(processes.rank()), ranks});
  p.journal = p.sharded ? c.output : journal_path(c.output, p.shard.index, p.shard.count);
  for (std::uint64_t r = 0; r < ranks; ++r) p.journals.push_back(journal_path(c.output, r, ranks));
  p.resume = c.resume;
  p.overwrite = c.overwrite;
  p.per_point = base.sweep.points > 1 ? base.run.replicates : 0;
  const bool leader = processes.rank() == 0;
  p.announce = [&](std::uint64_t found) {
    if (!leader || !c.conduct.note) return;
    c.conduct.note(fmt::format("{} — {}{} replicates, seed {}, {} threads{} → {}", file,
                               base.sweep.points > 1 ? fmt::format("{} points × ", base.sweep.points) : std::string(),
                               base.run.replicates, base.run.seed, threads,
                               processes.distributed() ? fmt::format(" × {} ranks", processes.size()) : std::string(),
                               c.output.string()));
    if (found > 0) c.conduct.note(fmt::format("resuming: {} runs already in {}", found, p.journal.string()));
  };
  const PipelineResult done = run_pipeline(p, c.conduct, processes);
  RunResult result;
  result.status = done.status;
  result.report = done.report;
  result.already = done.already;
  result.runs = total;
  result.threads = threads;
  return result;
}

output::FinalizeReport merge(const std::vector<fs::path>& shards, const fs::path& output, bool overwrite,
                             bool allow_incomplete, const std::string& command_line) {
  if (shards.empty()) throw InputError("merge needs at least one SHARD file");
  for (const fs::path& s : shards) {
    if (!fs::is_regular_file(s)) throw InputError(fmt::format("{}: no such shard file", s.string()));
  }
  // The scenario travels in every shard's header: rebuild the layout from the first.
  const output::JournalReader first(shards.front());
  const scenario::Scenario base = scenario::load_text(first.header().description, shards.front().string());
  const output::Layout layout = make_layout(base, first.header().series);
  // The file's provenance names this build: its runs must have this build's numbers.
  if (first.header().sweep_id != make_journal_header(base, layout).sweep_id) {
    throw InputError(fmt::format(
        "{}: this shard was written by a build whose numbers differ (another model or math revision; this "
        "build: model bits revision {}, {}); merge it with the build that wrote it, or run it again",
        shards.front().string(), model::kBitsRevision, random::math_implementation()));
  }
  output::Provenance provenance = make_provenance(base, command_line, shards.front().string());
  provenance.processes = static_cast<std::int64_t>(shards.size());
  provenance.end_time = provenance.start_time;
  output::FinalizeOptions options;
  options.overwrite = overwrite;
  options.allow_incomplete = allow_incomplete;
  return output::finalize(shards, layout, provenance, output, options);
}

}  // namespace normsim::study
