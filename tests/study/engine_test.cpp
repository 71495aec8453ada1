// The engine functions as programs call them (the CLI, the Python module): run, attribute at a
// level other than 95 %, check. The level an attribution uses is the level every table records.
#include "output/attribution_table.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/attribute.hpp"
#include "study/check.hpp"
#include "study/errors.hpp"
#include "study/run.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

using namespace normsim;
using normsim::test::ScratchDir;

namespace {

constexpr const char* kBase = "[labs]\nsizes = [4, 3]\n[world]\nsteps = 30\n[run]\nreplicates = 20\nseed = 4\n";

study::Conduct quiet() {
  study::Conduct c;
  c.quiet = true;
  c.handle_signals = false;
  return c;
}

}  // namespace

TEST_CASE("run: a scenario's replicates into a file", "[study]") {
  const ScratchDir dir("engine-run");
  study::RunConfig c;
  c.scenario = scenario::load_text(kBase, "engine test");
  c.output = dir / "run.h5";
  c.series = false;
  c.conduct = quiet();
  const study::RunResult r = study::run(c, study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  CHECK(r.runs == 20);
  const output::Hdf5Reader file(c.output);
  CHECK(file.read_float64("/outcomes/xrisk").size() == 20);
  CHECK(file.string_attribute("scenario_file") == "engine test");  // the scenario's source by default

  c.overwrite = true;
  c.resume = true;
  CHECK_THROWS_AS(study::run(c, study::Processes()), study::InputError);
  c.resume = false;
  c.output = dir / "missing-directory" / "run.h5";
  CHECK_THROWS_WITH(study::run(c, study::Processes()), Catch::Contains("does not exist"));
}

TEST_CASE("attribute: attribution.confidence is the level every table and interval records", "[study]") {
  const ScratchDir dir("engine-attribute");
  const auto attribution = [&](double confidence, const std::string& name) {
    study::AttributeConfig c;
    c.scenario = scenario::load_text(std::string(kBase) + "[attribution]\nrows = 32\nbootstrap = 200\nshapley = true\n"
                                                          "researchers = \"none\"\nknockout = [\"lab:0\"]\nconfidence = " +
                                         std::to_string(confidence) + "\n",
                                     "engine test");
    c.output = dir / name;
    c.outcomes = {"capability"};
    c.janon_rows = 16;
    c.conduct = quiet();
    const study::AttributionResult r = study::attribute(c, study::Processes());
    REQUIRE(r.status == study::PipelineStatus::written);
    return r;
  };
  const study::AttributionResult at50 = attribution(0.5, "a50.h5");
  const study::AttributionResult at95 = attribution(0.95, "a95.h5");
  REQUIRE(at50.tables.size() == 4);  // main, knockout, Janon, Shapley
  REQUIRE(at95.tables.size() == 4);
  const output::Hdf5Reader file(dir / "a50.h5");
  for (std::size_t t = 0; t < at50.tables.size(); ++t) {
    const output::AttributionTable& table = at50.tables[t];
    INFO(table.name());
    CHECK(table.confidence == 0.5);
    CHECK(file.number_attribute("confidence", "/attribution/" + table.name()) == 0.5);
    for (std::size_t k = 0; k < table.indices.size(); ++k) {
      const output::IndexColumn& column = table.indices[k];
      INFO(column.name);
      CHECK_THAT(column.ci, Catch::EndsWith("50 %"));
      CHECK(file.string_attribute("ci", "/attribution/" + table.name() + "/" + column.name) == column.ci);
      // Same design, same bootstrap resamples: the 50 % interval lies inside the 95 % one.
      const output::IndexColumn& wide = at95.tables[t].indices[k];
      for (std::size_t g = 0; g < column.estimate.size(); ++g) {
        CHECK(column.estimate[g] == wide.estimate[g]);
        CHECK(column.low[g] >= wide.low[g]);
        CHECK(column.high[g] <= wide.high[g]);
      }
    }
  }
  double narrower = 0;
  for (std::size_t g = 0; g < at50.tables[0].labels.size(); ++g) {
    narrower += (at95.tables[0].indices[1].high[g] - at95.tables[0].indices[1].low[g]) -
                (at50.tables[0].indices[1].high[g] - at50.tables[0].indices[1].low[g]);
  }
  CHECK(narrower > 0);
}

TEST_CASE("attribute: contradictory options are refused with what to change", "[study]") {
  const ScratchDir dir("engine-refuse");
  study::AttributeConfig c;
  c.scenario = scenario::load_text(kBase, "engine test");
  c.output = dir / "a.h5";
  c.conduct = quiet();
  c.radial = true;
  c.shapley = true;
  CHECK_THROWS_WITH(study::attribute(c, study::Processes()), Catch::Contains("drop --radial"));
  c.radial = false;
  c.shapley = false;
  c.outcomes = {"risk"};
  CHECK_THROWS_WITH(study::attribute(c, study::Processes()), Catch::Contains("'risk' is not an outcome"));
  CHECK(!std::filesystem::exists(c.output));
}

TEST_CASE("attribute: extending an earlier look copies its runs, and gives the file made from scratch", "[study]") {
  // A sequential check's later look: the design of 2N rows begins with the runs of the design of N
  // rows (runner::PickFreezeSet), so they are copied from the earlier file instead of made again.
  const ScratchDir dir("engine-extend");
  const std::string with_factors =
      "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\", \"closed\"]\n"
      "[[sweep.factor]]\nkey = \"research.spill_probability\"\nfrom = 0.0\nto = 0.5\nnum = 3\n";
  for (const bool factors : {false, true}) {
    CAPTURE(factors);
    // Without factors, two tracked researchers as well as the labs; with them, no researchers
    // (the roster is the same in every row, but attribute asks for groups only then).
    const std::string text = std::string(kBase) + (factors ? with_factors : std::string()) +
                             "[attribution]\nbootstrap = 100\nshapley = true\nresearchers = " +
                             (factors ? "\"none\"\n" : "\"top_talent:2\"\n");
    const auto attribution = [&](std::uint64_t rows, const std::string& name, const std::filesystem::path& extend) {
      study::AttributeConfig c;
      c.scenario = scenario::load_text(text, "engine test");
      c.output = dir / name;
      c.outcomes = {"capability", "xrisk"};
      c.rows = rows;
      c.extend = extend;
      c.conduct = quiet();
      c.conduct.threads = 2;
      const study::AttributionResult r = study::attribute(c, study::Processes());
      REQUIRE(r.status == study::PipelineStatus::written);
      return r;
    };
    const std::string tag = factors ? "f" : "g";
    const study::AttributionResult first = attribution(8, tag + "8.h5", {});
    const study::AttributionResult scratch = attribution(16, tag + "16-scratch.h5", {});
    const study::AttributionResult extended = attribution(16, tag + "16-extended.h5", dir / (tag + "8.h5"));
    const std::uint64_t matrices = first.runs / 8;
    CHECK(first.copied == 0);
    CHECK(extended.copied == matrices * 8);
    CHECK(extended.runs == matrices * 16);
    CHECK(extended.report.runs_completed == matrices * 8);  // only the new rows were made
    CHECK(scratch.report.runs_completed == matrices * 16);
    // The Shapley design is made in memory in full at every look, and recorded as extra runs.
    CHECK(extended.extra_runs > 0);
    CHECK(extended.extra_runs == scratch.extra_runs);
    CHECK(first.extra_runs * 2 == extended.extra_runs);
    CHECK(output::Hdf5Reader(dir / (tag + "16-extended.h5")).uint64_attribute("extra_runs", "/attribution") ==
          extended.extra_runs);
    // Every dataset the same bits (the copied runs' wall times are those of the earlier file).
    std::vector<std::string> names;
    for (const std::string& d : output::Hdf5Reader(dir / (tag + "16-scratch.h5")).dataset_paths()) {
      if (d != "/runs/wall_seconds") names.push_back(d);
    }
    CHECK(names.size() > 20);
    const auto difference = output::compare_datasets(dir / (tag + "16-scratch.h5"), dir / (tag + "16-extended.h5"), names);
    CHECK(!difference.has_value());
    if (difference) FAIL_CHECK(difference->dataset << ": " << difference->description);
    // The earlier file's rows are the first rows of every matrix.
    const output::Hdf5Reader small(dir / (tag + "8.h5"));
    const output::Hdf5Reader large(dir / (tag + "16-extended.h5"));
    const std::vector<double> y8 = small.read_float64("/outcomes/capability");
    const std::vector<double> y16 = large.read_float64("/outcomes/capability");
    for (std::uint64_t m = 0; m < matrices; ++m) {
      for (std::uint64_t row = 0; row < 8; ++row) CHECK(y16[m * 16 + row] == y8[m * 8 + row]);
    }
  }
}

TEST_CASE("attribute: an earlier look of another design is refused, naming the file and the difference", "[study]") {
  const ScratchDir dir("engine-extend-refuse");
  const auto config = [&](const std::string& extra, std::uint64_t rows, const std::string& name) {
    study::AttributeConfig c;
    c.scenario = scenario::load_text(std::string(kBase) + "[attribution]\nbootstrap = 50\nresearchers = \"none\"\n" + extra,
                                     "engine test");
    c.output = dir / name;
    c.outcomes = {"capability"};
    c.rows = rows;
    c.conduct = quiet();
    return c;
  };
  REQUIRE(study::attribute(config("", 8, "a8.h5"), study::Processes()).status == study::PipelineStatus::written);
  study::AttributeConfig same_rows = config("", 8, "b.h5");
  same_rows.extend = dir / "a8.h5";
  CHECK_THROWS_WITH(study::attribute(same_rows, study::Processes()),
                    Catch::Contains("a8.h5: not an earlier look") && Catch::Contains("8 rows, not fewer"));
  study::AttributeConfig other_groups = config("[[attribution.group]]\nname = \"g\"\nmembers = [\"labs\"]\n", 16, "c.h5");
  other_groups.extend = dir / "a8.h5";
  CHECK_THROWS_WITH(study::attribute(other_groups, study::Processes()), Catch::Contains("scenario_resolved differs"));
  study::AttributeConfig other_seed = config("", 16, "d.h5");
  other_seed.scenario = scenario::load_text(std::string(kBase) + "[attribution]\nbootstrap = 50\nresearchers = \"none\"\n",
                                            "engine test", {"run.seed=5"});
  other_seed.extend = dir / "a8.h5";
  CHECK_THROWS_WITH(study::attribute(other_seed, study::Processes()), Catch::Contains("differs"));
  study::AttributeConfig sharded = config("", 16, "e.h5");
  sharded.extend = dir / "a8.h5";
  sharded.shard = study::Shard{0, 2};
  CHECK_THROWS_WITH(study::attribute(sharded, study::Processes()), Catch::Contains("not with --shard"));
  // A file of a normsim whose designs were not nested (no /attribution attribute extra_runs).
  study::AttributeConfig older = config("", 16, "f.h5");
  std::filesystem::copy_file(dir / "a8.h5", dir / "old8.h5");
  output::write_attribution(dir / "old8.h5", {});
  older.extend = dir / "old8.h5";
  CHECK_THROWS_WITH(study::attribute(older, study::Processes()), Catch::Contains("designs were not nested"));
  for (const char* name : {"b.h5", "c.h5", "d.h5", "e.h5", "f.h5"}) CHECK(!std::filesystem::exists(dir / name));
}

TEST_CASE("check: a sequential attribution claim's looks extend each other and cost the last look's runs", "[study]") {
  const ScratchDir dir("engine-looks");
  const std::string text = std::string(kBase) + "[attribution]\nrows = 16\nbootstrap = 200\nresearchers = \"none\"\n";
  // The first look alone, to place the claim's value 1.3 standard errors above the total index
  // of a group (the one with the largest standard error whose value stays in [0, 1]): undecided
  // at the first look (its interval reaches 2.17 standard errors at level 1 − α·6/π²), but off
  // the value, so more rows may decide it.
  study::AttributeConfig a;
  a.scenario = scenario::load_text(text, "engine test");
  a.output = dir / "first.h5";
  a.outcomes = {"capability"};
  a.conduct = quiet();
  const study::AttributionResult first = study::attribute(a, study::Processes());
  REQUIRE(first.status == study::PipelineStatus::written);
  const output::AttributionTable& table = first.tables.at(0);
  const output::IndexColumn& total = table.indices.at(1);
  REQUIRE(total.name == "total");
  std::size_t g = total.se.size();
  for (std::size_t k = 0; k < total.se.size(); ++k) {
    const double v = total.estimate[k] + 1.3 * total.se[k];
    if (total.se[k] > 0 && v > 0 && v < 1 && (g == total.se.size() || total.se[k] > total.se[g])) g = k;
  }
  REQUIRE(g < total.se.size());
  const double value = total.estimate[g] + 1.3 * total.se[g];
  study::CheckConfig c;
  c.scenario = scenario::load_text(text + "[[claims]]\nid = \"small\"\nstatement = \"s\"\nquantity = \"index\"\n"
                                          "index = \"total\"\nfactor = \"" + table.labels.at(g) +
                                          "\"\noutcome = \"capability\"\ncompare = \"<\"\nvalue = " +
                                          fmt::format("{:.17g}", value) + "\n",
                                   "engine test");
  c.output = dir / "check.h5";
  c.conduct = quiet();
  c.sequential.until_decided = true;
  c.sequential.max_runs = 200000;
  const study::CheckResult r = study::check(c, study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  // Looks 2, 3, … extended the one before: the last has all the rows, and every earlier look's runs.
  std::uint64_t looks = 1;
  while (std::filesystem::exists(dir / fmt::format("check.look-{}.attribution.h5", looks + 1))) ++looks;
  REQUIRE(looks >= 2);
  const std::filesystem::path last = dir / fmt::format("check.look-{}.attribution.h5", looks);
  const output::Hdf5Reader last_file(last);
  const std::uint64_t rows = last_file.shape("/replicate").at(0);
  const std::uint64_t matrices = last_file.shape("/point").at(0);
  CHECK(rows == 16U << (looks - 1));
  const output::Hdf5Reader file(c.output);
  CHECK(file.read_int64("/claims/small/runs").at(0) == static_cast<std::int64_t>(matrices * rows));
  CHECK(file.number_attribute("runs", "/claims") == static_cast<double>(20 + matrices * rows));
  // The same file as an attribution of that many rows made from scratch.
  a.output = dir / "scratch.h5";
  a.rows = rows;
  REQUIRE(study::attribute(a, study::Processes()).status == study::PipelineStatus::written);
  std::vector<std::string> outcomes;
  for (const std::string& d : last_file.dataset_paths()) {
    if (d.rfind("/outcomes/", 0) == 0) outcomes.push_back(d);
  }
  const auto difference = output::compare_datasets(last, dir / "scratch.h5", outcomes);
  CHECK(!difference.has_value());

  // Resuming the check over a look of a normsim before nested designs (no /attribution attribute
  // extra_runs) is refused: its runs cannot be extended.
  output::write_attribution(dir / "check.attribution.h5", {});
  study::CheckConfig resumed = c;
  resumed.resume = true;
  CHECK_THROWS_WITH(study::check(resumed, study::Processes()),
                    Catch::Contains("check.attribution.h5") && Catch::Contains("designs were not nested"));

  // With a budget too small for a second look (it costs the first look's runs), the entry is
  // beyond the budget: what it needs is counted in rows, what is left in runs.
  const std::uint64_t first_runs = matrices * 16;
  c.output = dir / "small-budget.h5";
  c.sequential.max_runs = 20 + first_runs + first_runs / 2;
  const study::CheckResult small = study::check(c, study::Processes());
  REQUIRE(small.status == study::PipelineStatus::written);
  CHECK(!std::filesystem::exists(dir / "small-budget.look-2.attribution.h5"));
  const output::Hdf5Reader small_file(c.output);
  CHECK(small_file.read_int64("/claims/small/runs").at(0) == static_cast<std::int64_t>(first_runs));
  CHECK(small_file.read_float64("/claims/small/n_needed").at(0) > 16);
  CHECK(small_file.read_int64("/claims/small/prospect").at(0) == 2);  // beyond the budget
}

TEST_CASE("check: verdicts of claims as values", "[study]") {
  const ScratchDir dir("engine-check");
  study::CheckConfig c;
  c.scenario = scenario::load_text(std::string(kBase) +
                                       "[[claims]]\nid = \"bounded\"\nstatement = \"x-risk is a probability\"\n"
                                       "quantity = \"mean\"\noutcome = \"xrisk\"\ncompare = \"<\"\nvalue = 1.5\n",
                                   "engine test");
  c.output = dir / "check.h5";
  c.conduct = quiet();
  const study::CheckResult r = study::check(c, study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  REQUIRE(r.claims.size() == 1);
  CHECK(r.claims[0].overall == analysis::Verdict::holds);
  CHECK(r.claims[0].formula == "mean(xrisk) < 1.5");
  CHECK(r.claims[0].counts[0] == 1);
  const output::Hdf5Reader file(c.output);
  CHECK(file.read_float64("/claims/bounded/estimate") == r.claims[0].result.estimate);

  c.scenario = scenario::load_text(kBase, "no claims");
  CHECK_THROWS_WITH(study::check(c, study::Processes()), Catch::Contains("has no [[claims]]"));
}
