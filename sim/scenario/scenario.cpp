// Loading: parse, apply the file's keys, apply overrides, then resolve what depends on several keys.
#include "scenario/scenario.hpp"

#include "scenario/keys.hpp"
#include "scenario/draft.hpp"
#include "scenario/read.hpp"
#include "scenario/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace normsim::scenario {

namespace {

using detail::Draft;
using detail::Origin;
using detail::Origins;

std::string what_text(const std::string& source, std::int64_t line, std::int64_t column, const std::string& message) {
  if (line > 0) return fmt::format("{}:{}:{}: {}", source, line, column, message);
  return fmt::format("{}: {}", source, message);
}

[[noreturn]] void fail_at(const Origin& origin, const std::string& key, const std::string& message) {
  throw ScenarioError(origin.source, origin.line, origin.column, key, message);
}

// Where `key` was last set, or the scenario itself when it kept its default.
Origin origin_of(const Origins& origins, const std::string& key, const std::string& source) {
  const auto it = origins.find(key);
  return it == origins.end() ? Origin{source, 0, 0} : it->second;
}

toml::table parse_toml(std::string_view text, const std::string& source, bool positions) {
  try {
    return toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    const auto line = positions ? static_cast<std::int64_t>(e.source().begin.line) : 0;
    const auto column = positions ? static_cast<std::int64_t>(e.source().begin.column) : 0;
    throw ScenarioError(source, line, column, "", fmt::format("TOML syntax error: {}", e.description()));
  }
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// A dotted key of bare TOML words ("norm.allow.flagged"); anything else is not a key.
bool is_dotted_key(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string_view::npos) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

// `text` as a TOML basic string, so that a bare word given to --set reads as that word.
std::string quoted(std::string_view text) {
  std::string s = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      s += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      s += c;
    }
  }
  return s + "\"";
}

}  // namespace

namespace detail {

void apply_assignment(const std::string& assignment, Draft& draft, const std::string& source, Origins& origins) {
  detail::apply_document(parse_toml(assignment, source, false), draft, source, false, origins);
}

}  // namespace detail

namespace {

void apply_override(const std::string& override_text, Draft& draft, Origins& origins) {
  const std::string source = "--set " + override_text;
  const std::string_view whole(override_text);
  const auto eq = whole.find('=');
  const std::string_view key = eq == std::string_view::npos ? std::string_view() : trim(whole.substr(0, eq));
  const std::string_view value = eq == std::string_view::npos ? std::string_view() : trim(whole.substr(eq + 1));
  if (!is_dotted_key(key) || value.empty()) throw ScenarioError(source, 0, 0, "", "expected key=value");
  // The value is TOML; a bare word that is not ("closed") is a string. Text that starts like an
  // array, table or string but does not parse is a syntax error, not a string.
  toml::table document;
  const std::string as_toml = fmt::format("{} = {}", key, value);
  if (value.find_first_of("[{\"'") == 0) {
    document = parse_toml(as_toml, source, false);
  } else {
    try {
      document = toml::parse(as_toml, std::string_view(source));
    } catch (const toml::parse_error&) {
      document = parse_toml(fmt::format("{} = {}", key, quoted(value)), source, false);
    }
  }
  if (key == "norm") detail::reset_norm(draft, origins);  // a whole norm, like a level of a `norm` factor
  detail::apply_document(document, draft, source, false, origins);
}

model::Norm resolve_norm(const detail::NormChoice& choice, const Origins& origins, const std::string& source) {
  if (choice.embargo && choice.preset != model::NormPreset::embargo_capabilities) {
    const Key& preset_key = *find_key("norm.preset");
    detail::Draft probe;
    probe.norm.preset = choice.preset;
    fail_at(origin_of(origins, "norm.embargo", source), "norm.embargo",
            fmt::format("norm.embargo applies only to norm.preset = \"embargo_capabilities\", not {}; use "
                        "norm.embargo_capabilities to give this preset a capabilities embargo",
                        value_toml(preset_key, probe)));
  }
  model::Norm norm = model::preset_norm(choice.preset, choice.embargo.value_or(model::kDefaultCapabilitiesEmbargo));
  for (std::size_t k = 0; k < model::kCategoryCount; ++k) {
    if (choice.allow[k]) norm.allow[k] = *choice.allow[k];
    if (choice.embargo_by_category[k]) norm.embargo[k] = *choice.embargo_by_category[k];
  }
  if (choice.compliance) norm.compliance = *choice.compliance;
  return norm;
}

}  // namespace

