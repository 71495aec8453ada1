#include "cli/check_command.hpp"

#include "analysis/attribution/norm_share.hpp"
#include "analysis/claims/verdict.hpp"
#include "cli/attribute_command.hpp"
#include "cli/censoring.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_command.hpp"
#include "cli/sweep_setup.hpp"
#include "cli/usage_error.hpp"
#include "output/claims_table.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/keys.hpp"
#include "scenario/scenario.hpp"

// See run_command.cpp: a GCC 12 false positive in Boost.Program_options' vector options.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/math/distributions/normal.hpp>
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

namespace normsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using scenario::Claim;
using scenario::ClaimQuantity;

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
      ("force", po::bool_switch(&o.force), "run a sweep larger than sweep.max_runs")
      ("overwrite", po::bool_switch(&o.overwrite), "replace existing files")
      ("quiet,q", po::bool_switch(&o.quiet), "no progress and no table; the exit status says the verdict")
      ("help,h", po::bool_switch(&o.help), "show this help");
  return d;
}

bool is_attribution_claim(const Claim& c) {
  return c.quantity == ClaimQuantity::index || c.quantity == ClaimQuantity::index_sum ||
         c.quantity == ClaimQuantity::max_researcher_index || c.quantity == ClaimQuantity::top_researchers_sum;
}

/// Claims that compare levels of one factor of a grid: norms (mean_difference, norm_share) or the
/// levels of any factor (level_difference).
bool compares_levels(const Claim& c) {
  return c.quantity == ClaimQuantity::mean_difference || c.quantity == ClaimQuantity::norm_share ||
         c.quantity == ClaimQuantity::level_difference;
}

/// The preset's name as written in files: the registry's choices of norm.preset, in enum order.
std::string preset_name(model::NormPreset preset) {
  return std::string(scenario::find_key("norm.preset")->choices[static_cast<std::size_t>(preset)]);
}

/// One evaluated entry of a claim (a point, a cell of the sweep, or the whole design).
struct Entry {
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t n = 0;
};

/// Where a claim over the levels of one factor of a grid is evaluated: the cells, each one
/// combination of the other factors' levels, with the design point of every level of the factor.
struct FactorCells {
  std::vector<std::vector<std::uint64_t>> points;    ///< [cell][level] → design point
  std::vector<output::DesignFactor> design;          ///< the other factors' values per cell
};

FactorCells cells_over(const scenario::Scenario& base, std::size_t factor) {
  const scenario::Sweep& w = base.sweep;
  FactorCells cells;
  const std::size_t levels = w.factors[factor].levels.size();
  std::map<std::vector<std::int64_t>, std::size_t> index;
  const output::Layout layout = make_layout(base, false);
  for (std::size_t f = 0; f < w.factors.size(); ++f) {
    if (f == factor) continue;
    output::DesignFactor column = layout.design[f];
    column.values.clear();
    column.levels.clear();
    cells.design.push_back(std::move(column));
  }
  for (std::uint64_t p = 0; p < w.points; ++p) {
    std::vector<std::int64_t> key;
    for (std::size_t f = 0; f < w.factors.size(); ++f) {
      if (f != factor) key.push_back(w.level(p, f));
    }
    auto [it, added] = index.emplace(key, cells.points.size());
    if (added) {
      cells.points.emplace_back(levels, 0);
      std::size_t column = 0;
      for (std::size_t f = 0; f < w.factors.size(); ++f) {
        if (f == factor) continue;
        cells.design[column].values.push_back(layout.design[f].values[p]);
        cells.design[column].levels.push_back(layout.design[f].levels[p]);
        ++column;
      }
    }
    cells.points[it->second][static_cast<std::size_t>(w.level(p, factor))] = p;
  }
  return cells;
}

