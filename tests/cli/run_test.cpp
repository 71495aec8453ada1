// `normsim run` end to end: the file it writes, its summary, determinism across thread counts,
// overrides, --quiet, --overwrite and interruption.
#include "cli/support.hpp"
#include "model/outcomes.hpp"
#include "output/hdf5_reader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

// Three small labs, short runs: seconds for the whole file, but every mechanism of the model on.
constexpr const char* kSmallScenario = R"(# small scenario for the CLI tests
[labs]
sizes = [12, 8, 5]
interp_fraction = [0.25, 0.5, 0.2]
leak_rate = 0.05
[world]
steps = 40
[norm]
preset = "embargo_capabilities"
[run]
replicates = 24
seed = 7
)";

/// Every dataset whose values are reproducible (all but the wall times).
std::vector<std::string> reproducible_datasets(const std::string& path) {
  std::vector<std::string> names = Hdf5Reader(path).dataset_paths();
  names.erase(std::remove(names.begin(), names.end(), "/runs/wall_seconds"), names.end());
  return names;
}

}  // namespace

TEST_CASE("run writes every run to the file and prints the summary", "[cli]") {
  const ScratchDir dir("run");
  dir.write("small.toml", kSmallScenario);
  const auto r = run_normsim("run small.toml", dir.path());
  REQUIRE(r.exit_code == 0);
  for (const auto& d : normsim::model::kOutcomeDescriptors) CHECK_THAT(r.out, Catch::Contains(std::string(d.name)));
  CHECK_THAT(r.out, Catch::Contains("wrote small.h5"));
  CHECK_THAT(r.err, Catch::Contains("normsim: 24/24 runs (100%)"));

  const Hdf5Reader file((dir / "small.h5").string());
  CHECK(file.int64_attribute("complete") == 1);
  CHECK(file.uint64_attribute("master_seed") == 7);
  CHECK_THAT(file.string_attribute("scenario_resolved"), Catch::Contains("embargo_capabilities"));
  CHECK(file.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{1, 24});
  CHECK(file.shape("/series/frontier_capability") == std::vector<std::uint64_t>{1, 24, 40});
  const auto completed = file.read_uint8("/runs/completed");
  CHECK(std::all_of(completed.begin(), completed.end(), [](std::uint8_t c) { return c == 1; }));
  // Cross-output consistency: the last series value of each run is its outcome.
  const auto capability = file.read_float64("/outcomes/capability");
  const auto steps = file.read_float64("/outcomes/steps_run");
  const auto series = file.read_float64("/series/frontier_capability");
  for (std::size_t i = 0; i < 24; ++i) {
    const auto last = static_cast<std::size_t>(steps[i]) - 1;
    CHECK(series[i * 40 + last] == capability[i]);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "small.h5.journal"));
}

TEST_CASE("1, 2 and 4 threads write bit-identical files", "[cli][determinism]") {
  const ScratchDir dir("threads");
  dir.write("small.toml", kSmallScenario);
  for (const char* threads : {"1", "2", "4"}) {
    const auto r = run_normsim(std::string("run small.toml -q -o t") + threads + ".h5 --threads " + threads, dir.path());
    REQUIRE(r.exit_code == 0);
  }
  const auto names = reproducible_datasets((dir / "t1.h5").string());
  CHECK(names.size() > 20);
  for (const char* other : {"t2.h5", "t4.h5"}) {
    const auto difference = normsim::output::compare_datasets(dir / "t1.h5", dir / other, names);
    INFO((difference ? difference->dataset + ": " + difference->description : std::string("none")));
    CHECK_FALSE(difference.has_value());
  }
}

TEST_CASE("the seed decides the results, and overrides are applied and recorded", "[cli]") {
  const ScratchDir dir("seed");
  dir.write("small.toml", kSmallScenario);
  REQUIRE(run_normsim("run small.toml -q -o a.h5", dir.path()).exit_code == 0);
  REQUIRE(run_normsim("run small.toml -q -o b.h5 --seed 8", dir.path()).exit_code == 0);
  REQUIRE(run_normsim("run small.toml -q -o c.h5 --set world.steps=5 -r 3 --no-series", dir.path()).exit_code == 0);
  CHECK(normsim::output::compare_datasets(dir / "a.h5", dir / "b.h5", {"/outcomes/capability"}).has_value());
  const Hdf5Reader c((dir / "c.h5").string());
  CHECK(c.shape("/outcomes/capability") == std::vector<std::uint64_t>{1, 3});
  const auto steps = c.read_float64("/outcomes/steps_run");
  CHECK(std::all_of(steps.begin(), steps.end(), [](double s) { return s <= 5; }));
  const auto paths = c.dataset_paths();
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.rfind("/series/", 0) == 0; }));
  const auto overrides = c.string_array_attribute("cli_overrides");
  CHECK(overrides == std::vector<std::string>{"world.steps=5", "run.replicates=3"});
  CHECK_THAT(c.string_attribute("scenario_resolved"), Catch::Contains("steps = 5"));
}

TEST_CASE("quiet runs print nothing and --overwrite replaces the file", "[cli]") {
  const ScratchDir dir("quiet");
  dir.write("small.toml", kSmallScenario);
  const auto first = run_normsim("run small.toml -q -o out.h5 -r 2", dir.path());
  CHECK(first.exit_code == 0);
  CHECK(first.out.empty());
  CHECK(first.err.empty());
  const auto again = run_normsim("run small.toml -q -o out.h5 -r 3 --overwrite", dir.path());
  CHECK(again.exit_code == 0);
  CHECK(Hdf5Reader((dir / "out.h5").string()).shape("/outcomes/xrisk") == std::vector<std::uint64_t>{1, 3});
}
