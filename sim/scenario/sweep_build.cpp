// Building a Sweep from the [sweep] section as read: the checks that depend on the design, the
// levels of from/to factors, the sampled coordinates, and each `values` level tried on the base.
#include "scenario/design.hpp"
#include "scenario/keys.hpp"
#include "scenario/read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace normsim::scenario::detail {

namespace {

// Factors of one design: enough for any study, and within Sobol's 3667 dimensions.
constexpr std::size_t kMaxFactors = 64;
// Levels of one from/to factor (as sweep.factor.num's range): each is stored as text and number.
constexpr std::uint64_t kMaxLevels = 100'000;

[[noreturn]] void fail_at(const Origins& origins, const std::string& where, const std::string& source,
                          const std::string& key, const std::string& message) {
  const auto it = origins.find(where);
  const Origin o = it == origins.end() ? Origin{source, 0, 0} : it->second;
  throw ScenarioError(o.source, o.line, o.column, key, message);
}


// Levels of a from/to factor with num or step (grid, zip).
void generate_levels(Factor& f, const Origins& origins, const std::string& entry, const std::string& source) {
  std::uint64_t count = 0;
  if (f.num > 0) {
    count = static_cast<std::uint64_t>(f.num);
  } else {
    const double n = std::floor((f.to - f.from) / f.step * (1.0 + 1e-12)) + 1.0;
    if (!(n <= static_cast<double>(kMaxLevels))) {
      fail_at(origins, entry + ".step", source, "sweep.factor.step",
              fmt::format("{} gives {} levels from {} to {}; at most {}", entry, number_text(n), number_text(f.from),
                          number_text(f.to), kMaxLevels));
    }
    count = static_cast<std::uint64_t>(n);
  }
  f.levels.clear();
  f.level_numbers.clear();
  f.labels.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    double x = 0.0;
    if (f.num > 0) {
      const double u = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
      x = design::unit_to_value(u, f.from, f.to, f.log_scale);
    } else {
      x = std::min(f.from + static_cast<double>(i) * f.step, f.to);
    }
    // Rounded to 15 significant digits so that exp/log and i·step noise does not show
    // (0.5, not 0.49999999999999994); integer keys to integers.
    x = f.integer ? std::round(x) : std::clamp(std::strtod(fmt::format("{:.15g}", x).c_str(), nullptr), f.from, f.to);
    f.levels.push_back(f.integer ? std::to_string(static_cast<std::int64_t>(x)) : float_literal(x));
    f.level_numbers.push_back(x);
    f.labels.push_back(f.levels.back());
  }
}

}  // namespace

