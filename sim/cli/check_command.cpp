#include "cli/check_command.hpp"

#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "study/check.hpp"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <cmath>
#include <filesystem>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct CheckOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  int threads = 0;
  bool resume = false;
  bool overwrite = false;
  bool force = false;
  bool quiet = false;
  bool help = false;
  bool until_decided = false;
  std::uint64_t max_runs = 0;
  std::string max_time;
};

po::options_description visible(CheckOptions& o) {
  po::options_description d("Options");
  d.add_options()
      ("output,o", po::value(&o.output)->value_name("FILE"),
       "HDF5 file of the runs and the verdicts (default: <scenario stem>.check.h5); attributions go to "
       "FILE's stem + .attribution.h5 (or .point-P.attribution.h5 per sweep point)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(), "override a scenario key (repeatable)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads per process (default: all cores)")
      ("resume", po::bool_switch(&o.resume), "continue an interrupted check: finished files are kept, journals resumed")
      ("until-decided", po::bool_switch(&o.until_decided),
       "sequential check: rounds of more replicates (doubling; attribution rows doubling) for the entries still "
       "undecided, most promising first, until every claim is decided or the budget is spent; intervals are "
       "anytime-valid confidence sequences (resampled statistics split α over the looks)")
      ("max-runs", po::value(&o.max_runs)->value_name("N"),
       "--until-decided: at most N model runs in all (default: sweep.max_runs)")
      ("max-time", po::value(&o.max_time)->value_name("DURATION"),
       "--until-decided: start no round after DURATION (e.g. 90s, 20m, 2h)")
      ("force", po::bool_switch(&o.force), "run a sweep larger than sweep.max_runs")
      ("overwrite", po::bool_switch(&o.overwrite), "replace existing files")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no table; the exit status says the verdict")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

std::string fmt_number(double x) { return std::isnan(x) ? std::string("n/a") : fmt::format("{:.4g}", x); }

/// "90s", "20m", "2h", "1.5h" or plain seconds → seconds; throws UsageError.
double parse_duration(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const double scale = unit.empty() || unit == "s" ? 1.0 : unit == "m" ? 60.0 : unit == "h" ? 3600.0 : -1.0;
  if (used == 0 || scale < 0 || !(value > 0) || !std::isfinite(value)) {
    throw UsageError(fmt::format("--max-time {}: expected a duration such as 90s, 20m or 2h", text));
  }
  return value * scale;
}

const char* prospect_text(std::int8_t prospect, bool sequential) {
  switch (prospect) {
    case 1: return sequential ? "budget ran out" : "more runs would likely decide it";
    case 2: return "beyond the budget";
    case 3: return "on the value";
    default: return "";
  }
}

/// Where a claim crosses its value along `locate`, per combination of the other factors.
void print_boundary(const output::ClaimBoundary& b) {
  static constexpr const char* kStatus[] = {"crosses once", "crosses more than once", "no crossing", "undecided"};
  fmt::print("  {:<13} crossing along {} (each search at error {:.3g}; {})\n", "", b.factor, b.alpha, b.method);
  std::size_t x = 0;
  for (std::size_t i = 0; i < b.status.size(); ++i) {
    std::string where;
    for (const output::DesignFactor& f : b.design) {
      const std::string value = f.categorical ? f.labels.at(static_cast<std::size_t>(f.levels[i])) : fmt_number(f.values[i]);
      where += fmt::format("{}{}={}", where.empty() ? "" : " ", f.name, value);
    }
    std::string crossings;
    for (; x < b.crossing_combination.size() && b.crossing_combination[x] == i; ++x) {
      crossings += fmt::format("{}{} [{}, {}]", crossings.empty() ? "" : ", ", fmt_number(b.crossing_estimate[x]),
                               fmt_number(b.crossing_low[x]), fmt_number(b.crossing_high[x]));
    }
    fmt::print("  {:<13}   {:<22} {:<32} {} runs  {}\n", "", kStatus[static_cast<std::size_t>(b.status[i]) % 4], crossings,
               b.runs[i], where);
  }
}

/// The verdict table: each claim's overall verdict, statement, formula and guarantee, then its entries.
void print_verdicts(const study::CheckResult& result, const std::string& scenario_file, const fs::path& output) {
  fmt::print("\nclaims of {}{}\n", scenario_file,
             result.rounds.empty() ? std::string() : fmt::format(" ({} model runs, {} rounds)", result.runs, result.rounds.size() + 1));
  for (const study::ClaimOutcome& claim : result.claims) {
    const output::ClaimResult& r = claim.result;
    const bool sequential = r.mode == "sequential";
    fmt::print("\n  {:<13} {}\n  {:<13} \"{}\"\n", fmt::format("[{}]", analysis::verdict_name(claim.overall)), r.id, "",
               r.statement);
    fmt::print("  {:<13} {}\n", "", claim.formula);
    fmt::print("  {:<13} {}\n", "", r.guarantee);
    const auto why = [&](std::size_t i) {
      if (r.verdict[i] != 2) return std::string();
      std::string text = fmt::format("  ({}", prospect_text(r.prospect[i], sequential));
      if (std::isfinite(r.n_needed[i])) text += fmt::format("; n ≈ {} would likely decide it", fmt_number(r.n_needed[i]));
      return text + ")";
    };
    if (r.boundary) print_boundary(*r.boundary);
    if (r.estimate.size() == 1) {
      fmt::print("  {:<13} estimate {} [{}, {}] ({:.4g} % interval), n = {}, {} runs{}\n", "", fmt_number(r.estimate[0]),
                 fmt_number(r.low[0]), fmt_number(r.high[0]), 100 * r.entry_confidence, r.n[0], r.runs[0], why(0));
      continue;
    }
    fmt::print("  {:<13} holds at {}, fails at {}, inconclusive at {} of {} points ({:.4g} % intervals)\n", "",
               claim.counts[0], claim.counts[1], claim.counts[2], r.estimate.size(), 100 * r.entry_confidence);
    for (std::size_t i = 0; i < r.estimate.size() && i < 24; ++i) {
      std::string where;
      for (const output::DesignFactor& f : r.design) {
        const std::string value = f.categorical ? f.labels.at(static_cast<std::size_t>(f.levels[i])) : fmt_number(f.values[i]);
        where += fmt::format("{}{}={}", where.empty() ? "" : " ", f.name, value);
      }
      fmt::print("  {:<13}   {:<13} {} [{}, {}]  n = {}  {}{}\n", "",
                 analysis::verdict_name(static_cast<analysis::Verdict>(r.verdict[i])), fmt_number(r.estimate[i]),
                 fmt_number(r.low[i]), fmt_number(r.high[i]), r.n[i], where, why(i));
    }
    if (r.estimate.size() > 24) fmt::print("  {:<13}   … {} more in /claims/{} of {}\n", "", r.estimate.size() - 24, r.id, output.string());
  }
  fmt::print("\nverdicts written to /claims in {}\n", output.string());
}

}  // namespace

std::string check_help() {
  CheckOptions o;
  return fmt::format(
      "Usage: normsim check SCENARIO [options]\n\n"
      "Evaluates the scenario's [[claims]] and gives each a verdict: holds when the interval of the\n"
      "claimed quantity lies on the claimed side of the value, fails when it lies on the other side,\n"
      "inconclusive otherwise (with the sample size that would likely decide it). A claim's error is\n"
      "1 − claims.confidence (default 0.95) for its whole map (claims.error = \"family_wise\", the default:\n"
      "each of its k points at level 1 − α/k) or at each point (\"per_point\").\n"
      "  mean, probability          at every point of the sweep, over run.replicates replicates\n"
      "  mean_difference, norm_share  at every combination of the other factors of a grid sweep with a\n"
      "                             norm.preset factor (paired on common keys: sweep.common_keys = true)\n"
      "  level_difference           the same for two levels (by label) of any factor of a grid\n"
      "  index, max_researcher_index, top_researchers_sum\n"
      "                             from `normsim attribute`: once for the whole design (its sweep's factors\n"
      "                             join the attribution design), or at every point with attribution.per_point\n"
      "The runs are made by `normsim run` into FILE (journalled: --resume continues), the attributions\n"
      "by `normsim attribute`; verdicts are stored under /claims in FILE. A claim evaluated at several\n"
      "points holds when it holds at every point, fails when it fails at one, else is inconclusive.\n"
      "With --until-decided, the rounds' runs go to FILE's stem + .round-J.h5 and later attribution\n"
      "looks to .look-J.attribution.h5; each verdict records its runs and why it stopped.\n\n"
      "{}\n"
      "Exit codes:\n"
      "  0    every claim holds\n"
      "  1    at least one claim fails\n"
      "  2    bad input: arguments, scenario file, claims, output exists without --overwrite\n"
      "  3    no claim fails but at least one is inconclusive\n"
      "  4    runtime failure (I/O, HDF5, internal error)\n"
      "  130  interrupted: finished runs are kept; --resume continues\n",
      fmt::streamed(visible(o)));
}

int check_command(const std::vector<std::string>& args, const std::string& command_line,
                  const study::Processes& processes) {
  CheckOptions o;
  parse_command_line(args, visible(o), o.scenario);
  if (o.help) {
    fmt::print("{}", check_help());
    return code(ExitCode::ok);
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file with [[claims]], e.g. scenarios/A2_norm_effect.toml)");
  study::CheckConfig c;
  c.scenario = scenario::load_file(o.scenario, o.overrides);
  c.scenario_file = o.scenario;
  c.command_line = command_line;
  c.output = o.output.empty() ? fs::path(fs::path(o.scenario).stem().string() + ".check.h5") : fs::path(o.output);
  c.resume = o.resume;
  c.overwrite = o.overwrite;
  c.force = o.force;
  c.sequential.until_decided = o.until_decided;
  c.sequential.max_runs = o.max_runs;
  if (!o.max_time.empty()) c.sequential.max_seconds = parse_duration(o.max_time);
  c.conduct = conduct(o.threads, o.quiet, processes);
  const study::CheckResult r = study::check(c, processes);
  if (r.status == study::PipelineStatus::follower) return code(ExitCode::ok);
  if (r.status != study::PipelineStatus::written) return stopped(r.status, with_resume(command_line), processes);
  if (!c.conduct.quiet) print_verdicts(r, o.scenario, c.output);
  bool any_fails = false;
  bool any_open = false;
  for (const study::ClaimOutcome& claim : r.claims) {
    any_fails = any_fails || claim.overall == analysis::Verdict::fails;
    any_open = any_open || claim.overall == analysis::Verdict::inconclusive;
  }
  if (any_fails) return code(ExitCode::claim_failed);
  if (any_open) return code(ExitCode::inconclusive);
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
