// `normsim discover` end to end: the report it prints, the /discovery layout against the schema
// registry (both ways), its help, the messages for input it cannot use, and mpirun.
#include "cli/support.hpp"
#include "output/hdf5_reader.hpp"
#include "output/schema.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>
#include <string>
#include <sys/wait.h>
#include <vector>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

// x-risk falls as C_d rises: "mean x-risk < 0.1" fails at small C_d (tests/study/discover_test.cpp).
constexpr const char* kScenario = R"(# discover test
[labs]
sizes = [8, 6, 4]
[world]
steps = 60
[run]
replicates = 8
seed = 2
[sweep]
design = "latin_hypercube"
points = 200
seed = 5
[[sweep.factor]]
key = "hazard.danger_capability"
from = 10.0
to = 10000.0
scale = "log"
[[sweep.factor]]
key = "research.screen_sensitivity"
from = 0.0
to = 1.0
[[sweep.factor]]
key = "hazard.basis"
values = ["progress", "time"]
)";

const std::string kLowRisk = R"(
[[claims]]
id = "low-risk"
statement = "x-risk stays below 0.1"
quantity = "mean"
outcome = "xrisk"
compare = "<"
value = 0.1
)";

const std::string kShare = R"(
[[claims]]
id = "share"
statement = "the norm explains little"
quantity = "norm_share"
norms = ["open", "closed"]
outcome = "xrisk"
compare = "<"
value = 0.5
)";

/// The registry pattern of a /discovery dataset: the claim, box and factor names replaced by
/// their placeholders.
std::string pattern_of(const std::string& path) {
  static const std::regex claim(R"(^/discovery/[^/]+/)");
  static const std::regex box(R"(^(/discovery/<claim>/)(box_[0-9]+|rejected)/)");
  static const std::regex factor(R"(/design/[^/]+$)");
  std::string p = std::regex_replace(path, claim, "/discovery/<claim>/");
  p = std::regex_replace(p, box, "$1<box>/");
  return std::regex_replace(p, factor, "/design/<factor>");
}

}  // namespace

