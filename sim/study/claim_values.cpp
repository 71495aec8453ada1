#include "study/claim_values.hpp"

#include "output/attribution_table.hpp"
#include "scenario/sweep.hpp"
#include "study/censoring.hpp"
#include "study/claim_text.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace normsim::study {

using scenario::Claim;
using scenario::ClaimQuantity;

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
    throw InputError(fmt::format("{}: claim '{}' ({}) compares levels: the scenario needs a [sweep] with design = "
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
      throw InputError(fmt::format("{}: claim '{}' compares {} \"{}\", which the {} factor does not list; its levels: {}",
                                   file, c.id, norms ? "norm" : "level", label, key, have));
    }
    levels.push_back(*found);
  }
  if (c.quantity != ClaimQuantity::norm_share && !w.common_keys) {
    throw InputError(fmt::format("{}: claim '{}' compares levels pairwise: set sweep.common_keys = true so that every "
                                 "level runs on the same keys",
                                 file, c.id));
  }
  return {*factor, levels};
}

GridCells grid_cells(const scenario::Scenario& base, std::size_t factor) {
  const scenario::Sweep& w = base.sweep;
  std::vector<std::vector<std::int64_t>> levels(w.points, std::vector<std::int64_t>(w.factors.size()));
  for (std::uint64_t p = 0; p < w.points; ++p) {
    for (std::size_t f = 0; f < w.factors.size(); ++f) levels[p][f] = w.level(p, f);
  }
  GridCells out;
  out.cells = analysis::cells_over(levels, factor, w.factors[factor].levels.size());
  const output::Layout layout = make_layout(base, false);
  for (std::size_t f = 0; f < w.factors.size(); ++f) {
    if (f == factor) continue;
    output::DesignFactor column = layout.design[f];
    column.values.clear();
    column.levels.clear();
    for (const std::uint64_t p : out.cells.first_point) {
      column.values.push_back(layout.design[f].values[p]);
      column.levels.push_back(layout.design[f].levels[p]);
    }
    out.design.push_back(std::move(column));
  }
  return out;
}

AttributionParts attribution_parts(const std::filesystem::path& path, const Claim& c,
                                   const std::string& scenario_file) {
  const output::Hdf5Reader file(path);
  const bool shapley = c.index == scenario::IndexKind::shapley;
  const std::string table = "/attribution/" + c.outcome + (shapley ? ".shapley" : "");
  const std::vector<std::string> datasets = file.dataset_paths();
  const auto has = [&datasets](const std::string& d) { return std::find(datasets.begin(), datasets.end(), d) != datasets.end(); };
  if (!has(table + "/factor")) {
    throw InputError(fmt::format("{}: claim '{}': {} has no table {} (the outcome's variance is 0, or no Shapley effects "
                                 "were computed)",
                                 scenario_file, c.id, path.string(), table));
  }
  const std::string column = table + "/" + std::string(scenario::index_name(*c.index));
  if (!has(column + "/se")) {
    throw InputError(fmt::format("{}: claim '{}': {} has no standard errors ({}/se): it was written by an older "
                                 "normsim; rerun the attribution",
                                 scenario_file, c.id, path.string(), column));
  }
  const std::vector<std::string> labels = file.string_array_attribute("labels", table + "/factor");
  const std::vector<std::string> kinds = file.string_array_attribute("kinds", table + "/factor");
  const auto is_researcher = [&kinds](std::size_t g) {
    return output::factor_kind_by_name(kinds[g]) == output::FactorKind::researcher;
  };
  const std::vector<double> estimate = file.read_float64(column + "/estimate");
  const std::vector<double> se = file.read_float64(column + "/se");
  AttributionParts parts;
  parts.rows = static_cast<std::uint64_t>(file.number_attribute("rows", table));
  parts.runs = static_cast<std::uint64_t>(file.number_attribute("runs", table));
  const auto take = [&](std::size_t g) {
    parts.estimate.push_back(estimate[g]);
    parts.se.push_back(se[g]);
  };
  if (c.quantity == ClaimQuantity::index || c.quantity == ClaimQuantity::index_sum) {
    const std::vector<std::string> wanted =
        c.quantity == ClaimQuantity::index ? std::vector<std::string>{c.factor} : c.factors;
    for (const std::string& name : wanted) {
      const auto it = std::find(labels.begin(), labels.end(), name);
      if (it == labels.end()) {
        std::string names;
        for (std::size_t g = 0; g < labels.size(); ++g) {
          if (!is_researcher(g)) names += (names.empty() ? "\"" : ", \"") + labels[g] + "\"";
        }
        throw InputError(fmt::format("{}: claim '{}': factor \"{}\" is not in the {} table of {}; allowed: {}",
                                     scenario_file, c.id, name, shapley ? "Shapley" : "attribution", c.outcome, names));
      }
      take(static_cast<std::size_t>(it - labels.begin()));
    }
    return parts;
  }
  for (std::size_t g = 0; g < labels.size(); ++g) {
    if (is_researcher(g)) take(g);
  }
  if (parts.estimate.empty()) {
    throw InputError(fmt::format("{}: claim '{}' needs per-researcher indices: set attribution.researchers to \"all\", "
                                 "\"top_talent:K\" or \"sample:K\"",
                                 scenario_file, c.id));
  }
  parts.top_k = c.quantity == ClaimQuantity::max_researcher_index ? 1 : static_cast<std::size_t>(c.k);
  return parts;
}

std::pair<double, double> outcome_range(const std::string& outcome, double horizon) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (outcome == "xrisk" || outcome == "published_fraction" || outcome == "public_capability_share" ||
      outcome == "mean_propensity_capabilities" || outcome == "mean_propensity_interpretability" ||
      outcome == scenario::kReachedTransformative) {
    return {0.0, 1.0};
  }
  if (outcome == "t_transform" || outcome == "steps_run") return {0.0, horizon};
  return {-inf, inf};
}

}  // namespace normsim::study
