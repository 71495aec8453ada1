// Every class of bad [sweep] input, with its exact message and position.
#include "scenario/sweep.hpp"
#include "support.hpp"

using namespace normsim::scenario;
using normsim::scenario::testing::load_error;

namespace {

// A grid with one factor whose entry is `factor` (the lines after [[sweep.factor]], line 3 on).
std::string grid(const std::string& factor) { return "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\n" + factor; }

}  // namespace

TEST_CASE("sweep keys and factor fields are checked like every key") {
  CHECK(load_error("[sweep]\ndesing = \"grid\"\n") ==
        "test.toml:2:1: unknown key 'sweep.desing'; did you mean 'sweep.design'?");
  CHECK(load_error("[sweep]\ndesign = \"full\"\n") ==
        "test.toml:2:10: sweep.design = \"full\" is not a sweep design; allowed: single, grid, zip, latin_hypercube, "
        "sobol");
  CHECK(load_error(grid("key = \"hazard.max\"\nvales = [0.1]\n")) ==
        "test.toml:5:1: unknown key 'sweep.factor.vales'; did you mean 'sweep.factor.values'?");
  CHECK(load_error("[sweep]\ndesign = \"sobol\"\npoints = 0\n") ==
        "test.toml:3:10: sweep.points = 0 is out of range; allowed: integers 1 … 1000000");
  CHECK(load_error("[sweep]\nfactor = 3\n") == "test.toml:2:10: sweep.factor must be an array of tables, got 3");
  CHECK(load_error("sweep.factor = [3]\n") == "test.toml:1:17: sweep.factor[0] must be a table, got 3");
}

TEST_CASE("factor keys: unknown, not sweepable, missing, duplicated") {
  CHECK(load_error(grid("key = \"research.spill_probabilty\"\nvalues = [0.1]\n")) ==
        "test.toml:4:7: sweep.factor[0].key = \"research.spill_probabilty\" is not a scenario key; did you mean "
        "'research.spill_probability'?");
  CHECK(load_error(grid("key = \"colour\"\nvalues = [1]\n")) ==
        "test.toml:4:7: sweep.factor[0].key = \"colour\" is not a scenario key");
  CHECK(load_error(grid("key = \"run.seed\"\nvalues = [1]\n")) ==
        "test.toml:4:7: sweep.factor[0].key = \"run.seed\" cannot be swept; allowed: a model or norm key (not "
        "run.*, sweep.*, attribution.* or individuals), or \"norm\"");
  CHECK(load_error(grid("key = \"attribution.rows\"\nvalues = [4]\n")).rfind(
            "test.toml:4:7: sweep.factor[0].key = \"attribution.rows\" cannot be swept", 0) == 0);
  CHECK(load_error(grid("key = \"individuals\"\nvalues = [1]\n")).rfind(
            "test.toml:4:7: sweep.factor[0].key = \"individuals\" cannot be swept", 0) == 0);
  CHECK(load_error(grid("key = 3\n")) == "test.toml:4:7: sweep.factor[0].key must be a string, got 3");
  CHECK(load_error(grid("values = [1]\n")) == "test.toml:3:1: sweep.factor[0] is missing the required key 'key'");
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = [0.1]\n[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.2]\n")) ==
        "test.toml:7:7: sweep.factor[1].key = \"hazard.max\" is already swept by sweep.factor[0] (key = \"hazard.max\", line 4)");
  CHECK(load_error(grid("key = \"norm\"\nvalues = [{}]\n[[sweep.factor]]\nkey = \"norm.compliance\"\nvalues = [0.2]\n")) ==
        "test.toml:7:7: sweep.factor[1].key = \"norm.compliance\" is already swept by sweep.factor[0] (key = \"norm\", line 4)");
}

TEST_CASE("values: each checked against the swept key at its own position") {
  CHECK(load_error(grid("key = \"research.spill_probability\"\nvalues = [0.1, 1.5]\n")) ==
        "test.toml:5:16: research.spill_probability = 1.5 is out of range; allowed: [0, 1]");
  CHECK(load_error(grid("key = \"world.steps\"\nvalues = [10, 2.5]\n")) ==
        "test.toml:5:15: world.steps must be an integer, got 2.5");
  CHECK(load_error(grid("key = \"norm.preset\"\nvalues = [\"open\", \"shut\"]\n")).rfind(
            "test.toml:5:19: norm.preset = \"shut\" is not a norm preset; allowed: open, closed", 0) == 0);
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = []\n")) == "test.toml:5:10: sweep.factor[0].values must not be empty");
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = 0.1\n")) ==
        "test.toml:5:10: sweep.factor[0].values must be an array, got 0.1");
  CHECK(load_error(grid("key = \"norm\"\nvalues = [\"open\"]\n")) ==
        "test.toml:5:11: sweep.factor[0].values[0] must be an inline table of norm keys, got string \"open\"");
  CHECK(load_error(grid("key = \"norm\"\nvalues = [{preset = \"open\", colour = 1}]\n")) ==
        "test.toml:5:29: unknown key 'norm.colour'");
  CHECK(load_error(grid("key = \"norm\"\nvalues = [{compliance = 2}]\n")) ==
        "test.toml:5:25: norm.compliance = 2 is out of range; allowed: [0, 1]");
}

