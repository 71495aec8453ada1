#include "cli/attribute_command.hpp"

#include "cli/attribution_print.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "study/attribute.hpp"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <filesystem>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct AttributeOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  std::string outcomes = "capability,xrisk";
  std::uint64_t rows = 256;
  std::uint64_t bootstrap = 500;
  double target_width = 0.05;
  int threads = 0;
  bool no_researchers = false;
  std::uint64_t janon_rows = 0;
  bool radial = false;             ///< no matrix B: total indices only, N · (groups + 1) runs
  std::string shard;               ///< "I/N": run only shard I of N into a shard journal
  std::uint64_t from_shards = 0;   ///< N: no runs; the file from the N shard journals
  bool shapley = false;
  bool resume = false;
  bool overwrite = false;
  bool quiet = false;
  bool help = false;
};

po::options_description visible(AttributeOptions& o) {
  po::options_description d("Options");
  d.add_options()
      ("output,o", po::value(&o.output)->value_name("FILE"), "HDF5 file (default: <scenario stem>.attribution.h5)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(), "override a scenario key (repeatable)")
      ("rows,N", po::value(&o.rows)->value_name("N"), "design rows N (default 256); runs = N × (groups + 2)")
      ("outcomes", po::value(&o.outcomes)->value_name("LIST"), "outcomes to attribute, comma-separated (default capability,xrisk)")
      ("no-researchers", po::bool_switch(&o.no_researchers), "groups only (labs, all researchers, each lab's researchers)")
      ("radial", po::bool_switch(&o.radial),
       "radial design: no matrix B, total indices only (Jansen, V from A), N × (groups + 1) runs")
      ("janon", po::value(&o.janon_rows)->value_name("N"),
       "also every lab's and researcher's first-order index at once from a replicated design of 2N runs "
       "(Janon's estimator; entity keys permuted between the two halves)")
      ("shapley", po::bool_switch(&o.shapley), "also Shapley effects of the labs (each lab's stream and researchers together; N × (L + 1) more runs)")
      ("bootstrap", po::value(&o.bootstrap)->value_name("B"), "bootstrap resamples for the intervals (default 500)")
      ("target-width", po::value(&o.target_width)->value_name("W"), "CI width to aim for in the convergence report (default 0.05)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads (default: all cores)")
      ("resume", po::bool_switch(&o.resume), "continue an interrupted attribution from its journal")
      ("shard", po::value(&o.shard)->value_name("I/N"),
       "run only shard I of N of the design's runs into FILE.shard-I-of-N.journal (one job of an array)")
      ("from-shards", po::value(&o.from_shards)->value_name("N"),
       "run nothing: write FILE from the N shard journals (all complete) and estimate")
      ("overwrite", po::bool_switch(&o.overwrite), "replace FILE (and discard an old journal)")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no table")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

}  // namespace

std::string attribute_help() {
  AttributeOptions o;
  return fmt::format(
      "Usage: normsim attribute SCENARIO [options]\n\n"
      "How much of each outcome's variance each lab, each researcher and groups of them explain:\n"
      "first-order (Saltelli 2010) and total (Jansen) Sobol indices with percentile-bootstrap\n"
      "intervals at attribution.confidence (default 95 %; every table records its level), from a pick-freeze design over the entities' keys (matrices A, B and one AB per\n"
      "group; N rows each). Resampling an entity means giving it a fresh key and nothing else, so\n"
      "the estimators are exact for the model. Groups: all labs, all researchers, each lab's own\n"
      "stream, each lab's researchers, and every researcher alone. t_transform is censored at\n"
      "world.steps when never reached. The runs are journalled (FILE.journal): --resume continues.\n\n"
      "       normsim attribute SWEEP.h5 [--outcomes LIST] [--bootstrap B]\n\n"
      "On a finished sweep over one categorical factor (e.g. norm.preset): the share of each outcome's\n"
      "variance the factor explains (law of total variance, bias-corrected, bootstrap CI), and, when\n"
      "the sweep used sweep.common_keys = true, paired differences between its levels.\n\n"
      "{}\n{}",
      fmt::streamed(visible(o)), kExitCodeHelp);
}

int attribute_command(const std::vector<std::string>& args, const std::string& command_line,
                      const study::Processes& processes) {
  AttributeOptions o;
  const po::variables_map given = parse_command_line(args, visible(o), o.scenario);
  if (o.help) {
    fmt::print("{}", attribute_help());
    return code(ExitCode::ok);
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/baseline.toml)");
  const study::Conduct how = conduct(o.threads, o.quiet, processes);
  const bool talk = !how.quiet;
  if (fs::path(o.scenario).extension() == ".h5") {
    if (processes.distributed()) throw UsageError("attribute on a file runs no model: start it without mpirun");
    const std::vector<std::string> outcomes = split_list(given.count("outcomes") ? o.outcomes : "capability,xrisk");
    const study::FactorShareResult r = study::factor_share(o.scenario, outcomes, o.bootstrap, how.threads);
    if (talk) {
      print_factor_share(r, 0.95);
      fmt::print("\nwrote /attribution to {}\n", o.scenario);
    }
    return code(ExitCode::ok);
  }
  study::AttributeConfig c;
  c.scenario = scenario::load_file(o.scenario, o.overrides);
  c.scenario_file = o.scenario;
  c.command_line = command_line;
  c.output = o.output.empty() ? fs::path(fs::path(o.scenario).stem().string() + ".attribution.h5") : fs::path(o.output);
  // [attribution] gives the defaults; options given on the command line win.
  if (given.count("outcomes")) c.outcomes = split_list(o.outcomes);
  if (given.count("rows")) c.rows = o.rows;
  if (given.count("bootstrap")) c.bootstrap = o.bootstrap;
  if (given.count("target-width")) c.target_width = o.target_width;
  c.no_researchers = o.no_researchers;
  c.radial = o.radial;
  c.shapley = o.shapley;
  c.janon_rows = o.janon_rows;
  if (!o.shard.empty()) c.shard = parse_shard(o.shard);
  c.from_shards = o.from_shards;
  c.resume = o.resume;
  c.overwrite = o.overwrite;
  c.conduct = how;
  const study::AttributionResult r = study::attribute(c, processes);
  switch (r.status) {
    case study::PipelineStatus::written: break;
    case study::PipelineStatus::follower: return code(ExitCode::ok);
    case study::PipelineStatus::shard_written:
      if (talk) {
        fmt::print("shard {}/{}: {} runs in {}\ncombine the shards with: normsim attribute {} -o {} --from-shards {}\n",
                   c.shard->index, c.shard->count, r.report.runs_completed, r.journal.string(), o.scenario,
                   c.output.string(), c.shard->count);
      }
      return code(ExitCode::ok);
    default: return stopped(r.status, with_resume(command_line), processes);
  }
  if (talk) {
    std::vector<std::string> outcomes = c.outcomes;
    if (outcomes.empty()) {
      for (const model::OutcomeId id : c.scenario.attribution.value_or(scenario::AttributionSettings{}).outcomes) {
        outcomes.emplace_back(scenario::outcome_name(id));
      }
    }
    print_attribution(r, outcomes, c.janon_rows);
    fmt::print("\n{} runs in {:.1f} s ({:.3g} researcher-steps/s on {} threads)\nwrote {}\n", r.report.runs_completed,
               r.report.wall_seconds, static_cast<double>(r.report.researcher_steps) / r.report.wall_seconds, r.threads,
               c.output.string());
  }
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
