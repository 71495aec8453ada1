// `normsim check` end to end: verdicts, exit statuses, the /claims layout and bad claims.
#include "cli/support.hpp"
#include "output/hdf5_reader.hpp"
#include "output/schema.hpp"

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <sys/wait.h>
#include <string>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

// Two norms on common keys × two spill probabilities, small and fast.
constexpr const char* kScenario = R"(# claims test
[labs]
sizes = [8, 6, 4]
[world]
steps = 60
[run]
replicates = 30
seed = 3
[sweep]
design = "grid"
common_keys = true
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed"]
[[sweep.factor]]
key = "research.spill_probability"
values = [0.0, 0.3]
)";

std::string claim(const std::string& body) { return "\n[[claims]]\n" + body; }

}  // namespace

TEST_CASE("check gives each claim a verdict, stores /claims and exits 0, 1 or 3", "[cli][claims]") {
  const ScratchDir dir("check");
  // Capability is at least 0 in every run: the mean is > -1 with certainty (holds); x-risk is a
  // probability: its mean is not > 1 (fails).
  const std::string holds = claim(
      "id = \"cap\"\nstatement = \"capability is positive\"\nquantity = \"mean\"\noutcome = \"capability\"\n"
      "compare = \">\"\nvalue = -1\n");
  const std::string fails = claim(
      "id = \"risk\"\nstatement = \"x-risk exceeds 1\"\nquantity = \"mean\"\noutcome = \"xrisk\"\ncompare = \">\"\n"
      "value = 1\n");
  // Closing everything cannot raise published knowledge: the paired difference of the published
  // fraction is below 0.01 at every spill probability.
  const std::string difference = claim(
      "id = \"closed-publishes-less\"\nstatement = \"closed publishes less\"\nquantity = \"mean_difference\"\n"
      "outcome = \"published_fraction\"\nnorm = \"closed\"\nversus = \"open\"\ncompare = \"<\"\nvalue = 0.01\n");
  dir.write("holds.toml", std::string(kScenario) + holds + difference);
  const auto ok = run_normsim("check holds.toml -o holds.h5", dir.path());
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("[holds]       cap"));
  CHECK_THAT(ok.out, Catch::Contains("mean(published_fraction | closed) − mean(published_fraction | open) < 0.01"));
  {
    const Hdf5Reader file((dir / "holds.h5").string());
    CHECK(file.string_array_attribute("verdict_labels", "/claims") ==
          std::vector<std::string>{"holds", "fails", "inconclusive"});
    // "cap" is evaluated at the 4 points; the difference at the 2 spill probabilities.
    CHECK(file.shape("/claims/cap/estimate") == std::vector<std::uint64_t>{4});
    CHECK(file.shape("/claims/closed-publishes-less/estimate") == std::vector<std::uint64_t>{2});
    CHECK(file.read_float64("/claims/closed-publishes-less/design/research.spill_probability") ==
          std::vector<double>{0.0, 0.3});
    CHECK(file.string_attribute("scope", "/claims/cap") == "points");
    CHECK(file.string_attribute("units", "/claims/cap") == "capability units");
    // The estimate of "cap" at each point is the mean of that point's runs.
    const auto runs = file.read_float64("/outcomes/capability");
    const auto estimate = file.read_float64("/claims/cap/estimate");
    for (std::size_t p = 0; p < 4; ++p) {
      double sum = 0;
      for (std::size_t r = 0; r < 30; ++r) sum += runs[p * 30 + r];
      CHECK(estimate[p] == Approx(sum / 30).epsilon(1e-12));
    }
    // Every /claims dataset is documented in the schema registry.
    for (const std::string& path : file.dataset_paths()) {
      if (path.rfind("/claims/", 0) != 0) continue;
      INFO(path);
      const std::string tail = path.substr(path.find('/', 8));  // after /claims/<id>
      const bool documented = std::any_of(
          normsim::output::schema_entries().begin(), normsim::output::schema_entries().end(), [&](const auto& e) {
            if (e.per_factor != 4) return false;
            const std::string pattern = e.path.substr(e.path.find('/', 8));
            return pattern == tail || (pattern == "/design/<factor>" && tail.rfind("/design/", 0) == 0);
          });
      CHECK(documented);
    }
  }
  dir.write("fails.toml", std::string(kScenario) + holds + fails);
  const auto bad = run_normsim("check fails.toml -o fails.h5", dir.path());
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Catch::Contains("[fails]       risk"));
  // A probability estimated from 2 replicates at a value inside its interval: inconclusive.
  dir.write("open.toml", std::string(kScenario) + holds +
                             claim("id = \"p\"\nstatement = \"x-risk often high\"\nquantity = \"probability\"\n"
                                   "outcome = \"xrisk\"\nabove = 0.0\ncompare = \"<\"\nvalue = 0.5\n"));
  const auto open = run_normsim("check open.toml -o open.h5 --set run.replicates=2", dir.path());
  INFO(open.out);
  CHECK(open.exit_code == 3);
  CHECK_THAT(open.out, Catch::Contains("inconclusive"));
  // The file exists now: a second check needs --overwrite.
  CHECK(run_normsim("check open.toml -o open.h5 --set run.replicates=2", dir.path()).exit_code == 2);
}

