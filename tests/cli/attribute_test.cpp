// `normsim attribute` end to end: the indices it stores, and the exact zeros of an entity that
// draws nothing.
#include "cli/support.hpp"
#include "output/hdf5_reader.hpp"
#include "output/schema.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

// Two small labs and one pinned researcher of talent 0 (rate 0: no draws at all).
constexpr const char* kScenario = R"(# small scenario for the attribution tests
[labs]
sizes = [8, 6]
interp_fraction = [0.25, 0.5]
[world]
steps = 40
[[individuals]]
lab = 1
focus = "interpretability"
talent = 0.0
[run]
seed = 5
)";

}  // namespace

TEST_CASE("attribute at a level other than 95 % says so in its table and its file", "[cli][attribution]") {
  const ScratchDir dir("attribute-level");
  dir.write("a.toml", kScenario);
  const auto r = run_normsim("attribute a.toml -o a.h5 --rows 16 --bootstrap 50 --outcomes xrisk --no-researchers "
                             "--set attribution.confidence=0.8",
                             dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("first-order S [80% CI]"));
  CHECK_THAT(r.out, Catch::Contains("total ST [80% CI]"));
  CHECK_THAT(r.out, !Catch::Contains("95% CI"));
  const Hdf5Reader file((dir / "a.h5").string());
  CHECK(file.number_attribute("confidence", "/attribution/xrisk") == 0.8);
  CHECK_THAT(file.string_attribute("ci", "/attribution/xrisk/total"), Catch::EndsWith(", 80 %"));
}

TEST_CASE("attribute stores first-order and total indices of every group and researcher", "[cli][attribution]") {
  const ScratchDir dir("attribute");
  dir.write("a.toml", kScenario);
  const auto r = run_normsim("attribute a.toml -o a.h5 --rows 32 --bootstrap 100 --outcomes xrisk,t_transform", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("top researchers by total index (of 15)"));
  CHECK_THAT(r.out, Catch::Contains("convergence: widest total-index CI"));
  const Hdf5Reader file((dir / "a.h5").string());
  // Groups: all labs, all researchers, 2 × (lab stream, lab researchers, whole lab), 15
  // researchers = 23; matrices A, B and one AB per group.
  CHECK(file.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{25, 32});
  const auto labels = file.string_array_attribute("labels", "/attribution/xrisk/factor");
  REQUIRE(labels.size() == 23);
  CHECK(labels[0] == "all labs");
  CHECK(labels[1] == "all researchers");
  const auto idle = std::find(labels.begin(), labels.end(), "individual 0 (lab 1, interpretability)");
  REQUIRE(idle != labels.end());
  const auto g = static_cast<std::size_t>(idle - labels.begin());
  for (const char* index : {"first_order", "total"}) {
    for (const char* column : {"estimate", "low", "high"}) {
      const auto values = file.read_float64(std::string("/attribution/xrisk/") + index + "/" + column);
      REQUIRE(values.size() == 23);
      INFO(index << "/" << column);
      CHECK(values[g] == 0.0);  // an entity without draws explains nothing, exactly
    }
  }
  // Every total index is a share of variance: non-negative (differences squared).
  const auto totals = file.read_float64("/attribution/xrisk/total/estimate");
  CHECK(std::all_of(totals.begin(), totals.end(), [](double v) { return v >= 0.0; }));
  // In 40 steps this small field never reaches transformative capability: t_transform is censored
  // at 40 in every run, a constant, which has no indices (said, and nothing stored).
  CHECK_THAT(r.out, Catch::Contains("t_transform: no variance over the design"));
  const auto paths = file.dataset_paths();
  // Every /attribution dataset is one the registry documents (with <outcome> and <index> filled in).
  for (const std::string& p : paths) {
    if (p.rfind("/attribution/", 0) != 0) continue;
    INFO(p);
    const bool documented = std::any_of(
        normsim::output::schema_entries().begin(), normsim::output::schema_entries().end(), [&](const auto& e) {
          if (e.per_factor != 3) return false;
          std::string pattern = e.path;
          for (const char* outcome : {"xrisk"}) {
            std::string a = pattern;
            a.replace(a.find("<table>"), 7, outcome);
            if (a == p) return true;
            if (a.find("<index>") == std::string::npos) continue;
            for (const char* index : {"first_order", "total"}) {
              std::string b = a;
              b.replace(b.find("<index>"), 7, index);
              if (b == p) return true;
            }
          }
          return false;
        });
    CHECK(documented);
  }
  CHECK(std::none_of(paths.begin(), paths.end(),
                     [](const std::string& p) { return p.rfind("/attribution/t_transform", 0) == 0; }));
}

