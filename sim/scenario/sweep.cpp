// Design points on demand, the scenario of a point, the identities used by the key derivation,
// and the [sweep] section as TOML.
#include "scenario/sweep.hpp"

#include "scenario/design.hpp"
#include "scenario/draft.hpp"
#include "scenario/keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace normsim::scenario {

// A TOML basic string: quotes, backslashes and control characters (DEL included) escaped.
std::string detail::toml_string(std::string_view text) {
  std::string s = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (u < 0x20 || u == 0x7f) {
      s += fmt::format("\\u{:04x}", static_cast<unsigned>(u));
    } else {
      s += c;
    }
  }
  return s + "\"";
}

namespace {

using detail::toml_string;

void check_point(const Sweep& w, std::uint64_t p, std::size_t f) {
  if (p >= w.points || f >= w.factors.size()) {
    throw std::out_of_range(fmt::format("sweep point {} factor {}: the sweep has {} points and {} factors", p, f,
                                        w.points, w.factors.size()));
  }
}

// The unit coordinate of a sampled design.
double unit_of(const Sweep& w, std::uint64_t p, std::size_t f) {
  return w.plan->unit[static_cast<std::size_t>(p) * w.factors.size() + f];
}

// Continuous value of factor f at unit coordinate u: integers uniform over from … to on the
// linear scale, rounded on the log scale.
double continuous_value(const Factor& f, double u) {
  if (f.integer && !f.log_scale) {
    const double x = std::floor(f.from + u * (f.to - f.from + 1.0));
    return std::clamp(x, f.from, f.to);
  }
  const double x = design::unit_to_value(u, f.from, f.to, f.log_scale);
  return f.integer ? std::clamp(std::round(x), f.from, f.to) : x;
}

}  // namespace

std::string_view design_name(DesignKind kind) noexcept {
  switch (kind) {
    case DesignKind::single: return "single";
    case DesignKind::grid: return "grid";
    case DesignKind::zip: return "zip";
    case DesignKind::latin_hypercube: return "latin_hypercube";
    case DesignKind::sobol: return "sobol";
  }
  return "?";
}

std::int64_t Sweep::level(std::uint64_t p, std::size_t f) const {
  check_point(*this, p, f);
  const Factor& factor = factors[f];
  switch (kind) {
    case DesignKind::single: return -1;  // unreachable: a single scenario has no factors
    case DesignKind::grid:
      return static_cast<std::int64_t>((p / plan->stride[f]) % factor.levels.size());
    case DesignKind::zip: return static_cast<std::int64_t>(p);
    case DesignKind::latin_hypercube:
    case DesignKind::sobol:
      if (factor.levels.empty()) return -1;
      return static_cast<std::int64_t>(design::unit_to_level(unit_of(*this, p, f), factor.levels.size()));
  }
  return -1;
}

double Sweep::numeric(std::uint64_t p, std::size_t f) const {
  const std::int64_t l = level(p, f);
  if (l >= 0) return factors[f].level_numbers[static_cast<std::size_t>(l)];
  return continuous_value(factors[f], unit_of(*this, p, f));
}

std::string Sweep::value_text(std::uint64_t p, std::size_t f) const {
  const std::int64_t l = level(p, f);
  if (l >= 0) return factors[f].levels[static_cast<std::size_t>(l)];
  return factor_value_text(factors[f], unit_of(*this, p, f));
}

std::uint64_t Sweep::runs(std::uint64_t replicates) const noexcept {
  if (replicates != 0 && points > std::numeric_limits<std::uint64_t>::max() / replicates) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return points * replicates;
}

