// finalize: bit-identical files from one journal, shards, shuffled and resumed journals; clear
// errors for missing runs, overlapping shards and mismatched journals; per-point summaries.
#include "output/error.hpp"
#include "output/finalize.hpp"
#include "output/hdf5_reader.hpp"
#include "output/hdf5_sink.hpp"
#include "output/journal.hpp"
#include "output/schema.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

constexpr std::uint64_t kSweep = 0x5EEDULL;

// P = 3 points × R = 70 replicates × T = 3: row blocks of 64 and 6 replicates.
Layout sweep_layout(std::uint64_t points = 3, std::uint64_t replicates = 70) {
  Layout layout = single_point(replicates, 3, true);
  layout.points = points;
  DesignFactor spill{"research.spill_probability", false, {}, {}, {}, "probability", "linear"};
  DesignFactor regime{"norms.regime", true, {"open", "closed"}, {}, {}, "", ""};
  for (std::uint64_t p = 0; p < points; ++p) {
    spill.values.push_back(0.25 * static_cast<double>(p));
    spill.levels.push_back(-1);
    regime.values.push_back(std::nan(""));
    regime.levels.push_back(static_cast<std::int64_t>(p % 2));
  }
  layout.design = {spill, regime};
  return layout;
}

JournalHeader header_of(const Layout& layout, std::uint64_t sweep = kSweep) {
  return {sweep, layout.points, layout.replicates, layout.steps, layout.series, "test sweep"};
}

void journal(const std::filesystem::path& path, const Layout& layout, const std::vector<std::uint64_t>& runs,
             JournalMode mode = JournalMode::create, std::uint64_t sweep = kSweep) {
  JournalWriter w{path, header_of(layout, sweep), mode};
  for (std::uint64_t r : runs) w.write(make_record(r, static_cast<std::size_t>(layout.steps), true, layout.replicates));
}

std::vector<std::uint64_t> all_runs(const Layout& layout) {
  std::vector<std::uint64_t> v(layout.runs());
  std::iota(v.begin(), v.end(), std::uint64_t{0});
  return v;
}

void expect_same(const std::filesystem::path& a, const std::filesystem::path& b, const Layout& layout) {
  const auto d = compare_datasets(a, b, reproducible_dataset_paths(layout));
  CHECK_FALSE(d.has_value());
  if (d) FAIL_CHECK(b.filename().string() << ": " << d->dataset << ": " << d->description);
}

}  // namespace

TEST_CASE("finalize gives bit-identical files from one journal, shards, shuffled and resumed journals", "[output][finalize]") {
  const ScratchDir dir{"finalize-same"};
  const Layout layout = sweep_layout();
  const auto runs = all_runs(layout);
  const FinalizeOptions defaults{};

  journal(dir / "one.journal", layout, runs);
  const auto one = finalize({dir / "one.journal"}, layout, sample_provenance(), dir / "one.h5", defaults);
  CHECK(one.complete);
  CHECK(one.present == 210);
  {  // the same runs written straight through the sink, in reverse
    Hdf5Sink direct{dir / "direct.h5", layout, sample_provenance(), false};
    for (auto r = runs.rbegin(); r != runs.rend(); ++r) direct.write(make_record(*r, 3, true, layout.replicates));
    direct.commit(true, sample_provenance());
  }
  expect_same(dir / "one.h5", dir / "direct.h5", layout);

  std::array<std::vector<std::uint64_t>, 3> shards;  // round-robin, as workers of a queue would take them
  for (std::uint64_t r : runs) shards[r % 3].push_back(r);
  for (std::size_t s = 0; s < 3; ++s) journal(dir / ("shard" + std::to_string(s)), layout, shards[s]);
  finalize({dir / "shard2", dir / "shard0", dir / "shard1"}, layout, sample_provenance(), dir / "shards.h5", defaults);
  expect_same(dir / "one.h5", dir / "shards.h5", layout);

  auto shuffled = runs;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64{42});
  journal(dir / "shuffled.journal", layout, shuffled);
  finalize({dir / "shuffled.journal"}, layout, sample_provenance(), dir / "shuffled.h5", defaults);
  expect_same(dir / "one.h5", dir / "shuffled.h5", layout);

  // Resumed: the first session did 0…119 (the last run torn off by a crash), the second redid
  // 100…119 and did the rest.
  journal(dir / "resumed.journal", layout, std::vector<std::uint64_t>(runs.begin(), runs.begin() + 120));
  std::filesystem::resize_file(dir / "resumed.journal", std::filesystem::file_size(dir / "resumed.journal") - 5);
  journal(dir / "resumed.journal", layout, std::vector<std::uint64_t>(runs.begin() + 100, runs.end()), JournalMode::resume);
  const auto resumed = finalize({dir / "resumed.journal"}, layout, sample_provenance(), dir / "resumed.h5", defaults);
  CHECK(resumed.duplicates == 19);
  expect_same(dir / "one.h5", dir / "resumed.h5", layout);
  CHECK(Hdf5Reader{dir / "resumed.h5"}.int64_attribute("complete") == 1);
}

