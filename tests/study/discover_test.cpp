// study::discover, as the CLI calls it: failure regions the model's own structure plants are found
// on the right side of the right assumption; the paired runs of a mean_difference share keys within
// a point (and are the scenario's own runs of the versus norm) and not across points; an interrupted
// discovery resumed, and one on 1 or 2 threads, gives the same file bit for bit.
#include "output/error.hpp"
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "scratch_dir.hpp"
#include "study/discover.hpp"
#include "study/errors.hpp"
#include "study/run.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <numeric>

using namespace normsim;
using normsim::test::ScratchDir;

namespace {

constexpr const char* kLabs = "[labs]\nsizes = [8, 6, 4]\n[world]\nsteps = 60\n";

// Mean x-risk falls as the capability at which danger is one half (C_d) rises; the screen's rates do
// nothing under the open norm (every result may be published, flagged or not). "x-risk < 0.1" fails
// exactly at small C_d.
constexpr const char* kDanger = R"([run]
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
key = "research.screen_false_positive"
from = 0.0
to = 1.0
[[claims]]
id = "low-risk"
statement = "x-risk stays below 0.1"
quantity = "mean"
outcome = "xrisk"
compare = "<"
value = 0.1
)";

// Withholding interpretability removes published interpretability results at the rate labs comply:
// the paired drop of the published fraction grows with norm.compliance, so "the drop is less than
// 0.1" fails exactly at high compliance. Flags and the hazard's basis do nothing to publishing.
constexpr const char* kCompliance = R"([run]
replicates = 30
seed = 2
[sweep]
design = "latin_hypercube"
points = 200
seed = 5
[[sweep.factor]]
key = "norm.compliance"
from = 0.0
to = 1.0
[[sweep.factor]]
key = "research.screen_sensitivity"
from = 0.0
to = 1.0
[[sweep.factor]]
key = "hazard.basis"
values = ["progress", "time"]
[[claims]]
id = "little-withheld"
statement = "withholding interpretability removes less than 0.1 of the published fraction"
quantity = "mean_difference"
norm = "no_interpretability"
versus = "open"
outcome = "published_fraction"
compare = ">"
value = -0.1
)";

study::DiscoverConfig config(const std::string& text, const std::filesystem::path& output,
                             const std::vector<std::string>& overrides = {}) {
  study::DiscoverConfig c;
  c.scenario = scenario::load_text(std::string(kLabs) + text, "discover test", overrides);
  c.output = output;
  c.conduct.quiet = true;
  c.conduct.handle_signals = false;
  c.conduct.threads = 2;
  return c;
}

/// The column of a sweep factor at the points (as /discovery/<claim>/points/design holds it).
std::vector<double> design_column(const output::DiscoveryTable& t, const std::string& key) {
  for (const output::DesignFactor& f : t.design) {
    if (f.name == key) return f.values;
  }
  FAIL("no design column " << key);
  return {};
}

/// Index of an assumption in the table.
std::uint64_t dimension_of(const output::DiscoveryTable& t, const std::string& key) {
  const auto it = std::find(t.dimension_names.begin(), t.dimension_names.end(), key);
  REQUIRE(it != t.dimension_names.end());
  return static_cast<std::uint64_t>(it - t.dimension_names.begin());
}

/// Checks that box 1 restricts exactly `key` on `side` (0 low: x ≥ limit, 1 high: x ≤ limit), stably,
/// and that the points on the box's side of the limit are mostly of interest and those on the other
/// side mostly not (the limit separates failing from holding points).
void check_planted(const output::DiscoveryTable& t, const std::string& key, std::int8_t side) {
  REQUIRE(t.accepted >= 1);
  const output::DiscoveryBox& b = t.boxes.front();
  INFO("restrictions: " << [&] {
    std::string s;
    for (const std::string& x : b.text) s += x + "; ";
    return s;
  }());
  REQUIRE(b.dimension == std::vector<std::uint64_t>{dimension_of(t, key)});
  REQUIRE(b.side == std::vector<std::int8_t>{side});
  CHECK(b.frequency[0] >= 0.8);  // stable: the label the PRIM tests use
  CHECK(b.p_value <= 0.05);
  CHECK(b.box_density > t.base_rate);
  const std::vector<double> x = design_column(t, key);
  double inside = 0, inside_interest = 0, outside = 0, outside_interest = 0;
  for (std::size_t p = 0; p < x.size(); ++p) {
    const bool in = side == 0 ? x[p] >= b.limit[0] : x[p] <= b.limit[0];
    (in ? inside : outside) += 1;
    (in ? inside_interest : outside_interest) += t.interest[p];
  }
  CHECK(inside_interest / inside >= 0.8);
  CHECK(outside_interest / outside <= 0.2);
}

}  // namespace

