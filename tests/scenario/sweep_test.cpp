// Sweeps through the loader: designs, point values, point scenarios, identities, round trips,
// overrides and the example files.
#include "scenario/sweep.hpp"
#include "support.hpp"

#include <cmath>
#include <filesystem>
#include <set>

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::settings_view;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(NORMSIM_SOURCE_DIR) / "scenarios";

const std::string kGrid = R"([sweep]
design = "grid"
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed", "hazard_specific"]
labels = ["open", "closed", "targeted"]
[[sweep.factor]]
key = "research.spill_probability"
values = [0.0, 0.05]
)";

std::vector<std::string> column(const Sweep& w, std::size_t f) {
  std::vector<std::string> out;
  for (std::uint64_t p = 0; p < w.points; ++p) out.push_back(w.value_text(p, f));
  return out;
}

}  // namespace

TEST_CASE("a scenario without [sweep] is one point with no factors") {
  const Scenario s = load_text("", "x");
  CHECK(s.sweep.kind == DesignKind::single);
  CHECK(s.sweep.points == 1);
  CHECK(s.sweep.factors.empty());
  CHECK(settings_view(point_scenario(s, 0)) == settings_view(s));
  CHECK_THROWS_AS(point_scenario(s, 1), std::out_of_range);
  CHECK(resolved_toml(s).find("[sweep]") == std::string::npos);
}

TEST_CASE("a grid is row-major with the last factor fastest") {
  const Scenario s = load_text(kGrid, "x");
  REQUIRE(s.sweep.kind == DesignKind::grid);
  REQUIRE(s.sweep.points == 6);
  CHECK(column(s.sweep, 0) ==
        std::vector<std::string>{"\"open\"", "\"open\"", "\"closed\"", "\"closed\"", "\"hazard_specific\"",
                                 "\"hazard_specific\""});
  CHECK(column(s.sweep, 1) == std::vector<std::string>{"0.0", "0.05", "0.0", "0.05", "0.0", "0.05"});
  CHECK(s.sweep.level(3, 0) == 1);
  CHECK(s.sweep.level(3, 1) == 1);
  CHECK(std::isnan(s.sweep.numeric(3, 0)));
  CHECK(s.sweep.numeric(3, 1) == 0.05);
  CHECK(s.sweep.factors[0].categorical);
  CHECK_FALSE(s.sweep.factors[1].categorical);
  CHECK(s.sweep.factors[0].labels == std::vector<std::string>{"open", "closed", "targeted"});
  CHECK(s.sweep.factors[1].labels == std::vector<std::string>{"0.0", "0.05"});
  CHECK_THROWS_AS(s.sweep.value_text(6, 0), std::out_of_range);
  CHECK_THROWS_AS(s.sweep.level(0, 2), std::out_of_range);
  CHECK(s.sweep.runs(100) == 600);
}

TEST_CASE("point_scenario applies the point's values on top of the file and the overrides") {
  const Scenario s = load_text(kGrid + "[research]\nspill_size = 0.9\n", "x", {"world.steps=30"});
  const Scenario p3 = point_scenario(s, 3);
  CHECK(p3.norm_preset == model::NormPreset::closed);
  CHECK(p3.model.norm.allow == std::array<double, 3>{0.0, 0.0, 0.0});
  CHECK(p3.model.research.spill_probability == 0.05);
  CHECK(p3.model.research.spill_size == 0.9);
  CHECK(p3.model.world.steps == 30);
  CHECK(p3.sweep.kind == DesignKind::single);
  CHECK(p3.overrides ==
        std::vector<std::string>{"world.steps=30", "norm.preset=\"closed\"", "research.spill_probability=0.05"});
  CHECK_THROWS_AS(point_scenario(s, 6), std::out_of_range);
}

