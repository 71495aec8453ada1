// Every class of bad input, with its exact message and position.
#include "support.hpp"

#include <filesystem>
#include <fstream>

using namespace normsim::scenario;
using normsim::scenario::testing::load_error;

TEST_CASE("TOML syntax errors carry toml++'s description and position") {
  const std::string message = load_error("[labs]\nsizes = [1, 2\n");
  CHECK(message.rfind("test.toml:2:", 0) == 0);
  CHECK(message.find(": TOML syntax error: ") != std::string::npos);
  const std::string duplicate = load_error("world.steps = 3\nworld.steps = 4\n");
  CHECK(duplicate.rfind("test.toml:2:", 0) == 0);
  CHECK(duplicate.find("TOML syntax error: ") != std::string::npos);
}

TEST_CASE("ScenarioError exposes its parts") {
  try {
    (void)load_text("\n[research]\nspill_probability = 1.5\n", "s.toml");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.source() == "s.toml");
    CHECK(e.line() == 3);
    CHECK(e.column() == 21);
    CHECK(e.key() == "research.spill_probability");
    CHECK(e.message() == "research.spill_probability = 1.5 is out of range; allowed: [0, 1]");
    CHECK(std::string(e.what()) == "s.toml:3:21: research.spill_probability = 1.5 is out of range; allowed: [0, 1]");
  }
}

TEST_CASE("unknown keys and tables get the nearest registry name") {
  CHECK(load_error("[labs]\nszes = [1]\n") == "test.toml:2:1: unknown key 'labs.szes'; did you mean 'labs.sizes'?");
  CHECK(load_error("labs.szes = [1]\n") == "test.toml:1:6: unknown key 'labs.szes'; did you mean 'labs.sizes'?");
  CHECK(load_error("colour = 3\n") == "test.toml:1:1: unknown key 'colour'");
  CHECK(load_error("[hazrd]\n") == "test.toml:1:2: unknown table 'hazrd'; did you mean 'hazard'?");
  CHECK(load_error("[hazrd]\nmax = 0.1\n") == "test.toml:2:1: unknown key 'hazrd.max'; did you mean 'hazard.max'?");
  CHECK(load_error("labs = 3\n") == "test.toml:1:1: unknown key 'labs'");
  CHECK(load_error("[norm.allow]\n").empty());  // an empty table of known keys is harmless
}

TEST_CASE("the first problem in file order is reported") {
  CHECK(load_error("zzz = 1\naaa = 2\n") == "test.toml:1:1: unknown key 'zzz'");
}

TEST_CASE("wrong types") {
  CHECK(load_error("research.spill_probability = \"high\"\n") ==
        "test.toml:1:30: research.spill_probability must be a number, got string \"high\"");
  CHECK(load_error("world.steps = 2.5\n") == "test.toml:1:15: world.steps must be an integer, got 2.5");
  CHECK(load_error("[world]\nstop_at_transformative = 1\n") ==
        "test.toml:2:26: world.stop_at_transformative must be a boolean, got 1");
  CHECK(load_error("[hazard.max]\nx = 1\n") == "test.toml:1:1: hazard.max must be a number, got a table");
  CHECK(load_error("hazard.max = {}\n") == "test.toml:1:14: hazard.max must be a number, got a table");
  CHECK(load_error("labs.sizes = 3\n") == "test.toml:1:14: labs.sizes must be an array of integers, got 3");
  CHECK(load_error("labs.sizes = [1, 2.5]\n") == "test.toml:1:18: labs.sizes[1] must be an integer, got 2.5");
  CHECK(load_error("labs.interp_fraction = true\n") ==
        "test.toml:1:24: labs.interp_fraction must be a number or an array of numbers, got boolean true");
  CHECK(load_error("norm.preset = 3\n") == "test.toml:1:15: norm.preset must be a string, got 3");
}

TEST_CASE("out-of-range and non-finite values") {
  CHECK(load_error("research.spill_probability = 1.5\n") ==
        "test.toml:1:30: research.spill_probability = 1.5 is out of range; allowed: [0, 1]");
  CHECK(load_error("norm.embargo_capabilities = -1\n") ==
        "test.toml:1:29: norm.embargo_capabilities = -1 is out of range; allowed: integers 0 … 10000000");
  CHECK(load_error("norm.embargo_capabilities = 2.5\n") ==
        "test.toml:1:29: norm.embargo_capabilities must be an integer, got 2.5");
  CHECK(load_error("hazard.width = 0\n") == "test.toml:1:16: hazard.width = 0 is out of range; allowed: (0, ∞)");
  CHECK(load_error("research.spill_size = nan\n") ==
        "test.toml:1:23: research.spill_size = nan is out of range; allowed: [0, ∞)");
  CHECK(load_error("research.phi_capabilities = inf\n") ==
        "test.toml:1:29: research.phi_capabilities = inf is out of range; allowed: any finite number");
  CHECK(load_error("world.steps = 0\n") ==
        "test.toml:1:15: world.steps = 0 is out of range; allowed: integers 1 … 10000000");
  CHECK(load_error("labs.sizes = [3, -1]\n") ==
        "test.toml:1:18: labs.sizes[1] = -1 is out of range; allowed: integers 0 … 1000000");
  CHECK(load_error("labs.sizes = [2000000]\n") ==
        "test.toml:1:15: labs.sizes[0] = 2000000 is out of range; allowed: integers 0 … 1000000");
  CHECK(load_error("run.seed = -1\n") ==
        "test.toml:1:12: run.seed = -1 is out of range; allowed: integers 0 … 9223372036854775807");
  CHECK(load_error("run.replicates = 0\n") ==
        "test.toml:1:18: run.replicates = 0 is out of range; allowed: integers 1 … 1000000000");
}

