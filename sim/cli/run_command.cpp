#include "cli/run_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/progress.hpp"
#include "cli/usage_error.hpp"
#include "output/error.hpp"
#include "output/hdf5_sink.hpp"
#include "random/keys.hpp"
#include "runner/execute.hpp"
#include "runner/plan.hpp"
#include "runner/summary.hpp"
#include "scenario/scenario.hpp"
#include "version/build_info.hpp"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <optional>
#include <oneapi/tbb/info.h>
#include <unistd.h>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// Set by SIGINT/SIGTERM; the runner starts no new run once it is set. Lock-free, so it may be
// written from a signal handler.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) {
  g_stop.store(true, std::memory_order_relaxed);
  // A second signal ends the process at once.
  std::signal(signal_number, SIG_DFL);
}

/// Installs the stop handlers for the lifetime of the object and restores the previous ones.
class StopSignals {
 public:
  StopSignals() {
    g_stop.store(false);
    previous_int_ = std::signal(SIGINT, on_stop_signal);
    previous_term_ = std::signal(SIGTERM, on_stop_signal);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }

 private:
  void (*previous_int_)(int) = nullptr;
  void (*previous_term_)(int) = nullptr;
};

struct RunOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  bool overwrite = false;
  bool quiet = false;
  bool no_series = false;
};

po::options_description visible_options(RunOptions& o) {
  po::options_description d("Options");
  d.add_options()
      ("output,o", po::value(&o.output)->value_name("FILE"),
       "HDF5 file to write (default: <scenario stem>.h5 in the current directory)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(),
       "override a scenario key (repeatable; TOML value syntax, e.g. --set norm.preset=closed "
       "--set labs.sizes=[10,10])")
      ("replicates,r", po::value<std::uint64_t>()->value_name("R"), "number of replicates (overrides run.replicates)")
      ("seed,s", po::value<std::uint64_t>()->value_name("S"), "master seed (overrides run.seed)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads (default: all cores)")
      ("no-series", po::bool_switch(&o.no_series), "do not record the per-step series (outcomes only)")
      ("overwrite", po::bool_switch(&o.overwrite), "replace FILE if it exists")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no summary; errors only")
      ("help,h", "show this help");
  return d;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown";
  return buffer;
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
  if (vm.count("help") != 0) {
    o.scenario = "--help";
    return o;
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/baseline.toml)");
  if (vm.count("replicates") != 0) {
    o.replicates = vm["replicates"].as<std::uint64_t>();
    if (*o.replicates == 0) throw UsageError("--replicates must be at least 1");
  }
  if (vm.count("seed") != 0) o.seed = vm["seed"].as<std::uint64_t>();
  if (o.threads < 0 || o.threads > 4096) throw UsageError("--threads must be between 1 and 4096 (0 = all cores)");
  return o;
}

void print_summary(const runner::SummarySink& summary) {
  fmt::print("{:<34} {:>12} {:>11} {:>7}\n", "outcome", "mean", "std. error", "n");
  for (std::size_t i = 0; i < model::kOutcomeCount; ++i) {
    const auto& s = summary.stats(static_cast<model::OutcomeId>(i));
    fmt::print("{:<34} {:>12.5g} {:>11.3g} {:>7}\n", model::kOutcomeDescriptors[i].name, s.mean, s.standard_error(),
               s.count);
  }
}

}  // namespace

std::string run_help() {
  RunOptions o;
  return fmt::format(
      "Usage: normsim run SCENARIO [options]\n\n"
      "Runs the scenario's replicates in parallel and streams every run's outcomes (and per-step\n"
      "series) to an HDF5 file; prints outcome means with standard errors. Results are identical for\n"
      "any thread count. The file is written under a temporary name and renamed when done.\n\n"
      "{}\n"
      "Examples:\n"
      "  normsim run scenarios/baseline.toml\n"
      "  normsim run scenarios/baseline.toml -o closed.h5 --set norm.preset=closed --replicates 200\n\n{}",
      fmt::streamed(visible_options(o)), kExitCodeHelp);
}

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  RunOptions o = parse(args);
  if (o.scenario == "--help") {
    fmt::print("{}", run_help());
    return code(ExitCode::ok);
  }
  std::vector<std::string> overrides = o.overrides;
  if (o.replicates) overrides.push_back(fmt::format("run.replicates={}", *o.replicates));
  if (o.seed) overrides.push_back(fmt::format("run.seed={}", *o.seed));
  const scenario::Scenario s = scenario::load_file(o.scenario, overrides);

  const fs::path output = o.output.empty() ? fs::path(o.scenario).stem().concat(".h5") : fs::path(o.output);
  const fs::path directory = output.has_parent_path() ? output.parent_path() : fs::path(".");
  if (!fs::is_directory(directory)) {
    throw UsageError(fmt::format("-o {}: directory {} does not exist", output.string(), directory.string()));
  }
  if (fs::exists(output) && !o.overwrite) {
    throw output::OutputExists(fmt::format("{} exists; pass --overwrite to replace it", output.string()));
  }

  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  output::Provenance provenance;
  provenance.normsim_version = build_info::version();
  provenance.git_commit = build_info::git_commit();
  provenance.compiler = build_info::compiler();
  provenance.build_type = build_info::build_type();
  provenance.command_line = command_line;
  provenance.scenario_file = o.scenario;
  provenance.scenario_resolved = scenario::resolved_toml(s);
  provenance.key_derivation = random::key_derivation_description();
  provenance.rng = "Philox4x32-10 draws, Philox4x64-10 keys (Random123)";
  provenance.host = host_name();
  provenance.start_time = utc_now();
  provenance.cli_overrides = overrides;
  provenance.master_seed = s.run.seed;
  provenance.threads = threads;
  provenance.processes = 1;

  output::Layout layout;
  layout.replicates = s.run.replicates;
  layout.steps = s.model.world.steps;
  layout.series = !o.no_series;
  output::Hdf5Sink file(output, layout, provenance, o.overwrite);
  runner::SummarySink summary;
  runner::TeeSink sinks({&file, &summary});

  const runner::ReplicateSet set(s.model, s.run.replicates, s.run.seed);
  Progress progress(stderr, progress_style_for(stderr, o.quiet), set.size());
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = layout.series;
  options.on_progress = [&](std::uint64_t done, std::uint64_t) { progress.update(done); };
  options.stop = &g_stop;
  if (!o.quiet) {
    fmt::print(stderr, "normsim: {} — {} replicates, seed {}, {} threads → {}\n", o.scenario, set.size(), s.run.seed,
               threads, output.string());
  }

  runner::ExecutionReport report;
  {
    const StopSignals signals;
    report = runner::execute(set, sinks, options);
  }
  progress.finish(report.runs_completed);
  provenance.end_time = utc_now();
  provenance.wall_seconds = report.wall_seconds;
  file.commit(!report.interrupted, provenance);

  if (report.interrupted) {
    fmt::print(stderr, "normsim: interrupted after {} of {} runs; kept them in {} (attribute complete = 0)\n",
               report.runs_completed, set.size(), output.string());
    return code(ExitCode::interrupted);
  }
  if (!o.quiet) {
    print_summary(summary);
    const double rate = static_cast<double>(report.researcher_steps) / report.wall_seconds;
    fmt::print("{} runs in {:.2f} s ({:.3g} researcher-steps/s on {} threads)\nwrote {}\n", report.runs_completed,
               report.wall_seconds, rate, threads, output.string());
  }
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