TEST_CASE("a values level that is invalid on the base scenario is reported at the level") {
  CHECK(load_error(grid("key = \"norm.embargo\"\nvalues = [2, 3]\n")) ==
        "test.toml:5:11: sweep.factor[0].values[0] = 2 is not valid with the rest of the scenario: norm.embargo "
        "applies only to norm.preset = \"embargo_capabilities\", not \"open\"; use norm.embargo_capabilities to give "
        "this preset a capabilities embargo");
  CHECK(load_error("labs.sizes = [1, 2]\nlabs.interp_fraction = [0.1, 0.2]\n" + grid("key = \"labs.sizes\"\nvalues = [[1, 2], [1, 2, 3]]\n")) ==
        "test.toml:7:19: sweep.factor[0].values[1] = [1, 2, 3] is not valid with the rest of the scenario: "
        "labs.interp_fraction has 2 entries but labs.sizes has 3 labs");
}

TEST_CASE("labels") {
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = [0.1, 0.2]\nlabels = [\"a\"]\n")) ==
        "test.toml:6:10: sweep.factor[0].labels has 1 entries but values has 2");
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = [0.1]\nlabels = [1]\n")) ==
        "test.toml:6:11: sweep.factor[0].labels[0] must be a string, got 1");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nnum = 2\nlabels = [\"a\", \"b\"]\n")) ==
        "test.toml:8:10: sweep.factor[0].labels needs values (one label each)");
  CHECK(load_error(grid("key = \"hazard.max\"\nvalues = [0.1]\nnum = 2\n")) ==
        "test.toml:3:1: sweep.factor[0] has both values and from/to/num/step/scale; give values or a range");
}

TEST_CASE("ranges: from, to, num, step, scale") {
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.3\nto = 0.2\nnum = 2\n")) ==
        "test.toml:5:8: sweep.factor[0]: from = 0.3 is greater than to = 0.2");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.3\nto = 1.2\nnum = 2\n")) ==
        "test.toml:6:6: hazard.max = 1.2 is out of range; allowed: [0, 1]");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0\nto = 0.2\nnum = 2\nscale = \"log\"\n")) ==
        "test.toml:5:8: sweep.factor[0]: scale = \"log\" needs from > 0, got from = 0");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nnum = 0\n")) ==
        "test.toml:7:7: sweep.factor[0].num = 0 is out of range; allowed: integers 1 … 100000");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nstep = 0\n")) ==
        "test.toml:7:8: sweep.factor[0].step = 0 is out of range; allowed: (0, ∞)");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nstep = -0.1\n")) ==
        "test.toml:7:8: sweep.factor[0].step = -0.1 is out of range; allowed: (0, ∞)");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nnum = 2\nstep = 0.1\n")) ==
        "test.toml:3:1: sweep.factor[0] has both num and step; give one");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nstep = 0.1\nscale = \"log\"\n")) ==
        "test.toml:7:8: sweep.factor[0].step applies to scale = \"linear\" only; use num with scale = \"log\"");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\nnum = 2\nscale = \"cubic\"\n")) ==
        "test.toml:8:9: sweep.factor[0].scale = \"cubic\" is not a scale; allowed: linear, log");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\n")) == "test.toml:3:1: sweep.factor[0] has from but no to");
  CHECK(load_error(grid("key = \"hazard.max\"\n")) == "test.toml:3:1: sweep.factor[0] needs values, or from and to");
  CHECK(load_error(grid("key = \"labs.sizes\"\nfrom = 1\nto = 2\nnum = 2\n")) ==
        "test.toml:4:7: sweep.factor[0].key = \"labs.sizes\" takes values only: from and to need a number or "
        "integer key");
  CHECK(load_error(grid("key = \"world.steps\"\nfrom = 1.5\nto = 2\nnum = 2\n")) ==
        "test.toml:5:8: world.steps must be an integer, got 1.5");
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.0\nto = 1.0\nstep = 1e-9\n")) ==
        "test.toml:7:8: sweep.factor[0] gives 1000000001 levels from 0 to 1; at most 100000");
}

