// Hdf5Sink: round trip, fill values, order independence, overwrite rules, temporary-file hygiene,
// failures, empty files and bounded buffering.
#include "output/error.hpp"
#include "output/hdf5_reader.hpp"
#include "output/hdf5_sink.hpp"
#include "output/schema.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

// Writes runs `order` of a layout (R, T) to `path` and commits.
void write_file(const std::filesystem::path& path, Layout layout, const std::vector<std::uint64_t>& order,
                bool overwrite = false) {
  Hdf5Sink sink{path, layout, sample_provenance(), overwrite};
  for (std::uint64_t r : order) sink.write(make_record(r, static_cast<std::size_t>(layout.steps), layout.series));
  Provenance final_p = sample_provenance();
  final_p.end_time = "2026-01-01T00:01:00Z";
  final_p.wall_seconds = 60.5;
  sink.commit(true, final_p);
}

std::vector<std::uint64_t> iota_rows(std::uint64_t n) {
  std::vector<std::uint64_t> v(n);
  std::iota(v.begin(), v.end(), std::uint64_t{0});
  return v;
}

std::string fmt_name(const char* prefix, std::string_view name) { return prefix + std::string{name}; }

std::string file_bytes(const std::filesystem::path& p) {
  std::string bytes(static_cast<std::size_t>(std::filesystem::file_size(p)), '\0');
  std::ifstream in{p, std::ios::binary};
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

}  // namespace

TEST_CASE("every dataset and attribute round-trips", "[output]") {
  const ScratchDir dir{"roundtrip"};
  const auto path = dir.path() / "runs.h5";
  const Layout layout = single_point(5, 7, true);
  write_file(path, layout, iota_rows(5));
  const Hdf5Reader in{path};

  CHECK(in.read_uint64("/replicate") == std::vector<std::uint64_t>{0, 1, 2, 3, 4});
  CHECK(in.read_uint64("/point") == std::vector<std::uint64_t>{0});
  CHECK(in.read_int64("/step") == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
  for (std::size_t k = 0; k < model::kOutcomeCount; ++k) {
    const std::string name = fmt_name("/outcomes/", model::kOutcomeDescriptors[k].name);
    const auto v = in.read_float64(name);
    REQUIRE(v.size() == 5);
    for (std::uint64_t r = 0; r < 5; ++r) {
      const double want = outcome_value(r, k);
      if (std::isnan(want)) CHECK(std::isnan(v[r]));
      else CHECK(v[r] == want);
    }
    CHECK(in.string_attribute("units", name) == model::kOutcomeDescriptors[k].units);
    CHECK(in.string_attribute("meaning", name) == model::kOutcomeDescriptors[k].meaning);
    CHECK(std::isnan(in.number_attribute("_FillValue", name)));
  }
  for (std::size_t k = 0; k < model::kSeriesCount; ++k) {
    const std::string name = fmt_name("/series/", model::kSeriesDescriptors[k].name);
    CHECK(in.shape(name) == std::vector<std::uint64_t>{1, 5, 7});
    const auto v = in.read_float64(name);
    for (std::uint64_t r = 0; r < 5; ++r)
      for (std::size_t t = 0; t < 7; ++t) {
        const double got = v[r * 7 + t];
        if (t < steps_run(r, 7)) CHECK(got == series_value(r, k, t + 1));
        else CHECK(std::isnan(got));  // stopped early: NaN after the last step run
      }
  }
  CHECK(in.read_uint8("/runs/completed") == std::vector<std::uint8_t>(5, 1));
  CHECK(in.read_uint64("/runs/researcher_steps") == std::vector<std::uint64_t>{7, 17, 27, 37, 47});
  CHECK(in.read_float64("/runs/wall_seconds") == std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5});

  const Provenance p = sample_provenance();
  CHECK(in.string_attribute("format") == "normsim-runs");
  CHECK(in.int64_attribute("format_version") == 2);
  CHECK(in.int64_attribute("complete") == 1);
  CHECK(in.string_attribute("scenario_resolved") == p.scenario_resolved);
  CHECK(in.string_attribute("git_commit") == p.git_commit);
  CHECK(in.string_attribute("end_time") == "2026-01-01T00:01:00Z");  // from commit()
  CHECK(in.string_array_attribute("cli_overrides") == p.cli_overrides);
  CHECK(in.uint64_attribute("master_seed") == p.master_seed);
  CHECK(in.int64_attribute("threads") == 4);
  CHECK(in.number_attribute("wall_seconds") == 60.5);
}

