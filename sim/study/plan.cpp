#include "study/plan.hpp"

#include "study/groups.hpp"
#include "study/setup.hpp"
#include "model/outcomes.hpp"
#include "runner/execute.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>

namespace normsim::study {

namespace {

std::string bytes_text(double bytes) {
  if (bytes < 1e3) return fmt::format("{:.0f} B", bytes);
  if (bytes < 1e6) return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1e9) return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.2f} GB", bytes / 1e9);
}

std::string seconds_text(double s) {
  if (s < 120) return fmt::format("{:.1f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

Estimate estimate(const scenario::Scenario& base, int threads, bool series, std::uint64_t calibration_points,
                  std::uint64_t replicates_each) {
  Estimate e;
  const std::uint64_t points = base.sweep.points;
  e.runs = base.sweep.runs(base.run.replicates);
  e.threads = threads;
  const std::unique_ptr<runner::SweepSet> set = make_run_set(base);
  // Points spread evenly over the design, the first replicates of each: a sample of what will run.
  const std::uint64_t sample = std::min<std::uint64_t>(calibration_points, points);
  const std::uint64_t replicates = std::min<std::uint64_t>(replicates_each, base.run.replicates);
  std::vector<std::uint64_t> positions;
  for (std::uint64_t i = 0; i < sample; ++i) {
    const std::uint64_t p = i * points / sample;
    for (std::uint64_t r = 0; r < replicates; ++r) positions.push_back(p * base.run.replicates + r);
  }
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t researcher_steps = 0;
  for (const std::uint64_t k : positions) {
    const runner::RunRecord record = runner::run_one(*set, set->plan(k), runner::RecordConfig{false});
    researcher_steps += record.researcher_steps;
    ++e.calibration_runs;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(2)) break;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (e.calibration_runs > 0) {
    e.researcher_steps_per_run = static_cast<double>(researcher_steps) / static_cast<double>(e.calibration_runs);
    e.seconds_per_run = seconds / static_cast<double>(e.calibration_runs);
  }
  const auto runs = static_cast<double>(e.runs);
  // Per run: 11 outcomes, completed flag, researcher-steps, wall time.
  e.outcome_bytes = runs * (8.0 * static_cast<double>(model::kOutcomeCount) + 1 + 8 + 8);
  e.series_bytes = series ? runs * 8.0 * static_cast<double>(model::kSeriesCount) *
                                static_cast<double>(make_layout(base, series).steps)
                          : 0.0;
  return e;
}

std::string describe_estimate(const Estimate& e) {
  return fmt::format(
      "estimated researcher-steps: {:.3g} ({:.0f} per run, from {} calibration runs)\n"
      "estimated time:             {} on {} threads ({:.3g} s per run per thread)\n"
      "estimated output:           {} outcomes{}\n",
      e.researcher_steps(), e.researcher_steps_per_run, e.calibration_runs, seconds_text(e.seconds()), e.threads,
      e.seconds_per_run, bytes_text(e.outcome_bytes),
      e.series_bytes > 0 ? fmt::format(" + at most {} series (before compression; runs that stop early compress)",
                                       bytes_text(e.series_bytes))
                         : std::string(" (no series)"));
}

std::string describe_attribution(const scenario::Scenario& base, const Estimate& e) {
  const scenario::AttributionSettings& a = *base.attribution;
  const bool per_point = a.per_point && base.sweep.points > 1;
  const std::uint64_t factors = per_point ? 0 : base.sweep.factors.size();
  const bool varies_roster = !per_point && std::any_of(base.sweep.factors.begin(), base.sweep.factors.end(),
                                                       [](const scenario::Factor& f) { return f.key == "labs.sizes"; });
  const std::uint64_t labs = base.model.labs.sizes.size();
  std::uint64_t researchers = base.model.individuals.size();
  for (const std::int64_t n : base.model.labs.sizes) researchers += static_cast<std::uint64_t>(n);
  // The default groups (groups.hpp) and the custom ones.
  const std::uint64_t groups = default_group_count(labs, varies_roster) + a.groups.size();
  using K = scenario::ResearcherSelectionKind;
  const std::uint64_t tracked = a.researchers.kind == K::all    ? researchers
                                : a.researchers.kind == K::none ? 0
                                                                : std::min(a.researchers.count, researchers);
  const std::uint64_t attributions = per_point ? base.sweep.points : 1;
  const std::uint64_t main = a.rows * (factors + groups + tracked + 2);
  const std::uint64_t shapley_groups = factors + (a.groups.empty() ? labs : a.groups.size());
  const std::uint64_t shapley = a.shapley ? a.rows * (shapley_groups + 1) : 0;
  const std::uint64_t knockouts = a.rows * a.knockout.size();
  const std::uint64_t screening = a.screen_threshold > 0 ? a.rows * (groups + 2) : 0;
  const std::uint64_t runs = attributions * (main + shapley + knockouts + screening);
  const double seconds = e.seconds_per_run * static_cast<double>(runs) / static_cast<double>(e.threads);
  return fmt::format(
      "attribution ([attribution]{}): {} factors + {} groups + {} researchers, N = {} rows → {} runs{}{}{}{}\n"
      "estimated attribution time: {} on {} threads ({:.3g} researcher-steps; screening can drop researchers)\n",
      per_point ? fmt::format(", at each of {} points", attributions) : std::string(), factors, groups, tracked, a.rows,
      main, shapley > 0 ? fmt::format(" + {} Shapley", shapley) : std::string(),
      knockouts > 0 ? fmt::format(" + {} knockout", knockouts) : std::string(),
      screening > 0 ? fmt::format(" + {} screening", screening) : std::string(),
      attributions > 1 ? fmt::format(", × {} points = {}", attributions, runs) : std::string(), seconds_text(seconds),
      e.threads, e.researcher_steps_per_run * static_cast<double>(runs));
}

std::string describe_design(const scenario::Scenario& base) {
  const scenario::Sweep& sweep = base.sweep;
  std::string text = fmt::format("design: {}", scenario::design_name(sweep.kind));
  if (sweep.kind != scenario::DesignKind::single) {
    text += fmt::format(", {} factor{} (sampling seed {})", sweep.factors.size(), sweep.factors.size() == 1 ? "" : "s",
                        sweep.sampling_seed);
  }
  text += "\n";
  for (const scenario::Factor& f : sweep.factors) {
    if (f.levels.empty()) {
      text += fmt::format("  {:<34} continuous on [{:g}, {:g}]{}\n", f.key, f.from, f.to, f.log_scale ? ", log scale" : "");
    } else {
      std::string levels;
      for (std::size_t i = 0; i < f.labels.size() && i < 8; ++i) levels += (i > 0 ? ", " : "") + f.labels[i];
      if (f.labels.size() > 8) levels += ", …";
      text += fmt::format("  {:<34} {} levels: {}\n", f.key, f.levels.size(), levels);
    }
  }
  text += fmt::format("points: {}   replicates per point: {}   runs: {}   (sweep.max_runs = {})\n", sweep.points,
                      base.run.replicates, sweep.runs(base.run.replicates), sweep.max_runs);
  return text;
}

}  // namespace normsim::study
