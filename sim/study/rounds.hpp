#pragma once
// The extra replicates of a sequential check: a round gives some points of the scenario's design
// the replicates [first, first + width) — the next replicate indices, so that a point's runs are
// the same whichever round produced them — as a file of its own, [points, width], through the
// journalled pipeline (resume, MPI). RunValues reads a point's outcomes across the scenario's file
// and every round file, in replicate order.
#include "output/hdf5_reader.hpp"
#include "runner/plan.hpp"
#include "scenario/scenario.hpp"
#include "study/journaled.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace normsim::study {

/// Replicates [first, first + width) of the given points of `base` (a sweep's run set): position
/// k is point points[k / width], replicate first + k % width, keyed exactly as that replicate is
/// in `base`; in the output it is row k / width, column k % width.
class ExtensionSet final : public runner::RunSet {
 public:
  /// Throws std::invalid_argument if width is 0 or a point is not in `base`.
  ExtensionSet(const runner::SweepSet& base, std::vector<std::uint64_t> points, std::uint64_t first,
               std::uint64_t width);
  [[nodiscard]] std::uint64_t size() const override { return points_.size() * width_; }
  [[nodiscard]] runner::RunPlan plan(std::uint64_t k) const override;
  [[nodiscard]] std::shared_ptr<const runner::Point> point(std::uint64_t point) const override {
    return base_.point(point);
  }
  [[nodiscard]] std::uint64_t master_seed() const override { return base_.master_seed(); }

 private:
  const runner::SweepSet& base_;
  std::vector<std::uint64_t> points_;
  std::uint64_t first_;
  std::uint64_t width_;
};

/// One round's extension: which points, from which replicate, how many.
struct Extension {
  std::vector<std::uint64_t> points;  ///< design points, increasing
  std::uint64_t first = 0;            ///< first replicate index
  std::uint64_t width = 0;            ///< replicates added to each point
};

/// Runs `extension` of `base` into `file` (unless `resume` and `file` exists: then it is kept).
/// The file's design table holds the points' factors plus `sweep_point` and `first_replicate`.
/// Returns the pipeline's status and the runs made.
[[nodiscard]] PipelineResult run_extension(const scenario::Scenario& base, const Extension& extension,
                                           const std::filesystem::path& file, const std::string& command_line,
                                           const std::string& scenario_file, bool resume, bool overwrite,
                                           const Conduct& conduct, const Processes& processes);

/// Reads outcome columns on demand from the scenario's run file and the round files: a point's
/// values are its replicates in index order (censored as the attribution censors them:
/// t_transform at the point's horizon; reached_transformative derived from it).
class RunValues {
 public:
  /// Throws output::OutputError when a file cannot be read, InputError when the round files do
  /// not continue the replicates of their points without a gap.
  RunValues(const std::filesystem::path& path, const scenario::Scenario& base,
            const std::vector<std::filesystem::path>& rounds = {});
  /// Replicates of point p across the files.
  [[nodiscard]] std::uint64_t replicates(std::uint64_t p) const;
  /// The values of `outcome` at point p, replicate order.
  [[nodiscard]] std::vector<double> at(const std::string& outcome, std::uint64_t p);
  /// The largest world.steps of point p (t_transform's censoring horizon).
  [[nodiscard]] double horizon_of(std::uint64_t p) const;

 private:
  struct Part {
    std::unique_ptr<output::Hdf5Reader> file;
    std::uint64_t width = 0;                    ///< replicates per point in the file
    std::map<std::uint64_t, std::uint64_t> row; ///< design point → row in the file
    std::map<std::string, std::vector<double>> columns;
  };
  const scenario::Scenario& base_;
  std::vector<Part> parts_;  ///< the scenario's file first, then the rounds in order
};

}  // namespace normsim::study