TEST_CASE("rows never written read as NaN and not completed", "[output]") {
  const ScratchDir dir{"unwritten"};
  const auto path = dir.path() / "runs.h5";
  write_file(path, single_point(200, 3, true), {3, 150, 0});  // spans several row blocks
  const Hdf5Reader in{path};
  const auto completed = in.read_uint8("/runs/completed");
  const auto xrisk = in.read_float64("/outcomes/xrisk");
  const auto hazard = in.read_float64("/series/hazard");
  const auto steps = in.read_uint64("/runs/researcher_steps");
  for (std::uint64_t r = 0; r < 200; ++r) {
    const bool written = r == 0 || r == 3 || r == 150;
    CHECK(completed[r] == (written ? 1 : 0));
    CHECK(std::isnan(xrisk[r]) == !written);
    CHECK(steps[r] == (written ? 10 * r + 7 : 0));
    if (!written) CHECK(std::all_of(hazard.begin() + static_cast<long>(r * 3), hazard.begin() + static_cast<long>(r * 3 + 3),
                                    [](double x) { return std::isnan(x); }));
  }
}

TEST_CASE("reproducible datasets do not depend on the order records arrive in", "[output]") {
  const ScratchDir dir{"order"};
  const Layout layout = single_point(300, 20, true);
  auto shuffled = iota_rows(300);
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64{12345});
  auto reversed = iota_rows(300);
  std::reverse(reversed.begin(), reversed.end());
  write_file(dir.path() / "sorted.h5", layout, iota_rows(300));
  write_file(dir.path() / "shuffled.h5", layout, shuffled);
  write_file(dir.path() / "reversed.h5", layout, reversed);
  const auto names = reproducible_dataset_paths(true);
  REQUIRE(names.size() == 3 + model::kOutcomeCount + model::kSeriesCount + 2 + 7 * model::kOutcomeCount + 1);
  const auto d1 = compare_datasets(dir.path() / "sorted.h5", dir.path() / "shuffled.h5", names);
  const auto d2 = compare_datasets(dir.path() / "sorted.h5", dir.path() / "reversed.h5", names);
  CHECK_FALSE(d1.has_value());
  CHECK_FALSE(d2.has_value());
  if (d1) FAIL_CHECK(d1->dataset << ": " << d1->description);
}

TEST_CASE("order independence holds when the buffer is full and blocks are written partially", "[output][slow]") {
  const ScratchDir dir{"order-evict"};
  const Layout layout = single_point(100, 20'000, true);  // long series: 6-row blocks, only a few fit the buffer
  auto shuffled = iota_rows(100);
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64{99});
  {
    Hdf5Sink probe{dir.path() / "probe.h5", layout, sample_provenance(), false};
    REQUIRE(probe.max_open_blocks() * probe.block_rows() < 100 / 2);  // eviction will happen
  }
  write_file(dir.path() / "sorted.h5", layout, iota_rows(100));
  write_file(dir.path() / "shuffled.h5", layout, shuffled);
  const auto d = compare_datasets(dir.path() / "sorted.h5", dir.path() / "shuffled.h5", reproducible_dataset_paths(true));
  CHECK_FALSE(d.has_value());
  if (d) FAIL_CHECK(d->dataset << ": " << d->description);
}

