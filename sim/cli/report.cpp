#include "cli/report.hpp"

#include "model/outcomes.hpp"
#include "output/hdf5_reader.hpp"

#include <fmt/core.h>

#include <string>
#include <vector>

namespace normsim::cli {

namespace {

struct Column {
  std::vector<double> mean;
  std::vector<double> se;
  std::vector<std::uint64_t> n;
};

Column summary_of(const output::Hdf5Reader& file, std::string_view outcome) {
  const std::string base = fmt::format("/summary/{}/", outcome);
  return {file.read_float64(base + "mean"), file.read_float64(base + "se"), file.read_uint64(base + "n")};
}

/// The label of factor `name` at point p: its level label, or its number.
std::string design_value(const output::Hdf5Reader& file, const std::string& dataset, std::size_t p) {
  if (file.element_type(dataset) == "int64") {
    const std::vector<std::string> labels = file.string_array_attribute("labels", dataset);
    const std::int64_t level = file.read_int64(dataset)[p];
    return level >= 0 && static_cast<std::size_t>(level) < labels.size() ? labels[static_cast<std::size_t>(level)] : "?";
  }
  return fmt::format("{:g}", file.read_float64(dataset)[p]);
}

}  // namespace

void print_file_summary(const std::filesystem::path& path) {
  const output::Hdf5Reader file(path);
  const std::uint64_t points = file.shape("/point").at(0);
  if (points == 1) {
    fmt::print("{:<34} {:>12} {:>11} {:>7}\n", "outcome", "mean", "std. error", "n");
    for (const model::Descriptor& d : model::kOutcomeDescriptors) {
      const Column c = summary_of(file, d.name);
      fmt::print("{:<34} {:>12.5g} {:>11.3g} {:>7}\n", d.name, c.mean[0], c.se[0], c.n[0]);
    }
    return;
  }
  std::vector<std::string> factors;
  for (const std::string& d : file.dataset_paths()) {
    if (d.rfind("/design/", 0) == 0) factors.push_back(d);
  }
  const Column xrisk = summary_of(file, "xrisk");
  const Column capability = summary_of(file, "capability");
  const Column transform = summary_of(file, "t_transform");
  std::string header = fmt::format("{:>6}", "point");
  for (const std::string& f : factors) header += fmt::format(" {:>16.16}", f.substr(f.rfind('.') + 1));
  fmt::print("{} {:>18} {:>20} {:>16}\n", header, "xrisk ± se", "capability ± se", "t_transform");
  const std::uint64_t shown = points < 40 ? points : 40;
  for (std::uint64_t p = 0; p < shown; ++p) {
    std::string row = fmt::format("{:>6}", p);
    for (const std::string& f : factors) row += fmt::format(" {:>16.16}", design_value(file, f, p));
    fmt::print("{} {:>9.4f} ± {:<6.4f} {:>10.4g} ± {:<7.3g} {:>16.4g}\n", row, xrisk.mean[p], xrisk.se[p],
               capability.mean[p], capability.se[p], transform.mean[p]);
  }
  if (shown < points) fmt::print("… {} more points in {}\n", points - shown, path.string());
}

}  // namespace normsim::cli