TEST_CASE("check compares two levels of any factor of a grid, paired, at every combination of the others",
          "[cli][claims]") {
  // Levels of a norm factor with labels, as inline tables: the difference of published fractions
  // between "shut" (closed) and "all" (open) is negative at both spill probabilities, and equals
  // the paired mean difference of the two points' runs.
  const ScratchDir dir("check-levels");
  dir.write("l.toml", R"(# levels
[labs]
sizes = [8, 6, 4]
[world]
steps = 40
[run]
replicates = 25
[sweep]
design = "grid"
common_keys = true
[[sweep.factor]]
key = "research.spill_probability"
values = [0.0, 0.3]
[[sweep.factor]]
key = "norm"
values = [{preset = "open"}, {preset = "closed"}]
labels = ["all", "shut"]
[[claims]]
id = "shut-publishes-less"
statement = "s"
quantity = "level_difference"
outcome = "published_fraction"
factor = "norm"
level = "shut"
baseline = "all"
compare = "<"
value = 0.0
)");
  const auto r = run_normsim("check l.toml -o l.h5", dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("mean(published_fraction | norm = shut) − mean(published_fraction | norm = all) < 0"));
  const Hdf5Reader file((dir / "l.h5").string());
  CHECK(file.read_float64("/claims/shut-publishes-less/design/research.spill_probability") == std::vector<double>{0.0, 0.3});
  // Points: (0.0, all), (0.0, shut), (0.3, all), (0.3, shut); the estimate is the paired mean.
  const auto y = file.read_float64("/outcomes/published_fraction");
  const auto estimate = file.read_float64("/claims/shut-publishes-less/estimate");
  for (std::size_t cell = 0; cell < 2; ++cell) {
    double sum = 0;
    for (std::size_t r2 = 0; r2 < 25; ++r2) sum += y[(2 * cell + 1) * 25 + r2] - y[(2 * cell) * 25 + r2];
    CHECK(estimate[cell] == Approx(sum / 25).epsilon(1e-12));
  }
  // An unknown label names the factor's levels.
  const auto bad = run_normsim("check l.toml -o m.h5 --set 'claims=[{id=\"x\", statement=\"s\", "
                               "quantity=\"level_difference\", outcome=\"xrisk\", factor=\"norm\", level=\"none\", "
                               "baseline=\"all\", compare=\"<\", value=0.0}]'",
                               dir.path());
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("compares level \"none\", which the norm factor does not list; its levels: \"all\", \"shut\"\n"));
}

TEST_CASE("check refuses claims the scenario cannot evaluate", "[cli][claims]") {
  const ScratchDir dir("check-bad");
  dir.write("none.toml", kScenario);
  const auto none = run_normsim("check none.toml", dir.path());
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("has no [[claims]]"));
  const std::string difference = claim(
      "id = \"d\"\nstatement = \"s\"\nquantity = \"mean_difference\"\noutcome = \"xrisk\"\nnorm = \"hazard_specific\"\n"
      "versus = \"open\"\ncompare = \"<\"\nvalue = 0\n");
  dir.write("missing.toml", std::string(kScenario) + difference);
  const auto missing = run_normsim("check missing.toml", dir.path());
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("compares norm \"hazard_specific\", which the norm.preset factor does not list"));
  const auto unpaired = run_normsim("check missing.toml --set sweep.common_keys=false "
                                    "--set 'sweep.factor=[{key=\"norm.preset\", values=[\"open\", \"hazard_specific\"]}]'",
                                    dir.path());
  CHECK(unpaired.exit_code == 2);
  CHECK_THAT(unpaired.err, Catch::Contains("set sweep.common_keys = true"));
  const auto no_norms = run_normsim("check missing.toml --set sweep.design='\"single\"' --set sweep.factor=[]", dir.path());
  CHECK(no_norms.exit_code == 2);
  CHECK_THAT(no_norms.err, Catch::Contains("needs a [sweep] with design = \"grid\" and a factor key = \"norm.preset\""));
}