namespace detail {

void apply_factor_value(const Factor& f, const std::string& text, Draft& draft, Origins& origins,
                        const std::string& source) {
  if (f.key == "norm") reset_norm(draft, origins);
  apply_assignment(fmt::format("{} = {}", f.key, text), draft, source, origins);
}

std::string sweep_toml(const Sweep& w) {
  if (w.kind == DesignKind::single) return {};
  std::string out = fmt::format("\n[sweep]\ndesign = \"{}\"\n", design_name(w.kind));
  if (w.kind == DesignKind::latin_hypercube || w.kind == DesignKind::sobol) out += fmt::format("points = {}\n", w.points);
  out += fmt::format("seed = {}\nmax_runs = {}\ncommon_keys = {}\n", w.sampling_seed, w.max_runs, w.common_keys);
  const auto list = [](const std::vector<std::string>& items, bool quote) {
    std::string s = "[";
    for (std::size_t i = 0; i < items.size(); ++i) s += (i > 0 ? ", " : "") + (quote ? toml_string(items[i]) : items[i]);
    return s + "]";
  };
  for (const Factor& f : w.factors) {
    out += fmt::format("\n[[sweep.factor]]\nkey = {}\n", toml_string(f.key));
    if (f.values_given) {
      out += fmt::format("values = {}\n", list(f.levels, false));
      if (f.labels_given) out += fmt::format("labels = {}\n", list(f.labels, true));
      continue;
    }
    const auto end = [&](double x) { return f.integer ? std::to_string(static_cast<std::int64_t>(x)) : float_literal(x); };
    out += fmt::format("from = {}\nto = {}\n", end(f.from), end(f.to));
    if (f.num > 0) out += fmt::format("num = {}\n", f.num);
    if (f.step > 0.0) out += fmt::format("step = {}\n", float_literal(f.step));
    out += fmt::format("scale = \"{}\"\n", f.log_scale ? "log" : "linear");
  }
  return out;
}

}  // namespace detail

namespace {

// The base scenario with factor f set to texts[f] (TOML literals), validated; `where` names the
// values in errors ("sweep point 3", "attribution row 5 (A)").
Scenario scenario_with(const Scenario& base, const std::vector<std::string>& texts, const std::string& where) {
  const Sweep& w = base.sweep;
  detail::Draft draft = w.plan->base;
  detail::Origins origins = w.plan->origins;
  std::vector<std::string> assignments;
  std::string listed;
  for (std::size_t f = 0; f < w.factors.size(); ++f) {
    assignments.push_back(w.factors[f].key + "=" + texts[f]);
    listed += fmt::format("{}{} = {}", f > 0 ? ", " : "", w.factors[f].key, texts[f]);
  }
  Scenario s;
  try {
    for (std::size_t f = 0; f < w.factors.size(); ++f) {
      detail::apply_factor_value(w.factors[f], texts[f], draft, origins, w.plan->source);
    }
    s = detail::resolve(draft, origins, w.plan->source);
  } catch (const ScenarioError& e) {
    throw ScenarioError(e.source(), e.line(), e.column(), e.key(),
                        fmt::format("{} ({}): {}", where, listed, e.message()));
  }
  s.text = base.text;
  s.overrides = base.overrides;
  s.overrides.insert(s.overrides.end(), assignments.begin(), assignments.end());
  return s;
}

Scenario without_sweep(const Scenario& base) {
  Scenario s = base;
  s.sweep = Sweep{};
  return s;
}

}  // namespace

Scenario point_scenario(const Scenario& base, std::uint64_t p) {
  const Sweep& w = base.sweep;
  if (p >= w.points) {
    throw std::out_of_range(fmt::format("sweep point {}: the sweep has {} points", p, w.points));
  }
  if (w.plan == nullptr || w.factors.empty()) return without_sweep(base);
  std::vector<std::string> texts;
  for (std::size_t f = 0; f < w.factors.size(); ++f) texts.push_back(w.value_text(p, f));
  return scenario_with(base, texts, fmt::format("sweep point {}", p));
}

std::string factor_value_text(const Factor& factor, double unit) {
  if (!factor.levels.empty()) return factor.levels[design::unit_to_level(unit, factor.levels.size())];
  const double x = continuous_value(factor, unit);
  return factor.integer ? std::to_string(static_cast<std::int64_t>(x)) : float_literal(x);
}

Scenario scenario_at(const Scenario& base, std::span<const double> unit, std::string_view where) {
  const Sweep& w = base.sweep;
  if (unit.size() != w.factors.size()) {
    throw std::invalid_argument(fmt::format("scenario_at: {} coordinates for {} factors", unit.size(), w.factors.size()));
  }
  if (w.plan == nullptr || w.factors.empty()) return without_sweep(base);
  std::vector<std::string> texts;
  for (std::size_t f = 0; f < w.factors.size(); ++f) texts.push_back(factor_value_text(w.factors[f], unit[f]));
  return scenario_with(base, texts, std::string(where));
}

std::uint64_t point_stream_id(const Scenario& point) { return design::stable_hash(detail::sections_toml(point, false)); }

std::uint64_t sweep_identity(const Scenario& base) {
  return design::stable_hash(detail::sections_toml(base, true) + detail::sweep_toml(base.sweep));
}

}  // namespace normsim::scenario
