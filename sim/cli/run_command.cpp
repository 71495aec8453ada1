#include "cli/run_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/plan_command.hpp"
#include "cli/journaled.hpp"
#include "cli/report.hpp"
#include "cli/sweep_setup.hpp"
#include "cli/usage_error.hpp"
#include "output/error.hpp"
#include "output/finalize.hpp"
#include "output/journal.hpp"
#include "runner/execute.hpp"
#include "scenario/scenario.hpp"

// GCC 12 at -O3 reports a "potential null pointer dereference" inside std::vector's copy
// assignment as instantiated by Boost.Program_options for vector-valued options (a known false
// positive of -Wnull-dereference after inlining); it is silenced for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/info.h>

#include <filesystem>
#include <optional>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct RunOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  std::string shard;
  int threads = 0;
  bool overwrite = false;
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool no_series = false;
  bool help = false;
};

po::options_description visible_options(RunOptions& o) {
  po::options_description d("Options");
  d.add_options()
      ("output,o", po::value(&o.output)->value_name("FILE"),
       "HDF5 file to write (default: <scenario stem>.h5 in the current directory); with --shard, "
       "the shard file (default: <stem>.shard-I-of-N.journal)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(),
       "override a scenario key (repeatable; TOML value syntax, e.g. --set norm.preset=closed "
       "--set labs.sizes=[10,10] --set sweep.points=16)")
      ("replicates,r", po::value<std::uint64_t>()->value_name("R"), "replicates per design point (overrides run.replicates)")
      ("seed,s", po::value<std::uint64_t>()->value_name("S"), "master seed (overrides run.seed)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads per process (default: all cores)")
      ("no-series", po::bool_switch(&o.no_series), "do not record the per-step series (outcomes only)")
      ("resume", po::bool_switch(&o.resume), "continue an interrupted run from its journal (FILE.journal)")
      ("shard", po::value(&o.shard)->value_name("I/N"),
       "run only shard I of N (0 ≤ I < N) into a shard file; combine shards with normsim merge")
      ("force", po::bool_switch(&o.force), "run a sweep larger than sweep.max_runs")
      ("overwrite", po::bool_switch(&o.overwrite), "replace FILE (and discard an old journal) if it exists")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no summary; errors only")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

RunOptions parse(const std::vector<std::string>& args) {
  RunOptions o;
  po::options_description all = visible_options(o);
  all.add_options()("scenario", po::value(&o.scenario));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (o.help) return o;
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/baseline.toml)");
  if (vm.count("replicates") != 0) {
    o.replicates = vm["replicates"].as<std::uint64_t>();
    if (*o.replicates == 0) throw UsageError("--replicates must be at least 1");
  }
  if (vm.count("seed") != 0) o.seed = vm["seed"].as<std::uint64_t>();
  if (o.threads < 0 || o.threads > 4096) throw UsageError("--threads must be between 1 and 4096 (0 = all cores)");
  if (o.resume && o.overwrite) throw UsageError("--resume and --overwrite contradict each other; choose one");
  return o;
}


/// The command line with --resume added (what to type to continue).
std::string resume_command(const std::string& command_line) {
  return command_line.find(" --resume") != std::string::npos ? command_line : command_line + " --resume";
}

}  // namespace

std::string run_help() {
  RunOptions o;
  return fmt::format(
      "Usage: normsim run SCENARIO [options]\n"
      "       mpirun -np K normsim run SCENARIO [options]\n\n"
      "Runs every design point of the scenario ([sweep]; one point without it) R times, in parallel,\n"
      "and writes one HDF5 file. Runs go first to a crash-safe journal, FILE.journal: after a crash\n"
      "or Ctrl-C, the same command with --resume redoes only the runs that were in flight. Results\n"
      "are bit-identical for any thread count, process count, shard split or interruption.\n"
      "Under mpirun the runs are split across ranks (each rank uses its threads); rank 0 writes FILE.\n\n"
      "{}\n"
      "Examples:\n"
      "  normsim run scenarios/baseline.toml\n"
      "  normsim run scenarios/baseline.toml -o closed.h5 --set norm.preset=closed --replicates 200\n"
      "  normsim run scenarios/sweep_norms_spill.toml -o sweep.h5 --resume\n"
      "  normsim run scenarios/sweep_norms_spill.toml --shard 0/3 -o part0.journal   (then: normsim merge)\n\n{}",
      fmt::streamed(visible_options(o)), kExitCodeHelp);
}