/// The factor a level-comparing claim compares and the levels it uses, in the order its estimate
/// uses them (norm, versus / norms / level, baseline). Throws UsageError, naming the file and the
/// claim, when the scenario cannot evaluate it: no grid, no such factor, no such level, or a
/// paired difference without common keys.
std::pair<std::size_t, std::vector<std::size_t>> compared_levels(const scenario::Scenario& base, const Claim& c,
                                                                 const std::string& file) {
  const scenario::Sweep& w = base.sweep;
  const bool norms = c.quantity != ClaimQuantity::level_difference;
  const std::string key = norms ? std::string("norm.preset") : c.factor;
  std::vector<std::string> wanted;  // labels (or preset names) of the levels, in order
  if (c.quantity == ClaimQuantity::mean_difference) wanted = {preset_name(*c.norm), preset_name(*c.versus)};
  if (c.quantity == ClaimQuantity::norm_share) {
    for (const model::NormPreset n : c.norms) wanted.push_back(preset_name(n));
  }
  if (!norms) wanted = {c.level, c.baseline};
  std::string listed;
  for (const std::string& l : wanted) listed += (listed.empty() ? "\"" : ", \"") + l + "\"";
  std::optional<std::size_t> factor;
  for (std::size_t f = 0; f < w.factors.size(); ++f) {
    if (w.factors[f].key == key) factor = f;
  }
  if (!factor || w.kind != scenario::DesignKind::grid) {
    throw UsageError(fmt::format("{}: claim '{}' ({}) compares levels: the scenario needs a [sweep] with design = "
                                 "\"grid\" and a factor key = \"{}\" whose values include {}",
                                 file, c.id, scenario::quantity_name(c.quantity), key, listed));
  }
  const scenario::Factor& f = w.factors[*factor];
  std::vector<std::size_t> levels;
  for (const std::string& label : wanted) {
    // A preset is matched by its value ("\"open\""), so that a factor with its own labels still works.
    const std::string value = fmt::format("\"{}\"", label);
    std::optional<std::size_t> found;
    for (std::size_t l = 0; l < f.levels.size() && !found; ++l) {
      if (norms ? f.levels[l] == value : f.labels[l] == label) found = l;
    }
    if (!found) {
      std::string have;
      for (const std::string& l : f.labels) have += (have.empty() ? "\"" : ", \"") + l + "\"";
      throw UsageError(fmt::format("{}: claim '{}' compares {} \"{}\", which the {} factor does not list; its levels: {}",
                                   file, c.id, norms ? "norm" : "level", label, key, have));
    }
    levels.push_back(*found);
  }
  if (c.quantity != ClaimQuantity::norm_share && !w.common_keys) {
    throw UsageError(fmt::format("{}: claim '{}' compares levels pairwise: set sweep.common_keys = true so that every "
                                 "level runs on the same keys",
                                 file, c.id));
  }
  return {*factor, levels};
}

/// Reads outcome columns of the run file on demand ([P · R], point-major), t_transform censored at
/// each point's horizon and reached_transformative derived from it.
class RunValues {
 public:
  RunValues(const fs::path& path, const scenario::Scenario& base)
      : file_(path), base_(base), replicates_(file_.shape("/replicate").at(0)) {}

  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }

  /// The R values of `outcome` at point p.
  std::vector<double> at(const std::string& outcome, std::uint64_t p) {
    const bool reached = outcome == scenario::kReachedTransformative;
    const std::string name = reached ? std::string("t_transform") : outcome;
    auto it = columns_.find(name);
    if (it == columns_.end()) it = columns_.emplace(name, file_.read_float64("/outcomes/" + name)).first;
    std::vector<double> y(it->second.begin() + static_cast<std::ptrdiff_t>(p * replicates_),
                          it->second.begin() + static_cast<std::ptrdiff_t>((p + 1) * replicates_));
    if (reached) {
      for (double& v : y) v = std::isnan(v) ? 0.0 : 1.0;
    } else if (name == "t_transform") {
      censor(y, horizon_of(p));
    }
    return y;
  }

 private:
  double horizon_of(std::uint64_t p) {
    if (base_.sweep.points == 1) return static_cast<double>(base_.model.world.steps);
    return static_cast<double>(scenario::point_scenario(base_, p).model.world.steps);
  }

  output::Hdf5Reader file_;
  const scenario::Scenario& base_;
  std::uint64_t replicates_;
  std::map<std::string, std::vector<double>> columns_;
};

