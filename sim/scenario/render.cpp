// Writing values as TOML and the registry as Markdown. No toml++ here: the text is simple and
// writing it by hand keeps doubles in the shortest round-trip form (std::to_chars).
#include "scenario/keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <type_traits>

namespace normsim::scenario {

namespace {

template <typename T>
std::string list_literal(const std::vector<T>& values) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s += ", ";
    if constexpr (std::is_same_v<T, double>) {
      s += float_literal(values[i]);
    } else {
      s += std::to_string(values[i]);
    }
  }
  return s + "]";
}

std::string choice_literal(const Key& key, std::size_t index) {
  return index < key.choices.size() ? fmt::format("\"{}\"", key.choices[index]) : std::string("\"?\"");
}

std::string slot_literal(const Key& key, const detail::Slot& slot) {
  return std::visit(
      [&](auto* p) -> std::string {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(p)>>;
        if constexpr (std::is_same_v<T, bool>) {
          return *p ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          return std::to_string(*p);
        } else if constexpr (std::is_same_v<T, double>) {
          return float_literal(*p);
        } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
          return list_literal(*p);
        } else if constexpr (std::is_same_v<T, detail::InterpFraction>) {
          if (const auto* x = std::get_if<double>(p)) return float_literal(*x);
          return list_literal(std::get<std::vector<double>>(*p));
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return p->has_value() ? float_literal(**p) : std::string();
        } else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
          return p->has_value() ? std::to_string(**p) : std::string();
        } else if constexpr (std::is_same_v<T, std::vector<model::OutcomeId>>) {
          std::string s = "[";
          for (std::size_t i = 0; i < p->size(); ++i) s += fmt::format("{}\"{}\"", i > 0 ? ", " : "", outcome_name((*p)[i]));
          return s + "]";
        } else if constexpr (std::is_same_v<T, std::vector<EntityRef>>) {
          std::string s = "[";
          for (std::size_t i = 0; i < p->size(); ++i) s += fmt::format("{}\"{}\"", i > 0 ? ", " : "", entity_text((*p)[i]));
          return s + "]";
        } else if constexpr (std::is_same_v<T, ResearcherSelection>) {
          return fmt::format("\"{}\"", selection_text(*p));
        } else {
          return choice_literal(key, static_cast<std::size_t>(*p));  // an enum
        }
      },
      slot);
}

std::string_view type_text(KeyType type) {
  switch (type) {
    case KeyType::boolean: return "boolean";
    case KeyType::integer: return "integer";
    case KeyType::number: return "number";
    case KeyType::string: return "string";
    case KeyType::integer_list: return "array of integers";
    case KeyType::number_or_list: return "number or array of numbers";
    case KeyType::table_list: return "array of tables";
    case KeyType::value_list: return "array";
    case KeyType::string_list: return "array of strings";
  }
  return "?";
}

std::string bound_text(double x) {
  if (std::isinf(x)) return x > 0 ? "∞" : "−∞";
  return number_text(x);
}

}  // namespace