int run_command(const std::vector<std::string>& args, const std::string& command_line, const Processes& processes) {
  const RunOptions o = parse(args);
  if (o.help) {
    fmt::print("{}", run_help());
    return code(ExitCode::ok);
  }
  const bool leader = processes.rank() == 0;
  const bool talk = leader && !o.quiet;
  std::vector<std::string> overrides = o.overrides;
  if (o.replicates) overrides.push_back(fmt::format("run.replicates={}", *o.replicates));
  if (o.seed) overrides.push_back(fmt::format("run.seed={}", *o.seed));
  const scenario::Scenario base = scenario::load_file(o.scenario, overrides);
  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();

  const std::uint64_t total = base.sweep.runs(base.run.replicates);
  if (total > base.sweep.max_runs && !o.force) {
    const Estimate e = estimate(base, threads * processes.size(), !o.no_series);
    throw UsageError(fmt::format("{}: {} runs ({} points × {} replicates) exceed sweep.max_runs = {}; pass --force "
                                 "to run them anyway.\n{}",
                                 o.scenario, total, base.sweep.points, base.run.replicates, base.sweep.max_runs,
                                 describe_estimate(e)));
  }

  // Where this process's runs go: a shard file, a rank's journal, or the run's journal.
  const bool sharded = !o.shard.empty();
  if (sharded && processes.distributed()) throw UsageError("--shard cannot be combined with mpirun");
  const auto [shard, shards] = sharded ? parse_shard(o.shard)
                                       : std::pair<std::uint64_t, std::uint64_t>{static_cast<std::uint64_t>(processes.rank()),
                                                                                 static_cast<std::uint64_t>(processes.size())};
  const fs::path stem = fs::path(o.scenario).stem();
  const fs::path output = !o.output.empty() ? fs::path(o.output)
                          : sharded ? fs::path(fmt::format("{}.shard-{}-of-{}.journal", stem.string(), shard, shards))
                                    : fs::path(stem).concat(".h5");
  const fs::path directory = output.has_parent_path() ? output.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw UsageError(fmt::format("-o {}: directory {} does not exist", output.string(), directory.string()));
  }
  const fs::path journal_path = sharded ? output : cli::journal_path(output, shard, shards);
  prepare_journal(sharded ? fs::path() : output, journal_path, o.resume, o.overwrite);

  const output::Layout layout = make_layout(base, !o.no_series);
  output::Provenance provenance = make_provenance(base, command_line, o.scenario);
  provenance.threads = threads;
  provenance.processes = sharded ? static_cast<std::int64_t>(shards) : processes.size();
  const std::unique_ptr<runner::SweepSet> set = make_run_set(base);

  runner::ExecutionReport report;
  bool ok = false;
  std::uint64_t already = 0;
  try {
    const JournaledReport done = execute_journaled(
        *set, make_journal_header(base, layout), {journal_path, shard, shards, o.resume}, threads, layout.series, !talk,
        base.sweep.points > 1 ? base.run.replicates : 0, [&](std::uint64_t found) {
          if (!talk) return;
          fmt::print(stderr, "normsim: {} — {}{} replicates, seed {}, {} threads{} → {}\n", o.scenario,
                     base.sweep.points > 1 ? fmt::format("{} points × ", base.sweep.points) : std::string(),
                     base.run.replicates, base.run.seed, threads,
                     processes.distributed() ? fmt::format(" × {} ranks", processes.size()) : std::string(),
                     output.string());
          if (found > 0) fmt::print(stderr, "normsim: resuming: {} runs already in {}\n", found, journal_path.string());
        });
    report = done.report;
    already = done.already;
    ok = true;
  } catch (...) {
    (void)processes.all_succeeded(false);  // let the other ranks stop instead of waiting for us
    throw;
  }
  const bool interrupted = report.interrupted;
  if (!processes.all_succeeded(ok && !interrupted)) {
    if (interrupted && leader) {
      fmt::print(stderr, "normsim: interrupted; the runs done are kept in the journal. To continue:\n  {}\n",
                 resume_command(command_line));
    }
    return code(interrupted ? ExitCode::interrupted : ExitCode::failure);
  }
  if (sharded) {
    if (talk) {
      fmt::print("shard {}/{}: {} runs in {} ({} were already there)\nmerge all shards with: normsim merge SHARDS... -o FILE\n",
                 shard, shards, report.runs_completed + already, output.string(), already);
    }
    return code(ExitCode::ok);
  }
  if (!leader) return code(ExitCode::ok);

  std::vector<fs::path> journals;
  for (std::uint64_t r = 0; r < shards; ++r) journals.push_back(cli::journal_path(output, r, shards));
  provenance.end_time = utc_now();
  provenance.wall_seconds = report.wall_seconds;
  output::FinalizeOptions finalize_options;
  finalize_options.overwrite = o.overwrite;
  output::finalize(journals, layout, provenance, output, finalize_options);
  for (const fs::path& j : journals) fs::remove(j);
  if (talk) {
    print_file_summary(output);
    const double rate = static_cast<double>(report.researcher_steps) / report.wall_seconds;
    fmt::print("{} runs in {:.2f} s ({:.3g} researcher-steps/s on {} threads{})\nwrote {}\n", report.runs_completed,
               report.wall_seconds, rate, threads,
               processes.distributed() ? fmt::format(" × {} ranks, rank 0", processes.size()) : std::string(),
               output.string());
  }
  return code(ExitCode::ok);
}

