// `--set key=value` overrides: TOML values, bare words, order, recording and errors.
#include "support.hpp"

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::load_error;

TEST_CASE("overrides apply after the file, in order, and are recorded") {
  const std::vector<std::string> overrides{"research.spill_probability=0.3", "world.steps = 12",
                                           "research.spill_probability=0.4"};
  const Scenario s = load_text("research.spill_probability = 0.2\nworld.steps = 5\n", "x", overrides);
  CHECK(s.model.research.spill_probability == 0.4);
  CHECK(s.model.world.steps == 12);
  CHECK(s.overrides == overrides);
}

TEST_CASE("override values are TOML, and bare words are strings") {
  const Scenario s = load_text("", "x",
                               {"norm.preset=closed", "hazard.basis=\"time\"", "labs.sizes=[3, 2]",
                                "world.stop_at_transformative=false", "labs.interp_fraction=[0.5, 1]",
                                "labs.compute_sigma=2"});
  CHECK(s.norm_preset == model::NormPreset::closed);
  CHECK(s.model.norm.allow == std::array<double, 3>{0.0, 0.0, 0.0});
  CHECK(s.model.hazard.basis == model::HazardBasis::time);
  CHECK(s.model.labs.sizes == std::vector<std::int64_t>{3, 2});
  CHECK_FALSE(s.model.world.stop_at_transformative);
  CHECK(s.model.labs.interp_fraction == std::vector<double>{0.5, 1.0});
  CHECK(s.model.labs.compute_sigma == 2.0);
}

TEST_CASE("an override can replace the individuals") {
  const Scenario s = load_text("[[individuals]]\nlab = 0\nfocus = \"capabilities\"\n", "x",
                               {"individuals=[{lab = 1, focus = \"interpretability\", talent = 3}]"});
  REQUIRE(s.model.individuals.size() == 1);
  CHECK(s.model.individuals[0].lab == 1);
  CHECK(s.model.individuals[0].talent == 3.0);
}

TEST_CASE("override errors name the override") {
  CHECK(load_error("", {"research.spill_probability=2"}) ==
        "--set research.spill_probability=2: research.spill_probability = 2 is out of range; allowed: [0, 1]");
  CHECK(load_error("", {"foo"}) == "--set foo: expected key=value");
  CHECK(load_error("", {"=3"}) == "--set =3: expected key=value");
  CHECK(load_error("", {"world.steps="}) == "--set world.steps=: expected key=value");
  CHECK(load_error("", {"labs.szes=[1]"}) ==
        "--set labs.szes=[1]: unknown key 'labs.szes'; did you mean 'labs.sizes'?");
  CHECK(load_error("", {"world.steps=many"}) ==
        "--set world.steps=many: world.steps must be an integer, got string \"many\"");
  CHECK(load_error("", {"norm.preset=opne"})
            .rfind("--set norm.preset=opne: norm.preset = \"opne\" is not a norm preset", 0) == 0);
  const std::string syntax = load_error("", {"labs.sizes=[1, 2"});
  CHECK(syntax.rfind("--set labs.sizes=[1, 2: TOML syntax error: ", 0) == 0);
}

TEST_CASE("an override error reports the override, not the file") {
  try {
    (void)load_text("world.steps = 3\n", "x", {"world.steps=0"});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.source() == "--set world.steps=0");
    CHECK(e.line() == 0);
    CHECK(e.column() == 0);
    CHECK(e.key() == "world.steps");
    CHECK(e.message() == "world.steps = 0 is out of range; allowed: integers 1 … 10000000");
  }
}

TEST_CASE("cross-key checks see the overridden values") {
  CHECK(load_error("labs.interp_fraction = [0.1, 0.2]\n", {"labs.sizes=[1, 2, 3]"}) ==
        "test.toml:1:24: labs.interp_fraction has 2 entries but labs.sizes has 3 labs");
  CHECK(load_error("labs.interp_fraction = [0.1, 0.2]\n", {"labs.sizes=[1, 2]"}).empty());
  // The shorthand is checked against the preset in effect after every --set (a preset given later
  // replaces a shorthand given before it: precedence_test.cpp).
  CHECK(load_error("norm.preset = \"closed\"\n", {"norm.embargo=2"})
            .rfind("--set norm.embargo=2: norm.embargo applies only to norm.preset = \"embargo_capabilities\", not "
                   "\"closed\"",
                   0) == 0);
  CHECK(load_text("norm.embargo = 2\n", "x", {"norm.preset=embargo_capabilities"}).model.norm.embargo[0] ==
        model::kDefaultCapabilitiesEmbargo);
  CHECK(load_error("norm.preset = \"embargo_capabilities\"\n", {"norm.embargo=2"}).empty());
}
