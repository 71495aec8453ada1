// The key registry: complete, consistent with ModelParams, and documented.
#include "scenario/keys.hpp"
#include "support.hpp"

#include <set>

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::settings_view;

namespace {

// A sweep for the sweep.* keys to change: each key at `key`'s sample if `sample`, else the base.
std::string sweep_text(const Key& key, bool sample) {
  std::string text;
  for (const auto& [name, value] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"sweep.design", "\"latin_hypercube\""}, {"sweep.points", "2"}}) {
    text += std::string(name) + " = " + std::string(sample && name == key.name ? key.sample : value) + "\n";
  }
  if (sample && key.name != "sweep.design" && key.name != "sweep.points") {
    text += std::string(key.name) + " = " + std::string(key.sample) + "\n";
  }
  return text + "[[sweep.factor]]\nkey = \"hazard.max\"\nfrom = 0.1\nto = 0.2\n";
}

// The text that sets `key` to its sample in a file. norm.embargo applies only to its preset.
std::string sample_text(const Key& key) {
  if (key.name.rfind("sweep.", 0) == 0) return sweep_text(key, true);
  std::string text = std::string(key.name) + " = " + std::string(key.sample) + "\n";
  if (key.name == "norm.embargo") text = "norm.preset = \"embargo_capabilities\"\n" + text;
  // per_point needs a sweep (written first: its [[sweep.factor]] table ends the top level).
  if (key.name == "attribution.per_point") text = sweep_text(key, false) + "[attribution]\nper_point = " + std::string(key.sample) + "\n";
  return text;
}

std::string baseline_text(const Key& key) {
  if (key.name.rfind("sweep.", 0) == 0) return sweep_text(key, false);
  if (key.name == "attribution.per_point") return sweep_text(key, false) + "[attribution]\n";
  if (key.name.rfind("attribution.", 0) == 0) return "[attribution]\n";  // present, at its defaults
  return key.name == "norm.embargo" ? "norm.preset = \"embargo_capabilities\"\n" : "";
}

// Settings that change along with `key` when it is set to its sample.
std::set<std::string> implied_changes(std::string_view key) {
  if (key == "labs.sizes") return {"labs.interp_fraction"};  // one share per lab
  if (key == "norm.preset") return {"norm.allow.capabilities", "norm.allow.interpretability", "norm.allow.flagged"};
  if (key == "norm.embargo") return {"norm.embargo_capabilities"};  // the same field, by its long name
  if (key == "norm.embargo_capabilities") return {"norm.embargo"};
  return {};
}

}  // namespace

TEST_CASE("registry names are unique and every settable key has a sample") {
  std::set<std::string_view> names;
  for (const Key& key : keys()) {
    INFO(key.name);
    CHECK(names.insert(key.name).second);
    CHECK(find_key(key.name) == &key);
    CHECK_FALSE(key.meaning.empty());
    if (key.slot != nullptr) CHECK_FALSE(key.sample.empty());
    if (key.type == KeyType::string && key.slot != nullptr) CHECK_FALSE(key.choices.empty());
    if (key.slot == nullptr && key.field == nullptr) {
      CHECK((key.name == "individuals" || key.name.rfind("sweep.factor", 0) == 0 ||
             key.name.rfind("attribution.group", 0) == 0 || key.name.rfind("claims", 0) == 0));  // read per entry
    }
  }
  CHECK(find_key("labs.szes") == nullptr);
}

TEST_CASE("the test's settings view covers exactly the registry's settable keys") {
  std::set<std::string> registry;
  for (const Key& key : keys()) {
    if (key.slot != nullptr) registry.insert(std::string(key.name));
  }
  std::set<std::string> view;
  for (const auto& [name, value] : settings_view(Scenario{})) view.insert(name);
  CHECK(registry == view);
}

TEST_CASE("an empty scenario gives the defaults of ModelParams and RunSettings") {
  const Scenario loaded = load_text("", "empty");
  Scenario defaults;  // ModelParams{}, RunSettings{}, preset open
  CHECK(settings_view(loaded) == settings_view(defaults));
  CHECK(loaded.run.replicates == RunSettings{}.replicates);
  CHECK(loaded.run.seed == RunSettings{}.seed);
  CHECK(loaded.model.individuals.empty());
}

TEST_CASE("defaults in the registry are ModelParams' values") {
  CHECK(default_toml(*find_key("labs.sizes")) == "[120, 80, 60, 40, 30, 20, 15, 10]");
  CHECK(default_toml(*find_key("labs.interp_fraction")) == "0.15");
  CHECK(default_toml(*find_key("hazard.danger_capability")) == "3000.0");
  CHECK(default_toml(*find_key("norm.preset")) == "\"open\"");
  CHECK(default_toml(*find_key("norm.embargo")) == "8");
  CHECK(default_toml(*find_key("norm.compliance")) == "0.9");
  CHECK(default_toml(*find_key("world.stop_at_transformative")) == "true");
  CHECK(default_toml(*find_key("hazard.scope")) == "\"frontier\"");
  CHECK(default_toml(*find_key("individuals.talent")) == "absent");
  CHECK(default_toml(*find_key("individuals.lab")) == "required");
}