std::string merge_help() {
  return fmt::format(
      "Usage: normsim merge SHARD... -o FILE [--overwrite] [--allow-incomplete] [--quiet]\n\n"
      "Combines the shard files written by `normsim run SCENARIO --shard I/N` (e.g. one per job of a\n"
      "Slurm array) into the HDF5 file the whole run would have written, bit for bit. Checks that\n"
      "the shards belong to the same scenario and design, that no run is missing (unless\n"
      "--allow-incomplete: the file is then marked complete = 0) and that no run is in two shards.\n\n{}",
      kExitCodeHelp);
}

int merge_command(const std::vector<std::string>& args, const std::string& command_line) {
  std::vector<std::string> shards;
  std::string out;
  bool overwrite = false;
  bool allow_incomplete = false;
  bool quiet = false;
  bool help = false;
  po::options_description options("Options");
  options.add_options()("output,o", po::value(&out))("overwrite", po::bool_switch(&overwrite))(
      "allow-incomplete", po::bool_switch(&allow_incomplete))("quiet,q", po::bool_switch(&quiet))(
      "help,h", po::bool_switch(&help))("shard", po::value(&shards)->composing());
  po::positional_options_description positional;
  positional.add("shard", -1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (help) {
    fmt::print("{}", merge_help());
    return code(ExitCode::ok);
  }
  if (shards.empty()) throw UsageError("merge needs at least one SHARD file");
  if (out.empty()) throw UsageError("merge needs -o FILE");
  for (const std::string& s : shards) {
    if (!fs::is_regular_file(s)) throw UsageError(fmt::format("{}: no such shard file", s));
  }
  // The scenario travels in every shard's header: rebuild the layout from the first.
  const output::JournalReader first(shards.front());
  const scenario::Scenario base = scenario::load_text(first.header().description, shards.front());
  const output::Layout layout = make_layout(base, first.header().series);
  output::Provenance provenance = make_provenance(base, command_line, shards.front());
  provenance.processes = static_cast<std::int64_t>(shards.size());
  provenance.end_time = provenance.start_time;
  std::vector<fs::path> paths(shards.begin(), shards.end());
  output::FinalizeOptions finalize_options;
  finalize_options.overwrite = overwrite;
  finalize_options.allow_incomplete = allow_incomplete;
  const output::FinalizeReport report = output::finalize(paths, layout, provenance, out, finalize_options);
  if (!quiet) {
    print_file_summary(out);
    fmt::print("merged {} shards: {} of {} runs{}\nwrote {}\n", shards.size(), report.present, report.runs,
               report.complete ? "" : " (incomplete: attribute complete = 0)", out);
  }
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
