// The engine functions as programs call them (the CLI, the Python module): run, attribute at a
// level other than 95 %, check. The level an attribution uses is the level every table records.
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/attribute.hpp"
#include "study/check.hpp"
#include "study/errors.hpp"
#include "study/run.hpp"

#include <catch2/catch.hpp>

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
