#include "study/rounds.hpp"

#include "scenario/sweep.hpp"
#include "study/censoring.hpp"
#include "study/domains.hpp"
#include "study/errors.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>

#include <cmath>
#include <stdexcept>

namespace normsim::study {

namespace fs = std::filesystem;

ExtensionSet::ExtensionSet(const runner::SweepSet& base, std::vector<std::uint64_t> points, std::uint64_t first,
                           std::uint64_t width)
    : base_(base), points_(std::move(points)), first_(first), width_(width) {
  if (width_ == 0) throw std::invalid_argument("ExtensionSet: width 0");
  for (const std::uint64_t p : points_) {
    if (p >= base_.points()) throw std::invalid_argument("ExtensionSet: no such point");
  }
}

runner::RunPlan ExtensionSet::plan(std::uint64_t k) const {
  runner::RunPlan p;
  p.run_index = k;
  p.output_point = k / width_;
  p.point = points_[p.output_point];
  p.replicate = k % width_;
  p.stream_replicate = first_ + p.replicate;
  p.stream_point = base_.point(p.point)->stream_id;
  return p;
}

PipelineResult run_extension(const scenario::Scenario& base, const Extension& e, const fs::path& file,
                             const std::string& command_line, const std::string& scenario_file, bool resume,
                             bool overwrite, const Conduct& conduct, const Processes& processes) {
  if (resume && fs::exists(file)) return {PipelineStatus::written, {}, 0};
  const std::unique_ptr<runner::SweepSet> sweep = make_run_set(base);
  const ExtensionSet set(*sweep, e.points, e.first, e.width);
  const output::Layout whole = make_layout(base, false);
  Pipeline p;
  p.set = &set;
  p.layout.points = e.points.size();
  p.layout.replicates = e.width;
  p.layout.steps = whole.steps;
  p.layout.series = false;
  for (const output::DesignFactor& f : whole.design) {
    output::DesignFactor column = f;
    column.values.clear();
    column.levels.clear();
    for (const std::uint64_t point : e.points) {
      column.values.push_back(f.values[point]);
      column.levels.push_back(f.levels[point]);
    }
    p.layout.design.push_back(std::move(column));
  }
  for (const auto& [name, value] : {std::pair<const char*, bool>{"sweep_point", true}, {"first_replicate", false}}) {
    output::DesignFactor column;
    column.name = name;
    for (const std::uint64_t point : e.points) {
      column.values.push_back(static_cast<double>(value ? point : e.first));
      column.levels.push_back(-1);
    }
    p.layout.design.push_back(std::move(column));
  }
  p.header = make_journal_header(base, p.layout);
  // A round's journal is never mixed with the scenario's or another round's.
  std::uint64_t points_hash = e.first;
  for (const std::uint64_t point : e.points) points_hash = points_hash * 0x100000001b3ULL + point + 1;
  p.header.sweep_id = domain_seed(p.header.sweep_id, DesignDomain::sequential_round) ^ points_hash;
  p.provenance = make_provenance(base, command_line, scenario_file);
  p.output = file;
  const auto ranks = static_cast<std::uint64_t>(processes.size());
  p.shard = {static_cast<std::uint64_t>(processes.rank()), ranks};
  p.journal = journal_path(file, p.shard.index, ranks);
  for (std::uint64_t r = 0; r < ranks; ++r) p.journals.push_back(journal_path(file, r, ranks));
  p.resume = resume;
  p.overwrite = overwrite;
  return run_pipeline(p, conduct, processes);
}

RunValues::RunValues(const fs::path& path, const scenario::Scenario& base, const std::vector<fs::path>& rounds)
    : base_(base) {
  Part first;
  first.file = std::make_unique<output::Hdf5Reader>(path);
  first.width = first.file->shape("/replicate").at(0);
  for (std::uint64_t p = 0; p < base.sweep.points; ++p) first.row[p] = p;
  parts_.push_back(std::move(first));
  std::map<std::uint64_t, std::uint64_t> count;
  for (std::uint64_t p = 0; p < base.sweep.points; ++p) count[p] = parts_[0].width;
  for (const fs::path& round : rounds) {
    Part part;
    part.file = std::make_unique<output::Hdf5Reader>(round);
    part.width = part.file->shape("/replicate").at(0);
    const std::vector<double> points = part.file->read_float64("/design/sweep_point");
    const std::vector<double> firsts = part.file->read_float64("/design/first_replicate");
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto p = static_cast<std::uint64_t>(points[i]);
      if (static_cast<std::uint64_t>(firsts[i]) != count[p]) {
        throw InputError(fmt::format("{}: point {} continues at replicate {}, but the files before it hold {} "
                                     "replicates of it",
                                     round.string(), p, firsts[i], count[p]));
      }
      count[p] += part.width;
      part.row[p] = i;
    }
    parts_.push_back(std::move(part));
  }
}

std::uint64_t RunValues::replicates(std::uint64_t p) const {
  std::uint64_t n = 0;
  for (const Part& part : parts_) n += part.row.count(p) != 0 ? part.width : 0;
  return n;
}

double RunValues::horizon_of(std::uint64_t p) const {
  if (base_.sweep.points == 1) return static_cast<double>(base_.model.world.steps);
  return static_cast<double>(scenario::point_scenario(base_, p).model.world.steps);
}

std::vector<double> RunValues::at(const std::string& outcome, std::uint64_t p) {
  const bool reached = outcome == scenario::kReachedTransformative;
  const std::string name = reached ? std::string("t_transform") : outcome;
  std::vector<double> y;
  for (Part& part : parts_) {
    const auto row = part.row.find(p);
    if (row == part.row.end()) continue;
    auto it = part.columns.find(name);
    if (it == part.columns.end()) it = part.columns.emplace(name, part.file->read_float64("/outcomes/" + name)).first;
    const auto begin = it->second.begin() + static_cast<std::ptrdiff_t>(row->second * part.width);
    y.insert(y.end(), begin, begin + static_cast<std::ptrdiff_t>(part.width));
  }
  if (reached) {
    for (double& v : y) v = std::isnan(v) ? 0.0 : 1.0;
  } else if (name == "t_transform") {
    censor(y, horizon_of(p));
  }
  return y;
}

}  // namespace normsim::study
