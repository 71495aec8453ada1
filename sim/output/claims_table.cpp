#include "output/claims_table.hpp"

#include "output/detail/hdf5_handles.hpp"
#include "output/detail/hdf5_sink_state.hpp"
#include "output/error.hpp"

#include <fmt/core.h>


namespace normsim::output {

namespace {

template <class T>
void write_column(hid_t group, const std::string& name, const std::vector<T>& values) {
  detail::DatasetSpec spec;
  spec.file_type = detail::file_type<T>();
  spec.dims = {values.size()};
  const detail::Dataset d = detail::create_dataset(group, name, spec);
  const std::vector<hsize_t> start{0};
  const std::vector<hsize_t> count{values.size()};
  detail::write_block<T>(d.id(), start, count, values, name);
}

void write_int8(hid_t group, const std::string& name, const std::vector<std::int8_t>& values,
                const std::vector<std::string>& labels, const std::string& what) {
  detail::DatasetSpec spec;
  spec.file_type = H5T_STD_I8LE;
  spec.dims = {values.size()};
  const detail::Dataset d = detail::create_dataset(group, name, spec);
  if (!values.empty()) {
    detail::check(H5Dwrite(d.id(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                  fmt::format("writing {} of {}", name, what));
  }
  if (!labels.empty()) detail::write_string_array_attribute(d.id(), "labels", labels);
}

void write_boundary(hid_t claim, const ClaimBoundary& b, const std::string& id) {
  const std::size_t c = b.status.size();
  const std::string what = "the boundary of claim " + id;
  if (b.estimate.size() != c || b.low.size() != c || b.high.size() != c || b.crossings.size() != c || b.runs.size() != c) {
    throw OutputError(fmt::format("{}: columns of unequal length", what));
  }
  const detail::Group group = detail::create_group(claim, "boundary");
  write_int8(group.id(), "status", b.status, {"crosses_once", "crosses_more_than_once", "no_crossing", "undecided"}, what);
  write_column(group.id(), "estimate", b.estimate);
  write_column(group.id(), "low", b.low);
  write_column(group.id(), "high", b.high);
  write_column(group.id(), "count", b.crossings);
  write_column(group.id(), "runs", b.runs);
  if (!b.design.empty()) {
    const detail::Group design = detail::create_group(group.id(), "design");
    for (const DesignFactor& f : b.design) {
      if (f.values.size() != c || f.levels.size() != c) throw OutputError(fmt::format("{}: design column {}", what, f.name));
      detail::Dataset d = detail::write_design_column(design.id(), f, c);
      d.close("writing " + what);
    }
  }
  {
    const detail::Group x = detail::create_group(group.id(), "crossings");
    write_column(x.id(), "combination", b.crossing_combination);
    write_column(x.id(), "estimate", b.crossing_estimate);
    write_column(x.id(), "low", b.crossing_low);
    write_column(x.id(), "high", b.crossing_high);
    write_int8(x.id(), "end", b.crossing_end, {"resolution", "zone", "probes", "budget", "not_refined"}, what);
    write_int8(x.id(), "holds_below", b.crossing_holds_below, {}, what);
  }
  {
    const detail::Group q = detail::create_group(group.id(), "points");
    write_column(q.id(), "combination", b.point_combination);
    write_column(q.id(), "x", b.point_x);
    write_column(q.id(), "estimate", b.point_estimate);
    write_column(q.id(), "low", b.point_low);
    write_column(q.id(), "high", b.point_high);
    write_column(q.id(), "n", b.point_n);
    write_int8(q.id(), "sign", b.point_sign, {}, what);
    write_int8(q.id(), "role", b.point_role, {"grid", "probe"}, what);
  }
  detail::write_string_attribute(group.id(), "factor", b.factor);
  detail::write_number_attribute<double>(group.id(), "alpha", b.alpha);
  detail::write_string_attribute(group.id(), "guarantee", b.guarantee);
  detail::write_string_attribute(group.id(), "method", b.method);
}

void write_claim(hid_t root, const ClaimResult& c) {
  const std::size_t p = c.estimate.size();
  const bool equal = c.low.size() == p && c.high.size() == p && c.n_needed.size() == p && c.verdict.size() == p &&
                     c.n.size() == p && c.prospect.size() == p && c.runs.size() == p;
  if (!equal) throw OutputError(fmt::format("claim {}: columns of unequal length", c.id));
  const detail::Group group = detail::create_group(root, c.id);
  write_column(group.id(), "estimate", c.estimate);
  write_column(group.id(), "low", c.low);
  write_column(group.id(), "high", c.high);
  write_column(group.id(), "n_needed", c.n_needed);
  write_column(group.id(), "n", c.n);
  write_column(group.id(), "runs", c.runs);
  write_int8(group.id(), "verdict", c.verdict, {"holds", "fails", "inconclusive"}, "claim " + c.id);
  write_int8(group.id(), "prospect", c.prospect, {"decided", "more_runs", "beyond_budget", "on_value"}, "claim " + c.id);
  if (!c.design.empty()) {
    const detail::Group design = detail::create_group(group.id(), "design");
    for (const DesignFactor& f : c.design) {
      if (f.values.size() != p || f.levels.size() != p) {
        throw OutputError(fmt::format("claim {}: design column {} has the wrong length", c.id, f.name));
      }
      detail::Dataset d = detail::write_design_column(design.id(), f, p);
      d.close("writing design of claim " + c.id);
    }
  }
  if (c.boundary) write_boundary(group.id(), *c.boundary, c.id);
  detail::write_string_attribute(group.id(), "statement", c.statement);
  detail::write_string_attribute(group.id(), "quantity", c.quantity);
  detail::write_string_attribute(group.id(), "outcome", c.outcome);
  detail::write_string_attribute(group.id(), "compare", c.compare);
  detail::write_number_attribute<double>(group.id(), "value", c.value);
  detail::write_number_attribute<double>(group.id(), "confidence", c.confidence);
  detail::write_string_attribute(group.id(), "scope", c.scope);
  detail::write_string_attribute(group.id(), "estimator", c.estimator);
  detail::write_string_attribute(group.id(), "units", c.units);
  detail::write_number_attribute<double>(group.id(), "entry_confidence", c.entry_confidence);
  detail::write_string_attribute(group.id(), "error", c.error);
  detail::write_string_attribute(group.id(), "mode", c.mode);
  detail::write_number_attribute<std::uint64_t>(group.id(), "looks", c.looks);
  detail::write_string_attribute(group.id(), "guarantee", c.guarantee);
}

}  // namespace

void write_claims(const std::filesystem::path& file, const std::vector<ClaimResult>& claims, const CheckCost& cost) {
  detail::replace_root_group(file, "claims", [&](hid_t root) {
    detail::write_string_array_attribute(root, "verdict_labels", {"holds", "fails", "inconclusive"});
    detail::write_number_attribute<double>(root, "wall_seconds", cost.wall_seconds);
    detail::write_number_attribute<std::uint64_t>(root, "runs", cost.runs);
    for (const ClaimResult& c : claims) write_claim(root, c);
  });
}

}  // namespace normsim::output
