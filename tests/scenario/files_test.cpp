// The scenario files shipped in scenarios/: all load, and say what they claim to.
#include "support.hpp"

#include <filesystem>

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::settings_view;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(NORMSIM_SOURCE_DIR) / "scenarios";

}  // namespace

TEST_CASE("every file in scenarios/ loads, is documented at its top and names the command that runs it") {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarios)) {
    if (entry.path().extension() != ".toml") continue;
    if (entry.path().filename().string().rfind("sweep_", 0) == 0) continue;  // sweeps: sweep_test.cpp
    INFO(entry.path().string());
    ++count;
    const Scenario s = load_file(entry.path());
    CHECK(s.source == entry.path().string());
    CHECK(s.text.rfind("# ", 0) == 0);
    // An argument file (A1_… to A6_…) is run by check and states claims (A?_discovery.toml: by
    // discover); an attribution file is run by attribute (attribution_test.cpp checks its section);
    // the others by run, with 1000 replicates from seed 1.
    const std::string name = entry.path().filename().string();
    const bool argument = name.size() > 3 && name[0] == 'A' && name[2] == '_';
    const bool discovery = argument && name.find("_discovery.toml") != std::string::npos;
    const bool attribution = name.rfind("attribution_", 0) == 0;
    const std::string command = discovery     ? "normsim discover scenarios/"
                                : argument    ? "normsim check scenarios/"
                                : attribution ? "normsim attribute scenarios/"
                                              : "normsim run scenarios/";
    CHECK(s.text.find(command + name) != std::string::npos);
    CHECK(s.claims.empty() == !argument);
    if (!argument) {
      CHECK(s.attribution.has_value() == attribution);
      CHECK(s.run.replicates == 1000);
    }
    CHECK(s.run.seed == 1);
  }
  CHECK(count >= 7);
}

TEST_CASE("baseline.toml is the model's defaults written out") {
  const Scenario baseline = load_file(kScenarios / "baseline.toml");
  Scenario defaults;
  defaults.run.replicates = 1000;
  defaults.run.seed = 1;
  CHECK(settings_view(baseline) == settings_view(defaults));
  // Written out: every settable key but the preset-only shorthand norm.embargo appears in the file.
  for (const auto& [name, value] : settings_view(defaults)) {
    // No sweep and no attribution in the baseline.
    if (name == "norm.embargo" || name.rfind("sweep.", 0) == 0 || name.rfind("attribution.", 0) == 0) continue;
    const std::string leaf = name.substr(name.find('.') + 1);
    INFO(name);
    CHECK(baseline.text.find("\n" + leaf + " = ") != std::string::npos);
  }
}

TEST_CASE("each norm scenario sets its preset and nothing else") {
  const std::vector<std::pair<std::string, model::NormPreset>> files{
      {"norm_open.toml", model::NormPreset::open},
      {"norm_closed.toml", model::NormPreset::closed},
      {"norm_no_capabilities.toml", model::NormPreset::no_capabilities},
      {"norm_no_interpretability.toml", model::NormPreset::no_interpretability},
      {"norm_hazard_specific.toml", model::NormPreset::hazard_specific},
      {"norm_embargo_capabilities.toml", model::NormPreset::embargo_capabilities},
  };
  const auto baseline = settings_view(load_file(kScenarios / "baseline.toml"));
  for (const auto& [file, preset] : files) {
    INFO(file);
    const Scenario s = load_file(kScenarios / file);
    CHECK(s.norm_preset == preset);
    const model::Norm expected = model::preset_norm(preset);
    CHECK(s.model.norm.allow == expected.allow);
    CHECK(s.model.norm.embargo == expected.embargo);
    auto view = settings_view(s);
    for (auto& [name, value] : view) {
      if (name.rfind("norm.", 0) == 0) value = baseline.at(name);
    }
    CHECK(view == baseline);
  }
}

TEST_CASE("overrides apply to files too") {
  const Scenario s = load_file(kScenarios / "norm_embargo_capabilities.toml", {"norm.embargo=16"});
  CHECK(s.model.norm.embargo[0] == 16);
  CHECK(s.overrides == std::vector<std::string>{"norm.embargo=16"});
}
