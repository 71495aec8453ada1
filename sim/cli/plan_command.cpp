#include "cli/plan_command.hpp"

#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "study/plan.hpp"

// GCC 12 at -O3 reports a "potential null pointer dereference" inside std::vector's copy
// assignment as instantiated by Boost.Program_options for vector-valued options (a known false
// positive of -Wnull-dereference after inlining); it is silenced for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <oneapi/tbb/info.h>

namespace normsim::cli {

namespace po = boost::program_options;

std::string plan_help() {
  return fmt::format(
      "Usage: normsim plan SCENARIO [--set KEY=VALUE]... [--threads N] [--no-series]\n\n"
      "A dry run: prints the design (factors, points, replicates, runs), then estimates the\n"
      "researcher-steps, the time on this machine (from a calibration of a few runs, ~2 s at most)\n"
      "and the size of the output. Nothing is written.\n\n{}",
      kExitCodeHelp);
}

int plan_command(const std::vector<std::string>& args) {
  std::string file;
  std::vector<std::string> overrides;
  int threads = 0;
  bool no_series = false;
  po::options_description options("Options");
  options.add_options()("set", po::value(&overrides)->composing())("threads,j", po::value(&threads))(
      "no-series", po::bool_switch(&no_series))("help,h", "")("scenario", po::value(&file));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (vm.count("help") != 0) {
    fmt::print("{}", plan_help());
    return code(ExitCode::ok);
  }
  if (file.empty()) throw UsageError("missing SCENARIO (a TOML file, e.g. scenarios/sweep_norms_spill.toml)");
  check_threads(threads);
  const scenario::Scenario base = scenario::load_file(file, overrides);
  fmt::print("scenario: {}\n{}", file, study::describe_design(base));
  const study::Estimate e = study::estimate(base, threads > 0 ? threads : tbb::info::default_concurrency(), !no_series);
  fmt::print("{}", study::describe_estimate(e));
  if (base.attribution) fmt::print("{}", study::describe_attribution(base, e));
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
