#include "cli/plan_command.hpp"

#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "study/plan.hpp"

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
  bool help = false;
  po::options_description options("Options");
  options.add_options()("set", po::value(&overrides)->composing())("threads,j", po::value(&threads))(
      "no-series", po::bool_switch(&no_series))("help,h", po::bool_switch(&help));
  parse_command_line(args, options, file);
  if (help) {
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