TEST_CASE("lab lists") {
  CHECK(load_error("labs.sizes = []\n") == "test.toml:1:14: labs.sizes must not be empty");
  CHECK(load_error("[labs]\ninterp_fraction = [0.1, 0.2, 0.3]\n") ==
        "test.toml:2:19: labs.interp_fraction has 3 entries but labs.sizes has 8 labs");
  CHECK(load_error("labs.interp_fraction = [0.1, 1.2]\nlabs.sizes = [1, 2]\n") ==
        "test.toml:1:30: labs.interp_fraction[1] = 1.2 is out of range; allowed: [0, 1]");
}

TEST_CASE("choices") {
  CHECK(load_error("norm.preset = \"opne\"\n") ==
        "test.toml:1:15: norm.preset = \"opne\" is not a norm preset; allowed: open, closed, no_capabilities, "
        "no_interpretability, hazard_specific, embargo_capabilities");
  CHECK(load_error("hazard.scope = \"world\"\n") ==
        "test.toml:1:16: hazard.scope = \"world\" is not a hazard scope; allowed: frontier, every_lab");
}

TEST_CASE("norm.embargo applies only to the embargo_capabilities preset") {
  CHECK(load_error("[norm]\npreset = \"closed\"\nembargo = 4\n") ==
        "test.toml:3:11: norm.embargo applies only to norm.preset = \"embargo_capabilities\", not \"closed\"; use "
        "norm.embargo_capabilities to give this preset a capabilities embargo");
  CHECK(load_error("norm.embargo = 4\n").find("not \"open\"") != std::string::npos);
}

TEST_CASE("individuals") {
  CHECK(load_error("[[individuals]]\nlab = 0\nfocus = \"capabilities\"\ntalnet = 3\n") ==
        "test.toml:4:1: unknown key 'individuals.talnet'; did you mean 'individuals.talent'?");
  CHECK(load_error("[[individuals]]\nfocus = \"capabilities\"\n") ==
        "test.toml:1:1: individuals[0] is missing the required key 'lab'");
  CHECK(load_error("[[individuals]]\nlab = 1\n") ==
        "test.toml:1:1: individuals[0] is missing the required key 'focus'");
  CHECK(load_error("labs.noncompliant = [0, 8]\n") ==
        "test.toml:1:21: labs.noncompliant[1] = 8 is out of range; allowed: integers 0 … 7 (labs.sizes has 8 labs)");
  CHECK(load_error("labs.noncompliant = [2, 2]\n") == "test.toml:1:21: labs.noncompliant[1] = 2 repeats labs.noncompliant[0]");
  CHECK(load_error("labs.noncompliant = [-1]\n") ==
        "test.toml:1:22: labs.noncompliant[0] = -1 is out of range; allowed: integers 0 … 1000000");
  CHECK(load_error("labs.noncompliant = []\n").empty());
  CHECK(load_error("[[individuals]]\nlab = 8\nfocus = \"capabilities\"\n") ==
        "test.toml:2:7: individuals[0].lab = 8 is out of range; allowed: integers 0 … 7 (labs.sizes has 8 labs)");
  CHECK(load_error("[[individuals]]\nlab = 0\nfocus = \"safety\"\n") ==
        "test.toml:3:9: individuals[0].focus = \"safety\" is not a research focus; allowed: capabilities, "
        "interpretability");
  CHECK(load_error("[[individuals]]\nlab = 0\nfocus = \"capabilities\"\ntalent = -2\n") ==
        "test.toml:4:10: individuals[0].talent = -2 is out of range; allowed: [0, ∞)");
  CHECK(load_error("individuals = 3\n") == "test.toml:1:15: individuals must be an array of tables, got 3");
  CHECK(load_error("individuals = [3]\n") == "test.toml:1:16: individuals[0] must be a table, got 3");
}

TEST_CASE("unreadable files") {
  const std::filesystem::path missing = std::filesystem::temp_directory_path() / "normsim-no-such-scenario.toml";
  try {
    (void)load_file(missing);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == missing.string() + ": cannot read scenario file: No such file or directory");
    CHECK(e.line() == 0);
  }
  const std::filesystem::path directory = std::filesystem::temp_directory_path();
  try {
    (void)load_file(directory);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == directory.string() + ": cannot read scenario file: it is a directory");
  }
}
