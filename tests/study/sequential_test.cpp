// normsim check's error guarantees checked by simulation on the model itself (issue 12): maps of
// points whose truth sits exactly on the claimed value (the right verdict is inconclusive
// everywhere), checked family-wise with fixed replicates and sequentially; and a claim that a fixed
// design leaves undecided, decided by --until-decided within its budget, with the same runs a plain
// run gives for those replicates.
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/check.hpp"
#include "study/run.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <numeric>

using namespace normsim;
using normsim::test::ScratchDir;

namespace {

// A small model; adaptation off, so that adaptation.weight_prestige changes nothing: every point
// of a sweep over it is the same model with its own keys.
// Hazards scaled down with the field, so that x-risk is of the baseline's order (mean ≈ 0.3).
constexpr const char* kModel =
    "[labs]\nsizes = [5, 4, 3]\n[world]\nsteps = 60\n[adaptation]\nenabled = false\n"
    "[hazard]\ndanger_capability = 10.0\ntransformative_capability = 100.0\n";

/// A double as TOML, exactly.
std::string fmt_value(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

study::Conduct quiet() {
  study::Conduct c;
  c.quiet = true;
  c.handle_signals = false;
  return c;
}

/// Mean x-risk of the model from `runs` runs (its truth, up to a standard error we return too).
std::pair<double, double> true_mean(const ScratchDir& dir, std::uint64_t runs) {
  study::RunConfig r;
  r.scenario = scenario::load_text(std::string(kModel) + "[run]\nreplicates = " + std::to_string(runs) + "\nseed = 999\n",
                                   "truth");
  r.output = dir / "truth.h5";
  r.series = false;
  r.conduct = quiet();
  REQUIRE(study::run(r, study::Processes()).status == study::PipelineStatus::written);
  const std::vector<double> x = output::Hdf5Reader(r.output).read_float64("/outcomes/xrisk");
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()))};
}

std::string null_map(int points, int replicates, int seed, double value, const char* error) {
  return std::string(kModel) + "[run]\nreplicates = " + std::to_string(replicates) + "\nseed = " + std::to_string(seed) +
         "\n[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"adaptation.weight_prestige\"\nfrom = 0.0\nto = 1.0\n"
         "num = " + std::to_string(points) + "\n[[claims]]\nid = \"null\"\nstatement = \"at the truth\"\n"
         "quantity = \"mean\"\noutcome = \"xrisk\"\ncompare = \"<\"\nvalue = " + fmt_value(value) + "\nerror = \"" +
         error + "\"\n";
}

}  // namespace

// The rate of maps with at least one wrong verdict, over `seeds` maps of the model at its truth.
TEST_CASE("family-wise maps and sequential checks keep the rate of wrong verdicts at the boundary within α",
          "[study][claims][slow]") {
  const ScratchDir dir("sequential-null");
  const auto [truth, truth_se] = true_mean(dir, 100000);
  INFO("true mean x-risk " << truth << " ± " << truth_se);
  const int seeds = 60;
  // One-sided binomial bound on the observed rate of wrong maps for a true rate α = 0.05.
  const double bound = 0.05 + 3 * std::sqrt(0.05 * 0.95 / seeds);
  for (const bool sequential : {false, true}) {
    int wrong = 0;
    std::uint64_t runs = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      study::CheckConfig c;
      c.scenario = scenario::load_text(null_map(sequential ? 5 : 20, 50, seed, truth, "family_wise"), "null map");
      c.output = dir / "null.h5";
      c.overwrite = true;
      c.sequential.until_decided = sequential;
      c.sequential.max_runs = 4000;
      if (!sequential) c.sequential.max_runs = 0;
      c.conduct = quiet();
      const study::CheckResult r = study::check(c, study::Processes());
      REQUIRE(r.status == study::PipelineStatus::written);
      // At the truth (to within its standard error, far below the intervals' widths), every
      // "holds" and every "fails" is wrong.
      wrong += r.claims[0].counts[0] + r.claims[0].counts[1] > 0 ? 1 : 0;
      runs += r.runs;
    }
    INFO((sequential ? "sequential" : "fixed") << ": " << wrong << " of " << seeds << " maps wrong; " << runs << " runs");
    CHECK(wrong / static_cast<double>(seeds) <= bound);
    if (sequential) CHECK(runs > seeds * 5 * 50U);  // the check did spend more runs than the first round
  }
}

TEST_CASE("a sequential check (--until-decided) decides a claim a fixed design leaves open, with the runs of a plain run", "[study][claims]") {
  const ScratchDir dir("sequential-decide");
  const auto [truth, truth_se] = true_mean(dir, 20000);
  // A value 0.4 standard deviations of one run above the truth: undecided at 50 replicates.
  study::RunConfig probe;
  probe.scenario = scenario::load_text(std::string(kModel) + "[run]\nreplicates = 50\n", "probe");
  probe.output = dir / "probe.h5";
  probe.series = false;
  probe.conduct = quiet();
  REQUIRE(study::run(probe, study::Processes()).status == study::PipelineStatus::written);
  const double sd = truth_se * std::sqrt(20000.0);
  const double value = truth + 0.4 * sd;
  const std::string text = std::string(kModel) + "[run]\nreplicates = 50\nseed = 3\n[[claims]]\nid = \"below\"\n"
                           "statement = \"below\"\nquantity = \"mean\"\noutcome = \"xrisk\"\ncompare = \"<\"\nvalue = " +
                           fmt_value(value) + "\n";
  study::CheckConfig fixed;
  fixed.scenario = scenario::load_text(text, "decide");
  fixed.output = dir / "fixed.h5";
  fixed.conduct = quiet();
  const study::CheckResult f = study::check(fixed, study::Processes());
  REQUIRE(f.claims.size() == 1);
  CHECK(f.claims[0].overall == analysis::Verdict::inconclusive);

  study::CheckConfig seq = fixed;
  seq.output = dir / "seq.h5";
  seq.sequential.until_decided = true;
  seq.sequential.max_runs = 20000;
  const study::CheckResult s = study::check(seq, study::Processes());
  REQUIRE(s.status == study::PipelineStatus::written);
  CHECK(s.claims[0].overall == analysis::Verdict::holds);
  CHECK(s.runs <= 20000);
  CHECK(!s.rounds.empty());
  const output::Hdf5Reader file(seq.output);
  CHECK(file.string_attribute("mode", "/claims/below") == "sequential");
  const auto n = file.read_float64("/claims/below/n");
  const auto runs = file.read_int64("/claims/below/runs");
  CHECK(static_cast<double>(runs[0]) == n[0]);
  // What the whole check cost: every run of its rounds, and its wall time from start to verdicts
  // (at least the first runs' alone).
  CHECK(file.number_attribute("runs", "/claims") == static_cast<double>(s.runs));
  CHECK(file.number_attribute("wall_seconds", "/claims") >= file.number_attribute("wall_seconds"));
  // The replicates of the rounds are those a plain run with that many replicates makes.
  study::RunConfig plain;
  plain.scenario = scenario::load_text(text, "decide", {"run.replicates=" + std::to_string(static_cast<int>(n[0]))});
  plain.output = dir / "plain.h5";
  plain.series = false;
  plain.conduct = quiet();
  REQUIRE(study::run(plain, study::Processes()).status == study::PipelineStatus::written);
  const std::vector<double> all = output::Hdf5Reader(plain.output).read_float64("/outcomes/xrisk");
  double mean = 0;
  for (const double v : all) mean += v;
  CHECK(file.read_float64("/claims/below/estimate")[0] == Approx(mean / static_cast<double>(all.size())).epsilon(1e-12));
}
