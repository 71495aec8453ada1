// The README's `--set norm.preset=closed` example end to end (REFERENCE.md, "Precedence"):
// baseline.toml writes out the open norm's keys, yet the override runs the closed norm, run for run
// the same as scenarios/norm_closed.toml; a --set that a sweep would replace exits 2.
#include "cli/support.hpp"
#include "output/hdf5_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;
using normsim::test::source_path;

namespace {

// The outcome table of run's summary (its lines before "N runs in ..."), which the README shows.
std::string summary_table(const std::string& out) {
  return out.substr(0, out.find(" runs in "));
}

}  // namespace

TEST_CASE("baseline.toml --set norm.preset=closed runs norm_closed.toml's runs", "[cli]") {
  const ScratchDir dir("precedence");
  // Short runs of the full model; the same --set world.steps on both sides.
  const std::string common = " -r 6 --set world.steps=30";
  const auto with_set = run_normsim(
      "run '" + source_path("scenarios/baseline.toml") + "' -o set.h5 --set norm.preset=closed" + common, dir.path());
  REQUIRE(with_set.exit_code == 0);
  const auto closed = run_normsim("run '" + source_path("scenarios/norm_closed.toml") + "' -o closed.h5" + common, dir.path());
  REQUIRE(closed.exit_code == 0);
  const auto open = run_normsim("run '" + source_path("scenarios/baseline.toml") + "' -o open.h5" + common, dir.path());
  REQUIRE(open.exit_code == 0);

  std::vector<std::string> names = Hdf5Reader((dir / "closed.h5").string()).dataset_paths();
  names.erase(std::remove(names.begin(), names.end(), "/runs/wall_seconds"), names.end());
  REQUIRE(std::find(names.begin(), names.end(), "/outcomes/xrisk") != names.end());
  const auto difference = normsim::output::compare_datasets(dir / "set.h5", dir / "closed.h5", names);
  INFO((difference ? difference->dataset + ": " + difference->description : std::string("none")));
  CHECK_FALSE(difference.has_value());
  CHECK(summary_table(with_set.out) == summary_table(closed.out));
  CHECK_THAT(with_set.out, Catch::Contains("published_fraction"));
  // ... and not the open norm's (the file's explicit keys no longer win over the override).
  CHECK(normsim::output::compare_datasets(dir / "set.h5", dir / "open.h5", {"/outcomes/published_fraction"}).has_value());
  CHECK(summary_table(with_set.out) != summary_table(open.out));
}

TEST_CASE("a --set that every point of a sweep replaces exits 2 naming the --set and the factor", "[cli]") {
  const ScratchDir dir("precedence-sweep");
  dir.write("norms.toml", "[world]\nsteps = 5\n[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"norm.preset\"\n"
                          "values = [\"open\", \"closed\"]\n");
  const auto r = run_normsim("run norms.toml -q --set norm.allow.flagged=0.5", dir.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--set norm.allow.flagged=0.5: norm.allow.flagged has no effect: every point of "
                                    "the sweep replaces it with a level of sweep.factor[0] (key = \"norm.preset\", "
                                    "norms.toml:6:7)"));
  CHECK_FALSE(std::filesystem::exists(dir / "norms.h5"));
  // Two factors that would both set norm.allow.flagged: exit 2, both named.
  dir.write("both.toml", "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\"]\n"
                         "[[sweep.factor]]\nkey = \"norm.allow.flagged\"\nvalues = [0.5]\n");
  const auto both = run_normsim("run both.toml -q", dir.path());
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Catch::Contains("both.toml:7:7: sweep.factor[1].key = \"norm.allow.flagged\" is already swept by "
                                       "sweep.factor[0] (key = \"norm.preset\", line 4): every preset sets"));
}
