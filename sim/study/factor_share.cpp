// `normsim attribute SWEEP.h5`: the share of each outcome's variance that the one categorical
// factor of a finished sweep explains (law of total variance, bias-corrected) and, when the sweep
// used common keys, the differences between its levels paired run by run.
#include "output/hdf5_reader.hpp"
#include "study/attribute.hpp"
#include "study/censoring.hpp"
#include "study/errors.hpp"
#include "study/tables.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>

namespace normsim::study {

FactorShareResult factor_share(const std::filesystem::path& path, const std::vector<std::string>& outcomes,
                               std::uint64_t bootstrap, int threads, double confidence) {
  const output::Hdf5Reader file(path);
  const std::vector<std::string> datasets = file.dataset_paths();
  std::vector<std::string> factors;
  for (const std::string& d : datasets) {
    if (d.rfind("/design/", 0) == 0) factors.push_back(d);
  }
  if (factors.size() != 1 || file.element_type(factors.front()) != "int64") {
    throw InputError(fmt::format("{}: attribute on a file needs a sweep over exactly one categorical factor (it has {} "
                                 "design factors)",
                                 path.string(), factors.size()));
  }
  for (const std::string& name : outcomes) {
    if (std::find(datasets.begin(), datasets.end(), "/outcomes/" + name) == datasets.end()) {
      throw InputError(fmt::format("--outcomes: '{}' is not an outcome of {} (see normsim reference)", name, path.string()));
    }
  }
  const scenario::Scenario base = scenario::load_text(file.string_attribute("scenario_resolved"), path.string());
  FactorShareResult result;
  result.factor = factors.front().substr(8);
  result.paired = base.sweep.common_keys;
  result.labels = file.string_array_attribute("labels", factors.front());
  result.levels = file.read_int64(factors.front());
  result.points = file.shape("/point").at(0);
  result.replicates = file.shape("/replicate").at(0);
  const TableBuilder builder(confidence, bootstrap);
  std::vector<output::AttributionTable> tables;
  // The bootstrap runs its resamples in parallel, in this arena: --threads holds here too.
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  arena.execute([&] {
    for (const std::string& name : outcomes) {
      std::vector<double> y = file.read_float64("/outcomes/" + name);
      censor(y, static_cast<double>(base.model.world.steps));
      // y is point-major = level-major when each point is one level, as in a one-factor grid.
      FactorShare share{name, analysis::norm_share(y, static_cast<std::size_t>(result.points), result.paired,
                                                   builder.bootstrap()),
                        {}};
      if (result.paired) share.differences = analysis::level_differences(y, static_cast<std::size_t>(result.points), confidence);
      output::AttributionTable t = builder.table(name, output::TableKind::main, result.replicates,
                                                 result.points * result.replicates,
                                                 share.share.between.value + share.share.within.value);
      t.labels = {result.factor};
      t.kinds = {output::FactorKind::categorical_factor};
      t.indices.push_back(builder.bootstrap_column(
          "share", {share.share.share},
          result.paired ? "replicates resampled jointly (common keys)" : "levels resampled separately"));
      tables.push_back(std::move(t));
      result.shares.push_back(std::move(share));
    }
  });
  output::write_attribution(path, tables);
  return result;
}

}  // namespace normsim::study
