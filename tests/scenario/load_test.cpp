// Loading valid scenarios: values, presets, norm overrides, individuals, interp_fraction, round trip.
#include "support.hpp"

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::settings_view;

namespace {

constexpr auto kCap = static_cast<std::size_t>(model::Category::capabilities);
constexpr auto kInt = static_cast<std::size_t>(model::Category::interpretability);
constexpr auto kFlag = static_cast<std::size_t>(model::Category::flagged);

void check_round_trip(const Scenario& s) {
  const std::string text = resolved_toml(s);
  INFO(text);
  const Scenario again = load_text(text, "resolved");
  CHECK(settings_view(again) == settings_view(s));
  CHECK(again.norm_preset == s.norm_preset);
  const std::string text_again = resolved_toml(again);  // differs only in the "# source" comment
  CHECK(text_again.substr(text_again.find("\n[")) == text.substr(text.find("\n[")));
}

}  // namespace

TEST_CASE("values are read from tables and dotted keys alike") {
  const Scenario s = load_text(R"(
[labs]
sizes = [4, 3]
compute_sigma = 1      # an integer where a number is expected reads as 1.0
[world]
steps = 30
stop_at_transformative = false
[run]
replicates = 7
seed = 9223372036854775807
)",
                               "x");
  CHECK(s.model.labs.sizes == std::vector<std::int64_t>{4, 3});
  CHECK(s.model.labs.interp_fraction == std::vector<double>(2, model::LabParams{}.interp_fraction.front()));
  CHECK(s.model.labs.compute_sigma == 1.0);
  CHECK(s.model.world.steps == 30);
  CHECK_FALSE(s.model.world.stop_at_transformative);
  CHECK(s.run.replicates == 7);
  CHECK(s.run.seed == 9223372036854775807ULL);
  CHECK(s.source == "x");
}

TEST_CASE("labs.interp_fraction: one number for all labs, or one per lab") {
  const Scenario one = load_text("labs.sizes = [5, 5, 5]\nlabs.interp_fraction = 0.5\n", "x");
  CHECK(one.model.labs.interp_fraction == std::vector<double>{0.5, 0.5, 0.5});
  const Scenario list = load_text("labs.sizes = [5, 5, 5]\nlabs.interp_fraction = [0, 0.25, 1]\n", "x");
  CHECK(list.model.labs.interp_fraction == std::vector<double>{0.0, 0.25, 1.0});
  check_round_trip(list);
}

TEST_CASE("presets give the norms of docs/model.md") {
  const std::vector<std::pair<std::string, model::NormPreset>> presets{
      {"open", model::NormPreset::open},
      {"closed", model::NormPreset::closed},
      {"no_capabilities", model::NormPreset::no_capabilities},
      {"no_interpretability", model::NormPreset::no_interpretability},
      {"hazard_specific", model::NormPreset::hazard_specific},
      {"embargo_capabilities", model::NormPreset::embargo_capabilities},
  };
  for (const auto& [name, preset] : presets) {
    INFO(name);
    const Scenario s = load_text("norm.preset = \"" + name + "\"\n", "x");
    const model::Norm expected = model::preset_norm(preset);
    CHECK(s.norm_preset == preset);
    CHECK(s.model.norm.allow == expected.allow);
    CHECK(s.model.norm.embargo == expected.embargo);
    CHECK(s.model.norm.compliance == expected.compliance);
    check_round_trip(s);
  }
  const Scenario hazard = load_text("norm.preset = \"hazard_specific\"\n", "x");
  CHECK(hazard.model.norm.allow == std::array<double, 3>{1.0, 1.0, 0.0});
  const Scenario embargo = load_text("norm.preset = \"embargo_capabilities\"\n", "x");
  CHECK(embargo.model.norm.embargo[kCap] == model::kDefaultCapabilitiesEmbargo);
}

TEST_CASE("explicit norm keys override the preset") {
  const Scenario s = load_text(R"(
[norm]
preset = "embargo_capabilities"
embargo = 3
allow.flagged = 0.25
embargo_interpretability = 2
compliance = 1
)",
                               "x");
  CHECK(s.model.norm.embargo == std::array<std::int64_t, 3>{3, 2, 0});
  CHECK(s.model.norm.allow == std::array<double, 3>{1.0, 1.0, 0.25});
  CHECK(s.model.norm.compliance == 1.0);
  check_round_trip(s);

  const Scenario both = load_text(
      "norm.preset = \"embargo_capabilities\"\nnorm.embargo = 3\nnorm.embargo_capabilities = 5\n", "x");
  CHECK(both.model.norm.embargo[kCap] == 5);  // the explicit key wins over the shorthand

  const Scenario closed = load_text("norm.preset = \"closed\"\nnorm.allow.interpretability = 1\n", "x");
  CHECK(closed.model.norm.allow[kInt] == 1.0);
  CHECK(closed.model.norm.allow[kFlag] == 0.0);
  CHECK(closed.model.norm.embargo[kCap] == 0);
}

TEST_CASE("individuals are parsed in order with optional talent and result rate") {
  const Scenario s = load_text(R"(
labs.sizes = [2, 2, 2]
[[individuals]]
lab = 2
focus = "interpretability"
talent = 10
[[individuals]]
lab = 0
focus = "capabilities"
result_rate = 0.75
)",
                               "x");
  REQUIRE(s.model.individuals.size() == 2);
  const model::PinnedResearcher& star = s.model.individuals[0];
  CHECK(star.lab == 2);
  CHECK(star.focus == model::Focus::interpretability);
  CHECK(star.talent == 10.0);
  CHECK_FALSE(star.result_rate.has_value());
  const model::PinnedResearcher& fast = s.model.individuals[1];
  CHECK(fast.lab == 0);
  CHECK(fast.focus == model::Focus::capabilities);
  CHECK_FALSE(fast.talent.has_value());
  CHECK(fast.result_rate == 0.75);
  check_round_trip(s);
}

TEST_CASE("resolved_toml round-trips every value bit-exactly") {
  check_round_trip(load_text("", "defaults"));
  const Scenario awkward = load_text(R"(
labs.sizes = [1, 0, 3]
labs.interp_fraction = [0.1, 0.30000000000000004, 1e-300]
labs.compute_sigma = 0.1
research.phi_capabilities = -1.7976931348623157e308
research.phi_interpretability = 5e-324
hazard.danger_capability = 123456789012345.67
hazard.transformative_capability = 1e22
world.steps = 10000000
adaptation.enabled = false
run.seed = 0
run.replicates = 1000000000
)",
                                     "x");
  check_round_trip(awkward);
  CHECK(awkward.model.labs.interp_fraction[1] == 0.1 + 0.2);
  CHECK(awkward.model.research.phi_interpretability == 5e-324);
}

TEST_CASE("resolved_toml records the source and the overrides") {
  const Scenario s = load_text("world.steps = 3\n", "my.toml", {"world.steps=4"});
  const std::string text = resolved_toml(s);
  CHECK(text.find("# source: my.toml\n") != std::string::npos);
  CHECK(text.find("# --set world.steps=4\n") != std::string::npos);
  CHECK(text.find("\n[world]\nsteps = 4\n") != std::string::npos);
  CHECK(text.find("\n[norm]\npreset = \"open\"\n# norm.embargo") != std::string::npos);
  CHECK(s.text == "world.steps = 3\n");
}