TEST_CASE("the design decides what the factors and points may be") {
  CHECK(load_error(grid("key = \"hazard.max\"\nfrom = 0.1\nto = 0.2\n")) ==
        "test.toml:3:1: sweep.factor[0] needs num or step with sweep.design = \"grid\"");
  CHECK(load_error("[sweep]\ndesign = \"sobol\"\n[[sweep.factor]]\nkey = \"hazard.max\"\nfrom = 0.1\nto = 0.2\n") ==
        "test.toml:2:10: sweep.design = \"sobol\" needs sweep.points");
  CHECK(load_error("[sweep]\ndesign = \"latin_hypercube\"\npoints = 4\n[[sweep.factor]]\nkey = \"hazard.max\"\n"
                   "from = 0.1\nto = 0.2\nnum = 3\n") ==
        "test.toml:8:7: sweep.factor[0].num applies to grid and zip; sweep.design = \"latin_hypercube\" draws from … to");
  CHECK(load_error("[sweep]\ndesign = \"grid\"\npoints = 4\n[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.1]\n") ==
        "test.toml:3:10: sweep.points applies to latin_hypercube and sobol only; with sweep.design = \"grid\" the "
        "points are the combinations of the factors' levels");
  CHECK(load_error("[sweep]\ndesign = \"grid\"\n") == "test.toml:2:10: sweep.design = \"grid\" needs at least one [[sweep.factor]]");
  CHECK(load_error("[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.1]\n") ==
        "test.toml:1:1: sweep.factor needs sweep.design; allowed: grid, zip, latin_hypercube, sobol");
  CHECK(load_error("[sweep]\ndesign = \"zip\"\n[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.1, 0.2]\n"
                   "[[sweep.factor]]\nkey = \"hazard.width\"\nvalues = [1, 2, 3]\n") ==
        "test.toml:6:1: sweep.factor[1] has 3 levels but sweep.factor[0] has 2; a zip needs equal lengths");
  std::string big = "[sweep]\ndesign = \"grid\"\n";
  for (const char* key : {"hazard.max", "hazard.width", "hazard.danger_capability"}) {
    big += std::string("[[sweep.factor]]\nkey = \"") + key + "\"\nfrom = 1\nto = 1\nnum = 1000\n";
  }
  CHECK(load_error(big) == "test.toml:2:10: the grid has 1000000000 points (1000 × 1000 × 1000); at most 10000000");
  // Levels valid alone but not together: reported when the point is built, naming it.
  // (A norm.preset factor with a norm.embargo factor is ambiguous, found when read: precedence_test.cpp.)
  const Scenario s = load_text("[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\n"
                               "key = \"labs.noncompliant\"\nvalues = [[], [2]]\n"
                               "[[sweep.factor]]\nkey = \"labs.sizes\"\nvalues = [[5, 5, 5], [5, 5]]\n",
                               "test.toml");
  CHECK_NOTHROW(point_scenario(s, 2));
  try {
    (void)point_scenario(s, 3);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == "test.toml: sweep point 3 (labs.noncompliant = [2], labs.sizes = [5, 5]): "
                                   "labs.noncompliant[0] = 2 is out of range; allowed: integers 0 … 1 (labs.sizes has 2 "
                                   "labs)");
  }
  // A from/to factor that can never apply is found at the first point, when the file is read.
  CHECK(load_error(grid("key = \"norm.embargo\"\nfrom = 1\nto = 3\nnum = 3\n")) ==
        "test.toml: sweep point 0 (norm.embargo = 1): norm.embargo applies only to norm.preset = "
        "\"embargo_capabilities\", not \"open\"; use norm.embargo_capabilities to give this preset a capabilities "
        "embargo");
  CHECK(load_error("[sweep]\ndesign = \"sobol\"\npoints = 1000000\n[[sweep.factor]]\nkey = \"hazard.max\"\nfrom = 0\n"
                   "to = 1\n[[sweep.factor]]\nkey = \"hazard.width\"\nfrom = 1\nto = 2\n[[sweep.factor]]\n"
                   "key = \"labs.leak_rate\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"labs.compute_sigma\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"labs.compute_elasticity\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"adaptation.strength\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"adaptation.mutation\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"hazard.understanding_cover\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"research.spill_size\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"research.spill_probability\"\nfrom = 0\nto = 1\n"
                   "[[sweep.factor]]\nkey = \"norm.compliance\"\nfrom = 0\nto = 1\n") ==
        "test.toml:3:10: sweep.points × factors = 1000000 × 11 = 11000000; at most 10000000 coordinates");
}

TEST_CASE("sweep errors in overrides name the override") {
  CHECK(load_error("", {"sweep.points=0"}) == "--set sweep.points=0: sweep.points = 0 is out of range; allowed: integers 1 … 1000000");
  CHECK(load_error("", {"sweep.design=sobol", "sweep.factor=[{key = \"hazard.max\", from = 0.1, to = 0.2}]"}) ==
        "--set sweep.design=sobol: sweep.design = \"sobol\" needs sweep.points");
  CHECK(load_error("", {"sweep.factor=[{key = \"hazard.max\", values = [2]}]"}) ==
        "--set sweep.factor=[{key = \"hazard.max\", values = [2]}]: hazard.max = 2 is out of range; allowed: [0, 1]");
}
