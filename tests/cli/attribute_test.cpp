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

TEST_CASE("attribute refuses bad options and sweeps", "[cli][attribution]") {
  const ScratchDir dir("attribute-bad");
  dir.write("a.toml", kScenario);
  const auto outcome = run_normsim("attribute a.toml --outcomes risk", dir.path());
  CHECK(outcome.exit_code == 2);
  CHECK_THAT(outcome.err, Catch::Contains("'risk' is not an outcome"));
  const auto rows = run_normsim("attribute a.toml --rows 1", dir.path());
  CHECK(rows.exit_code == 2);
  const auto sweep = run_normsim(
      "attribute a.toml --set sweep.design=grid --set 'sweep.factor=[{key=\"hazard.max\", values=[0.1, 0.2]}]'",
      dir.path());
  CHECK(sweep.exit_code == 2);
}

TEST_CASE("attribute on a one-factor sweep file gives the factor's variance share and paired differences", "[cli][attribution]") {
  const ScratchDir dir("attribute-share");
  dir.write("n.toml", R"(# three norms on common keys
[labs]
sizes = [10, 6]
[world]
steps = 60
[run]
replicates = 30
seed = 2
[sweep]
design = "grid"
common_keys = true
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed", "hazard_specific"]
)");
  REQUIRE(run_normsim("run n.toml -q -o n.h5", dir.path()).exit_code == 0);
  const auto r = run_normsim("attribute n.h5 --outcomes xrisk --bootstrap 200", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("xrisk: norm.preset explains"));
  CHECK_THAT(r.out, Catch::Contains("open − closed"));
  CHECK_THAT(r.out, Catch::Contains("(paired)"));
  const Hdf5Reader file((dir / "n.h5").string());
  const auto share = file.read_float64("/attribution/xrisk/share/estimate");
  const auto low = file.read_float64("/attribution/xrisk/share/low");
  const auto high = file.read_float64("/attribution/xrisk/share/high");
  REQUIRE(share.size() == 1);
  CHECK(low[0] <= share[0]);
  CHECK(share[0] <= high[0]);
  CHECK(share[0] < 1.0);
  // Two factors: refused with the reason.
  dir.write("two.toml", std::string("# two factors\n[run]\nreplicates = 2\n[sweep]\ndesign = \"grid\"\n") +
                            "[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\", \"closed\"]\n" +
                            "[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.1, 0.2]\n" +
                            "[labs]\nsizes = [4, 4]\n[world]\nsteps = 10\n");
  REQUIRE(run_normsim("run two.toml -q -o two.h5", dir.path()).exit_code == 0);
  const auto two = run_normsim("attribute two.h5", dir.path());
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.err, Catch::Contains("exactly one categorical factor"));
}

TEST_CASE("knockouts pair runs on the same keys: an idle entity's effect is exactly zero", "[cli][attribution]") {
  const ScratchDir dir("attribute-knockout");
  dir.write("k.toml", std::string(kScenario) + R"(
[attribution]
outcomes = ["capability"]
rows = 16
researchers = "none"
knockout = ["individual:0", "lab:0"]
)");
  const auto r = run_normsim("attribute k.toml -o k.h5", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("capability: knockouts"));
  const Hdf5Reader file((dir / "k.h5").string());
  CHECK(file.string_array_attribute("labels", "/attribution/capability.knockout/factor") ==
        std::vector<std::string>{"individual:0", "lab:0"});
  const auto effect = file.read_float64("/attribution/capability.knockout/knockout/estimate");
  const auto low = file.read_float64("/attribution/capability.knockout/knockout/low");
  const auto high = file.read_float64("/attribution/capability.knockout/knockout/high");
  REQUIRE(effect.size() == 2);
  // The pinned researcher of talent 0 produces nothing anyway: removing it changes no run.
  CHECK(effect[0] == 0.0);
  CHECK(low[0] == 0.0);
  CHECK(high[0] == 0.0);
  // Removing lab 0's researchers lowers capability at the horizon.
  CHECK(high[1] < 0.0);
}

TEST_CASE("screening skips the researchers of a lab whose researchers explain nothing, and says so", "[cli][attribution]") {
  // Lab 2 holds only two pinned researchers of talent 0: its researchers' total index is exactly 0.
  const ScratchDir dir("attribute-screen");
  dir.write("sc.toml", R"(# screening
[labs]
sizes = [8, 6, 0]
interp_fraction = [0.25, 0.5, 0.0]
[world]
steps = 40
[[individuals]]
lab = 2
focus = "capabilities"
talent = 0.0
[[individuals]]
lab = 2
focus = "interpretability"
talent = 0.0
[attribution]
outcomes = ["capability"]
rows = 16
bootstrap = 100
screen_threshold = 0.01
)");
  const auto r = run_normsim("attribute sc.toml -o sc.h5", dir.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("below 0.01 for every outcome: 2; 2 researchers not tracked"));
  const Hdf5Reader file((dir / "sc.h5").string());
  const auto labels = file.string_array_attribute("labels", "/attribution/capability/factor");
  // 2 + 3 labs × 3 groups = 11 groups, then the 14 researchers of labs 0 and 1.
  CHECK(labels.size() == 25);
  CHECK(std::none_of(labels.begin(), labels.end(), [](const std::string& l) { return l.rfind("individual", 0) == 0; }));
}

TEST_CASE("attribute under mpirun with 2 ranks gives the single-process file", "[cli][attribution][mpi]") {
  const ScratchDir dir("attribute-mpi");
  dir.write("a.toml", kScenario);
  REQUIRE(run_normsim("attribute a.toml -q -o one.h5 --rows 16 --bootstrap 50 --outcomes xrisk", dir.path()).exit_code == 0);
  const std::string command = "cd '" + dir.path().string() + "' && mpirun --allow-run-as-root --oversubscribe -np 2 '" +
                              NORMSIM_CLI_PATH + "' attribute a.toml -q -j 1 -o two.h5 --rows 16 --bootstrap 50 " +
                              "--outcomes xrisk > mpi.log 2>&1";
  const int status = std::system(command.c_str());
  INFO(normsim::test::read_text(dir / "mpi.log"));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const std::vector<std::string> names{"/outcomes/xrisk", "/outcomes/capability", "/attribution/xrisk/total/estimate",
                                       "/attribution/xrisk/first_order/low"};
  const auto d = normsim::output::compare_datasets(dir / "one.h5", dir / "two.h5", names);
  CHECK_FALSE(d.has_value());
  CHECK(Hdf5Reader((dir / "two.h5").string()).int64_attribute("processes") == 2);
}