TEST_CASE("discover prints the boxes and stores exactly the registry's /discovery datasets", "[cli][discover]") {
  const ScratchDir dir("cli-discover");
  dir.write("d.toml", std::string(kScenario) + kLowRisk);
  const auto r = run_normsim("discover d.toml -o d.h5 -j 2", dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("discover d.toml — claim low-risk"));
  CHECK_THAT(r.out, Catch::Contains("mean(xrisk) < 0.1"));
  CHECK_THAT(r.out, Catch::Contains("box 1 of "));
  CHECK_THAT(r.out, Catch::Contains("hazard.danger_capability <= "));
  CHECK_THAT(r.out, Catch::Contains("trade-off of"));
  CHECK_THAT(r.out, Catch::Contains("← chosen"));
  CHECK_THAT(r.out, Catch::Contains("written to /discovery/low-risk in d.h5"));
  CHECK_THAT(r.err, Catch::Contains("200 points × 8 replicates"));

  const Hdf5Reader file((dir / "d.h5").string());
  std::set<std::string> in_file;
  std::set<std::string> boxes;
  for (const std::string& path : file.dataset_paths()) {
    if (path.rfind("/discovery/", 0) != 0) continue;
    in_file.insert(pattern_of(path));
    const std::smatch m = [&] {
      std::smatch match;
      std::regex_search(path, match, std::regex(R"(^/discovery/low-risk/(box_[0-9]+|rejected)/)"));
      return match;
    }();
    if (!m.empty()) boxes.insert(m[1]);
  }
  // The accepted boxes box_1 … box_B, and the one that stopped the covering.
  const auto accepted = static_cast<std::size_t>(file.number_attribute("boxes", "/discovery/low-risk"));
  REQUIRE(accepted >= 1);
  std::set<std::string> expected_boxes{"rejected"};
  for (std::size_t b = 1; b <= accepted; ++b) expected_boxes.insert("box_" + std::to_string(b));
  CHECK(boxes == expected_boxes);
  std::set<std::string> registry;
  for (const auto& e : normsim::output::schema_entries()) {
    if (e.per_factor == 5) registry.insert(e.path);
  }
  CHECK(in_file == registry);
  // Every box holds every <box> dataset.
  for (const std::string& box : boxes) {
    for (const std::string& entry : registry) {
      if (entry.rfind("/discovery/<claim>/<box>/", 0) != 0) continue;
      INFO(box << " " << entry);
      const std::string path = "/discovery/low-risk/" + box + entry.substr(std::string("/discovery/<claim>/<box>").size());
      const auto paths = file.dataset_paths();
      CHECK(std::find(paths.begin(), paths.end(), path) != paths.end());
    }
  }
  // Shapes and attributes a reader relies on.
  CHECK(file.shape("/discovery/low-risk/points/interest") == std::vector<std::uint64_t>{200});
  CHECK(file.shape("/discovery/low-risk/box_1/stability/frequency") == std::vector<std::uint64_t>{3, 3});
  CHECK(file.shape("/discovery/low-risk/box_1/stability/level_admitted") == std::vector<std::uint64_t>{3, 2});
  CHECK(file.string_array_attribute("names", "/discovery/low-risk/dimensions") ==
        std::vector<std::string>{"hazard.danger_capability", "research.screen_sensitivity", "hazard.basis"});
  CHECK(file.string_array_attribute("scales", "/discovery/low-risk/dimensions") ==
        std::vector<std::string>{"log", "linear", ""});
  CHECK(file.string_attribute("choice", "/discovery/low-risk") == "max_quality");
  CHECK(file.number_attribute("permutations", "/discovery/low-risk") == 99);
  CHECK(file.string_array_attribute("text", "/discovery/low-risk/box_1/restrictions").size() ==
        file.shape("/discovery/low-risk/box_1/restrictions/limit").at(0));

  // PRIM options take effect and are recorded; --resume on the finished file makes no run.
  const auto again = run_normsim("discover d.toml -o d.h5 --resume --resamples 0 --permutations 19 --max-boxes 1 "
                                 "--choice largest_within_mass:0.3 -q",
                                 dir.path());
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  const Hdf5Reader redone((dir / "d.h5").string());
  CHECK(redone.number_attribute("permutations", "/discovery/low-risk") == 19);
  CHECK(redone.number_attribute("resamples", "/discovery/low-risk/box_1") == 0);
  CHECK(redone.string_attribute("choice", "/discovery/low-risk") == "largest_within_mass");
  CHECK(redone.number_attribute("choice_max_mass", "/discovery/low-risk") == 0.3);
  CHECK(redone.read_float64("/outcomes/xrisk") == file.read_float64("/outcomes/xrisk"));
  REQUIRE(redone.number_attribute("boxes", "/discovery/low-risk") == 1);  // --max-boxes 1
  const std::string chosen = "/discovery/low-risk/box_1/trajectory/mass";
  const auto step = static_cast<std::size_t>(redone.number_attribute("chosen_step", "/discovery/low-risk/box_1"));
  CHECK(redone.read_float64(chosen).at(step) <= 0.3);
  CHECK(redone.read_float64(chosen).at(step - 1) > 0.3);  // the largest such step
}

TEST_CASE("discover refuses what it cannot use, and says why", "[cli][discover]") {
  const ScratchDir dir("cli-discover-bad");
  const auto fails = [&](const std::string& scenario, const std::string& args, const std::string& message) {
    dir.write("s.toml", scenario);
    const auto r = run_normsim("discover s.toml -o s.h5 -q " + args, dir.path());
    INFO(args << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(message));
    CHECK(!std::filesystem::exists(dir / "s.h5"));
  };
  const std::string both = std::string(kScenario) + kLowRisk + kShare;
  fails(kScenario, "", "s.toml has no [[claims]]");
  fails(both, "", "s.toml has 2 claims: choose one with --claim ID (ids: low-risk, share)");
  fails(both, "--claim nope", "s.toml has no claim 'nope'; its claims: low-risk, share");
  fails(both, "--claim share", "claim 'share' is a norm_share claim; discover evaluates mean, probability and "
                               "mean_difference claims");
  fails("[labs]\nsizes = [4]\n" + kLowRisk, "", "discover needs a [sweep] whose factors are the assumptions");
  fails(std::string(kScenario) + "[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\", \"closed\"]\n"
                                 "[[claims]]\nid = \"d\"\nstatement = \"s\"\nquantity = \"mean_difference\"\n"
                                 "norm = \"closed\"\nversus = \"open\"\noutcome = \"xrisk\"\ncompare = \"<\"\nvalue = 0\n",
        "", "remove the [sweep] factor 'norm.preset'");
  fails(std::string(kScenario) + "[[sweep.factor]]\nkey = \"norm\"\nvalues = [{preset = \"open\"}, {preset = \"closed\"}]\n"
                                 "labels = [\"a\", \"b\"]\n[[claims]]\nid = \"l\"\nstatement = \"s\"\n"
                                 "quantity = \"level_difference\"\nfactor = \"norm\"\nlevel = \"b\"\nbaseline = \"a\"\n"
                                 "outcome = \"xrisk\"\ncompare = \"<\"\nvalue = 0\n",
        "", "is a level_difference");
  fails(std::string(kScenario) + kLowRisk, "--set run.replicates=1", "run.replicates must be at least 2");
  fails(std::string(kScenario) + kLowRisk, "--set sweep.max_runs=100", "exceed sweep.max_runs = 100");
  fails(std::string(kScenario) + kLowRisk, "--peel-alpha 0.7", "peel_alpha");
  fails(std::string(kScenario) + kLowRisk, "--choice best:1", "--choice best:1: rules are max_quality");
  fails(std::string(kScenario) + kLowRisk, "--choice step", "--choice step: this rule needs its number");
  fails(std::string(kScenario) + kLowRisk, "--choice step:3", "max_boxes");
  fails(std::string(kScenario) + kLowRisk, "--resume --overwrite", "contradict");
}

