#include "output/discovery_table.hpp"

#include "output/detail/hdf5_handles.hpp"
#include "output/detail/hdf5_sink_state.hpp"
#include "output/error.hpp"

#include <fmt/core.h>

#include <unistd.h>

namespace normsim::output {

namespace {

/// A dataset of `dims` (rank 1 or 2) holding `values` row-major; throws OutputError if the sizes
/// disagree.
template <class T>
void write_array(hid_t group, const std::string& name, const std::vector<T>& values, std::vector<hsize_t> dims) {
  detail::DatasetSpec spec;
  spec.file_type = detail::file_type<T>();
  spec.dims = dims;
  const detail::Dataset d = detail::create_dataset(group, name, spec);
  const std::vector<hsize_t> start(dims.size(), 0);
  detail::write_block<T>(d.id(), start, dims, values, name);
}

template <class T>
void write_column(hid_t group, const std::string& name, const std::vector<T>& values) {
  write_array(group, name, values, {values.size()});
}

/// An int8 code column with its labels (as /claims writes verdicts).
void write_codes(hid_t group, const std::string& name, const std::vector<std::int8_t>& codes,
                 const std::vector<std::string>& labels) {
  detail::DatasetSpec spec;
  spec.file_type = H5T_STD_I8LE;
  spec.dims = {codes.size()};
  const detail::Dataset d = detail::create_dataset(group, name, spec);
  if (!codes.empty()) {
    detail::check(H5Dwrite(d.id(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, codes.data()),
                  fmt::format("writing {}", name));
  }
  detail::write_string_array_attribute(d.id(), "labels", labels);
}

void write_box(hid_t parent, const DiscoveryBox& b, std::size_t dimensions) {
  const std::size_t k = b.dimension.size();
  const std::size_t s = b.coverage.size();
  const std::size_t d = dimensions;
  const bool equal = b.side.size() == k && b.limit.size() == k && b.levels.size() == k && b.quasi_p.size() == k &&
                     b.frequency.size() == k && b.limit_mean.size() == k && b.limit_sd.size() == k &&
                     b.text.size() == k && b.low.size() == d && b.high.size() == d && b.level_mask.size() == d &&
                     b.density.size() == s && b.mass.size() == s && b.n_points.size() == s &&
                     b.n_restricted.size() == s && b.trajectory_low.size() == s * d &&
                     b.trajectory_high.size() == s * d && b.trajectory_levels.size() == s * d &&
                     b.stability_frequency.size() == 3 * d && b.stability_limit_mean.size() == 2 * d &&
                     b.stability_limit_sd.size() == 2 * d && b.level_admitted.size() == b.level_columns * d;
  if (!equal) throw OutputError(fmt::format("discovery box {}: columns of unequal length", b.name));
  const detail::Group group = detail::create_group(parent, b.name);
  {
    const detail::Group r = detail::create_group(group.id(), "restrictions");
    write_column(r.id(), "dimension", b.dimension);
    write_codes(r.id(), "side", b.side, {"low", "high", "levels"});
    write_column(r.id(), "limit", b.limit);
    write_column(r.id(), "levels", b.levels);
    write_column(r.id(), "quasi_p", b.quasi_p);
    write_column(r.id(), "frequency", b.frequency);
    write_column(r.id(), "limit_mean", b.limit_mean);
    write_column(r.id(), "limit_sd", b.limit_sd);
    detail::write_string_array_attribute(r.id(), "text", b.text);
  }
  {
    const detail::Group l = detail::create_group(group.id(), "limits");
    write_column(l.id(), "low", b.low);
    write_column(l.id(), "high", b.high);
    write_column(l.id(), "levels", b.level_mask);
  }
  {
    const detail::Group t = detail::create_group(group.id(), "trajectory");
    write_column(t.id(), "coverage", b.coverage);
    write_column(t.id(), "density", b.density);
    write_column(t.id(), "mass", b.mass);
    write_column(t.id(), "n_points", b.n_points);
    write_column(t.id(), "n_restricted", b.n_restricted);
    write_array(t.id(), "low", b.trajectory_low, {s, d});
    write_array(t.id(), "high", b.trajectory_high, {s, d});
    write_array(t.id(), "levels", b.trajectory_levels, {s, d});
  }
  {
    const detail::Group st = detail::create_group(group.id(), "stability");
    write_array(st.id(), "frequency", b.stability_frequency, {d, 3});
    write_array(st.id(), "limit_mean", b.stability_limit_mean, {d, 2});
    write_array(st.id(), "limit_sd", b.stability_limit_sd, {d, 2});
    write_array(st.id(), "level_admitted", b.level_admitted, {d, b.level_columns});
  }
  const hid_t g = group.id();
  detail::write_number_attribute<std::uint64_t>(g, "stage", b.stage);
  detail::write_number_attribute<double>(g, "coverage", b.box_coverage);
  detail::write_number_attribute<double>(g, "density", b.box_density);
  detail::write_number_attribute<double>(g, "mass", b.box_mass);
  detail::write_number_attribute<std::uint64_t>(g, "n_points", b.box_points);
  detail::write_number_attribute<double>(g, "p_value", b.p_value);
  detail::write_number_attribute<double>(g, "null_density", b.null_density);
  detail::write_number_attribute<double>(g, "similarity", b.similarity);
  detail::write_number_attribute<std::uint64_t>(g, "resamples", b.resamples);
  detail::write_number_attribute<std::uint64_t>(g, "chosen_step", b.chosen_step);
  detail::write_number_attribute<std::uint64_t>(g, "stage_points", b.stage_points);
  detail::write_number_attribute<double>(g, "stage_base_rate", b.stage_base_rate);
  detail::write_string_array_attribute(g, "dropped", b.dropped);
}

void write_table(hid_t claim, const DiscoveryTable& t) {
  const std::size_t p = t.estimate.size();
  const std::size_t d = t.dimension_names.size();
  const bool equal = t.low.size() == p && t.high.size() == p && t.interest.size() == p && t.verdict.size() == p &&
                     t.n.size() == p && t.dimension_scales.size() == d && t.dimension_kind.size() == d &&
                     t.dimension_low.size() == d && t.dimension_high.size() == d;
  if (!equal) throw OutputError(fmt::format("discovery of claim {}: columns of unequal length", t.claim));
  {
    const detail::Group points = detail::create_group(claim, "points");
    write_column(points.id(), "estimate", t.estimate);
    write_column(points.id(), "low", t.low);
    write_column(points.id(), "high", t.high);
    write_codes(points.id(), "verdict", t.verdict, {"holds", "fails", "inconclusive"});
    write_column(points.id(), "interest", t.interest);
    write_column(points.id(), "n", t.n);
    const detail::Group design = detail::create_group(points.id(), "design");
    for (const DesignFactor& f : t.design) {
      if (f.values.size() != p || f.levels.size() != p) {
        throw OutputError(fmt::format("discovery of claim {}: design column {} has the wrong length", t.claim, f.name));
      }
      detail::Dataset column = detail::write_design_column(design.id(), f, p);
      column.close("writing the design of discovery " + t.claim);
    }
  }
  {
    const detail::Group dims = detail::create_group(claim, "dimensions");
    write_column(dims.id(), "low", t.dimension_low);
    write_column(dims.id(), "high", t.dimension_high);
    write_codes(dims.id(), "kind", t.dimension_kind, {"numeric", "categorical"});
    detail::write_string_array_attribute(dims.id(), "names", t.dimension_names);
    detail::write_string_array_attribute(dims.id(), "scales", t.dimension_scales);
  }
  for (const DiscoveryBox& b : t.boxes) write_box(claim, b, d);
  for (const auto& [name, text] :
       {std::pair<const char*, const std::string*>{"statement", &t.statement}, {"quantity", &t.quantity},
        {"outcome", &t.outcome}, {"compare", &t.compare}, {"estimator", &t.estimator}, {"guarantee", &t.guarantee},
        {"interest", &t.interest_rule}, {"stop_reason", &t.stop_reason}}) {
    detail::write_string_attribute(claim, name, *text);
  }
  detail::write_number_attribute<double>(claim, "value", t.value);
  detail::write_number_attribute<double>(claim, "confidence", t.confidence);
  detail::write_number_attribute<std::uint64_t>(claim, "n_points", p);
  detail::write_number_attribute<double>(claim, "base_rate", t.base_rate);
  detail::write_number_attribute<double>(claim, "total_interest", t.total_interest);
  detail::write_number_attribute<std::uint64_t>(claim, "boxes", t.accepted);
  for (const auto& [name, value] : t.numbers) detail::write_number_attribute<double>(claim, name, value);
  for (const auto& [name, value] : t.texts) detail::write_string_attribute(claim, name, value);
}

}  // namespace

void write_discovery(const std::filesystem::path& file, const DiscoveryTable& table) {
  // Work on a copy, renamed over the file at the end: a failure leaves the file as it was. Unlike
  // replace_root_group, the other claims' groups under /discovery stay.
  std::filesystem::path temp = file;
  temp += fmt::format(".tmp-{}", ::getpid());
  try {
    std::filesystem::copy_file(file, temp, std::filesystem::copy_options::overwrite_existing);
    {
      const detail::QuietErrors quiet;
      detail::File f = detail::open_file_read_write(temp.string());
      const std::string what = fmt::format("writing /discovery/{} to '{}'", table.claim, temp.string());
      detail::Group root;
      if (H5Lexists(f.id(), "discovery", detail::default_plist()) > 0) {
        root = detail::Group(H5Gopen2(f.id(), "discovery", detail::default_plist()), what);
        if (H5Lexists(root.id(), table.claim.c_str(), detail::default_plist()) > 0) {
          detail::check(H5Ldelete(root.id(), table.claim.c_str(), detail::default_plist()), what);
        }
      } else {
        root = detail::create_group(f.id(), "discovery");
        detail::write_string_array_attribute(root.id(), "verdict_labels", {"holds", "fails", "inconclusive"});
      }
      {
        const detail::Group claim = detail::create_group(root.id(), table.claim);
        write_table(claim.id(), table);
      }
      root.close(what);
      detail::flush_and_close(f, what);
    }
    std::filesystem::rename(temp, file);
  } catch (const std::filesystem::filesystem_error& e) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw OutputError(fmt::format("adding /discovery/{} to '{}': {}", table.claim, file.string(), e.what()));
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace normsim::output