TEST_CASE("an [attribution] section sets outcomes and rows and adds groups with Shapley effects", "[cli][attribution]") {
  const ScratchDir dir("attribute-section");
  dir.write("s.toml", std::string(kScenario) + R"(
[attribution]
outcomes = ["xrisk"]
rows = 24
bootstrap = 50
researchers = "top_talent:3"
shapley = true
[[attribution.group]]
name = "lab 0 whole"
members = ["lab:0", "lab_researchers:0"]
[[attribution.group]]
name = "lab 1 whole"
members = ["lab:1", "lab_researchers:1"]
)");
  const auto r = run_normsim("attribute s.toml -o s.h5", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Shapley effects of the custom groups"));
  const Hdf5Reader file((dir / "s.h5").string());
  // 8 default groups + 2 custom + 3 researchers = 13 factors over 24 rows.
  CHECK(file.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{15, 24});
  CHECK(file.string_array_attribute("labels", "/attribution/xrisk/factor").size() == 13);
  const auto shapley = file.read_float64("/attribution/xrisk.shapley/shapley/estimate");
  REQUIRE(shapley.size() == 2);
  // The two custom groups hold every entity: their Shapley effects sum to 1 (Goda's normaliser).
  CHECK(shapley[0] + shapley[1] == Approx(1.0).margin(1e-12));
  const auto paths = file.dataset_paths();
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.rfind("/attribution/t_transform", 0) == 0; }));
}

TEST_CASE("attribute refuses bad options and designs it cannot attribute", "[cli][attribution]") {
  const ScratchDir dir("attribute-bad");
  dir.write("a.toml", kScenario);
  const auto outcome = run_normsim("attribute a.toml --outcomes risk", dir.path());
  CHECK(outcome.exit_code == 2);
  CHECK_THAT(outcome.err, Catch::Contains("'risk' is not an outcome"));
  const auto rows = run_normsim("attribute a.toml --rows 1", dir.path());
  CHECK(rows.exit_code == 2);
  const std::string sweep = "--set sweep.design=grid --set 'sweep.factor=[{key=\"hazard.max\", values=[0.1, 0.2]}]'";
  // A sweep's factors join a Sobol design: N must be a power of 2.
  const auto odd = run_normsim("attribute a.toml --rows 24 " + sweep, dir.path());
  CHECK(odd.exit_code == 2);
  CHECK_THAT(odd.err, Catch::Contains("attribution.rows must be a power of 2 (rows of a Sobol design), got 24"));
  // labs.sizes as a factor: researcher j is another person in another row, so no per-researcher indices.
  const auto sizes = run_normsim(
      "attribute a.toml --rows 8 --set sweep.design=grid --set 'sweep.factor=[{key=\"labs.sizes\", values=[[8, 6], [4, 3]]}]'",
      dir.path());
  CHECK(sizes.exit_code == 2);
  CHECK_THAT(sizes.err, Catch::Contains("labs.sizes is a factor of the design"));
  // per_point asks for one attribution per point: that is normsim check's job.
  const auto per_point = run_normsim("attribute a.toml --rows 8 --set attribution.per_point=true " + sweep, dir.path());
  CHECK(per_point.exit_code == 2);
  CHECK_THAT(per_point.err, Catch::Contains("run normsim check"));
}