// Everything that depends on more than one key, then the model's own guard.
Scenario detail::resolve(const Draft& draft, const Origins& origins, const std::string& source) {
  model::ModelParams p = draft.model;
  const std::size_t labs = p.labs.sizes.size();  // ≥ 1: an empty list is rejected when read
  if (const auto* share = std::get_if<double>(&draft.interp_fraction)) {
    p.labs.interp_fraction.assign(labs, *share);
  } else {
    const auto& shares = std::get<std::vector<double>>(draft.interp_fraction);
    if (shares.size() != labs) {
      fail_at(origin_of(origins, "labs.interp_fraction", source), "labs.interp_fraction",
              fmt::format("labs.interp_fraction has {} entries but labs.sizes has {} labs", shares.size(), labs));
    }
    p.labs.interp_fraction = shares;
  }
  for (std::size_t i = 0; i < p.individuals.size(); ++i) {
    if (p.individuals[i].lab >= static_cast<std::int64_t>(labs)) {
      const std::string name = fmt::format("individuals[{}].lab", i);
      fail_at(origin_of(origins, name, source), "individuals.lab",
              fmt::format("{} = {} is out of range; allowed: integers 0 … {} (labs.sizes has {} labs)", name,
                          p.individuals[i].lab, labs - 1, labs));
    }
  }
  for (std::size_t i = 0; i < p.labs.noncompliant.size(); ++i) {
    const std::int64_t l = p.labs.noncompliant[i];
    const std::string name = fmt::format("labs.noncompliant[{}]", i);
    if (l >= static_cast<std::int64_t>(labs)) {
      fail_at(origin_of(origins, "labs.noncompliant", source), "labs.noncompliant",
              fmt::format("{} = {} is out of range; allowed: integers 0 … {} (labs.sizes has {} labs)", name, l,
                          labs - 1, labs));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (p.labs.noncompliant[j] == l) {
        fail_at(origin_of(origins, "labs.noncompliant", source), "labs.noncompliant",
                fmt::format("{} = {} repeats labs.noncompliant[{}]", name, l, j));
      }
    }
  }
  p.norm = resolve_norm(draft.norm, origins, source);
  try {
    model::validate(p);
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(source, 0, 0, "", e.what());  // a gap in the loader's checks
  }
  Scenario s;
  s.model = p;
  s.run = draft.run;
  s.source = source;
  s.norm_preset = draft.norm.preset;
  s.claims = draft.claims;  // not part of the point's identity (sections_toml writes no claims)
  return s;
}

ScenarioError::ScenarioError(std::string source, std::int64_t line, std::int64_t column, std::string key,
                             std::string message)
    : std::runtime_error(what_text(source, line, column, message)),
      source_(std::move(source)),
      line_(line),
      column_(column),
      key_(std::move(key)),
      message_(std::move(message)) {}

Scenario load_text(std::string_view text, std::string_view source, const std::vector<std::string>& overrides) {
  const std::string name(source);
  const toml::table document = parse_toml(text, name, true);
  Draft draft;
  Origins origins;
  detail::apply_document(document, draft, name, true, origins);
  const Origins file_origins = origins;
  for (const std::string& o : overrides) apply_override(o, draft, origins);
  detail::check_overrides_not_swept(draft, origins, file_origins, name);
  Scenario s = detail::resolve(draft, origins, name);
  s.attribution = detail::resolve_attribution(draft, origins, name, s.model);
  detail::check_claims(draft, origins, name, s.model);
  s.sweep = detail::build_sweep(draft, origins, name);
  // The first point is built now, so that a factor that can never apply (norm.embargo swept from/to
  // under another preset) is reported when the file is read, not when the runs start.
  if (s.sweep.kind != DesignKind::single) (void)point_scenario(s, 0);
  s.text = std::string(text);
  s.overrides = overrides;
  return s;
}

Scenario load_file(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ScenarioError(name, 0, 0, "", "cannot read scenario file: it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(name, 0, 0, "", fmt::format("cannot read scenario file: {}", std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ScenarioError(name, 0, 0, "", fmt::format("cannot read scenario file: {}", std::strerror(errno)));
  return load_text(text.str(), name, overrides);
}

std::string resolved_toml(const Scenario& scenario) {
  std::string out = "# normsim scenario, resolved: every key at its effective value (defaults included).\n";
  std::string source = scenario.source;
  std::replace_if(source.begin(), source.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  out += fmt::format("# source: {}\n", source);
  for (std::string o : scenario.overrides) {
    std::replace_if(o.begin(), o.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    out += fmt::format("# --set {}\n", o);
  }
  out += detail::sections_toml(scenario, true) + detail::sweep_toml(scenario.sweep);
  if (scenario.attribution) out += attribution_toml(*scenario.attribution);
  out += claims_toml(scenario.claims);
  return out;
}

std::string detail::sections_toml(const Scenario& scenario, bool with_run) {
  std::string out;
  Draft draft = detail::draft_of(scenario);
  // A sweep's base keeps its norm as it stands after the file and the overrides (the preset and the
  // values in effect), not every value written out: read back, it gives the same base and, the
  // levels being later sources, the same points either way; the text is the sweep's identity
  // (sweep_identity), which stays that of the files already written.
  if (scenario.sweep.plan != nullptr) draft.norm = scenario.sweep.plan->base.norm;
  std::string_view table;
  for (const Key& key : keys()) {
    if (key.slot == nullptr) continue;  // individuals, below
    if (key.name.rfind("sweep.", 0) == 0) continue;  // sweep_toml
    if (key.name.rfind("attribution.", 0) == 0) continue;  // attribution_toml: not part of a point's identity
    if (!with_run && key.name.rfind("run.", 0) == 0) continue;
    const auto dot = key.name.find('.');
    if (key.name.substr(0, dot) != table) {
      table = key.name.substr(0, dot);
      out += fmt::format("\n[{}]\n", table);
    }
    if (key.name == "norm.embargo" && scenario.norm_preset != model::NormPreset::embargo_capabilities) {
      out += "# norm.embargo applies only to preset embargo_capabilities; the embargoes below are explicit\n";
      continue;
    }
    const std::string value = value_toml(key, draft);
    if (!value.empty()) out += fmt::format("{} = {}\n", key.name.substr(dot + 1), value);  // empty: not given
  }
  for (model::PinnedResearcher r : scenario.model.individuals) {
    out += "\n[[individuals]]\n";
    for (const Key& key : keys()) {
      if (key.field == nullptr) continue;
      const std::string value = field_toml(key, r);
      if (!value.empty()) out += fmt::format("{} = {}\n", key.name.substr(key.name.find('.') + 1), value);
    }
  }
  return out;
}

}  // namespace normsim::scenario