TEST_CASE("from, to and num or step give linear, log and integer levels") {
  const Scenario s = load_text(R"(
sweep.design = "grid"
[[sweep.factor]]
key = "researchers.talent_sigma"
from = 0.25
to = 2
num = 4
scale = "log"
[[sweep.factor]]
key = "world.steps"
from = 10
to = 20
step = 4.5
[[sweep.factor]]
key = "hazard.max"
from = 0.1
to = 0.2
num = 3
)",
                               "x");
  CHECK(s.sweep.factors[0].levels == std::vector<std::string>{"0.25", "0.5", "1.0", "2.0"});
  CHECK(s.sweep.factors[0].log_scale);
  CHECK(s.sweep.factors[1].levels == std::vector<std::string>{"10", "15", "19"});  // 14.5 and 19 rounded
  CHECK(s.sweep.factors[1].integer);
  CHECK(s.sweep.factors[2].levels.size() == 3);
  CHECK(s.sweep.factors[2].level_numbers[1] == Approx(0.15));
  CHECK(s.sweep.points == 36);
  CHECK(point_scenario(s, 35).model.world.steps == 19);
}

TEST_CASE("a zip pairs the factors' levels") {
  const Scenario s = load_text(R"(
sweep.design = "zip"
[[sweep.factor]]
key = "labs.leak_rate"
values = [0.0, 0.1, 0.2]
[[sweep.factor]]
key = "world.stop_at_transformative"
values = [true, false, true]
)",
                               "x");
  REQUIRE(s.sweep.points == 3);
  CHECK(column(s.sweep, 1) == std::vector<std::string>{"true", "false", "true"});
  const Scenario p1 = point_scenario(s, 1);
  CHECK(p1.model.labs.leak_rate == 0.1);
  CHECK_FALSE(p1.model.world.stop_at_transformative);
}

TEST_CASE("Latin hypercube and Sobol points stay inside the ranges and fill the strata") {
  for (const std::string design : {"latin_hypercube", "sobol"}) {
    INFO(design);
    const Scenario s = load_text("[sweep]\ndesign = \"" + design + R"("
points = 32
seed = 9
[[sweep.factor]]
key = "research.spill_probability"
from = 0.0
to = 0.4
[[sweep.factor]]
key = "hazard.width"
from = 0.1
to = 10.0
scale = "log"
[[sweep.factor]]
key = "world.steps"
from = 50
to = 53
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed"]
)",
                                 "x");
    REQUIRE(s.sweep.points == 32);
    std::set<std::int64_t> strata;
    std::set<std::string> steps;
    std::size_t closed = 0;
    for (std::uint64_t p = 0; p < 32; ++p) {
      const double x = s.sweep.numeric(p, 0);
      CHECK((x >= 0.0 && x <= 0.4));
      strata.insert(static_cast<std::int64_t>(std::floor(x / 0.4 * 32)));
      const double w = s.sweep.numeric(p, 1);
      CHECK((w >= 0.1 && w <= 10.0));
      steps.insert(s.sweep.value_text(p, 2));
      CHECK(s.sweep.level(p, 0) == -1);
      closed += s.sweep.level(p, 3) == 1 ? 1U : 0U;
      CHECK(point_scenario(s, p).model.research.spill_probability == x);
    }
    CHECK(strata.size() == 32);
    CHECK(steps == std::set<std::string>{"50", "51", "52", "53"});  // integers uniform over from … to
    CHECK(closed == 16);                                             // half of the strata
  }
}