TEST_CASE("a sweep's factors are factors of the attribution design, next to the entity groups", "[cli][attribution]") {
  const ScratchDir dir("attribute-factors");
  dir.write("f.toml", std::string(kScenario) + R"(
[sweep]
design = "sobol"
points = 4
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed"]
[[sweep.factor]]
key = "adaptation.mutation"
from = 0.0
to = 0.1
[attribution]
outcomes = ["published_fraction"]
rows = 32
bootstrap = 50
researchers = "none"
)");
  const auto r = run_normsim("attribute f.toml -o f.h5", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Hdf5Reader file((dir / "f.h5").string());
  const auto labels = file.string_array_attribute("labels", "/attribution/published_fraction/factor");
  const auto kinds = file.string_array_attribute("kinds", "/attribution/published_fraction/factor");
  REQUIRE(labels.size() == 2 + 8);  // 2 factors, then all labs, all researchers, 2 × 3 per-lab groups
  CHECK(labels[0] == "norm.preset");
  CHECK(kinds[0] == "norm");
  CHECK(labels[1] == "adaptation.mutation");
  CHECK(kinds[1] == "parameter");
  CHECK(labels[2] == "all labs");
  // Matrices A, B, one AB per factor and per group.
  CHECK(file.shape("/outcomes/published_fraction") == std::vector<std::uint64_t>{12, 32});
  // The closed norm publishes only defections (compliance 0.9), the open one most results: the
  // norm explains most of the variance of the published fraction (first-order interval above
  // one half), the mutation rate next to nothing, and S ≤ ST within the intervals.
  const auto s_low = file.read_float64("/attribution/published_fraction/first_order/low");
  const auto st_high = file.read_float64("/attribution/published_fraction/total/high");
  const auto s = file.read_float64("/attribution/published_fraction/first_order/estimate");
  CHECK(s_low[0] > 0.5);
  CHECK(s[0] <= st_high[0]);
}

TEST_CASE("plan estimates an attribution's runs as attribute makes them", "[cli][attribution]") {
  const ScratchDir dir("attribute-plan");
  dir.write("a.toml", std::string(kScenario) + "[attribution]\noutcomes = [\"xrisk\"]\nrows = 16\nbootstrap = 10\n");
  const auto plan = run_normsim("plan a.toml", dir.path());
  INFO(plan.err);
  REQUIRE(plan.exit_code == 0);
  // 2 + 3 × 2 groups, 15 researchers (14 regular, 1 pinned), matrices A and B: 16 × 25 runs.
  CHECK_THAT(plan.out, Catch::Contains("0 factors + 8 groups + 15 researchers, N = 16 rows → 400 runs"));
  const auto r = run_normsim("attribute a.toml -o a.h5 -q", dir.path());
  REQUIRE(r.exit_code == 0);
  const Hdf5Reader file((dir / "a.h5").string());
  const auto shape = file.shape("/outcomes/xrisk");
  CHECK(shape[0] * shape[1] == 400);
}

TEST_CASE("attribute --janon gives every lab's and researcher's first-order index from 2N runs", "[cli][attribution]") {
  // Only the pinned individual produces (every regular researcher has rate 0), compute is the same
  // for every lab and labs do not adapt: capability is a function of the individual's key alone.
  // Janon pairs then share exactly what matters for the individual (S = 1) and nothing for the others.
  const ScratchDir dir("attribute-janon");
  dir.write("j.toml", R"(# one producer
[labs]
sizes = [3, 2]
compute_sigma = 0.0
[researchers]
result_rate = 0.0
[adaptation]
enabled = false
[world]
steps = 30
stop_at_transformative = false
[[individuals]]
lab = 1
focus = "capabilities"
result_rate = 1.0
)");
  const auto r = run_normsim("attribute j.toml -o j.h5 --rows 8 --janon 256 --bootstrap 50 --outcomes capability",
                             dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Janon, 256 + 256 runs"));
  const Hdf5Reader file((dir / "j.h5").string());
  const auto labels = file.string_array_attribute("labels", "/attribution/capability.janon/factor");
  const auto s = file.read_float64("/attribution/capability.janon/first_order/estimate");
  REQUIRE(labels.size() == 2 + 6);  // two lab streams, five regular researchers and the individual
  REQUIRE(s.size() == labels.size());
  CHECK(labels.back() == "individual 0 (lab 1, capabilities)");
  CHECK(s.back() == Approx(1.0).margin(1e-12));
  for (std::size_t g = 0; g + 1 < s.size(); ++g) {
    INFO(labels[g]);
    CHECK(std::abs(s[g]) < 0.25);  // independent pairs: noise of order 1/√N around 0
  }
}

TEST_CASE("attribute --shard I/N and --from-shards N give the file of one process", "[cli][attribution]") {
  const ScratchDir dir("attribute-shards");
  dir.write("a.toml", kScenario);
  const std::string common = "attribute a.toml --rows 16 --bootstrap 50 --outcomes xrisk,capability -q ";
  REQUIRE(run_normsim(common + "-o whole.h5", dir.path()).exit_code == 0);
  for (int i = 0; i < 3; ++i) {
    const auto r = run_normsim(common + "-o split.h5 --shard " + std::to_string(i) + "/3", dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(std::filesystem::exists(dir / ("split.h5.shard-" + std::to_string(i) + "-of-3.journal")));
  }
  CHECK(!std::filesystem::exists(dir / "split.h5"));
  // A missing shard is an error; with all three, the file equals the one-process file.
  std::filesystem::rename(dir / "split.h5.shard-2-of-3.journal", dir / "held");
  CHECK(run_normsim(common + "-o split.h5 --from-shards 3", dir.path()).exit_code != 0);
  std::filesystem::rename(dir / "held", dir / "split.h5.shard-2-of-3.journal");
  const auto merged = run_normsim(common + "-o split.h5 --from-shards 3", dir.path());
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  const Hdf5Reader whole((dir / "whole.h5").string());
  const Hdf5Reader split((dir / "split.h5").string());
  for (const char* d : {"/outcomes/xrisk", "/outcomes/capability", "/attribution/xrisk/total/estimate",
                        "/attribution/capability/first_order/high"}) {
    INFO(d);
    CHECK(whole.read_float64(d) == split.read_float64(d));
  }
  CHECK(run_normsim(common + "-o x.h5 --shard 3/3", dir.path()).exit_code == 2);
}

TEST_CASE("attribute --resume continues a journal that holds part of the design", "[cli][attribution]") {
  // Half of the runs (shard 0 of 2: every other position of the row-major enumeration, so a mix of
  // matrices and rows) stand in for an interrupted attribution's journal.
  const ScratchDir dir("attribute-resume");
  dir.write("a.toml", kScenario);
  const std::string common = "attribute a.toml --rows 16 --bootstrap 50 --outcomes xrisk -q ";
  REQUIRE(run_normsim(common + "-o whole.h5", dir.path()).exit_code == 0);
  REQUIRE(run_normsim(common + "-o part.h5 --shard 0/2", dir.path()).exit_code == 0);
  std::filesystem::rename(dir / "part.h5.shard-0-of-2.journal", dir / "resumed.h5.journal");
  CHECK(run_normsim(common + "-o resumed.h5", dir.path()).exit_code == 2);  // a journal exists: say so
  const auto r = run_normsim("attribute a.toml --rows 16 --bootstrap 50 --outcomes xrisk -o resumed.h5 --resume",
                             dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("resuming: 200 runs already in"));
  const Hdf5Reader whole((dir / "whole.h5").string());
  const Hdf5Reader resumed((dir / "resumed.h5").string());
  CHECK(whole.read_float64("/outcomes/xrisk") == resumed.read_float64("/outcomes/xrisk"));
  CHECK(whole.read_float64("/attribution/xrisk/total/estimate") == resumed.read_float64("/attribution/xrisk/total/estimate"));
}

TEST_CASE("attribute --radial gives Jansen's totals without matrix B", "[cli][attribution]") {
  // The radial design's AB runs are the Saltelli design's (same keys), so ST·V agrees exactly; only
  // V differs (A alone against A and B pooled). N · (groups + 1) runs instead of N · (groups + 2).
  const ScratchDir dir("attribute-radial");
  dir.write("a.toml", kScenario);
  const std::string common = "attribute a.toml --rows 32 --bootstrap 20 --outcomes xrisk -q ";
  REQUIRE(run_normsim(common + "-o saltelli.h5", dir.path()).exit_code == 0);
  const auto r = run_normsim(common + "-o radial.h5 --radial", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Hdf5Reader saltelli((dir / "saltelli.h5").string());
  const Hdf5Reader radial((dir / "radial.h5").string());
  CHECK(radial.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{24, 32});  // A + 23 AB
  const auto paths = radial.dataset_paths();
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.find("first_order") != std::string::npos; }));
  const auto st_s = saltelli.read_float64("/attribution/xrisk/total/estimate");
  const auto st_r = radial.read_float64("/attribution/xrisk/total/estimate");
  const double v_s = saltelli.number_attribute("variance", "/attribution/xrisk");
  const double v_r = radial.number_attribute("variance", "/attribution/xrisk");
  REQUIRE(st_s.size() == st_r.size());
  for (std::size_t g = 0; g < st_s.size(); ++g) CHECK(st_r[g] * v_r == Approx(st_s[g] * v_s).epsilon(1e-9).margin(1e-15));
  CHECK(run_normsim(common + "-o x.h5 --radial --shapley", dir.path()).exit_code == 2);
}

TEST_CASE("attribute on a one-factor sweep stores the factor's share, the same on any --threads", "[cli][attribution]") {
  // `attribute SWEEP.h5` estimates its shares with a bootstrap whose resamples run on --threads
  // threads: the option must be accepted and checked, and the intervals must not depend on it.
  const ScratchDir dir("attribute-factor-share");
  std::string sweep = kScenario;
  sweep += R"(replicates = 30
[sweep]
design = "grid"
common_keys = true
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed", "hazard_specific"]
)";
  dir.write("s.toml", sweep);
  const auto ran = run_normsim("run s.toml -o one.h5 -q --no-series", dir.path());
  INFO(ran.err);
  REQUIRE(ran.exit_code == 0);
  std::filesystem::copy_file(dir / "one.h5", dir / "two.h5");
  const auto one = run_normsim("attribute one.h5 --outcomes xrisk,capability --threads 1", dir.path());
  const auto two = run_normsim("attribute two.h5 --outcomes xrisk,capability --threads 2", dir.path());
  INFO(one.err << two.err);
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("capability: norm.preset explains"));
  const Hdf5Reader a((dir / "one.h5").string());
  const Hdf5Reader b((dir / "two.h5").string());
  for (const char* d : {"/attribution/xrisk/share/estimate", "/attribution/xrisk/share/low",
                        "/attribution/xrisk/share/high", "/attribution/capability/share/se"}) {
    INFO(d);
    CHECK(a.read_float64(d) == b.read_float64(d));
  }
  const auto refused = run_normsim("attribute one.h5 --threads -1", dir.path());
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("--threads"));
}