TEST_CASE("an existing file needs overwrite, and nothing is left behind", "[output]") {
  const ScratchDir dir{"overwrite"};
  const auto path = dir.path() / "runs.h5";
  write_file(path, single_point(2, 2, true), {0, 1});
  const std::string before = file_bytes(path);
  try {
    Hdf5Sink sink{path, single_point(3, 2, true), sample_provenance(), false};
    FAIL("no exception");
  } catch (const OutputExists& e) {
    CHECK(std::string{e.what()} == path.string() + " exists; pass --overwrite to replace it");
  }
  CHECK(file_bytes(path) == before);
  write_file(path, single_point(3, 2, true), {2, 0, 1}, true);
  CHECK(Hdf5Reader{path}.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{1, 3});
  CHECK(dir.entries() == 1);  // no .tmp file after commit
}

TEST_CASE("a sink destroyed without commit removes its temporary file and keeps the old file", "[output]") {
  const ScratchDir dir{"abandon"};
  const auto path = dir.path() / "runs.h5";
  write_file(path, single_point(2, 2, true), {0, 1});
  const std::string before = file_bytes(path);
  std::filesystem::path temp;
  try {
    Hdf5Sink sink{path, single_point(4, 2, true), sample_provenance(), true};
    temp = sink.temp_path();
    CHECK(std::filesystem::exists(temp));
    CHECK(temp.string() == path.string() + ".tmp-" + std::to_string(::getpid()));
    sink.write(make_record(0, 2));
    sink.write(make_record(9, 2));  // out of range: stops the run set
    FAIL("no exception");
  } catch (const OutputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("run index 9 out of range"));
  }
  CHECK_FALSE(std::filesystem::exists(temp));
  CHECK(file_bytes(path) == before);
  CHECK(dir.entries() == 1);
}

TEST_CASE("records that do not fit the layout are rejected", "[output]") {
  const ScratchDir dir{"reject"};
  Hdf5Sink sink{dir.path() / "runs.h5", single_point(4, 3, true), sample_provenance(), false};
  CHECK_THROWS_AS(sink.write(make_record(4, 3)), OutputError);
  auto too_long = make_record(1, 4);  // run 1 runs all 4 steps, T = 3
  CHECK_THROWS_WITH(sink.write(too_long), Catch::Contains("more than T = 3"));
  sink.commit(false, sample_provenance());
  CHECK_THROWS_AS(sink.write(make_record(0, 3)), OutputError);
  CHECK_THROWS_AS(sink.commit(true, sample_provenance()), OutputError);
  CHECK(Hdf5Reader{dir.path() / "runs.h5"}.int64_attribute("complete") == 0);
}

TEST_CASE("a file that cannot be created gives an OutputError naming the path", "[output]") {
  const ScratchDir dir{"bogus"};
  const auto path = dir.path() / "no-such-directory" / "runs.h5";
  try {
    Hdf5Sink sink{path, single_point(2, 2, true), sample_provenance(), false};
    FAIL("no exception");
  } catch (const OutputError& e) {
    CHECK_THAT(e.what(), Catch::Contains(path.string()));
    CHECK_THAT(e.what(), Catch::Contains("innermost cause"));
  }
  CHECK(dir.entries() == 0);
  CHECK_THROWS_AS(Hdf5Reader{path}, OutputError);
}

TEST_CASE("R = 0 and T = 0 give valid empty files", "[output]") {
  const ScratchDir dir{"empty"};
  write_file(dir.path() / "r0.h5", single_point(0, 5, true), {});
  const Hdf5Reader r0{dir.path() / "r0.h5"};
  CHECK(r0.shape("/series/hazard") == std::vector<std::uint64_t>{1, 0, 5});
  CHECK(r0.read_float64("/outcomes/xrisk").empty());
  CHECK(r0.int64_attribute("complete") == 1);
  write_file(dir.path() / "t0.h5", single_point(3, 0, true), {1, 0, 2});
  const Hdf5Reader t0{dir.path() / "t0.h5"};
  CHECK(t0.shape("/series/hazard") == std::vector<std::uint64_t>{1, 3, 0});
  CHECK(t0.read_uint8("/runs/completed") == std::vector<std::uint8_t>(3, 1));
}

