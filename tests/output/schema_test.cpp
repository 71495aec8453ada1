// The schema registry agrees with what the sink writes (both directions), and renders as Markdown.
#include "output/hdf5_reader.hpp"
#include "output/hdf5_sink.hpp"
#include "output/schema.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

std::set<std::string> registry_attributes() {
  std::set<std::string> out;
  for (const auto& e : schema_entries())
    if (e.kind == SchemaKind::root_attribute) out.insert(e.path);
  return out;
}

// P = 2 points × R = 3 replicates × T = 4 steps with one numeric and one categorical factor.
Layout sweep_layout(bool series) {
  Layout layout = single_point(3, 4, series);
  layout.points = 2;
  layout.design.push_back({"research.spill_probability", false, {}, {0.1, 0.2}, {-1, -1}, "probability", "linear"});
  layout.design.push_back({"norms.regime", true, {"open", "closed"}, {std::nan(""), std::nan("")}, {1, 0}, "", ""});
  return layout;
}

void write_small(const std::filesystem::path& path, const Layout& layout) {
  Hdf5Sink sink{path, layout, sample_provenance(), false};
  sink.write(make_record(1, 4, layout.series, 3));
  sink.write(make_record(5, 4, layout.series, 3));
  sink.commit(true, sample_provenance());
}

std::vector<std::uint64_t> expected_shape(const std::string& shape) {
  if (shape == "[P]") return {2};
  if (shape == "[R]") return {3};
  if (shape == "[T]") return {4};
  if (shape == "[P, R]") return {2, 3};
  if (shape == "[P, R, T]") return {2, 3, 4};
  FAIL("unknown shape " << shape);
  return {};
}

}  // namespace

TEST_CASE("the file holds exactly the datasets and root attributes of the registry", "[output][schema]") {
  const ScratchDir dir{"schema"};
  for (const bool series : {true, false}) {
    const Layout layout = sweep_layout(series);
    const auto path = dir.path() / (series ? "series.h5" : "plain.h5");
    write_small(path, layout);
    const Hdf5Reader in{path};
    const auto datasets = in.dataset_paths();
    const auto expected = dataset_paths_for(layout);
    CHECK(std::set<std::string>(datasets.begin(), datasets.end()) == std::set<std::string>(expected.begin(), expected.end()));
    CHECK(std::find(expected.begin(), expected.end(), "/design/norms.regime") != expected.end());
    const auto attributes = in.attribute_names("/");
    CHECK(std::set<std::string>(attributes.begin(), attributes.end()) == registry_attributes());
    for (const auto& e : schema_entries()) {
      if (e.kind != SchemaKind::dataset || (e.needs_series && !series) || e.per_factor >= 3) continue;
      INFO(e.path);
      const std::string path_in_file = e.per_factor == 1 ? "/design/research.spill_probability"
                                       : e.per_factor == 2 ? "/design/norms.regime"
                                                           : e.path;
      CHECK(in.element_type(path_in_file) == e.type);
      CHECK(in.shape(path_in_file) == expected_shape(e.shape));
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
