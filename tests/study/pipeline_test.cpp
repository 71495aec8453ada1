// The journalled pipeline (study/journaled.hpp) that run and attribute share: a whole run, a run
// resumed from a partial journal, shards combined, and the refusals that protect existing files.
#include "output/error.hpp"
#include "output/hdf5_reader.hpp"
#include "output/journal.hpp"
#include "runner/execute.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/journaled.hpp"
#include "study/run.hpp"
#include "study/setup.hpp"

#include <catch2/catch.hpp>

using namespace normsim;
using normsim::test::ScratchDir;

namespace {

constexpr const char* kScenario =
    "[labs]\nsizes = [5, 4]\n[world]\nsteps = 25\n[run]\nreplicates = 6\nseed = 9\n"
    "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"research.spill_probability\"\nvalues = [0.1, 0.5]\n";

/// The pipeline of `normsim run` for `base` into `out`, one process.
study::Pipeline pipeline_for(const scenario::Scenario& base, const runner::RunSet& set, const std::filesystem::path& out) {
  study::Pipeline p;
  p.set = &set;
  p.layout = study::make_layout(base, true);
  p.header = study::make_journal_header(base, p.layout);
  p.provenance = study::make_provenance(base, "pipeline test", "test.toml");
  p.output = out;
  p.journal = study::journal_path(out, 0, 1);
  p.journals = {p.journal};
  return p;
}

study::Conduct quiet() {
  study::Conduct c;
  c.threads = 2;
  c.quiet = true;
  c.handle_signals = false;
  return c;
}

/// Every outcome and series of a run file as bytes, for bit comparison (series hold NaN after a
/// run stopped, which == on doubles would never match).
std::vector<std::string> contents(const std::filesystem::path& file) {
  const output::Hdf5Reader r(file);
  std::vector<std::string> out;
  for (const std::string& d : r.dataset_paths()) {
    if (d.rfind("/outcomes/", 0) != 0 && d.rfind("/series/", 0) != 0) continue;
    const std::vector<double> v = r.read_float64(d);
    out.emplace_back(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  }
  return out;
}

}  // namespace

TEST_CASE("pipeline: a whole run, a resumed run and shards give the same file", "[study][pipeline]") {
  const ScratchDir dir("pipeline");
  const scenario::Scenario base = scenario::load_text(kScenario, "pipeline test");
  const std::unique_ptr<runner::SweepSet> set = study::make_run_set(base);
  const study::Processes one;

  const study::Pipeline whole = pipeline_for(base, *set, dir / "whole.h5");
  const study::PipelineResult w = study::run_pipeline(whole, quiet(), one);
  REQUIRE(w.status == study::PipelineStatus::written);
  CHECK(w.report.runs_completed == 12);
  CHECK(!std::filesystem::exists(whole.journal));  // finalized journals are deleted
  const auto expected = contents(whole.output);
  REQUIRE(!expected.empty());

  SECTION("resumed from a journal that holds some runs") {
    study::Pipeline p = pipeline_for(base, *set, dir / "resumed.h5");
    {
      // An interrupted run: runs 0, 3, 7 and 11 journalled, then the process died.
      output::JournalWriter journal(p.journal, p.header, output::JournalMode::create);
      const runner::SubsetSet some(*set, {0, 3, 7, 11});
      runner::ExecutionOptions options;
      options.record.series = true;
      (void)runner::execute(some, journal, options);
      journal.flush();
    }
    CHECK_THROWS_AS(study::run_pipeline(p, quiet(), one), output::OutputExists);  // a journal needs resume
    p.resume = true;
    const study::PipelineResult r = study::run_pipeline(p, quiet(), one);
    REQUIRE(r.status == study::PipelineStatus::written);
    CHECK(r.already == 4);
    CHECK(r.report.runs_completed == 8);
    CHECK(contents(p.output) == expected);
  }

  SECTION("two shards, then the file from their journals") {
    std::vector<std::filesystem::path> journals;
    for (std::uint64_t i = 0; i < 2; ++i) {
      study::Pipeline p = pipeline_for(base, *set, dir / "sharded.h5");
      p.sharded = true;
      p.shard = {i, 2};
      p.journal = dir / ("shard-" + std::to_string(i) + ".journal");
      journals.push_back(p.journal);
      const study::PipelineResult r = study::run_pipeline(p, quiet(), one);
      REQUIRE(r.status == study::PipelineStatus::shard_written);
      CHECK(r.report.runs_completed == 6);
      CHECK(!std::filesystem::exists(p.output));  // a shard writes its journal only
    }
    study::Pipeline combine = pipeline_for(base, *set, dir / "sharded.h5");
    combine.from_shards = true;
    combine.journals = journals;
    const study::PipelineResult r = study::run_pipeline(combine, quiet(), one);
    REQUIRE(r.status == study::PipelineStatus::written);
    CHECK(r.report.runs_completed == 0);
    CHECK(contents(combine.output) == expected);
    const output::Hdf5Reader file(combine.output);
    CHECK(file.number_attribute("processes") == 2);
  }

  SECTION("a journal written by a build whose numbers differ is neither resumed nor merged") {
    // Builds before the model's bits revision entered the journal's identity wrote the scenario's
    // identity alone; any other revision or math implementation gives another identity too.
    CHECK(whole.header.sweep_id == (scenario::sweep_identity(base) ^ study::numerics_identity()));
    CHECK(study::numerics_identity() != 0);
    study::Pipeline p = pipeline_for(base, *set, dir / "older.h5");
    output::JournalHeader older = p.header;
    older.sweep_id = scenario::sweep_identity(base);
    {
      output::JournalWriter journal(p.journal, older, output::JournalMode::create);
      const runner::SubsetSet some(*set, {0, 5});
      runner::ExecutionOptions options;
      options.record.series = true;
      (void)runner::execute(some, journal, options);
      journal.flush();
    }
    p.resume = true;
    CHECK_THROWS_WITH(study::run_pipeline(p, quiet(), one), Catch::Contains("build whose numbers differ"));
    CHECK(!std::filesystem::exists(p.output));
    CHECK_THROWS_WITH(study::merge({p.journal}, dir / "merged.h5", false, true, "pipeline test"),
                      Catch::Contains("build whose numbers differ"));
    CHECK(!std::filesystem::exists(dir / "merged.h5"));
  }

  SECTION("an existing file is refused unless overwrite, and then replaced") {
    study::Pipeline again = pipeline_for(base, *set, whole.output);
    CHECK_THROWS_AS(study::run_pipeline(again, quiet(), one), output::OutputExists);
    again.overwrite = true;
    CHECK(study::run_pipeline(again, quiet(), one).status == study::PipelineStatus::written);
    CHECK(contents(whole.output) == expected);
  }
}

TEST_CASE("pipeline: progress goes to the caller's callback, messages to its note", "[study][pipeline]") {
  const ScratchDir dir("pipeline-progress");
  const scenario::Scenario base = scenario::load_text(kScenario, "pipeline test");
  const std::unique_ptr<runner::SweepSet> set = study::make_run_set(base);
  study::Pipeline p = pipeline_for(base, *set, dir / "out.h5");
  std::uint64_t announced = 99;
  p.announce = [&](std::uint64_t already) { announced = already; };
  study::Conduct c = quiet();
  c.quiet = false;
  std::uint64_t last = 0;
  std::uint64_t calls = 0;
  c.progress = [&](std::uint64_t done, std::uint64_t total) {
    CHECK(done > last);
    CHECK(total == 12);
    last = done;
    ++calls;
  };
  REQUIRE(study::run_pipeline(p, c, study::Processes()).status == study::PipelineStatus::written);
  CHECK(announced == 0);
  CHECK(last == 12);
  CHECK(calls == 12);
}