TEST_CASE("the sampled design is a function of sweep.seed but point identities are not") {
  const std::string text = R"(
sweep.design = "latin_hypercube"
sweep.points = 8
[[sweep.factor]]
key = "research.spill_probability"
from = 0.0
to = 1.0
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed"]
)";
  const Scenario a = load_text(text, "x");
  const Scenario a_again = load_text(text, "y");
  const Scenario b = load_text(text, "x", {"sweep.seed=2"});
  CHECK(a.sweep.value_text(3, 0) == a_again.sweep.value_text(3, 0));
  CHECK(a.sweep.value_text(3, 0) != b.sweep.value_text(3, 0));
  // A point of b with a's values (as a grid of one point) has the same stream id as a's point.
  const std::string value = a.sweep.value_text(3, 0);
  const std::string preset = a.sweep.value_text(3, 1);
  const Scenario same = load_text("[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"research.spill_probability\"\n"
                                  "values = [0.5, " + value + "]\n[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [" +
                                      preset + "]\n",
                                  "z");
  CHECK(point_stream_id(point_scenario(a, 3)) == point_stream_id(point_scenario(same, 1)));
  CHECK(point_stream_id(point_scenario(a, 3)) != point_stream_id(point_scenario(same, 0)));
  CHECK(sweep_identity(a) == sweep_identity(a_again));  // the source name does not count
  CHECK(sweep_identity(a) != sweep_identity(b));
}

TEST_CASE("point_stream_id depends on the model parameters only") {
  const Scenario plain = load_text("research.spill_probability = 0.05\nnorm.preset = \"closed\"\n", "a");
  const Scenario grid = load_text(kGrid, "b", {"run.replicates=7", "run.seed=99"});
  CHECK(point_stream_id(point_scenario(grid, 3)) == point_stream_id(plain));
  CHECK(point_stream_id(point_scenario(grid, 2)) != point_stream_id(plain));
  std::set<std::uint64_t> ids;
  for (std::uint64_t p = 0; p < grid.sweep.points; ++p) ids.insert(point_stream_id(point_scenario(grid, p)));
  CHECK(ids.size() == 6);
  CHECK(sweep_identity(grid) != sweep_identity(load_text(kGrid, "b")));  // replicates and seed count
}

TEST_CASE("a factor over norm takes whole norms as inline tables") {
  const Scenario s = load_text(R"(
norm.compliance = 0.3
[sweep]
design = "grid"
[[sweep.factor]]
key = "norm"
values = [{preset = "open"}, {preset = "embargo_capabilities", embargo = 3, compliance = 0.5},
          {preset = "closed", allow = {flagged = 0.25}}]
labels = ["open", "embargo 3", "closed but flagged"]
)",
                               "x");
  REQUIRE(s.sweep.points == 3);
  CHECK(s.sweep.factors[0].categorical);
  CHECK(s.sweep.factors[0].levels[1] == "{preset = \"embargo_capabilities\", embargo = 3, compliance = 0.5}");
  const Scenario p0 = point_scenario(s, 0);
  CHECK(p0.model.norm.compliance == 0.9);  // the level replaces the whole norm, the file's compliance too
  const Scenario p1 = point_scenario(s, 1);
  CHECK(p1.norm_preset == model::NormPreset::embargo_capabilities);
  CHECK(p1.model.norm.embargo[0] == 3);
  CHECK(p1.model.norm.compliance == 0.5);
  const Scenario p2 = point_scenario(s, 2);
  CHECK(p2.model.norm.allow == std::array<double, 3>{0.0, 0.0, 0.25});
}

TEST_CASE("array keys are swept with values lists") {
  const Scenario s = load_text(R"(
[sweep]
design = "grid"
[[sweep.factor]]
key = "labs.sizes"
values = [[3, 2], [5, 5, 5]]
)",
                               "x");
  CHECK(s.sweep.factors[0].levels == std::vector<std::string>{"[3, 2]", "[5, 5, 5]"});
  CHECK(point_scenario(s, 1).model.labs.interp_fraction.size() == 3);
}