TEST_CASE("discover: a mean claim fails where the model plants it, on the right side of C_d", "[study][discover]") {
  const ScratchDir dir("discover-mean");
  const study::DiscoverResult r = study::discover(config(kDanger, dir / "d.h5"), study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  check_planted(r.table, "hazard.danger_capability", 1);
  // C_d is a log-scale factor: PRIM searched ln(C_d), the limit is stored in capability units.
  CHECK(r.table.dimension_scales[dimension_of(r.table, "hazard.danger_capability")] == "log");
  CHECK(r.table.boxes.front().limit[0] > 10.0);
  CHECK(r.table.boxes.front().limit[0] < 10000.0);
  // The stored points are the claim at each point: the mean of the point's runs.
  const output::Hdf5Reader file(dir / "d.h5");
  const std::vector<double> xrisk = file.read_float64("/outcomes/xrisk");
  REQUIRE(xrisk.size() == 200 * 8);
  for (std::size_t p = 0; p < 200; p += 37) {
    const double mean = std::accumulate(xrisk.begin() + static_cast<std::ptrdiff_t>(8 * p),
                                        xrisk.begin() + static_cast<std::ptrdiff_t>(8 * p + 8), 0.0) / 8;
    CHECK(r.table.estimate[p] == Approx(mean).epsilon(1e-12));
    CHECK(r.table.interest[p] == (mean < 0.1 ? 0.0 : 1.0));
  }
  CHECK(file.read_float64("/discovery/low-risk/points/estimate") == r.table.estimate);
}

TEST_CASE("discover: a norm difference fails where compliance plants it, each point's norms paired",
          "[study][discover]") {
  const ScratchDir dir("discover-pairs");
  const study::DiscoverResult r = study::discover(config(kCompliance, dir / "c.h5"), study::Processes());
  REQUIRE(r.status == study::PipelineStatus::written);
  check_planted(r.table, "norm.compliance", 0);
  const output::Hdf5Reader file(dir / "c.h5");
  // 2P rows: point p under no_interpretability at 2p, under open at 2p + 1.
  CHECK(file.shape("/outcomes/published_fraction") == std::vector<std::uint64_t>{400, 30});
  CHECK(file.string_array_attribute("labels", "/design/norm.preset") ==
        std::vector<std::string>{"no_interpretability", "open"});
  const std::vector<std::int64_t> norm = file.read_int64("/design/norm.preset");
  const std::vector<double> point = file.read_float64("/design/sweep_point");
  for (std::size_t q = 0; q < 400; ++q) {
    CHECK(norm[q] == static_cast<std::int64_t>(q % 2));
    CHECK(point[q] == static_cast<double>(q / 2));
  }
  const std::vector<double> published = file.read_float64("/outcomes/published_fraction");
  for (std::size_t p = 0; p < 200; p += 41) {
    double sum = 0;
    for (std::size_t k = 0; k < 30; ++k) sum += published[2 * p * 30 + k] - published[(2 * p + 1) * 30 + k];
    CHECK(r.table.estimate[p] == Approx(sum / 30).epsilon(1e-12));
  }
}

TEST_CASE("discover: the two norms of a point share its keys, which are the scenario's own, and points differ",
          "[study][discover]") {
  // At compliance 0 no lab obeys either norm: the two runs of a replicate are the same run, bit for bit.
  // The versus norm (open) is the scenario's own, so its rows are the scenario's runs of `normsim run`.
  // Points differ only in flags nobody reads: their runs differ through their keys alone, unless
  // sweep.common_keys gives every point the same keys.
  const ScratchDir dir("discover-keys");
  const std::vector<std::string> obey_nobody{"norm.compliance=0", "run.replicates=6", "sweep.points=8",
                                             "sweep.factor=[{key = \"research.screen_sensitivity\", from = 0.0, to = 1.0}]"};
  study::DiscoverConfig c = config(kCompliance, dir / "k.h5", obey_nobody);
  REQUIRE(study::discover(c, study::Processes()).status == study::PipelineStatus::written);
  study::RunConfig run;
  run.scenario = c.scenario;
  run.output = dir / "run.h5";
  run.series = false;
  run.conduct = c.conduct;
  REQUIRE(study::run(run, study::Processes()).status == study::PipelineStatus::written);
  const output::Hdf5Reader pairs(dir / "k.h5");
  const output::Hdf5Reader plain(dir / "run.h5");
  for (const char* outcome : {"/outcomes/xrisk", "/outcomes/capability", "/outcomes/published_fraction"}) {
    INFO(outcome);
    const std::vector<double> y = pairs.read_float64(outcome);
    const std::vector<double> scenario_runs = plain.read_float64(outcome);
    for (std::size_t p = 0; p < 8; ++p) {
      const auto row = [&](const std::vector<double>& v, std::size_t q) {
        return std::vector<double>(v.begin() + static_cast<std::ptrdiff_t>(q * 6),
                                   v.begin() + static_cast<std::ptrdiff_t>(q * 6 + 6));
      };
      CHECK(row(y, 2 * p) == row(y, 2 * p + 1));
      CHECK(row(y, 2 * p + 1) == row(scenario_runs, p));
      if (p > 0) CHECK(row(y, 2 * p) != row(y, 0));
    }
  }
  std::vector<std::string> common = obey_nobody;
  common.emplace_back("sweep.common_keys=true");
  REQUIRE(study::discover(config(kCompliance, dir / "common.h5", common), study::Processes()).status ==
          study::PipelineStatus::written);
  const std::vector<double> y = output::Hdf5Reader(dir / "common.h5").read_float64("/outcomes/xrisk");
  for (std::size_t q = 1; q < 16; ++q) {
    CHECK(std::equal(y.begin(), y.begin() + 6, y.begin() + static_cast<std::ptrdiff_t>(q * 6)));
  }
}

TEST_CASE("discover: interrupted and resumed, or on 1 or 2 threads, gives the same file", "[study][discover]") {
  const ScratchDir dir("discover-same");
  const std::vector<std::string> small{"sweep.points=60", "run.replicates=10"};
  study::DiscoverConfig whole = config(kCompliance, dir / "whole.h5", small);
  whole.conduct.threads = 1;
  REQUIRE(study::discover(whole, study::Processes()).status == study::PipelineStatus::written);
  study::DiscoverConfig two = config(kCompliance, dir / "two.h5", small);
  REQUIRE(study::discover(two, study::Processes()).status == study::PipelineStatus::written);
  // Stopped by a signal a third of the way (as Ctrl-C would), then resumed.
  study::DiscoverConfig stopped = config(kCompliance, dir / "resumed.h5", small);
  stopped.conduct.handle_signals = true;
  bool raised = false;
  stopped.conduct.progress = [&raised](std::uint64_t done, std::uint64_t total) {
    if (!raised && 3 * done >= total) {
      raised = true;
      std::raise(SIGINT);
    }
  };
  REQUIRE(study::discover(stopped, study::Processes()).status == study::PipelineStatus::interrupted);
  CHECK(std::filesystem::exists(dir / "resumed.h5.journal"));
  CHECK(!std::filesystem::exists(dir / "resumed.h5"));
  CHECK_THROWS_AS(study::discover(config(kCompliance, dir / "resumed.h5", small), study::Processes()),
                  output::OutputExists);  // a journal exists: resume or overwrite
  study::DiscoverConfig resumed = config(kCompliance, dir / "resumed.h5", small);
  resumed.resume = true;
  REQUIRE(study::discover(resumed, study::Processes()).status == study::PipelineStatus::written);
  // Resumed again on the finished file: no run, the same discovery.
  study::DiscoverConfig again = config(kCompliance, dir / "again.h5", small);
  std::filesystem::copy_file(dir / "whole.h5", dir / "again.h5");
  again.resume = true;
  REQUIRE(study::discover(again, study::Processes()).status == study::PipelineStatus::written);

  const output::Hdf5Reader reference(dir / "whole.h5");
  std::vector<std::string> compared;
  for (const std::string& d : reference.dataset_paths()) {
    if (d != "/runs/wall_seconds") compared.push_back(d);
  }
  REQUIRE(std::count_if(compared.begin(), compared.end(),
                        [](const std::string& d) { return d.rfind("/discovery/", 0) == 0; }) > 30);
  for (const char* other : {"two.h5", "resumed.h5", "again.h5"}) {
    INFO(other);
    const auto difference = output::compare_datasets(dir / "whole.h5", dir / other, compared);
    INFO((difference ? difference->dataset + ": " + difference->description : std::string()));
    CHECK(!difference);
  }
  // A finished file of another scenario is not taken for this one.
  study::DiscoverConfig other = config(kCompliance, dir / "whole.h5", {"sweep.points=61", "run.replicates=10"});
  other.resume = true;
  CHECK_THROWS_AS(study::discover(other, study::Processes()), study::InputError);
}