TEST_CASE("check evaluates attribution claims from normsim attribute, per point with attribution.per_point",
          "[cli][claims][attribution]") {
  const ScratchDir dir("check-attribution");
  dir.write("a.toml", R"(# attribution claims
[labs]
sizes = [6, 4]
[world]
steps = 40
[run]
replicates = 4
[sweep]
design = "grid"
[[sweep.factor]]
key = "researchers.talent_sigma"
values = [0.5, 1.5]
[attribution]
outcomes = ["xrisk"]
rows = 16
bootstrap = 50
researchers = "all"
per_point = true
[[claims]]
id = "one-researcher"
statement = "no researcher explains more than 90 % of the x-risk variance"
quantity = "max_researcher_index"
outcome = "xrisk"
index = "total"
compare = "<"
value = 0.9
[[claims]]
id = "partition"
statement = "labs and researchers hold all the variance, counted last"
quantity = "index_sum"
index = "total"
factors = ["all labs", "all researchers"]
outcome = "xrisk"
compare = ">"
value = 0.5
[[claims]]
id = "labs"
statement = "the labs' own streams explain something"
quantity = "index"
index = "total"
factor = "all labs"
outcome = "xrisk"
compare = ">"
value = 0.0
)");
  const auto r = run_normsim("check a.toml -o a.h5", dir.path());
  INFO(r.out << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 3));
  CHECK(std::filesystem::exists(dir / "a.point-0.attribution.h5"));
  CHECK(std::filesystem::exists(dir / "a.point-1.attribution.h5"));
  const Hdf5Reader file((dir / "a.h5").string());
  CHECK(file.shape("/claims/one-researcher/estimate") == std::vector<std::uint64_t>{2});
  // The largest per-researcher total index is the maximum over the point's researchers in its
  // attribution file, and its interval runs from the largest lower end to the largest upper end.
  const Hdf5Reader point1((dir / "a.point-1.attribution.h5").string());
  const auto kinds = point1.string_array_attribute("kinds", "/attribution/xrisk/factor");
  const auto total = point1.read_float64("/attribution/xrisk/total/estimate");
  double largest = -1;
  for (std::size_t g = 0; g < kinds.size(); ++g) {
    if (kinds[g] == "researcher") largest = std::max(largest, total[g]);
  }
  CHECK(file.read_float64("/claims/one-researcher/estimate")[1] == largest);
  // index_sum adds the table's entries, and the upper ends of their bootstrap-normal intervals
  // (index + z·SE), each of the 2 parts at level 1 − α/(2 points · 2 parts) (family-wise, Bonferroni).
  const auto labels = point1.string_array_attribute("labels", "/attribution/xrisk/factor");
  const auto se = point1.read_float64("/attribution/xrisk/total/se");
  const auto at = [&](const char* name) {
    return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), name) - labels.begin());
  };
  const double z = boost::math::quantile(boost::math::normal(), 1 - 0.05 / 2 / 2 / 2);
  CHECK(file.read_float64("/claims/partition/estimate")[1] == total[at("all labs")] + total[at("all researchers")]);
  CHECK(file.read_float64("/claims/partition/high")[1] ==
        Approx(total[at("all labs")] + z * se[at("all labs")] + total[at("all researchers")] + z * se[at("all researchers")])
            .epsilon(1e-12));
  CHECK(file.number_attribute("entry_confidence", "/claims/partition") == Approx(1 - 0.05 / 2));
  // Under mpirun the runs and the attributions are split across ranks; the verdicts do not change.
  const std::string command = "cd '" + dir.path().string() + "' && mpirun --allow-run-as-root --oversubscribe -np 2 '" +
                              NORMSIM_CLI_PATH + "' check a.toml -q -j 1 -o m.h5 > mpi.log 2>&1";
  const int status = std::system(command.c_str());
  INFO(normsim::test::read_text(dir / "mpi.log"));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == r.exit_code);
  const Hdf5Reader mpi((dir / "m.h5").string());
  for (const char* d : {"/claims/one-researcher/estimate", "/claims/one-researcher/high", "/claims/labs/low"}) {
    INFO(d);
    CHECK(mpi.read_float64(d) == file.read_float64(d));
  }
  // An unknown group name is a clear error listing the groups.
  const auto unknown = run_normsim("check a.toml -o b.h5 --set 'claims=[{id=\"x\", statement=\"s\", quantity=\"index\", "
                                   "index=\"total\", factor=\"lab 9\", outcome=\"xrisk\", compare=\">\", value=0.0}]'",
                                   dir.path());
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("factor \"lab 9\" is not in the attribution table of xrisk; allowed: \"all labs\", \"all researchers\""));
  CHECK_THAT(unknown.err, !Catch::Contains("\"\""));
}