TEST_CASE("a combination that is invalid only together is reported naming the point") {
  const Scenario s = load_text(R"(
labs.sizes = [1, 1]
labs.interp_fraction = 0.2
[sweep]
design = "zip"
[[sweep.factor]]
key = "labs.sizes"
values = [[3, 2], [5, 5, 5]]
[[sweep.factor]]
key = "labs.interp_fraction"
values = [[0.1, 0.2], [0.1, 0.2]]
)",
                               "x");
  CHECK_NOTHROW(point_scenario(s, 0));
  try {
    (void)point_scenario(s, 1);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.message() == "sweep point 1 (labs.sizes = [5, 5, 5], labs.interp_fraction = [0.1, 0.2]): "
                         "labs.interp_fraction has 2 entries but labs.sizes has 3 labs");
  }
}

TEST_CASE("resolved_toml writes the sweep back and it round-trips") {
  for (const std::string& text :
       {kGrid, std::string("[sweep]\ndesign = \"sobol\"\npoints = 5\nseed = 3\nmax_runs = 77\n[[sweep.factor]]\n"
                           "key = \"hazard.width\"\nfrom = 0.5\nto = 2\nscale = \"log\"\n[[sweep.factor]]\nkey = \"norm\"\n"
                           "values = [{preset = \"closed\", allow.flagged = 1}, {compliance = 0.1}]\n"
                           "labels = [\"a \\\"quoted\\\" label\", \"tab\\there\"]\n"),
        std::string("[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"world.steps\"\nfrom = 3\nto = 9\nstep = 2\n")}) {
    const Scenario s = load_text(text, "x");
    const std::string resolved = resolved_toml(s);
    INFO(resolved);
    const Scenario again = load_text(resolved, "resolved");
    const std::string resolved_again = resolved_toml(again);
    CHECK(resolved_again.substr(resolved_again.find("\n[")) == resolved.substr(resolved.find("\n[")));
    CHECK(sweep_identity(again) == sweep_identity(s));
    CHECK(again.sweep.points == s.sweep.points);
    for (std::size_t f = 0; f < s.sweep.factors.size(); ++f) {
      CHECK(again.sweep.factors[f].labels == s.sweep.factors[f].labels);
      for (std::uint64_t p = 0; p < s.sweep.points; ++p) CHECK(again.sweep.value_text(p, f) == s.sweep.value_text(p, f));
    }
    // The points too: a base's norm is written as given, so a norm.preset factor still sets the
    // preset's allowances after the round trip (found by the fuzzer).
    for (std::uint64_t p = 0; p < s.sweep.points; ++p) {
      CHECK(point_stream_id(point_scenario(again, p)) == point_stream_id(point_scenario(s, p)));
    }
  }
}

TEST_CASE("overrides given with --set change the sweep's keys") {
  const std::string lhs = "[sweep]\ndesign = \"latin_hypercube\"\npoints = 4\n[[sweep.factor]]\nkey = \"hazard.max\"\n"
                          "from = 0.1\nto = 0.2\n";
  const Scenario s =
      load_text(lhs, "x", {"sweep.points=16", "sweep.seed=5", "sweep.max_runs=99", "sweep.design=sobol"});
  CHECK(s.sweep.kind == DesignKind::sobol);
  CHECK(s.sweep.points == 16);
  CHECK(s.sweep.sampling_seed == 5);
  CHECK(s.sweep.max_runs == 99);
  CHECK(load_text(kGrid, "x", {"sweep.design=single", "sweep.factor=[]"}).sweep.points == 1);
  const Scenario replaced = load_text(kGrid, "x", {"sweep.factor=[{key = \"world.steps\", values = [5, 6]}]"});
  CHECK(replaced.sweep.points == 2);
  CHECK(replaced.sweep.factors[0].key == "world.steps");
}

