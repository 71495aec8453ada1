#include "cli/discover_command.hpp"

#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"
#include "study/discover.hpp"

#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace dsc = analysis::discovery;

namespace {

struct DiscoverOptions {
  std::string scenario;
  std::string claim;
  std::string output;
  std::vector<std::string> overrides;
  int threads = 0;
  bool resume = false;
  bool overwrite = false;
  bool force = false;
  bool quiet = false;
  bool help = false;
  dsc::DiscoverySettings settings;
  std::string choice = "max_quality";
};

po::options_description visible(DiscoverOptions& o) {
  dsc::DiscoverySettings& s = o.settings;
  po::options_description d("Options");
  d.add_options()
      ("claim,c", po::value(&o.claim)->value_name("ID"), "the claim whose failures to map (may be left out when the "
       "scenario has one claim)")
      ("output,o", po::value(&o.output)->value_name("FILE"),
       "HDF5 file of the runs and the discovery (default: <scenario stem>.discover.h5)")
      ("set", po::value(&o.overrides)->value_name("KEY=VALUE")->composing(), "override a scenario key (repeatable)")
      ("threads,j", po::value(&o.threads)->value_name("N"), "worker threads per process (default: all cores)")
      ("resume", po::bool_switch(&o.resume),
       "continue an interrupted discovery; with a finished FILE, run PRIM on it again (other PRIM options)")
      ("force", po::bool_switch(&o.force), "run more than sweep.max_runs")
      ("overwrite", po::bool_switch(&o.overwrite), "replace an existing FILE")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no report")
      ("max-boxes", po::value(&s.max_boxes)->value_name("B")->default_value(s.max_boxes),
       "at most B boxes (stages of the covering)")
      ("peel-alpha", po::value(&s.prim.peel_alpha)->value_name("A")->default_value(s.prim.peel_alpha),
       "share of the box a peel removes, in (0, 0.5]")
      ("paste-alpha", po::value(&s.prim.paste_alpha)->value_name("A")->default_value(s.prim.paste_alpha),
       "share of the box a paste adds, in [0, 0.5] (0: no pasting)")
      ("min-mass", po::value(&s.prim.min_mass)->value_name("M")->default_value(s.prim.min_mass),
       "smallest box, as a share of the points, in (0, 1]")
      ("choice", po::value(&o.choice)->value_name("RULE[:X]")->default_value(o.choice),
       "how a box is chosen on its peeling trajectory: max_quality[:a] (mass^a · (density − base rate), a = 0.5), "
       "densest_with_coverage:c, widest_with_density:d, largest_within_mass:m, step:k (with --max-boxes 1; e.g. "
       "step:12)")
      ("max-quasi-p", po::value(&s.prim.max_quasi_p)->value_name("P")->default_value(s.prim.max_quasi_p),
       "drop restrictions whose quasi-p-value exceeds P (1 keeps all)")
      ("min-density", po::value(&s.min_density)->value_name("D")->default_value(s.min_density),
       "accept only boxes at least this dense")
      ("permutations", po::value(&s.permutations)->value_name("N")->default_value(s.permutations),
       "permutation test of each box against structureless data (0: none)")
      ("significance", po::value(&s.significance)->value_name("P")->default_value(s.significance),
       "accept a box only at permutation p ≤ P")
      ("resamples", po::value(&s.resamples)->value_name("N")->default_value(s.resamples),
       "bootstrap resamples of the points for the boxes' stability (0: none)")
      ("prim-seed", po::value(&s.seed)->value_name("S")->default_value(s.seed),
       "seed of the permutations and resamples (not of the runs: that is run.seed)")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

/// "rule" or "rule:x" into the settings' box choice; throws UsageError.
void parse_choice(const std::string& text, dsc::BoxChoice& choice) {
  const std::size_t colon = text.find(':');
  const std::string rule = text.substr(0, colon);
  const bool given = colon != std::string::npos;
  double x = 0;
  if (given) {
    std::size_t used = 0;
    try {
      x = std::stod(text.substr(colon + 1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() - colon - 1) throw UsageError(fmt::format("--choice {}: expected RULE:NUMBER", text));
  }
  using Rule = dsc::BoxChoice::Rule;
  const std::vector<std::pair<std::string, Rule>> rules{{"max_quality", Rule::max_quality},
                                                        {"densest_with_coverage", Rule::densest_with_coverage},
                                                        {"widest_with_density", Rule::widest_with_density},
                                                        {"largest_within_mass", Rule::largest_within_mass},
                                                        {"step", Rule::step}};
  const auto found = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.first == rule; });
  if (found == rules.end()) {
    throw UsageError(fmt::format("--choice {}: rules are max_quality, densest_with_coverage, widest_with_density, "
                                 "largest_within_mass, step",
                                 text));
  }
  choice.rule = found->second;
  if (choice.rule == Rule::max_quality) {
    if (given) choice.quality_exponent = x;
    return;
  }
  if (!given) {
    throw UsageError(fmt::format("--choice {}: this rule needs its number, e.g. {}:{}", text, rule,
                                 rule == "step" ? "12" : "0.5"));
  }
  switch (choice.rule) {
    case Rule::densest_with_coverage: choice.min_coverage = x; break;
    case Rule::widest_with_density: choice.min_density = x; break;
    case Rule::largest_within_mass: choice.max_mass = x; break;
    default:
      if (!(x >= 0) || x != std::floor(x)) throw UsageError(fmt::format("--choice {}: a step is an index 0, 1, …", text));
      choice.step = static_cast<std::size_t>(x);
  }
}

std::string number(double x) { return std::isnan(x) ? std::string("n/a") : fmt::format("{:.4g}", x); }

std::string percent(double x) { return std::isnan(x) ? std::string("n/a") : fmt::format("{:.0f} %", 100 * x); }

/// The spread of a restriction's limit over the resamples, in words.
std::string spread(const output::DiscoveryTable& t, std::size_t dimension, double mean, double sd) {
  if (std::isnan(mean)) return "";
  if (t.dimension_scales.at(dimension) == "log") return fmt::format("{} (sd of ln {:.2g})", number(mean), sd);
  return fmt::format("{} ± {:.2g}", number(mean), sd);
}

void print_box(const output::DiscoveryTable& t, const output::DiscoveryBox& b, std::size_t index, bool accepted) {
  const std::string title = accepted ? fmt::format("box {} of {}", index + 1, t.accepted) : std::string("rejected box");
  fmt::print("\n{}: coverage {:.3f}, density {:.3f}, mass {:.3f}, {} points; permutation p = {}{}\n", title,
             b.box_coverage, b.box_density, b.box_mass, b.box_points, number(b.p_value),
             b.resamples > 0 ? fmt::format("; bootstrap similarity {:.2f} ({} resamples)", b.similarity, b.resamples)
                             : std::string());
  if (b.text.empty()) {
    fmt::print("    no restriction\n");
  } else {
    fmt::print("    {:<46} {:>9}  {:>12}  {}\n", "restriction", "quasi-p", "in resamples", "limit over resamples");
    for (std::size_t k = 0; k < b.text.size(); ++k) {
      fmt::print("    {:<46} {:>9.2g}  {:>12}  {}\n", b.text[k], b.quasi_p[k], percent(b.frequency[k]),
                 spread(t, b.dimension[k], b.limit_mean[k], b.limit_sd[k]));
    }
  }
  // Sides the box does not restrict that many resamples do: the box is less settled there.
  std::string others;
  const std::size_t d = t.dimension_names.size();
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t side = 0; side < 3; ++side) {
      const bool numeric = t.dimension_kind[j] == 0;
      if (numeric == (side == 2)) continue;
      const double f = b.stability_frequency[3 * j + side];
      bool restricted = false;
      for (std::size_t k = 0; k < b.dimension.size(); ++k) {
        restricted = restricted || (b.dimension[k] == j && static_cast<std::size_t>(b.side[k]) == side);
      }
      if (!restricted && f >= 0.2) {
        others += fmt::format("{}{} {} ({})", others.empty() ? "" : ", ", t.dimension_names[j],
                              side == 0 ? "low" : side == 1 ? "high" : "levels", percent(f));
      }
    }
  }
  if (!others.empty()) fmt::print("    also restricted in ≥ 20 % of resamples: {}\n", others);
  if (!b.dropped.empty()) {
    std::string dropped;
    for (const std::string& x : b.dropped) dropped += (dropped.empty() ? "" : ", ") + x;
    fmt::print("    dropped by the resolution pass: {}\n", dropped);
  }
  // The coverage–density trade-off: a few steps of the peeling trajectory and the chosen one.
  const std::size_t s = b.coverage.size();
  std::vector<std::size_t> steps{b.chosen_step};
  for (std::size_t k = 0; k <= 4 && s > 0; ++k) steps.push_back(k * (s - 1) / 4);
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  fmt::print("    trade-off of {} peeling steps (stage of {} points, base rate {:.3f}):\n", s, b.stage_points,
             b.stage_base_rate);
  fmt::print("      {:>6} {:>9} {:>8} {:>6} {:>7} {:>11}\n", "step", "coverage", "density", "mass", "points", "restricted");
  for (const std::size_t k : steps) {
    if (k >= s) continue;
    fmt::print("      {:>6} {:>9.3f} {:>8.3f} {:>6.3f} {:>7} {:>11}{}\n", k, b.coverage[k], b.density[k], b.mass[k],
               b.n_points[k], b.n_restricted[k], k == b.chosen_step ? "  ← chosen (then pasted and resolved)" : "");
  }
}