TEST_CASE("every key can be set in a file and changes its own ModelParams field") {
  for (const Key& key : keys()) {
    if (key.slot == nullptr) continue;
    INFO(key.name << " = " << key.sample);
    const auto before = settings_view(load_text(baseline_text(key), "baseline"));
    const Scenario after = load_text(sample_text(key), "sample");
    const auto after_view = settings_view(after);
    CHECK(after_view.at(std::string(key.name)) != before.at(std::string(key.name)));
    // Nothing else changes, except what the key implies by docs/model.md (so a slot pointing at
    // another key's field is caught).
    const std::set<std::string> implied = implied_changes(key.name);
    for (const auto& [name, value] : after_view) {
      if (name != key.name && implied.count(name) == 0) {
        INFO("also changed: " << name);
        CHECK(value == before.at(name));
      }
    }
    CHECK(value_toml(key, after) != default_toml(key));
  }
}

TEST_CASE("a sample read back renders as the sample (up to float formatting)") {
  const Key& key = *find_key("research.phi_capabilities");
  CHECK(value_toml(key, load_text(sample_text(key), "x")) == "-0.5");
  const Key& sizes = *find_key("labs.sizes");
  CHECK(value_toml(sizes, load_text(sample_text(sizes), "x")) == "[5, 3, 2]");
}

TEST_CASE("every registry key appears in resolved_toml") {
  const Scenario s = load_text(R"(
norm.preset = "embargo_capabilities"
[[individuals]]
lab = 1
focus = "interpretability"
talent = 2.5
result_rate = 0.5
)",
                               "x");
  const std::string text = resolved_toml(s);
  for (const Key& key : keys()) {
    if (key.name.rfind("sweep.", 0) == 0) continue;  // a sweep's own test (sweep_test.cpp)
    if (key.name.rfind("attribution.", 0) == 0) continue;  // attribution_test.cpp
    if (key.name.rfind("claims", 0) == 0) continue;  // claims_test.cpp
    std::string header = "[[individuals]]";
    if (key.field == nullptr) header.assign(key.name.substr(0, key.name.find('.'))).insert(0, 1, '[').push_back(']');
    INFO(key.name);
    if (key.name == "individuals") {
      CHECK(text.find("[[individuals]]") != std::string::npos);
      continue;
    }
    // Keys are written as "rest = value" inside "[table]" ("allow.flagged" inside "[norm]").
    const std::string rest(key.name.substr(key.name.find('.') + 1));
    CHECK(text.find("\n" + rest + " = ") != std::string::npos);
    CHECK(text.find(header) != std::string::npos);
  }
}

TEST_CASE("keys_markdown renders a row per key") {
  const std::string md = keys_markdown();
  CHECK(md.rfind("## Scenario keys\n", 0) == 0);
  CHECK(md.find("| key | type | default | allowed | meaning |") != std::string::npos);
  for (const Key& key : keys()) {
    INFO(key.name);
    CHECK(md.find("| `" + std::string(key.name) + "` |") != std::string::npos);
  }
  CHECK(md.find("| `research.spill_probability` | number | `0.1` | [0, 1] |") != std::string::npos);
  CHECK(md.find("| `world.steps` | integer | `200` | integers 1 … 10000000 |") != std::string::npos);
}

TEST_CASE("nearest_key suggests close names only") {
  CHECK(nearest_key("labs.szes") == "labs.sizes");
  CHECK(nearest_key("hazrd") == "hazard");
  CHECK(nearest_key("norm.alow.flagged") == "norm.allow.flagged");
  CHECK(nearest_key("colour").empty());
  CHECK(nearest_key("labs.sizes").empty());  // not a misspelling
}

TEST_CASE("allowed_text words ranges as the messages do") {
  CHECK(allowed_text(*find_key("research.spill_probability")) == "[0, 1]");
  CHECK(allowed_text(*find_key("hazard.width")) == "(0, ∞)");
  CHECK(allowed_text(*find_key("labs.compute_sigma")) == "[0, ∞)");
  CHECK(allowed_text(*find_key("research.phi_capabilities")) == "any finite number");
  CHECK(allowed_text(*find_key("norm.embargo_flagged")) == "integers 0 … 10000000");
  CHECK(allowed_text(*find_key("hazard.basis")) == "progress, time");
  CHECK(allowed_text(*find_key("run.seed")) == "integers 0 … 9223372036854775807");
}