TEST_CASE("the example sweeps load and have the documented points") {
  const Scenario norms = load_file(kScenarios / "sweep_norms_spill.toml");
  CHECK(norms.sweep.kind == DesignKind::grid);
  CHECK(norms.sweep.points == 30);
  CHECK(norms.run.replicates == 50);
  CHECK(norms.sweep.runs(norms.run.replicates) == 1500);
  std::set<std::string> presets;
  for (std::uint64_t p = 0; p < norms.sweep.points; ++p) presets.insert(norms.sweep.value_text(p, 0));
  CHECK(presets.size() == model::kNormPresetCount);
  const Scenario talent = load_file(kScenarios / "sweep_talent_field.toml");
  CHECK(talent.sweep.points == 12);
  CHECK(talent.sweep.runs(talent.run.replicates) == 1200);
  CHECK(talent.sweep.factors[1].labels == std::vector<std::string>{"half", "baseline", "double"});
  CHECK(point_scenario(talent, 11).model.labs.sizes.front() == 240);
  CHECK(point_scenario(talent, 11).model.researchers.talent_sigma == 2.0);
  for (const Scenario* s : {&norms, &talent}) {
    CHECK(s->text.rfind("# ", 0) == 0);
    CHECK(s->run.seed == 1);
    for (std::uint64_t p = 0; p < s->sweep.points; ++p) CHECK_NOTHROW(point_scenario(*s, p));
  }
  CHECK(norms.text.find("normsim run scenarios/sweep_norms_spill.toml") != std::string::npos);
  CHECK(talent.text.find("normsim run scenarios/sweep_talent_field.toml") != std::string::npos);
}

TEST_CASE("scenario_at places every factor at a unit coordinate, as an attribution design samples them") {
  const Scenario s = load_text(R"(
[sweep]
design = "sobol"
points = 4
[[sweep.factor]]
key = "hazard.max"
from = 0.1
to = 0.3
[[sweep.factor]]
key = "research.spill_probability"
from = 0.01
to = 1.0
scale = "log"
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed", "hazard_specific"]
[[sweep.factor]]
key = "adaptation.every"
from = 1
to = 4
)",
                               "x");
  const std::vector<double> u{0.25, 0.5, 0.5, 0.999};
  const Scenario at = scenario_at(s, u, "row 0");
  CHECK(at.sweep.kind == DesignKind::single);
  CHECK(at.model.hazard.max == Approx(0.15).epsilon(1e-12));
  CHECK(at.model.research.spill_probability == Approx(0.1).epsilon(1e-12));  // geometric middle of 0.01 … 1
  CHECK(at.norm_preset == model::NormPreset::closed);                          // level floor(0.5 · 3) = 1
  CHECK(at.model.adaptation.every == 4);                                       // integers 1 … 4, uniform
  CHECK(scenario_at(s, std::vector<double>{0.25, 0.5, 0.1, 0.0}, "row 0").norm_preset == model::NormPreset::open);
  CHECK(scenario_at(s, std::vector<double>{0.25, 0.5, 0.9, 0.3}, "row 0").model.adaptation.every == 2);
  // Equal coordinates give equal parameters, hence equal stream ids; the sweep's own points are not used.
  CHECK(point_stream_id(scenario_at(s, u, "a")) == point_stream_id(at));
  CHECK_THROWS_AS(scenario_at(s, std::vector<double>{0.5}, "row 0"), std::invalid_argument);
}

TEST_CASE("scenario_at names the coordinates of an invalid combination") {
  const Scenario s = load_text(R"(
labs.sizes = [1, 1]
labs.interp_fraction = 0.2
[sweep]
design = "zip"
[[sweep.factor]]
key = "labs.sizes"
values = [[3, 2], [5, 5, 5]]
[[sweep.factor]]
key = "labs.interp_fraction"
values = [[0.1, 0.2], [0.1, 0.2]]
)",
                               "x");
  CHECK_NOTHROW(scenario_at(s, std::vector<double>{0.25, 0.5}, "attribution row 3, matrix A"));
  try {
    (void)scenario_at(s, std::vector<double>{0.75, 0.5}, "attribution row 3, matrix A");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.message() == "attribution row 3, matrix A (labs.sizes = [5, 5, 5], labs.interp_fraction = [0.1, 0.2]): "
                         "labs.interp_fraction has 2 entries but labs.sizes has 3 labs");
  }
}