Entry mean_entry(const std::vector<double>& y, double confidence) {
  const std::vector<double> zeros(y.size(), 0.0);
  const analysis::Estimate e = analysis::paired_mean_difference(y, zeros, confidence);
  return {e.value, e.ci_low, e.ci_high, y.size()};
}

/// P(Y > above) or P(Y < below) with a Wilson score interval.
Entry probability_entry(const std::vector<double>& y, const Claim& c, double confidence) {
  double k = 0;
  for (const double v : y) k += (c.above ? v > *c.above : v < *c.below) ? 1.0 : 0.0;
  const auto n = static_cast<double>(y.size());
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
  const double p = k / n;
  const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half), y.size()};
}

std::string estimator_of(const Claim& c, bool paired) {
  switch (c.quantity) {
    case ClaimQuantity::mean: return "mean over replicates, Student t interval";
    case ClaimQuantity::probability: return "fraction of replicates, Wilson score interval";
    case ClaimQuantity::mean_difference:
    case ClaimQuantity::level_difference: return "mean of paired differences (common keys), Student t interval";
    case ClaimQuantity::norm_share:
      return fmt::format("between-norm share of variance (law of total variance, bias-corrected), percentile "
                         "bootstrap{}",
                         paired ? ", replicates resampled jointly" : "");
    case ClaimQuantity::index: return "attribution table (Saltelli 2010 / Jansen / Goda), percentile bootstrap";
    case ClaimQuantity::index_sum:
      return "sum of the factors' indices; interval [sum of the lower ends, sum of the upper ends] of their intervals";
    case ClaimQuantity::max_researcher_index:
      return "largest per-researcher index; interval [max of lower ends, max of upper ends] of the per-researcher "
             "intervals";
    case ClaimQuantity::top_researchers_sum:
      return "sum of the k largest per-researcher indices; interval [sum of the k largest lower ends, sum of the k "
             "largest upper ends]";
  }
  return "";
}

/// The entry of an attribution claim from an attribution file.
Entry attribution_entry(const fs::path& path, const Claim& c, const std::string& scenario_file) {
  const output::Hdf5Reader file(path);
  const bool shapley = c.index == scenario::IndexKind::shapley;
  const std::string table = "/attribution/" + c.outcome + (shapley ? ".shapley" : "");
  const std::vector<std::string> datasets = file.dataset_paths();
  if (std::find(datasets.begin(), datasets.end(), table + "/factor") == datasets.end()) {
    throw UsageError(fmt::format("{}: claim '{}': {} has no table {} (the outcome's variance is 0, or no Shapley effects "
                                 "were computed)",
                                 scenario_file, c.id, path.string(), table));
  }
  const std::vector<std::string> labels = file.string_array_attribute("labels", table + "/factor");
  const std::vector<std::string> kinds = file.string_array_attribute("kinds", table + "/factor");
  const std::string column = table + "/" + std::string(scenario::index_name(*c.index));
  const std::vector<double> estimate = file.read_float64(column + "/estimate");
  const std::vector<double> low = file.read_float64(column + "/low");
  const std::vector<double> high = file.read_float64(column + "/high");
  const auto rows = static_cast<std::uint64_t>(file.number_attribute("rows", table));
  if (c.quantity == ClaimQuantity::index || c.quantity == ClaimQuantity::index_sum) {
    // One factor, or the sum of several: if every interval covers its index, the sum of the indices
    // lies between the sums of the lower and of the upper ends.
    const std::vector<std::string> wanted =
        c.quantity == ClaimQuantity::index ? std::vector<std::string>{c.factor} : c.factors;
    Entry sum{0.0, 0.0, 0.0, rows};
    for (const std::string& name : wanted) {
      const auto it = std::find(labels.begin(), labels.end(), name);
      if (it == labels.end()) {
        std::string names;
        for (std::size_t g = 0; g < labels.size(); ++g) {
          if (kinds[g] != "researcher") names += (names.empty() ? "\"" : ", \"") + labels[g] + "\"";
        }
        throw UsageError(fmt::format("{}: claim '{}': factor \"{}\" is not in the {} table of {}; allowed: {}", scenario_file,
                                     c.id, name, shapley ? "Shapley" : "attribution", c.outcome, names));
      }
      const auto g = static_cast<std::size_t>(it - labels.begin());
      sum.estimate += estimate[g];
      sum.low += low[g];
      sum.high += high[g];
    }
    return sum;
  }
  std::vector<double> e;
  std::vector<double> lo;
  std::vector<double> hi;
  for (std::size_t g = 0; g < labels.size(); ++g) {
    if (kinds[g] != "researcher") continue;
    e.push_back(estimate[g]);
    lo.push_back(low[g]);
    hi.push_back(high[g]);
  }
  if (e.empty()) {
    throw UsageError(fmt::format("{}: claim '{}' needs per-researcher indices: set attribution.researchers to \"all\", "
                                 "\"top_talent:K\" or \"sample:K\"",
                                 scenario_file, c.id));
  }
  // The k largest of each: if every interval covers its researcher's index, the top-k sum of the
  // indices lies between the top-k sums of the lower and of the upper ends (the sum of the k
  // largest is non-decreasing in every coordinate).
  const std::size_t k = c.quantity == ClaimQuantity::max_researcher_index
                            ? 1
                            : std::min<std::size_t>(static_cast<std::size_t>(c.k), e.size());
  const auto top = [k](std::vector<double> v) {
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end(), std::greater<>());
    double s = 0;
    for (std::size_t i = 0; i < k; ++i) s += v[i];
    return s;
  };
  return {top(e), top(lo), top(hi), rows};
}