TEST_CASE("without series recording there is no /series group", "[output]") {
  const ScratchDir dir{"noseries"};
  write_file(dir.path() / "runs.h5", single_point(3, 4, false), {0, 1, 2});
  const auto paths = Hdf5Reader{dir.path() / "runs.h5"}.dataset_paths();
  CHECK(std::none_of(paths.begin(), paths.end(), [](const std::string& p) { return p.rfind("/series/", 0) == 0; }));
}

TEST_CASE("10,000 records with T = 200 keep the sink's buffer bounded", "[output][slow]") {
  const ScratchDir dir{"bounded"};
  const auto path = dir.path() / "runs.h5";
  constexpr std::uint64_t kRuns = 10'000;
  Hdf5Sink sink{path, single_point(kRuns, 200, true), sample_provenance(), false};
  CHECK(sink.block_rows() == 64);
  // Interleave four far-apart streams of rows, as a parallel runner would, plus a shuffled tail.
  std::vector<std::uint64_t> order;
  for (std::uint64_t i = 0; i < kRuns / 4; ++i)
    for (std::uint64_t s = 0; s < 4; ++s) order.push_back(s * (kRuns / 4) + i);
  std::shuffle(order.end() - 1000, order.end(), std::mt19937_64{7});
  std::size_t peak = 0;
  for (std::uint64_t r : order) {
    sink.write(make_record(r, 200));
    peak = std::max(peak, sink.buffered_rows());
    REQUIRE(sink.buffered_rows() <= sink.max_buffered_rows());
  }
  CHECK(peak <= 256 * 64);
  CHECK(sink.max_buffered_rows() * 200 * 8 * 8 <= 2 * Hdf5Sink::kBufferBytes);  // bytes of series rows
  sink.commit(true, sample_provenance());
  const Hdf5Reader in{path};
  const auto completed = in.read_uint8("/runs/completed");
  CHECK(std::count(completed.begin(), completed.end(), 1) == static_cast<long>(kRuns));
  const auto fc = in.read_float64("/series/frontier_capability");
  CHECK(fc[9999 * 200 + 0] == series_value(9999, 0, 1));
}

TEST_CASE("a sweep of P points is written as [P, R] with its design table", "[output]") {
  const ScratchDir dir{"sweep"};
  const auto path = dir.path() / "sweep.h5";
  Layout layout = single_point(2, 3, true);
  layout.points = 3;
  layout.design.push_back({"research.spill_probability", false, {}, {0.5, 0.25, 0.125}, {-1, -1, -1}, "probability", "log"});
  layout.design.push_back({"norms.regime", true, {"open", "closed loop"}, {std::nan(""), std::nan(""), std::nan("")}, {1, 0, 1}, "", ""});
  {
    Hdf5Sink sink{path, layout, sample_provenance(), false};
    for (std::uint64_t r : {5ULL, 0ULL, 3ULL, 1ULL, 4ULL, 2ULL}) sink.write(make_record(r, 3, true, 2));
    auto wrong = make_record(3, 3, true, 2);
    wrong.point = 0;  // run 3 is point 1, replicate 1
    CHECK_THROWS_WITH(sink.write(wrong), Catch::Contains("does not match point 0"));
    sink.commit(true, sample_provenance());
  }
  const Hdf5Reader in{path};
  CHECK(in.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{3, 2});
  CHECK(in.shape("/series/hazard") == std::vector<std::uint64_t>{3, 2, 3});
  CHECK(in.read_uint64("/point") == std::vector<std::uint64_t>{0, 1, 2});
  const auto xrisk = in.read_float64("/outcomes/xrisk");
  for (std::uint64_t r = 0; r < 6; ++r) CHECK(xrisk[r] == outcome_value(r, 2));
  CHECK(in.read_float64("/design/research.spill_probability") == std::vector<double>{0.5, 0.25, 0.125});
  CHECK(in.string_attribute("scale", "/design/research.spill_probability") == "log");
  CHECK(in.read_int64("/design/norms.regime") == std::vector<std::int64_t>{1, 0, 1});
  CHECK(in.string_array_attribute("labels", "/design/norms.regime") == std::vector<std::string>{"open", "closed loop"});
  CHECK(in.string_attribute("flag_meanings", "/design/norms.regime") == "open closed_loop");
  CHECK(in.string_attribute("key", "/design/norms.regime") == "norms.regime");
  CHECK(in.read_float64("/summary/xrisk/mean") == std::vector<double>{(outcome_value(0, 2) + outcome_value(1, 2)) / 2,
                                                                      (outcome_value(2, 2) + outcome_value(3, 2)) / 2,
                                                                      (outcome_value(4, 2) + outcome_value(5, 2)) / 2});
  Layout bad = layout;
  bad.design[1].levels[2] = 2;
  CHECK_THROWS_WITH((Hdf5Sink{dir.path() / "bad.h5", bad, sample_provenance(), false}),
                    Catch::Contains("level 2 at point 2 is not in [0, 2)"));
}