TEST_CASE("missing runs are an error unless allowed, then the file says complete = 0", "[output][finalize]") {
  const ScratchDir dir{"finalize-missing"};
  const Layout layout = sweep_layout();
  auto runs = all_runs(layout);
  runs.erase(runs.begin() + 75);   // point 1, replicate 5
  runs.erase(runs.begin() + 3);    // point 0, replicate 3
  journal(dir / "a.journal", layout, runs);
  CHECK_THROWS_WITH(finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5"),
                    Catch::Contains("2 of 210 runs are missing") && Catch::Contains("run 3 (point 0, replicate 3), run 75 (point 1, replicate 5)"));
  CHECK(dir.entries() == 1);
  const auto report = finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5", {false, true});
  CHECK_FALSE(report.complete);
  const Hdf5Reader in{dir / "out.h5"};
  CHECK(in.int64_attribute("complete") == 0);
  const auto completed = in.read_uint8("/runs/completed");
  CHECK(std::count(completed.begin(), completed.end(), 0) == 2);
  CHECK(completed[75] == 0);
  CHECK(std::isnan(in.read_float64("/outcomes/xrisk")[3]));
  CHECK(in.read_uint64("/summary/xrisk/n") == std::vector<std::uint64_t>{69, 69, 70});
}

TEST_CASE("overlapping shards and mismatched journals are errors naming the files", "[output][finalize]") {
  const ScratchDir dir{"finalize-overlap"};
  const Layout layout = sweep_layout(2, 4);
  journal(dir / "a.journal", layout, {0, 1, 2, 3, 7});
  journal(dir / "b.journal", layout, {4, 5, 6, 7});
  CHECK_THROWS_WITH(finalize({dir / "a.journal", dir / "b.journal"}, layout, sample_provenance(), dir / "out.h5"),
                    Catch::Contains("run 7 (point 1, replicate 3) is in both") && Catch::Contains((dir / "a.journal").string()) &&
                        Catch::Contains((dir / "b.journal").string()));
  journal(dir / "other.journal", layout, {4, 5, 6}, JournalMode::create, 99);
  CHECK_THROWS_WITH(finalize({dir / "a.journal", dir / "other.journal"}, layout, sample_provenance(), dir / "out.h5"),
                    Catch::Contains("journal '" + (dir / "other.journal").string() + "' differs") && Catch::Contains("sweep_id"));
  CHECK_THROWS_WITH(finalize({dir / "a.journal"}, sweep_layout(2, 5), sample_provenance(), dir / "out.h5"),
                    Catch::Contains("does not match the layout: replicates 4 vs 5"));
  CHECK_THROWS_AS(finalize({}, layout, sample_provenance(), dir / "out.h5"), JournalError);
  CHECK_FALSE(std::filesystem::exists(dir / "out.h5"));
}

TEST_CASE("summaries equal values computed independently", "[output][finalize][summary]") {
  const ScratchDir dir{"finalize-summary"};
  const Layout layout = sweep_layout(2, 5);
  const auto xrisk = static_cast<std::size_t>(model::OutcomeId::xrisk);
  const auto t_transform = static_cast<std::size_t>(model::OutcomeId::t_transform);
  const std::array<double, 10> x{4, std::nan(""), 1, 3, 2, /* point 1 */ std::nan(""), 7, std::nan(""), std::nan(""), 99};
  const std::array<double, 10> t{5, std::nan(""), 6, 7, std::nan(""), 1, 2, 3, 4, 5};
  {
    JournalWriter w{dir / "a.journal", header_of(layout), JournalMode::create};
    for (std::uint64_t r = 0; r < 9; ++r) {  // run 9 (x = 99) is never run: it must not count
      auto rec = make_record(r, 3, true, 5);
      rec.outcomes[xrisk] = x[r];
      rec.outcomes[t_transform] = t[r];
      w.write(rec);
    }
  }
  finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5", {false, true});
  const Hdf5Reader in{dir / "out.h5"};
  // Point 0: {4, 1, 3, 2}; point 1: {7}.
  CHECK(in.read_uint64("/summary/xrisk/n") == std::vector<std::uint64_t>{4, 1});
  const auto mean = in.read_float64("/summary/xrisk/mean"), sd = in.read_float64("/summary/xrisk/sd");
  const auto se = in.read_float64("/summary/xrisk/se");
  const auto q05 = in.read_float64("/summary/xrisk/q05"), q50 = in.read_float64("/summary/xrisk/q50");
  const auto q95 = in.read_float64("/summary/xrisk/q95");
  CHECK(mean == std::vector<double>{2.5, 7});
  CHECK(sd[0] == Approx(1.2909944487358056).epsilon(1e-15));  // sqrt(5/3)
  CHECK(se[0] == Approx(0.6454972243679028).epsilon(1e-15));
  CHECK(q05[0] == Approx(1.15).epsilon(1e-15));               // numpy.quantile([1,2,3,4], 0.05)
  CHECK(q50[0] == 2.5);
  CHECK(q95[0] == Approx(3.85).epsilon(1e-15));
  CHECK((std::isnan(sd[1]) && std::isnan(se[1])));
  CHECK((q05[1] == 7 && q50[1] == 7 && q95[1] == 7));
  CHECK(in.read_uint64("/summary/reached_transformative") == std::vector<std::uint64_t>{3, 4});
  CHECK(in.read_uint64("/summary/t_transform/n") == std::vector<std::uint64_t>{3, 4});
}

TEST_CASE("a single scenario is one point: shapes [1, R]", "[output][finalize]") {
  const ScratchDir dir{"finalize-single"};
  const Layout layout = single_point(4, 2, true);
  journal(dir / "a.journal", layout, {3, 1, 0, 2});
  finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5");
  const Hdf5Reader in{dir / "out.h5"};
  CHECK(in.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{1, 4});
  CHECK(in.shape("/series/hazard") == std::vector<std::uint64_t>{1, 4, 2});
  CHECK(in.shape("/summary/xrisk/mean") == std::vector<std::uint64_t>{1});
  CHECK(in.read_uint64("/point") == std::vector<std::uint64_t>{0});
  CHECK_THROWS_AS(finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5"), OutputExists);
  CHECK(finalize({dir / "a.journal"}, layout, sample_provenance(), dir / "out.h5", {true, false}).complete);
}
