// Every class of bad input ends with a clear message on stderr and exit code 2, never a crash, a
// hang or a silent default; and nothing is written.
#include "cli/support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

/// Runs `normsim run <args>` and checks it is refused as bad input without writing any .h5 file.
normsim::test::CommandResult refused(const ScratchDir& dir, const std::string& args) {
  auto r = run_normsim("run " + args, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().extension() != ".h5");
    CHECK(entry.path().string().find(".tmp-") == std::string::npos);
  }
  return r;
}

}  // namespace

TEST_CASE("a missing scenario file is named", "[cli]") {
  const ScratchDir dir("missing");
  const auto r = refused(dir, "nowhere.toml");
  CHECK_THAT(r.err, Catch::Contains("nowhere.toml: cannot read scenario file"));
  const auto none = refused(dir, "");
  CHECK_THAT(none.err, Catch::Contains("missing SCENARIO"));
}

TEST_CASE("a TOML syntax error gives file, line and column", "[cli]") {
  const ScratchDir dir("syntax");
  dir.write("bad.toml", "[labs]\nsizes = [10, 20\n");
  const auto r = refused(dir, "bad.toml");
  CHECK_THAT(r.err, Catch::Contains("bad.toml:2:"));
  CHECK_THAT(r.err, Catch::Contains("TOML syntax error"));
}

TEST_CASE("an unknown key is named with the nearest valid key", "[cli]") {
  const ScratchDir dir("unknown");
  dir.write("typo.toml", "[research]\nspill_probabilty = 0.2\n");
  const auto r = refused(dir, "typo.toml");
  CHECK_THAT(r.err, Catch::Contains("typo.toml:2:1: unknown key 'research.spill_probabilty'; did you mean "
                                    "'research.spill_probability'?"));
}

TEST_CASE("wrong types and out-of-range values give key, value and allowed range", "[cli]") {
  const ScratchDir dir("range");
  dir.write("type.toml", "[research]\nspill_probability = \"high\"\n");
  CHECK_THAT(refused(dir, "type.toml").err,
             Catch::Contains("research.spill_probability must be a number, got string \"high\""));
  dir.write("range.toml", "[research]\nspill_probability = 1.5\n");
  CHECK_THAT(refused(dir, "range.toml").err,
             Catch::Contains("range.toml:2:21: research.spill_probability = 1.5 is out of range; allowed: [0, 1]"));
  dir.write("empty.toml", "[labs]\nsizes = []\n");
  CHECK_THAT(refused(dir, "empty.toml").err, Catch::Contains("labs.sizes must not be empty"));
  dir.write("fraction.toml", "[labs]\ninterp_fraction = [0.1, 0.2, 0.3]\n");
  CHECK_THAT(refused(dir, "fraction.toml").err,
             Catch::Contains("labs.interp_fraction has 3 entries but labs.sizes has 8 labs"));
  dir.write("preset.toml", "[norm]\npreset = \"opne\"\n");
  CHECK_THAT(refused(dir, "preset.toml").err,
             Catch::Contains("norm.preset = \"opne\" is not a norm preset; allowed: open, closed, no_capabilities, "
                             "no_interpretability, hazard_specific, embargo_capabilities"));
  dir.write("embargo.toml", "[norm]\nembargo_capabilities = -1\n");
  CHECK_THAT(refused(dir, "embargo.toml").err, Catch::Contains("norm.embargo_capabilities = -1 is out of range"));
  dir.write("embargo2.toml", "[norm]\nembargo_capabilities = 2.5\n");
  CHECK_THAT(refused(dir, "embargo2.toml").err, Catch::Contains("norm.embargo_capabilities must be an integer"));
  dir.write("rate.toml", "[researchers]\nresult_rate = -0.1\n");
  CHECK_THAT(refused(dir, "rate.toml").err, Catch::Contains("researchers.result_rate = -0.1 is out of range"));
}

TEST_CASE("overrides given with --set follow the same rules", "[cli]") {
  const ScratchDir dir("set");
  const std::string baseline = normsim::test::source_path("scenarios/baseline.toml");
  CHECK_THAT(refused(dir, baseline + " --set research.spill_probability=2").err,
             Catch::Contains("--set research.spill_probability=2: research.spill_probability = 2 is out of range; "
                             "allowed: [0, 1]"));
  CHECK_THAT(refused(dir, baseline + " --set foo").err, Catch::Contains("--set foo: expected key=value"));
  CHECK_THAT(refused(dir, baseline + " --set labs.szes=[1]").err, Catch::Contains("did you mean 'labs.sizes'?"));
  CHECK_THAT(refused(dir, baseline + " --set norm.preset=opne").err, Catch::Contains("is not a norm preset"));
}

TEST_CASE("bad options are refused", "[cli]") {
  const ScratchDir dir("options");
  const std::string baseline = normsim::test::source_path("scenarios/baseline.toml");
  CHECK_THAT(refused(dir, baseline + " --replicates 0").err, Catch::Contains("--replicates must be at least 1"));
  CHECK_THAT(refused(dir, baseline + " --replicates many").err, Catch::Contains("replicates"));
  CHECK_THAT(refused(dir, baseline + " --threads -1").err, Catch::Contains("--threads"));
  CHECK_THAT(refused(dir, baseline + " --frobnicate").err, Catch::Contains("frobnicate"));
  CHECK_THAT(refused(dir, baseline + " -o no/such/dir/x.h5").err, Catch::Contains("does not exist"));
}

TEST_CASE("an existing output file is not overwritten without --overwrite", "[cli]") {
  const ScratchDir dir("exists");
  const auto existing = dir.write("out.h5", "precious");
  const auto r = run_normsim("run " + normsim::test::source_path("scenarios/baseline.toml") + " -o out.h5 -r 2",
                             dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("out.h5 exists; pass --overwrite to replace it"));
  CHECK(normsim::test::read_text(existing) == "precious");
}

TEST_CASE("every command refuses a malformed command line, naming the option, and explains itself with --help",
          "[cli]") {
  // All commands parse through one function (cli::parse_command_line); each is checked here so that
  // none keeps a parser of its own that lets a mistyped option through.
  const ScratchDir dir("every-command");
  const std::string baseline = normsim::test::source_path("scenarios/baseline.toml");
  for (const std::string command : {"run", "attribute", "check", "discover", "plan", "merge"}) {
    INFO(command);
    const auto unknown = run_normsim(command + " " + baseline + " --frobnicate", dir.path());
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("'--frobnicate'"));
    const auto no_value = run_normsim(command + " " + baseline + " --" + (command == "merge" ? "output" : "set"), dir.path());
    CHECK(no_value.exit_code == 2);
    CHECK_THAT(no_value.err, Catch::Contains(command == "merge" ? "--output" : "--set"));
    const auto help = run_normsim(command + " --help", dir.path());
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage: normsim " + command));
  }
  const auto bad_number = run_normsim("plan " + baseline + " --threads many", dir.path());
  CHECK(bad_number.exit_code == 2);
  CHECK_THAT(bad_number.err, Catch::Contains("threads"));
}
