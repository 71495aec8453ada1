#include "cli/run_command.hpp"

#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/usage_error.hpp"
#include "study/run.hpp"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

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
  const po::variables_map vm = parse_command_line(args, visible_options(o), o.scenario);
  if (o.help) return o;
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/baseline.toml)");
  if (vm.count("replicates") != 0) {
    o.replicates = vm["replicates"].as<std::uint64_t>();
    if (*o.replicates == 0) throw UsageError("--replicates must be at least 1");
  }
  if (vm.count("seed") != 0) o.seed = vm["seed"].as<std::uint64_t>();
  if (o.resume && o.overwrite) throw UsageError("--resume and --overwrite contradict each other; choose one");
  return o;
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

int run_command(const std::vector<std::string>& args, const std::string& command_line,
                const study::Processes& processes) {
  const RunOptions o = parse(args);
  if (o.help) {
    fmt::print("{}", run_help());
    return code(ExitCode::ok);
  }
  std::vector<std::string> overrides = o.overrides;
  if (o.replicates) overrides.push_back(fmt::format("run.replicates={}", *o.replicates));
  if (o.seed) overrides.push_back(fmt::format("run.seed={}", *o.seed));
  study::RunConfig c;
  c.scenario = scenario::load_file(o.scenario, overrides);
  c.scenario_file = o.scenario;
  c.command_line = command_line;
  if (!o.shard.empty()) c.shard = parse_shard(o.shard);
  // Default output: <stem>.h5, or with a shard its journal <stem>.shard-I-of-N.journal.
  const fs::path stem = fs::path(o.scenario).stem();
  c.output = !o.output.empty() ? fs::path(o.output)
             : c.shard ? fs::path(fmt::format("{}.shard-{}-of-{}.journal", stem.string(), c.shard->index, c.shard->count))
                       : fs::path(stem).concat(".h5");
  c.series = !o.no_series;
  c.resume = o.resume;
  c.overwrite = o.overwrite;
  c.force = o.force;
  c.conduct = conduct(o.threads, o.quiet, processes);
  const bool talk = !c.conduct.quiet;
  const study::RunResult r = study::run(c, processes);
  switch (r.status) {
    case study::PipelineStatus::written: break;
    case study::PipelineStatus::follower: return code(ExitCode::ok);
    case study::PipelineStatus::shard_written:
      if (talk) {
        fmt::print("shard {}/{}: {} runs in {} ({} were already there)\nmerge all shards with: normsim merge SHARDS... -o FILE\n",
                   c.shard->index, c.shard->count, r.report.runs_completed + r.already, c.output.string(), r.already);
      }
      return code(ExitCode::ok);
    default: return stopped(r.status, with_resume(command_line), processes);
  }
  if (talk) {
    print_file_summary(c.output);
    const double rate = static_cast<double>(r.report.researcher_steps) / r.report.wall_seconds;
    fmt::print("{} runs in {:.2f} s ({:.3g} researcher-steps/s on {} threads{})\nwrote {}\n", r.report.runs_completed,
               r.report.wall_seconds, rate, r.threads,
               processes.distributed() ? fmt::format(" × {} ranks, rank 0", processes.size()) : std::string(),
               c.output.string());
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
  parse_command_line(args, options, positional);
  if (help) {
    fmt::print("{}", merge_help());
    return code(ExitCode::ok);
  }
  if (shards.empty()) throw UsageError("merge needs at least one SHARD file");
  if (out.empty()) throw UsageError("merge needs -o FILE");
  const std::vector<fs::path> paths(shards.begin(), shards.end());
  const output::FinalizeReport report = study::merge(paths, out, overwrite, allow_incomplete, command_line);
  if (!quiet) {
    print_file_summary(out);
    fmt::print("merged {} shards: {} of {} runs{}\nwrote {}\n", shards.size(), report.present, report.runs,
               report.complete ? "" : " (incomplete: attribute complete = 0)", out);
  }
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