TEST_CASE("discover has its help, and the main help lists it", "[cli][discover]") {
  const ScratchDir dir("cli-discover-help");
  const auto help = run_normsim("help discover", dir.path());
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("Usage: normsim discover SCENARIO [--claim ID]"));
  for (const char* option : {"--max-boxes", "--peel-alpha", "--paste-alpha", "--min-mass", "--choice", "--max-quasi-p",
                             "--min-density", "--permutations", "--significance", "--resamples", "--prim-seed"}) {
    CHECK_THAT(help.out, Catch::Contains(option));
  }
  CHECK(run_normsim("discover --help", dir.path()).out == help.out);
  CHECK_THAT(run_normsim("--help", dir.path()).out, Catch::Contains("normsim discover SCENARIO --claim ID"));
  const auto missing = run_normsim("discover", dir.path());
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("missing SCENARIO"));
}

TEST_CASE("discover under mpirun splits the paired runs across ranks and writes the same file", "[cli][discover]") {
  const ScratchDir dir("cli-discover-mpi");
  dir.write("p.toml", R"(# paired discovery
[labs]
sizes = [8, 6, 4]
[world]
steps = 60
[run]
replicates = 6
seed = 2
[sweep]
design = "sobol"
points = 32
[[sweep.factor]]
key = "norm.compliance"
from = 0.0
to = 1.0
[[sweep.factor]]
key = "research.spill_size"
from = 0.1
to = 20.0
scale = "log"
[[claims]]
id = "withheld"
statement = "withholding interpretability removes less than 0.1 of the published fraction"
quantity = "mean_difference"
norm = "no_interpretability"
versus = "open"
outcome = "published_fraction"
compare = ">"
value = -0.1
)");
  const auto one = run_normsim("discover p.toml -q -j 2 -o one.h5", dir.path());
  INFO(one.err);
  REQUIRE(one.exit_code == 0);
  const std::string command = "cd '" + dir.path().string() + "' && mpirun --allow-run-as-root --oversubscribe -np 2 '" +
                              NORMSIM_CLI_PATH + "' discover p.toml -q -j 1 -o m.h5 > mpi.log 2>&1";
  const int status = std::system(command.c_str());
  INFO(normsim::test::read_text(dir / "mpi.log"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const Hdf5Reader file((dir / "one.h5").string());
  std::vector<std::string> compared;
  for (const std::string& d : file.dataset_paths()) {
    if (d.rfind("/outcomes/", 0) == 0 || d.rfind("/discovery/", 0) == 0 || d.rfind("/design/", 0) == 0) {
      compared.push_back(d);
    }
  }
  const auto difference = normsim::output::compare_datasets(dir / "one.h5", dir / "m.h5", compared);
  INFO((difference ? difference->dataset + ": " + difference->description : std::string()));
  CHECK(!difference);
  CHECK(file.number_attribute("processes") == 1);
  CHECK(Hdf5Reader((dir / "m.h5").string()).number_attribute("processes") == 2);
}
