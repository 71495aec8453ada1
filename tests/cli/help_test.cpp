// `--help`, `--version` and subcommand help: what a new user types first.
#include "cli/support.hpp"

#include <catch2/catch.hpp>

using normsim::test::run_normsim;
using normsim::test::ScratchDir;

TEST_CASE("the help explains the commands and the exit codes", "[cli]") {
  const ScratchDir dir("help");
  const auto r = run_normsim("--help", dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("normsim run SCENARIO"));
  CHECK_THAT(r.out, Catch::Contains("Exit codes:"));
  CHECK_THAT(r.out, Catch::Contains("130"));
  CHECK(r.err.empty());
}

TEST_CASE("the version text names the version, commit, compiler and build type", "[cli]") {
  const ScratchDir dir("version");
  const auto r = run_normsim("--version", dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("normsim 0."));
  CHECK_THAT(r.out, Catch::Contains("commit "));
  CHECK_THAT(r.out, Catch::Contains("compiler "));
  CHECK_THAT(r.out, Catch::Contains("build "));
}

TEST_CASE("run --help and help run list every option of run", "[cli]") {
  const ScratchDir dir("run-help");
  const auto a = run_normsim("run --help", dir.path());
  const auto b = run_normsim("help run", dir.path());
  CHECK(a.exit_code == 0);
  CHECK(a.out == b.out);
  for (const char* option : {"--output", "--set", "--replicates", "--seed", "--threads", "--overwrite", "--quiet",
                             "--no-series", "Exit codes:"}) {
    CHECK_THAT(a.out, Catch::Contains(option));
  }
}

TEST_CASE("no command, an unknown command or help on one is bad input", "[cli]") {
  const ScratchDir dir("no-command");
  const auto none = run_normsim("", dir.path());
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("Usage:"));
  const auto unknown = run_normsim("rnu", dir.path());
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown command 'rnu'"));
  const auto help_unknown = run_normsim("help rnu", dir.path());
  CHECK(help_unknown.exit_code == 2);
  CHECK_THAT(help_unknown.err, Catch::Contains("no such command 'rnu'"));
}