void print_discovery(const study::DiscoverResult& r, const std::string& scenario_file, const fs::path& output) {
  const output::DiscoveryTable& t = r.table;
  const std::size_t p = t.estimate.size();
  const bool paired = t.quantity == "mean_difference";
  fmt::print("\ndiscover {} — claim {}\n  \"{}\"\n  {}\n", scenario_file, t.claim, t.statement, r.formula);
  fmt::print("  {} points{} × {} replicates ({} runs); each point's interval at {:.4g} % on its own\n", p,
             paired ? " × 2 norms" : "", r.replicates, r.runs, 100 * t.confidence);
  fmt::print("  the claim fails at its estimate at {} of {} points (base rate {:.3f}); verdicts: {} hold, {} fail, {} "
             "inconclusive\n",
             static_cast<std::uint64_t>(std::llround(t.total_interest)), p, t.base_rate, r.verdicts[0], r.verdicts[1],
             r.verdicts[2]);
  for (std::size_t k = 0; k < t.boxes.size(); ++k) print_box(t, t.boxes[k], k, k < t.accepted);
  fmt::print("\n{} box{} found; covering stopped: {}\n", t.accepted, t.accepted == 1 ? "" : "es", t.stop_reason);
  fmt::print("written to /discovery/{} in {} (figure: analysis/plots/discovery.py {} -o STEM)\n", t.claim,
             output.string(), output.string());
}

}  // namespace