std::string float_literal(double x) {
  std::string s = number_text(x);
  if (std::isfinite(x) && s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return {buffer.data(), result.ptr};
}

std::string allowed_text(const Key& key) {
  if (!key.allowed.empty()) return std::string(key.allowed);
  switch (key.type) {
    case KeyType::boolean: return "true, false";
    case KeyType::integer:
    case KeyType::integer_list:
      return fmt::format("integers {} … {}", key.integer.min, key.integer.max);
    case KeyType::number:
    case KeyType::number_or_list:
      if (std::isinf(key.number.min) && std::isinf(key.number.max)) return "any finite number";
      return fmt::format("{}{}, {}{}", key.number.min_exclusive ? "(" : "[", bound_text(key.number.min),
                         bound_text(key.number.max),
                         std::isinf(key.number.max) || key.number.max_exclusive ? ")" : "]");
    case KeyType::string:
    case KeyType::string_list: {
      if (key.type == KeyType::string_list && key.choices.empty()) return "strings";
      std::string s;
      for (const std::string_view choice : key.choices) s += (s.empty() ? "" : ", ") + std::string(choice);
      return s;
    }
    case KeyType::table_list: return "tables with the keys individuals.*";
    case KeyType::value_list: return "values of the swept key";
  }
  return {};
}

std::string value_toml(const Key& key, detail::Draft& draft) {
  return key.slot == nullptr ? std::string() : slot_literal(key, key.slot(draft));
}

std::string value_toml(const Key& key, const Scenario& scenario) {
  detail::Draft draft = detail::draft_of(scenario);
  return value_toml(key, draft);
}

std::string field_toml(const Key& key, model::PinnedResearcher& researcher) {
  return key.field == nullptr ? std::string() : slot_literal(key, key.field(researcher));
}

std::string default_toml(const Key& key) {
  if (key.field != nullptr || (key.slot == nullptr && key.type != KeyType::table_list)) {
    return key.optional ? "absent" : "required";
  }
  if (key.slot == nullptr) return "none";
  if (key.optional) return "absent";
  return value_toml(key, Scenario{});
}

std::string keys_markdown() {
  std::string md =
      "## Scenario keys\n\n"
      "A scenario file is TOML. Every key is optional and has the default below (the defaults are read from "
      "`model::ModelParams` and `scenario::RunSettings`; this section is generated from the key registry, "
      "`sim/scenario/keys.cpp`). Dotted names are tables: `labs.sizes` is `sizes` in `[labs]`.\n\n"
      "| key | type | default | allowed | meaning |\n"
      "|---|---|---|---|---|\n";
  for (const Key& key : keys()) {
    std::string meaning(key.meaning);
    if (!key.units.empty()) meaning += fmt::format(" (unit: {})", key.units);
    md += fmt::format("| `{}` | {} | `{}` | {} | {} |\n", key.name, type_text(key.type), default_toml(key),
                      allowed_text(key), meaning);
  }
  md +=
      "\nRules the table cannot show:\n\n"
      "- A number key accepts a TOML integer (`1` reads as `1.0`); an integer key rejects a float "
      "(`world.steps = 2.5` is an error). `nan` and `inf` are never accepted.\n"
      "- `labs.interp_fraction` as a list must have one entry per lab in `labs.sizes`.\n"
      "- The norm is built from `norm.preset`, then each `norm.allow.*`, `norm.embargo_*` and `norm.compliance` "
      "in effect adjusts the preset's value (which ones are in effect when a preset is also given by `--set` or a "
      "sweep: \"Precedence\" below). `norm.embargo` is the shorthand of the `embargo_capabilities` preset "
      "(its capabilities embargo); with any other preset it is an error, so that it is never silently ignored: "
      "use `norm.embargo_capabilities` there.\n"
      "- `[[individuals]]` entries need `lab` and `focus`; `lab` must be below the number of labs.\n"
      "- `run.seed` is 0 … 2^63−1 because TOML integers are signed 64-bit.\n"
      "- `normsim run --set key=value` overrides a key after the file is read, in order (the later wins; "
      "\"Precedence\" below); "
      "the value is TOML (`0.5`, `true`, `[1, 2]`, `\"open\"`) and a bare word is taken as a string "
      "(`--set norm.preset=closed`). `sweep.design`, `sweep.points`, `sweep.seed`, `sweep.max_runs` and "
      "`sweep.factor` (an array of inline tables) can be overridden too, and so can every `attribution.*` key "
      "(`--set attribution.rows=64`, `--set attribution.group=[{name = \"g\", members = [\"labs\"]}]`); "
      "an attribution key given with `--set` adds an `[attribution]` to a file without one, and "
      "`--set attribution={}` adds one at its defaults.\n"
      "\n### Precedence\n\n"
      "A scenario's values come from sources given one after another: the file, then each `--set` in the order "
      "given, then, at each point of a sweep, the factors' levels. A value given later replaces what it "
      "overrides. For the norm:\n\n"
      "- The norm keys of one source adjust that source's `norm.preset`, wherever they stand in it: a file with "
      "`preset = \"closed\"` and `allow.flagged = 0.5` in `[norm]` is the closed norm with flagged results allowed "
      "half of the time.\n"
      "- A `norm.preset` given later (`--set norm.preset=closed`, a level of a `norm.preset` factor) means that "
      "preset's norm: it replaces every `norm.allow.*`, `norm.embargo_*` and `norm.embargo` given before it. So "
      "`scenarios/baseline.toml`, which writes out the open norm's values, run with `--set norm.preset=closed` is "
      "`scenarios/norm_closed.toml`. Norm keys given after the preset adjust it: "
      "`--set norm.preset=closed --set norm.allow.flagged=0.5` is closed with flagged results allowed half of the "
      "time; in the other order the preset replaces the allowance and the norm is plain closed.\n"
      "- `norm.compliance` is not part of any preset (every preset has c = 0.9 only because that is the key's "
      "default): a preset given later keeps the compliance given before it, so `--set norm.compliance=0.5` "
      "applies to the preset whichever of the two comes first.\n"
      "- A whole norm given later (`--set 'norm={preset = \"closed\"}'`, a level of a `norm` factor) replaces the "
      "whole norm, compliance included.\n"
      "- `norm.embargo` and `norm.embargo_capabilities` are two names of the capabilities embargo: given in "
      "different sources the later one replaces the other; given in one source, `norm.embargo_capabilities` "
      "wins.\n"
      "- The levels of one sweep point are one source: a `norm.preset` factor sets each point's preset, and a "
      "factor over `norm.compliance` (as in `scenarios/A2_norm_effect.toml`) or, without a `norm.preset` factor, "
      "over any other norm key adjusts the point's preset.\n\n"
      "Where the order cannot say which value is meant, or a value would have no effect, the scenario is an "
      "error (exit 2) that names both keys and where each was given, rather than a guess:\n\n"
      "- Two factors of one sweep that set one value at every point: the same key; `norm` and any `norm.*` key; "
      "`norm.preset` and a `norm.allow.*`, `norm.embargo_*` or `norm.embargo` key (every preset sets these, so a "
      "point would take the value from two factors at once: sweep whole norms with `key = \"norm\"` instead); "
      "`norm.embargo` and `norm.embargo_capabilities`.\n"
      "- A `--set` of a value that every point of the sweep replaces: a swept key; any `norm.*` key under a "
      "`norm` factor; `norm.preset`, a `norm.allow.*`, `norm.embargo_*` or `norm.embargo` key under a "
      "`norm.preset` factor; one name of the capabilities embargo under a factor over the other. (A `--set` "
      "of `sweep.factor` that removes the factor is not: the check uses the sweep as it stands after every "
      "`--set`.)\n"
      "\n### Sweeps\n\n"
      "A `[sweep]` section turns a scenario into a set of design points; each point is the scenario with the "
      "factors' values applied on top of the file and the `--set` overrides, and runs `run.replicates` "
      "replicates. Example:\n\n"
      "```toml\n"
      "[sweep]\n"
      "design = \"grid\"            # grid, zip, latin_hypercube, sobol\n"
      "[[sweep.factor]]\n"
      "key = \"norm.preset\"\n"
      "values = [\"open\", \"closed\", \"hazard_specific\"]\n"
      "labels = [\"open\", \"closed\", \"targeted\"]   # optional\n"
      "[[sweep.factor]]\n"
      "key = \"researchers.talent_sigma\"\n"
      "from = 0.25\n"
      "to = 2.0\n"
      "num = 4                     # or step = 0.25 (linear scale only)\n"
      "scale = \"log\"               # linear (default) or log\n"
      "```\n\n"
      "- `grid`: every combination, row-major (the first factor varies slowest, the last fastest); at most "
      "10,000,000 points. `zip`: point p takes level p of every factor; all factors need the same number of "
      "levels. Both need `values`, or `from`/`to` with `num` or `step`, for every factor; `sweep.points` is not "
      "allowed.\n"
      "- At most 64 factors. `latin_hypercube` and `sobol` need `sweep.points` (≤ 1,000,000, and points × "
      "factors ≤ 10,000,000: their unit-cube coordinates are stored; grid and zip points are computed on "
      "demand). A factor with `from`/`to` is "
      "continuous (`num`/`step` not allowed): Latin hypercube puts exactly one point in each of the P equal "
      "strata of every factor (random permutations and offsets); Sobol takes points 0 … P−1 of the Joe–Kuo "
      "Sobol sequence (point 0 is the origin) with each dimension's 32-bit coordinates XORed with a random word "
      "(a digital shift, which keeps the stratification: for P = 2^m every factor fills its 2^m strata once). "
      "With `scale = \"log\"` the draws are log-uniform. A factor with `values` gets level floor(u · levels). "
      "Integer keys (`world.steps`, `adaptation.every`, `norm.embargo*`) get integers: uniform over from … to on "
      "the linear scale, the rounded value on the log scale. All draws are Philox4x64-10 addressed by "
      "`sweep.seed`, so the design is a pure function of the section.\n"
      "- `from`/`to`/`num`/`step` levels of a grid or zip: linear levels (1 − i/(num−1))·from + i/(num−1)·to, or "
      "from + i·step up to to; log levels geometric; rounded to 15 significant digits (integer keys to "
      "integers).\n"
      "- Every value is checked like the key itself, at its position (`values = [0.1, 1.5]` for a "
      "probability reports the 1.5); each `values` level is also checked on the base scenario alone. A "
      "combination that is invalid only together (a `labs.sizes` level against a `labs.interp_fraction` list) is "
      "reported when its point is built, naming the point.\n"
      "- A factor over `norm` takes inline tables of norm keys, e.g. `values = [{preset = \"open\"}, "
      "{preset = \"closed\", compliance = 0.5}]`; each level replaces the whole norm of the base scenario. "
      "A level of a factor over `norm.preset` is that preset's norm: it replaces the allowances and embargoes of "
      "the file and the `--set` overrides, and keeps their `norm.compliance` (\"Precedence\" above, which also "
      "lists the factors that may not be combined). The resolved text of a sweep writes the base's norm as it "
      "stands after the file and the overrides (preset and the `norm.*` values in effect only), so that it reads "
      "back to the same points.\n"
      "- Randomness: a point's runs use the design-point stream id = hash of its resolved model parameters "
      "(without `[run]` and `[sweep]`), so equal parameters give equal runs whatever the design or position.\n"
      "\n### Attribution\n\n"
      "An `[attribution]` section says what `normsim attribute` computes for the scenario: Sobol indices "
      "(and optionally Shapley effects and knockouts) of factor groups and researchers, from a pick-freeze design "
      "over the entities' keys. Without the section the scenario has no attribution settings (the CLI's options "
      "and defaults apply); with it, every `attribution.*` key has the default in the table. Example:\n\n"
      "```toml\n"
      "[attribution]\n"
      "outcomes = [\"capability\", \"xrisk\", \"t_transform\"]\n"
      "rows = 256                   # N; runs = N × (groups + 2)\n"
      "researchers = \"top_talent:20\"   # or \"all\", \"none\", \"sample:50\"\n"
      "shapley = true\n"
      "knockout = [\"lab:0\", \"researcher:12\"]\n"
      "[[attribution.group]]\n"
      "name = \"largest two labs' researchers\"\n"
      "members = [\"lab_researchers:0\", \"lab_researchers:1\"]\n"
      "```\n\n"
      "- Entities are written `kind:index`. `lab:L` is lab L's own stream (its compute and decisions); "
      "`lab_researchers:L` every researcher of lab L, pinned `[[individuals]]` of that lab included; "
      "`researcher:J` regular researcher J, numbered 0 … Σ `labs.sizes` − 1 in lab order (the key address, not "
      "counting individuals); `individual:K` the K-th `[[individuals]]` entry; `labs` every lab's stream and "
      "`researchers` every researcher. Indices are checked against the scenario's labs, researchers and "
      "individuals once every key (and every `--set`) is read. A list may not name the same entity twice.\n"
      "- Groups: the CLI always attributes all labs, all researchers, and per lab `lab L stream` and "
      "`lab L researchers`; each `[[attribution.group]]` (a `name`, unique and non-empty, and `members`) is "
      "attributed in addition. A group resamples the keys of all its members together.\n"
      "- `researchers`: `all` and `none`, `top_talent:K` (the K most talented researchers by drawn or pinned "
      "talent, resolved by the CLI) and `sample:K` (K researchers drawn with `attribution.seed`); K ≥ 1 and at most "
      "the number of researchers (regular and pinned).\n"
      "- `screen_threshold` > 0: the researchers of a lab whose group total index has its upper interval end below "
      "the threshold get no index of their own (the output says which labs were screened).\n"
      "- `shapley`: Shapley effects need at most 12 groups; when the CLI's default groups and the custom ones are "
      "more, the CLI computes them over the custom groups only; `shapley = true` with more than 12 custom groups "
      "is an error.\n"
      "- `seed` drives the design's own sampling (bootstrap resamples, `sample:K`); the runs are keyed by "
      "`run.seed` as in `normsim run`, and `[attribution]` is not part of a point's identity: adding it does not "
      "change any run.\n"
      "- `[attribution]` works on one scenario: with a `[sweep]` whose design is not `single` the file is an "
      "error.\n"
      "\n### Claims\n\n"
      "Each `[[claims]]` table states something about the simulator's outcomes that `normsim check` evaluates "
      "from the runs, with a verdict: holds (the whole confidence interval of the quantity is on the claimed "
      "side of `value`), fails (it is wholly on the other side) or inconclusive (the interval contains `value`; "
      "the check says how many replicates or rows would likely decide it). Example:\n\n"
      "```toml\n"
      "[[claims]]\n"
      "id = \"A1-max-researcher\"        # letters, digits, _ . - ; the claim's HDF5 group /claims/<id>\n"
      "statement = \"No researcher explains more than 1 % of the variance in capability\"\n"
      "quantity = \"max_researcher_index\"\n"
      "outcome = \"capability\"\n"
      "index = \"total\"                 # first_order or total\n"
      "compare = \"<\"\n"
      "value = 0.01\n"
      "```\n\n"
      "- Every claim needs `id`, `statement`, `quantity`, `outcome`, `compare` and `value`, plus the keys of its "
      "quantity: `probability` exactly one of `above` and `below`; `mean_difference` `norm` and `versus` (two "
      "different presets); `norm_share` `norms` (at least two presets, no repeats); `index` `index` "
      "(`first_order`, `total` or `shapley`) and `factor`; `max_researcher_index` `index` (`first_order` or "
      "`total`); `top_researchers_sum` `index` (`first_order` or `total`) and `k`. A key of another quantity is "
      "an error; `mean` takes none.\n"
      "- `value` is in [0, 1] for `probability`, `norm_share`, `index` and `max_researcher_index`, ≥ 0 for "
      "`top_researchers_sum`, any finite number for `mean` and `mean_difference`. `k` is at most the number of "
      "researchers (Σ `labs.sizes` + `[[individuals]]`, after every `--set`).\n"
      "- `outcome` is a name of the outcomes table, or `reached_transformative` (1 when the run reached "
      "`t_transform`, else 0) with `mean`, `mean_difference` and `norm_share` only.\n"
      "- `factor` names a group of the attribution (`all labs`, `all researchers`, `lab L stream`, "
      "`lab L researchers`, a `[[attribution.group]]` name) or a `[sweep]` factor key; the loader checks only "
      "that it is not empty, `normsim check` resolves it.\n"
      "- Error: `confidence` (default 0.95) is 1 − α; `error = \"family_wise\"` (the default) bounds by α the "
      "probability that any of the claim's verdicts is wrong over all its k points or cells (each at level "
      "1 − α/k: Bonferroni, valid whatever the dependence between points, and the interval shown is the one that "
      "decides); `error = \"per_point\"` gives each point level 1 − α on its own. Intervals: exact "
      "(hedged-capital betting) for outcomes with known bounds (x-risk, shares, fractions, propensities, "
      "indicators, t_transform in [0, world.steps]) and their paired differences; Student t for unbounded "
      "outcomes; bootstrap for norm shares; bootstrap-normal (index ± z·SE, Bonferroni over the indices combined) "
      "for attribution claims. `normsim check --until-decided` adds rounds of replicates (attribution rows) to "
      "undecided entries with anytime-valid confidence sequences (resampled statistics split α over the looks: "
      "α·6/(π²j²) at look j), within `--max-runs` and `--max-time`. An attribution's look j has 2^(j−1) × "
      "`attribution.rows` rows and begins with the runs of look j − 1 (matrix B's row i has the keys of replicate "
      "2^40 + i whatever the rows, so the designs are nested), which it copies from that look's file instead of "
      "making them again: an entry's looks cost the runs of its last look.\n"
      "- Claims do not change any run (they are not part of a point's identity); the resolved scenario written to "
      "every output file holds them. `--set claims=[{id = \"x\", ...}]` replaces all the file's claims, and "
      "`--set claims=[]` removes them.\n";
  return md;
}

namespace detail {

Draft draft_of(const Scenario& scenario) {
  Draft d;
  d.model = scenario.model;
  d.run = scenario.run;
  const std::vector<double>& f = scenario.model.labs.interp_fraction;
  if (!f.empty() && std::all_of(f.begin(), f.end(), [&](double x) { return x == f.front(); })) {
    d.interp_fraction = f.front();
  } else {
    d.interp_fraction = f;
  }
  d.norm.preset = scenario.norm_preset;
  const model::Norm& n = scenario.model.norm;
  const auto cap = static_cast<std::size_t>(model::Category::capabilities);
  d.norm.embargo = scenario.norm_preset == model::NormPreset::embargo_capabilities
                       ? n.embargo[cap]
                       : model::kDefaultCapabilitiesEmbargo;
  for (std::size_t k = 0; k < model::kCategoryCount; ++k) {
    d.norm.allow[k] = n.allow[k];
    d.norm.embargo_by_category[k] = n.embargo[k];
  }
  d.norm.compliance = n.compliance;
  const Sweep& w = scenario.sweep;
  d.sweep.design = w.kind;
  if (w.kind == DesignKind::latin_hypercube || w.kind == DesignKind::sobol) {
    d.sweep.points = static_cast<std::int64_t>(w.points);
  }
  d.sweep.seed = w.sampling_seed;
  d.sweep.max_runs = w.max_runs;
  d.sweep.common_keys = w.common_keys;
  d.sweep.factors = w.factors;
  d.attribution.present = scenario.attribution.has_value();
  if (scenario.attribution) d.attribution.settings = *scenario.attribution;
  d.claims = scenario.claims;
  return d;
}

}  // namespace detail

}  // namespace normsim::scenario