/// The arguments that check passes on to run and attribute: threads, --resume, --overwrite and the
/// overrides, after `head`.
std::vector<std::string> passed_on(std::vector<std::string> head, const CheckOptions& o,
                                   const std::vector<std::string>& overrides) {
  if (o.threads > 0) {
    head.emplace_back("-j");
    head.push_back(std::to_string(o.threads));
  }
  if (o.resume) head.emplace_back("--resume");
  if (o.overwrite) head.emplace_back("--overwrite");
  for (const std::string& s : overrides) {
    head.emplace_back("--set");
    head.push_back(s);
  }
  return head;
}

/// Units of a claim's quantity.
std::string units_of(const Claim& c) {
  switch (c.quantity) {
    case ClaimQuantity::probability: return "probability";
    case ClaimQuantity::mean:
    case ClaimQuantity::mean_difference:
    case ClaimQuantity::level_difference: {
      if (c.outcome == scenario::kReachedTransformative) return "probability";
      const auto id = scenario::outcome_by_name(c.outcome);
      return id ? std::string(model::kOutcomeDescriptors[static_cast<std::size_t>(*id)].units) : std::string();
    }
    default: return "fraction";
  }
}

/// The claim as a formula: "P(t_transform < 60) > 0.5", "mean(capability | closed) − mean(capability | open) < 0".
std::string claim_formula(const Claim& c) {
  const std::string side = fmt::format("{} {}", scenario::comparison_text(c.compare), c.value);
  switch (c.quantity) {
    case ClaimQuantity::mean: return fmt::format("mean({}) {}", c.outcome, side);
    case ClaimQuantity::probability:
      return fmt::format("P({} {} {}) {}", c.outcome, c.above ? ">" : "<", c.above ? *c.above : *c.below, side);
    case ClaimQuantity::mean_difference:
      return fmt::format("mean({0} | {1}) − mean({0} | {2}) {3}", c.outcome, preset_name(*c.norm), preset_name(*c.versus), side);
    case ClaimQuantity::level_difference:
      return fmt::format("mean({0} | {1} = {2}) − mean({0} | {1} = {3}) {4}", c.outcome, c.factor, c.level, c.baseline,
                         side);
    case ClaimQuantity::norm_share: {
      std::string norms;
      for (const model::NormPreset n : c.norms) norms += (norms.empty() ? "" : ", ") + preset_name(n);
      return fmt::format("share of Var({}) explained by the norm ({}) {}", c.outcome, norms, side);
    }
    case ClaimQuantity::index:
      return fmt::format("{} index of \"{}\" for {} {}", scenario::index_name(*c.index), c.factor, c.outcome, side);
    case ClaimQuantity::index_sum: {
      std::string names;
      for (const std::string& f : c.factors) names += (names.empty() ? "\"" : ", \"") + f + "\"";
      return fmt::format("sum of the {} indices of {} for {} {}", scenario::index_name(*c.index), names, c.outcome,
                         side);
    }
    case ClaimQuantity::max_researcher_index:
      return fmt::format("largest per-researcher {} index for {} {}", scenario::index_name(*c.index), c.outcome, side);
    case ClaimQuantity::top_researchers_sum:
      return fmt::format("sum of the {} largest per-researcher {} indices for {} {}", c.k, scenario::index_name(*c.index),
                         c.outcome, side);
  }
  return side;
}

