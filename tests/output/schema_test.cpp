// The schema registry agrees with what the sink writes (both directions), and renders as Markdown.
#include "output/hdf5_reader.hpp"
#include "output/hdf5_sink.hpp"
#include "output/schema.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

std::set<std::string> registry(SchemaKind kind, bool series) {
  std::set<std::string> out;
  for (const auto& e : schema_entries())
    if (e.kind == kind && (series || !e.needs_series)) out.insert(e.path);
  return out;
}

void write_small(const std::filesystem::path& path, bool series) {
  Hdf5Sink sink{path, Layout{3, 4, series}, sample_provenance(), false};
  sink.write(make_record(1, 4, series));
  sink.commit(true, sample_provenance());
}

}  // namespace

TEST_CASE("the file holds exactly the datasets and root attributes of the registry", "[output][schema]") {
  const ScratchDir dir{"schema"};
  for (const bool series : {true, false}) {
    const auto path = dir.path() / (series ? "series.h5" : "plain.h5");
    write_small(path, series);
    const Hdf5Reader in{path};
    const auto datasets = in.dataset_paths();
    CHECK(std::set<std::string>(datasets.begin(), datasets.end()) == registry(SchemaKind::dataset, series));
    const auto attributes = in.attribute_names("/");
    CHECK(std::set<std::string>(attributes.begin(), attributes.end()) == registry(SchemaKind::root_attribute, series));
    for (const auto& e : schema_entries()) {
      if (e.kind != SchemaKind::dataset || (e.needs_series && !series)) continue;
      INFO(e.path);
      CHECK(in.element_type(e.path) == e.type);
      const std::vector<std::uint64_t> expected = e.shape == "[R]"   ? std::vector<std::uint64_t>{3}
                                                  : e.shape == "[T]" ? std::vector<std::uint64_t>{4}
                                                                     : std::vector<std::uint64_t>{3, 4};
      CHECK(e.shape == (expected.size() == 2 ? "[R, T]" : e.shape));
      CHECK(in.shape(e.path) == expected);
    }
  }
}

TEST_CASE("the registry is built from the model's descriptor tables", "[output][schema]") {
  const auto& entries = schema_entries();
  for (const auto& d : model::kOutcomeDescriptors) {
    const auto it = std::find_if(entries.begin(), entries.end(),
                                 [&](const SchemaEntry& e) { return e.path == "/outcomes/" + std::string{d.name}; });
    REQUIRE(it != entries.end());
    CHECK(it->units == d.units);
    CHECK(it->reproducible);
  }
  const auto names = reproducible_dataset_paths(false);
  CHECK(std::find(names.begin(), names.end(), "/runs/wall_seconds") == names.end());
  CHECK(std::find(names.begin(), names.end(), "/series/hazard") == names.end());
  CHECK(std::find(names.begin(), names.end(), "/runs/completed") != names.end());
}

TEST_CASE("schema_markdown documents every entry", "[output][schema]") {
  const std::string md = schema_markdown();
  CHECK(md.rfind("## HDF5 output\n", 0) == 0);
  CHECK(md.find("h5py") != std::string::npos);
  CHECK(md.find("xarray") != std::string::npos);
  for (const auto& e : schema_entries()) {
    INFO(e.path);
    CHECK(md.find("| `" + e.path + "` |") != std::string::npos);
  }
  CHECK(md.back() == '\n');
}