TEST_CASE("series chunks compressed on several threads give the file HDF5's own filters give", "[output]") {
  // Complete blocks of runs have their /series chunks filtered (shuffle + deflate) by the sink, on
  // set_compression_threads() threads, and written whole; a block flushed before it is complete
  // goes through HDF5's filters. Both ways, and any thread count, give the same datasets, and the
  // values written, including chunks that reach past the dataset's edge.
  const ScratchDir dir{"chunks"};
  struct Shape {
    std::uint64_t points, replicates;
    std::int64_t steps;
  };
  // 150 replicates: blocks of 64, 64 and 22 runs of one point; 30 points of 5: blocks of 12, 12, 6 points.
  for (const Shape shape : {Shape{1, 150, 20}, Shape{30, 5, 30}}) {
    Layout layout = single_point(shape.replicates, shape.steps, true);
    layout.points = shape.points;
    const std::uint64_t runs = shape.points * shape.replicates;
    const std::string stem = std::to_string(shape.points) + "x" + std::to_string(shape.replicates) + "-";
    const auto write = [&](const std::string& name, int threads, bool flush_each) {
      Hdf5Sink sink{dir.path() / (stem + name), layout, sample_provenance(), false};
      sink.set_compression_threads(threads);
      for (std::uint64_t r = 0; r < runs; ++r) {
        sink.write(make_record(r, static_cast<std::size_t>(shape.steps), true, shape.replicates));
        if (flush_each) sink.flush();  // every block partial: HDF5's filters
      }
      sink.commit(true, sample_provenance());
    };
    write("one.h5", 1, false);
    write("two.h5", 2, false);
    write("hdf5.h5", 1, true);
    const auto names = reproducible_dataset_paths(true);
    for (const char* other : {"two.h5", "hdf5.h5"}) {
      INFO(shape.points << " × " << shape.replicates << " against " << other);
      const auto d = compare_datasets(dir.path() / (stem + "one.h5"), dir.path() / (stem + other), names);
      CHECK_FALSE(d.has_value());
      if (d) FAIL_CHECK(d->dataset << ": " << d->description);
    }
    const Hdf5Reader in{dir.path() / (stem + "two.h5")};
    const auto steps = static_cast<std::size_t>(shape.steps);
    for (std::size_t k = 0; k < model::kSeriesCount; ++k) {
      const auto values = in.read_float64(std::string{"/series/"} + std::string{model::kSeriesDescriptors[k].name});
      REQUIRE(values.size() == runs * steps);
      std::size_t wrong = 0;
      for (std::uint64_t r = 0; r < runs; ++r) {
        for (std::size_t t = 0; t < steps; ++t) {
          const double v = values[r * steps + t];
          const bool ran = t < steps_run(r, steps);
          wrong += ran ? (v == series_value(r, k, t + 1) ? 0U : 1U) : (std::isnan(v) ? 0U : 1U);
        }
      }
      CHECK(wrong == 0);
    }
  }
}
