// Hdf5Reader and compare_datasets: differences are found and located, NaN compares by bits, and
// failures name the file.
#include "output/error.hpp"
#include "output/hdf5_reader.hpp"
#include "output/hdf5_sink.hpp"
#include "output/schema.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <cstring>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

void write_runs(const std::filesystem::path& path, std::uint64_t runs, double xrisk_of_run_2) {
  Hdf5Sink sink{path, single_point(runs, 3, true), sample_provenance(), false};
  for (std::uint64_t r = 0; r < runs; ++r) {
    auto rec = make_record(r, 3);
    if (r == 2) rec.outcomes[static_cast<std::size_t>(model::OutcomeId::xrisk)] = xrisk_of_run_2;
    sink.write(rec);
  }
  sink.commit(true, sample_provenance());
}

double nan_with_payload(std::uint64_t payload) {
  std::uint64_t bits = 0x7ff8'0000'0000'0000ULL | payload;
  double x = 0;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

}  // namespace

TEST_CASE("compare_datasets reports identical files as identical", "[output][reader]") {
  const ScratchDir dir{"cmp-same"};
  write_runs(dir.path() / "a.h5", 4, 0.5);
  write_runs(dir.path() / "b.h5", 4, 0.5);
  CHECK_FALSE(compare_datasets(dir.path() / "a.h5", dir.path() / "b.h5", reproducible_dataset_paths(true)).has_value());
}

TEST_CASE("compare_datasets finds the first differing element", "[output][reader]") {
  const ScratchDir dir{"cmp-diff"};
  write_runs(dir.path() / "a.h5", 4, 0.5);
  write_runs(dir.path() / "b.h5", 4, 0.75);
  const auto d = compare_datasets(dir.path() / "a.h5", dir.path() / "b.h5", {"/outcomes/capability", "/outcomes/xrisk"});
  REQUIRE(d.has_value());
  CHECK(d->dataset == "/outcomes/xrisk");
  CHECK_THAT(d->description, Catch::StartsWith("element 2 (row-major): 0x3fe0000000000000 vs 0x3fe8000000000000"));
}

TEST_CASE("compare_datasets compares NaN by bits and detects shape and presence differences", "[output][reader]") {
  const ScratchDir dir{"cmp-nan"};
  write_runs(dir.path() / "a.h5", 4, nan_with_payload(1));
  write_runs(dir.path() / "b.h5", 4, nan_with_payload(1));
  write_runs(dir.path() / "c.h5", 4, nan_with_payload(2));
  write_runs(dir.path() / "d.h5", 5, nan_with_payload(1));
  CHECK_FALSE(compare_datasets(dir.path() / "a.h5", dir.path() / "b.h5", {"/outcomes/xrisk"}).has_value());
  CHECK(compare_datasets(dir.path() / "a.h5", dir.path() / "c.h5", {"/outcomes/xrisk"}).has_value());
  const auto shape = compare_datasets(dir.path() / "a.h5", dir.path() / "d.h5", {"/outcomes/xrisk"});
  REQUIRE(shape.has_value());
  CHECK(shape->description == "shape [1, 4] vs [1, 5]");
  const auto missing = compare_datasets(dir.path() / "a.h5", dir.path() / "b.h5", {"/outcomes/nothing"});
  REQUIRE(missing.has_value());
  CHECK_THAT(missing->description, Catch::StartsWith("missing from"));
}

TEST_CASE("reader errors name the file and the object", "[output][reader]") {
  const ScratchDir dir{"reader-errors"};
  write_runs(dir.path() / "a.h5", 2, 0.5);
  const Hdf5Reader in{dir.path() / "a.h5"};
  CHECK_THROWS_WITH(in.read_float64("/outcomes/nothing"),
                    Catch::Contains((dir.path() / "a.h5").string()) && Catch::Contains("/outcomes/nothing"));
  CHECK_THROWS_WITH(in.string_attribute("master_seed"), Catch::Contains("not a string"));
  CHECK_THROWS_WITH(in.number_attribute("git_commit"), Catch::Contains("not a number"));
  CHECK_THROWS_AS(Hdf5Reader{dir.path() / "missing.h5"}, OutputError);
}
