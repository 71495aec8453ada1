// `locate` on the model: where mean x-risk crosses a value along hazard.max, against the crossing
// of a dense grid computed with many replicates (issue 13 §1's validation on the model; the
// coverage rate over seeds is validated on synthetic functions in tests/analysis/locate_*).
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/check.hpp"
#include "study/run.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

using namespace normsim;
using normsim::test::ScratchDir;

namespace {

constexpr const char* kModel =
    "[labs]\nsizes = [5, 4, 3]\n[world]\nsteps = 60\n[adaptation]\nenabled = false\n"
    "[hazard]\ndanger_capability = 10.0\ntransformative_capability = 100.0\n";

std::string number(double x) {
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

/// Mean x-risk at each of `levels` values of hazard.max in [from, to], `replicates` each, on common keys.
std::vector<double> dense_means(const ScratchDir& dir, double from, double to, int levels, int replicates) {
  study::RunConfig r;
  r.scenario = scenario::load_text(std::string(kModel) + "[run]\nreplicates = " + std::to_string(replicates) +
                                       "\nseed = 11\n[sweep]\ndesign = \"grid\"\ncommon_keys = true\n[[sweep.factor]]\n"
                                       "key = \"hazard.max\"\nfrom = " + number(from) + "\nto = " + number(to) +
                                       "\nnum = " + std::to_string(levels) + "\n",
                                   "dense grid");
  r.output = dir / "dense.h5";
  r.series = false;
  r.conduct = quiet();
  REQUIRE(study::run(r, study::Processes()).status == study::PipelineStatus::written);
  return output::Hdf5Reader(r.output).read_float64("/summary/xrisk/mean");
}

}  // namespace

TEST_CASE("locate brackets the crossing a dense grid finds, with fewer runs", "[study][claims][slow]") {
  const ScratchDir dir("locate-model");
  const double from = 0.02;
  const double to = 0.4;
  const int levels = 39;  // spacing 0.01
  const int replicates = 3000;
  const std::vector<double> dense = dense_means(dir, from, to, levels, replicates);
  // The value: the dense grid's mean x-risk half-way along the range, so that the crossing is inside.
  const double value = dense[static_cast<std::size_t>(levels / 2)] + 0.003;
  double crossing = std::nan("");
  for (int i = 0; i + 1 < levels; ++i) {
    if ((dense[static_cast<std::size_t>(i)] - value) * (dense[static_cast<std::size_t>(i) + 1] - value) <= 0) {
      const double x0 = from + i * (to - from) / (levels - 1);
      const double t = (value - dense[static_cast<std::size_t>(i)]) /
                       (dense[static_cast<std::size_t>(i) + 1] - dense[static_cast<std::size_t>(i)]);
      crossing = x0 + t * (to - from) / (levels - 1);
      break;
    }
  }
  REQUIRE(std::isfinite(crossing));

  study::CheckConfig c;
  c.scenario = scenario::load_text(
      std::string(kModel) +
          "[run]\nreplicates = 100\nseed = 11\n[sweep]\ndesign = \"grid\"\ncommon_keys = true\n[[sweep.factor]]\n"
          "key = \"hazard.max\"\nvalues = [" + number(from) + ", " + number((from + to) / 2) + ", " + number(to) +
          "]\n[[claims]]\nid = \"risk\"\nstatement = \"x-risk below the value\"\nquantity = \"mean\"\n"
          "outcome = \"xrisk\"\ncompare = \"<\"\nvalue = " + number(value) + "\nlocate = \"hazard.max\"\n",
      "locate test");
  c.output = dir / "locate.h5";
  c.conduct = quiet();
  const study::CheckResult r = study::check(c, study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  const output::Hdf5Reader file(c.output);
  const std::vector<std::int64_t> status = file.read_int64("/claims/risk/boundary/status");
  REQUIRE(status.size() == 1);
  CHECK(status[0] == 0);  // crosses once
  const double low = file.read_float64("/claims/risk/boundary/low")[0];
  const double high = file.read_float64("/claims/risk/boundary/high")[0];
  const double estimate = file.read_float64("/claims/risk/boundary/estimate")[0];
  INFO("dense-grid crossing " << crossing << ", located " << estimate << " [" << low << ", " << high << "]");
  // The dense grid's crossing carries its own error: its means' standard error over the slope,
  // here below a tenth of the grid spacing; allow four of them.
  const double slope = (dense.back() - dense.front()) / (to - from);
  const double se = 0.2 / std::sqrt(static_cast<double>(replicates)) / slope;  // x-risk sd < 0.2
  CHECK(crossing >= low - 4 * se);
  CHECK(crossing <= high + 4 * se);
  CHECK(estimate >= low);
  CHECK(estimate <= high);
  CHECK(high - low < (to - from) / 2);  // narrower than the grid's cell
  const auto runs = file.read_int64("/claims/risk/boundary/runs");
  CHECK(runs[0] < static_cast<std::int64_t>(levels) * replicates);
  CHECK(file.string_attribute("factor", "/claims/risk/boundary") == "hazard.max");
}