std::string fmt_number(double x) { return std::isnan(x) ? std::string("n/a") : fmt::format("{:.4g}", x); }

}  // namespace

std::string check_help() {
  CheckOptions o;
  return fmt::format(
      "Usage: normsim check SCENARIO [options]\n\n"
      "Evaluates the scenario's [[claims]] and gives each a verdict: holds when the 95 % interval of\n"
      "the claimed quantity lies on the claimed side of the value, fails when it lies on the other\n"
      "side, inconclusive otherwise (with the sample size that would likely decide it).\n"
      "  mean, probability          at every point of the sweep, over run.replicates replicates\n"
      "  mean_difference, norm_share  at every combination of the other factors of a grid sweep with a\n"
      "                             norm.preset factor (paired on common keys: sweep.common_keys = true)\n"
      "  level_difference           the same for two levels (by label) of any factor of a grid\n"
      "  index, max_researcher_index, top_researchers_sum\n"
      "                             from `normsim attribute`: once for the whole design (its sweep's factors\n"
      "                             join the attribution design), or at every point with attribution.per_point\n"
      "The runs are made by `normsim run` into FILE (journalled: --resume continues), the attributions\n"
      "by `normsim attribute`; verdicts are stored under /claims in FILE. A claim evaluated at several\n"
      "points holds when it holds at every point, fails when it fails at one, else is inconclusive.\n\n"
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
                  const Processes& processes) {
  CheckOptions o;
  po::options_description all = visible(o);
  all.add_options()("scenario", po::value(&o.scenario));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  try {
    po::variables_map given;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), given);
    po::notify(given);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (o.help) {
    fmt::print("{}", check_help());
    return code(ExitCode::ok);
  }
  if (o.scenario.empty()) throw UsageError("missing SCENARIO (a TOML file with [[claims]], e.g. scenarios/A2_norm_effect.toml)");
  if (o.resume && o.overwrite) throw UsageError("--resume and --overwrite contradict each other; choose one");
  const scenario::Scenario base = scenario::load_file(o.scenario, o.overrides);
  if (base.claims.empty()) {
    throw UsageError(fmt::format("{} has no [[claims]]; see REFERENCE.md, \"Claims\", for how to state one", o.scenario));
  }
  for (const Claim& c : base.claims) {
    if (compares_levels(c)) (void)compared_levels(base, c, o.scenario);  // before anything runs
  }
  const bool talk = !o.quiet && processes.rank() == 0;
  const fs::path output = o.output.empty() ? fs::path(fs::path(o.scenario).stem().string() + ".check.h5") : fs::path(o.output);
  fs::path stem = output;
  stem.replace_extension();

  // 1. The scenario's runs, by `normsim run` (every claim's coordinates come from its file).
  if (!(o.resume && fs::exists(output))) {
    std::vector<std::string> head{o.scenario, "-o", output.string()};
    if (o.quiet) head.emplace_back("-q");
    if (o.force) head.emplace_back("--force");
    const std::vector<std::string> run_args = passed_on(std::move(head), o, o.overrides);
    if (talk) fmt::print(stderr, "normsim: check {}: the scenario's runs\n", o.scenario);
    if (const int rc = run_command(run_args, command_line, processes); rc != code(ExitCode::ok)) return rc;
  }

  // 2. Attributions, by `normsim attribute`: outcomes = the section's and the claims'.
  const scenario::AttributionSettings settings = base.attribution.value_or(scenario::AttributionSettings{});
  std::vector<std::string> attributed;
  for (const model::OutcomeId id : settings.outcomes) attributed.emplace_back(scenario::outcome_name(id));
  bool shapley = settings.shapley;
  bool any_attribution = false;
  for (const Claim& c : base.claims) {
    if (!is_attribution_claim(c)) continue;
    any_attribution = true;
    if (std::find(attributed.begin(), attributed.end(), c.outcome) == attributed.end()) attributed.push_back(c.outcome);
    shapley = shapley || c.index == scenario::IndexKind::shapley;
  }
  std::string outcome_list;
  for (const std::string& a : attributed) outcome_list += (outcome_list.empty() ? "" : ",") + a;
  const bool per_point = settings.per_point && base.sweep.points > 1;
  std::vector<fs::path> attribution_files;
  if (any_attribution) {
    const std::uint64_t count = per_point ? base.sweep.points : 1;
    for (std::uint64_t p = 0; p < count; ++p) {
      const fs::path file = per_point ? fs::path(fmt::format("{}.point-{}.attribution.h5", stem.string(), p))
                                      : fs::path(stem.string() + ".attribution.h5");
      attribution_files.push_back(file);
      if (o.resume && fs::exists(file)) continue;
      std::vector<std::string> overrides = o.overrides;
      if (per_point) {
        const scenario::Scenario point = scenario::point_scenario(base, p);
        overrides.insert(overrides.end(), point.overrides.begin() + static_cast<std::ptrdiff_t>(base.overrides.size()),
                         point.overrides.end());
        for (const char* s : {"sweep.design=\"single\"", "sweep.factor=[]", "attribution.per_point=false"}) overrides.emplace_back(s);
      }
      if (talk) {
        fmt::print(stderr, "normsim: check {}: attribution{} → {}\n", o.scenario,
                   per_point ? fmt::format(" at point {} of {}", p + 1, count) : std::string(), file.string());
      }
      std::vector<std::string> head{o.scenario, "-o", file.string(), "--outcomes", outcome_list, "-q"};
      if (shapley) head.emplace_back("--shapley");
      const int rc = attribute_command(passed_on(std::move(head), o, overrides), command_line, processes);
      if (rc != code(ExitCode::ok)) return rc;
    }
  }
  if (processes.rank() != 0) return code(ExitCode::ok);

  // 3. The claims, estimated from those files.
  RunValues runs(output, base);
  const output::Layout layout = make_layout(base, false);
  const double confidence = 0.95;
  std::vector<output::ClaimResult> results;
  std::vector<std::string> formulas;
  for (const Claim& c : base.claims) {
    output::ClaimResult r;
    r.id = c.id;
    r.statement = c.statement;
    r.quantity = scenario::quantity_name(c.quantity);
    r.outcome = c.outcome;
    r.compare = scenario::comparison_text(c.compare);
    r.value = c.value;
    r.confidence = confidence;
    r.estimator = estimator_of(c, base.sweep.common_keys);
    r.units = units_of(c);
    formulas.push_back(claim_formula(c));
    std::vector<Entry> entries;
    if (is_attribution_claim(c)) {
      for (const fs::path& f : attribution_files) entries.push_back(attribution_entry(f, c, o.scenario));
      r.design = per_point ? layout.design : std::vector<output::DesignFactor>{};
    } else if (compares_levels(c)) {
      const auto [factor, levels] = compared_levels(base, c, o.scenario);
      const FactorCells cells = cells_over(base, factor);
      for (const std::vector<std::uint64_t>& cell : cells.points) {
        std::vector<std::vector<double>> y;
        for (const std::size_t l : levels) y.push_back(runs.at(c.outcome, cell[l]));
        if (c.quantity != ClaimQuantity::norm_share) {
          const analysis::Estimate e = analysis::paired_mean_difference(y[0], y[1], confidence);
          entries.push_back({e.value, e.ci_low, e.ci_high, runs.replicates()});
          continue;
        }
        std::vector<double> stacked;
        for (const auto& v : y) stacked.insert(stacked.end(), v.begin(), v.end());
        analysis::BootstrapSettings bootstrap;
        bootstrap.resamples = static_cast<std::size_t>(std::max<std::uint64_t>(settings.bootstrap, 200));
        bootstrap.seed ^= settings.seed;
        try {
          const analysis::NormShare s = analysis::norm_share(stacked, levels.size(), base.sweep.common_keys, bootstrap);
          entries.push_back({s.share.value, s.share.ci_low, s.share.ci_high, runs.replicates()});
        } catch (const std::domain_error&) {
          entries.push_back({});  // constant outcome: no variance to share, undecidable
        }
      }
      r.design = cells.design;
    } else {
      for (std::uint64_t p = 0; p < base.sweep.points; ++p) {
        const std::vector<double> y = runs.at(c.outcome, p);
        entries.push_back(c.quantity == ClaimQuantity::mean ? mean_entry(y, confidence) : probability_entry(y, c, confidence));
      }
      r.design = layout.design;
    }
    r.scope = r.design.empty() ? "design" : "points";
    for (const Entry& e : entries) {
      const analysis::Decision d =
          analysis::decide(e.estimate, e.low, e.high, c.compare == scenario::Comparison::less, c.value, e.n);
      r.estimate.push_back(e.estimate);
      r.low.push_back(e.low);
      r.high.push_back(e.high);
      r.n.push_back(e.n);
      r.n_needed.push_back(d.n_needed);
      r.verdict.push_back(static_cast<std::int8_t>(d.verdict));
    }
    results.push_back(std::move(r));
  }
  output::write_claims(output, results);

  // 4. The verdict table and the exit status.
  bool any_fails = false;
  bool any_open = false;
  if (talk) fmt::print("\nclaims of {} (95 % intervals)\n", o.scenario);
  for (std::size_t i_claim = 0; i_claim < results.size(); ++i_claim) {
    const output::ClaimResult& r = results[i_claim];
    std::array<std::size_t, 3> count{};
    for (const std::int8_t v : r.verdict) ++count[static_cast<std::size_t>(v)];
    const analysis::Verdict overall = count[1] > 0   ? analysis::Verdict::fails
                                      : count[2] > 0 ? analysis::Verdict::inconclusive
                                                     : analysis::Verdict::holds;
    any_fails = any_fails || overall == analysis::Verdict::fails;
    any_open = any_open || overall == analysis::Verdict::inconclusive;
    if (!talk) continue;
    fmt::print("\n  {:<13} {}\n  {:<13} \"{}\"\n", fmt::format("[{}]", analysis::verdict_name(overall)), r.id, "", r.statement);
    fmt::print("  {:<13} {}\n", "", formulas[i_claim]);
    if (r.estimate.size() == 1) {
      fmt::print("  {:<13} estimate {} [{}, {}], n = {}{}\n", "", fmt_number(r.estimate[0]), fmt_number(r.low[0]),
                 fmt_number(r.high[0]), r.n[0],
                 r.verdict[0] == 2 ? fmt::format("; n ≈ {} would likely decide it", fmt_number(r.n_needed[0])) : std::string());
      continue;
    }
    fmt::print("  {:<13} holds at {}, fails at {}, inconclusive at {} of {} points\n", "", count[0], count[1], count[2],
               r.estimate.size());
    for (std::size_t i = 0; i < r.estimate.size() && i < 24; ++i) {
      std::string where;
      for (const output::DesignFactor& f : r.design) {
        const std::string value = f.categorical ? f.labels.at(static_cast<std::size_t>(f.levels[i])) : fmt_number(f.values[i]);
        where += fmt::format("{}{}={}", where.empty() ? "" : " ", f.name, value);
      }
      fmt::print("  {:<13}   {:<13} {} [{}, {}]  {}\n", "", analysis::verdict_name(static_cast<analysis::Verdict>(r.verdict[i])),
                 fmt_number(r.estimate[i]), fmt_number(r.low[i]), fmt_number(r.high[i]), where);
    }
    if (r.estimate.size() > 24) fmt::print("  {:<13}   … {} more in /claims/{} of {}\n", "", r.estimate.size() - 24, r.id, output.string());
  }
  if (talk) fmt::print("\nverdicts written to /claims in {}\n", output.string());
  if (any_fails) return code(ExitCode::claim_failed);
  if (any_open) return code(ExitCode::inconclusive);
  return code(ExitCode::ok);
}

}  // namespace normsim::cli
