#include "output/attribution_table.hpp"

#include "output/detail/hdf5_handles.hpp"
#include "output/detail/hdf5_sink_state.hpp"
#include "output/error.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <numeric>

namespace normsim::output {

namespace {

void write_column(hid_t group, const std::string& name, const std::vector<double>& values) {
  detail::DatasetSpec spec;
  spec.file_type = detail::file_type<double>();
  spec.dims = {values.size()};
  const detail::Dataset d = detail::create_dataset(group, name, spec);
  const std::vector<hsize_t> start{0};
  const std::vector<hsize_t> count{values.size()};
  detail::write_block<double>(d.id(), start, count, values, name);
}

void write_table(hid_t root, const AttributionTable& t) {
  const std::size_t g = t.labels.size();
  if (t.kinds.size() != g) {
    throw OutputError(fmt::format("attribution of {}: {} kinds for {} factors", t.name(), t.kinds.size(), g));
  }
  const detail::Group group = detail::create_group(root, t.name());
  {
    detail::DatasetSpec spec;
    spec.file_type = detail::file_type<std::int64_t>();
    spec.dims = {g};
    const detail::Dataset factor = detail::create_dataset(group.id(), "factor", spec);
    std::vector<std::int64_t> codes(g);
    std::iota(codes.begin(), codes.end(), std::int64_t{0});
    const std::vector<hsize_t> start{0};
    const std::vector<hsize_t> count{g};
    detail::write_block<std::int64_t>(factor.id(), start, count, codes, "factor");
    detail::write_string_array_attribute(factor.id(), "labels", t.labels);
    std::vector<std::string> kinds;
    for (const FactorKind k : t.kinds) kinds.emplace_back(factor_kind_name(k));
    detail::write_string_array_attribute(factor.id(), "kinds", kinds);
  }
  for (const IndexColumn& c : t.indices) {
    if (c.estimate.size() != g || c.low.size() != g || c.high.size() != g) {
      throw OutputError(fmt::format("attribution of {}: index {} has columns of {}/{}/{} entries for {} factors",
                                    t.name(), c.name, c.estimate.size(), c.low.size(), c.high.size(), g));
    }
    const detail::Group index = detail::create_group(group.id(), c.name);
    write_column(index.id(), "estimate", c.estimate);
    write_column(index.id(), "low", c.low);
    write_column(index.id(), "high", c.high);
    if (!c.se.empty()) {
      if (c.se.size() != g) {
        throw OutputError(fmt::format("attribution of {}: index {} has {} standard errors for {} factors", t.name(),
                                      c.name, c.se.size(), g));
      }
      write_column(index.id(), "se", c.se);
    }
    detail::write_string_attribute(index.id(), "estimator", c.estimator);
    detail::write_string_attribute(index.id(), "ci", c.ci);
  }
  detail::write_number_attribute<std::uint64_t>(group.id(), "rows", t.rows);
  detail::write_number_attribute<std::uint64_t>(group.id(), "runs", t.runs);
  detail::write_number_attribute<double>(group.id(), "variance", t.variance);
  detail::write_number_attribute<double>(group.id(), "confidence", t.confidence);
}

}  // namespace

std::string_view factor_kind_name(FactorKind kind) noexcept { return kFactorKindNames[static_cast<std::size_t>(kind)]; }

std::optional<FactorKind> factor_kind_by_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kFactorKindNames.size(); ++i) {
    if (kFactorKindNames[i] == name) return static_cast<FactorKind>(i);
  }
  return std::nullopt;
}

std::string_view table_suffix(TableKind kind) noexcept {
  switch (kind) {
    case TableKind::main: return "";
    case TableKind::shapley: return ".shapley";
    case TableKind::knockout: return ".knockout";
    case TableKind::janon: return ".janon";
  }
  return "";
}

void write_attribution(const std::filesystem::path& file, const std::vector<AttributionTable>& tables,
                       std::optional<std::uint64_t> extra_runs) {
  detail::replace_root_group(file, "attribution", [&](hid_t root) {
    for (const AttributionTable& t : tables) write_table(root, t);
    if (extra_runs) detail::write_number_attribute<std::uint64_t>(root, "extra_runs", *extra_runs);
  });
}

void detail::replace_root_group(const std::filesystem::path& file, const std::string& name,
                                const std::function<void(hid_t group)>& fill) {
  // Work on a copy, renamed over the file at the end: a failure leaves the file as it was.
  std::filesystem::path temp = file;
  temp += fmt::format(".tmp-{}", ::getpid());
  try {
    std::filesystem::copy_file(file, temp, std::filesystem::copy_options::overwrite_existing);
    {
      const detail::QuietErrors quiet;
      detail::File f = detail::open_file_read_write(temp.string());
      if (H5Lexists(f.id(), name.c_str(), detail::default_plist()) > 0) {
        detail::check(H5Ldelete(f.id(), name.c_str(), detail::default_plist()), "replacing /" + name);
      }
      const detail::Group root = detail::create_group(f.id(), name);
      fill(root.id());
      detail::flush_and_close(f, fmt::format("writing /{} to '{}'", name, temp.string()));
    }
    std::filesystem::rename(temp, file);
  } catch (const std::filesystem::filesystem_error& e) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw OutputError(fmt::format("adding /{} to '{}': {}", name, file.string(), e.what()));
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
}

}  // namespace normsim::output