std::string discover_help() {
  DiscoverOptions o;
  return fmt::format(
      "Usage: normsim discover SCENARIO [--claim ID] [options]\n\n"
      "Scenario discovery: where in a space of assumptions a claim fails. The scenario's [sweep] samples the\n"
      "assumptions (design = \"latin_hypercube\" or \"sobol\" over from/to ranges, or \"grid\"); the claim is\n"
      "evaluated at every design point from its replicates:\n"
      "  mean, probability   from the point's runs\n"
      "  mean_difference     discover runs both norms (norm and versus, as norm.preset) at every point, on the\n"
      "                      same keys within the point; the file's rows are point p under norm (2p) and\n"
      "                      under versus (2p + 1)\n"
      "A point is of interest when the claim fails at its estimate; PRIM (peeling, pasting, covering; Friedman &\n"
      "Fisher 1999) finds the boxes of assumptions where such points concentrate. For each box it prints the\n"
      "restricted assumptions and their limits (log-scale factors are searched on ln x), coverage (share of all\n"
      "failing points inside), density (share of the box's points failing), points, the permutation p-value\n"
      "(is a box this dense likely in structureless data?), how often each restriction reappears in bootstrap\n"
      "resamples of the points, and the coverage–density trade-off of its peeling trajectory. Each point's\n"
      "interval and verdict (at claims.confidence, per point) are stored too. Everything goes to\n"
      "/discovery/<claim> in FILE; the figure: analysis/plots/discovery.py FILE -o STEM.\n\n"
      "{}\n"
      "Exit codes:\n"
      "  0    the discovery was made (whether or not a box was found)\n"
      "  2    bad input: arguments, scenario file, a claim discover cannot use, output exists without --overwrite\n"
      "  4    runtime failure (I/O, HDF5, internal error)\n"
      "  130  interrupted: finished runs are kept; --resume continues\n",
      fmt::streamed(visible(o)));
}

int discover_command(const std::vector<std::string>& args, const std::string& command_line,
                     const study::Processes& processes) {
  DiscoverOptions o;
  parse_command_line(args, visible(o), o.scenario);
  if (o.help) {
    fmt::print("{}", discover_help());
    return code(ExitCode::ok);
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file with a [sweep] of assumptions and [[claims]])");
  check_threads(o.threads);
  parse_choice(o.choice, o.settings.prim.choice);
  try {
    dsc::validate(o.settings);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  study::DiscoverConfig c;
  c.scenario = scenario::load_file(o.scenario, o.overrides);
  c.scenario_file = o.scenario;
  c.command_line = command_line;
  c.claim = o.claim;
  c.output = o.output.empty() ? fs::path(fs::path(o.scenario).stem().string() + ".discover.h5") : fs::path(o.output);
  c.settings = o.settings;
  c.resume = o.resume;
  c.overwrite = o.overwrite;
  c.force = o.force;
  c.conduct = conduct(o.threads, o.quiet, processes);
  const study::DiscoverResult r = study::discover(c, processes);
  if (r.status == study::PipelineStatus::follower) return code(ExitCode::ok);
  if (r.status != study::PipelineStatus::written) return stopped(r.status, with_resume(command_line), processes);
  if (!c.conduct.quiet) print_discovery(r, o.scenario, c.output);
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