Sweep build_sweep(const Draft& draft, const Origins& origins, const std::string& source) {
  const SweepChoice& c = draft.sweep;
  Sweep w;
  w.kind = c.design;
  w.sampling_seed = c.seed;
  w.max_runs = c.max_runs;
  w.common_keys = c.common_keys;
  w.factors = c.factors;
  const bool sampled = w.kind == DesignKind::latin_hypercube || w.kind == DesignKind::sobol;
  const std::string design_text = fmt::format("sweep.design = \"{}\"", design_name(w.kind));
  if (c.points && !sampled) {
    fail_at(origins, "sweep.points", source, "sweep.points",
            fmt::format("sweep.points applies to latin_hypercube and sobol only; with {} the points are the {} "
                        "of the factors' levels",
                        design_text, w.kind == DesignKind::zip ? "common length" : "combinations"));
  }
  if (w.kind == DesignKind::single) {
    if (!w.factors.empty()) {
      fail_at(origins, "sweep.factor[0]", source, "sweep.factor",
              "sweep.factor needs sweep.design; allowed: grid, zip, latin_hypercube, sobol");
    }
    return w;
  }
  if (w.factors.empty()) {
    fail_at(origins, "sweep.design", source, "sweep.design", design_text + " needs at least one [[sweep.factor]]");
  }
  if (w.factors.size() > kMaxFactors) {
    fail_at(origins, fmt::format("sweep.factor[{}]", kMaxFactors), source, "sweep.factor",
            fmt::format("sweep.factor has {} entries; at most {}", w.factors.size(), kMaxFactors));
  }
  if (sampled && !c.points) fail_at(origins, "sweep.design", source, "sweep.design", design_text + " needs sweep.points");
  auto plan = std::make_shared<SweepPlan>();
  for (std::size_t i = 0; i < w.factors.size(); ++i) {
    Factor& f = w.factors[i];
    const std::string entry = fmt::format("sweep.factor[{}]", i);
    if (f.values_given) continue;
    if (sampled && (f.num > 0 || f.step > 0.0)) {
      const std::string field = f.num > 0 ? "num" : "step";
      fail_at(origins, entry + "." + field, source, "sweep.factor." + field,
              fmt::format("{}.{} applies to grid and zip; {} draws from … to", entry, field, design_text));
    }
    if (!sampled && f.num == 0 && !(f.step > 0.0)) {
      fail_at(origins, entry, source, "sweep.factor", fmt::format("{} needs num or step with {}", entry, design_text));
    }
    if (!sampled) generate_levels(f, origins, entry, source);
  }
  if (w.kind == DesignKind::grid) {
    std::vector<std::uint64_t> sizes;
    for (const Factor& f : w.factors) sizes.push_back(f.levels.size());
    w.points = design::grid_size(sizes);
    if (w.points > design::kMaxPoints) {
      std::string product;
      for (const std::uint64_t s : sizes) product += (product.empty() ? "" : " × ") + std::to_string(s);
      fail_at(origins, "sweep.design", source, "sweep.design",
              fmt::format("the grid has {} points ({}); at most {}",
                          w.points == UINT64_MAX ? std::string("more than 2^64") : std::to_string(w.points), product,
                          design::kMaxPoints));
    }
    plan->stride.assign(sizes.size(), 1);
    for (std::size_t f = sizes.size(); f-- > 1;) plan->stride[f - 1] = plan->stride[f] * sizes[f];
  } else if (w.kind == DesignKind::zip) {
    w.points = w.factors.front().levels.size();
    for (std::size_t i = 1; i < w.factors.size(); ++i) {
      if (w.factors[i].levels.size() != w.points) {
        fail_at(origins, fmt::format("sweep.factor[{}]", i), source, "sweep.factor",
                fmt::format("sweep.factor[{}] has {} levels but sweep.factor[0] has {}; a zip needs equal lengths", i,
                            w.factors[i].levels.size(), w.points));
      }
    }
  } else {
    w.points = static_cast<std::uint64_t>(*c.points);
    // The coordinates are stored: points × factors doubles.
    if (w.points * w.factors.size() > design::kMaxPoints) {
      fail_at(origins, "sweep.points", source, "sweep.points",
              fmt::format("sweep.points × factors = {} × {} = {}; at most {} coordinates", w.points, w.factors.size(),
                          w.points * w.factors.size(), design::kMaxPoints));
    }
    plan->unit = w.kind == DesignKind::latin_hypercube ? design::latin_hypercube(w.points, w.factors.size(), w.sampling_seed)
                                                       : design::sobol(w.points, w.factors.size(), w.sampling_seed);
  }
  plan->base = draft;
  plan->base.sweep = SweepChoice{};
  plan->origins = origins;
  plan->source = source;
  w.plan = plan;
  // Each level written as a value must make a valid scenario on the base alone (norm.embargo levels
  // need the embargo_capabilities preset, a labs.sizes level must match an interp_fraction list...).
  for (std::size_t i = 0; i < w.factors.size(); ++i) {
    const Factor& f = w.factors[i];
    if (!f.values_given) continue;
    for (std::size_t j = 0; j < f.levels.size(); ++j) {
      Draft d = plan->base;
      Origins o = plan->origins;
      const std::string where = fmt::format("sweep.factor[{}].values[{}]", i, j);
      try {
        apply_factor_value(f, f.levels[j], d, o, source);
        (void)resolve(d, o, source);
      } catch (const ScenarioError& e) {
        fail_at(origins, where, source, f.key,
                fmt::format("{} = {} is not valid with the rest of the scenario: {}", where, f.levels[j], e.message()));
      }
    }
  }
  return w;
}

}  // namespace normsim::scenario::detail
