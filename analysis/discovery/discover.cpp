// The covering around the one-box pipeline, with the acceptance rule of a box; the permutation test
// and the bootstrap are in resampling.cpp.
#include "analysis/discovery/discover.hpp"

#include "analysis/discovery/pipeline.hpp"
#include "analysis/discovery/resampling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace normsim::analysis::discovery {

void validate(const DiscoverySettings& s) {
  validate(s.prim);
  if (s.max_boxes < 1) throw std::invalid_argument("discover: max_boxes must be at least 1");
  if (!(s.min_density >= 0.0 && s.min_density <= 1.0)) {
    throw std::invalid_argument(fmt::format("discover: min_density = {} is not in [0, 1]", s.min_density));
  }
  if (!(s.significance > 0.0 && s.significance < 1.0)) {
    throw std::invalid_argument(fmt::format("discover: significance = {} is not in (0, 1)", s.significance));
  }
  if (s.prim.choice.rule == BoxChoice::Rule::step && s.max_boxes != 1) {
    throw std::invalid_argument("discover: a step index chooses on one trajectory: it needs max_boxes = 1");
  }
}

DiscoveryResult discover(const PointSet& points, const DiscoverySettings& settings) {
  validate(settings);
  DiscoveryResult result;
  result.initial = initial_box(points);  // validates the points
  const std::vector<Dimension>& dims = points.dimensions;
  std::vector<std::uint32_t> rows = detail::all_rows(points.size());
  {
    const detail::Sums all = detail::all_sums(detail::make_sample(points, rows));
    result.n_points = points.size();
    result.total_weight = all.weight;
    result.total_interest = all.interest;
    result.base_rate = all.interest / all.weight;
  }
  const detail::Totals totals{result.total_weight, result.total_interest};

  std::vector<BoxChoice> choices;  // the choice rule of each accepted box's replicates
  for (std::size_t stage = 0; result.stop_reason.empty(); ++stage) {
    if (stage == settings.max_boxes) {
      result.stop_reason = fmt::format("max_boxes = {} boxes found", settings.max_boxes);
      break;
    }
    if (rows.empty()) {
      result.stop_reason = "every point lies in a box";
      break;
    }
    const detail::Sample s = detail::make_sample(points, rows);
    const detail::Sums left = detail::all_sums(s);
    if (!(left.interest > 0.0)) {
      result.stop_reason = "no point of interest is left outside the boxes";
      break;
    }
    const detail::PipelineResult run =
        detail::run_pipeline(s, dims, result.initial, settings.prim, settings.prim.choice, totals);
    const BoxChoice choice = detail::replicate_choice(settings.prim.choice, run.trajectory[run.chosen].mass);
    DiscoveredBox box;
    box.stage = stage;
    box.box = run.resolution.box;
    box.statistics = detail::statistics(detail::box_sums(s, dims, box.box), totals);
    box.restrictions = run.resolution.kept;
    box.dropped = run.resolution.dropped;
    box.trajectory = run.trajectory;
    box.chosen_step = run.chosen;
    box.stage_points = s.n;
    box.stage_base_rate = left.interest / left.weight;

    // Acceptance: cheap checks first; the permutation test only for a box that passes them.
    std::string reason;
    const double density = box.statistics.density;
    if (box.restrictions.empty()) {
      reason = "the box has no restriction left";
    } else if (!(density > result.base_rate)) {
      reason = fmt::format("its density {:.4g} does not exceed the base rate {:.4g}", density, result.base_rate);
    } else if (density < settings.min_density) {
      reason = fmt::format("its density {:.4g} is below min_density {:.4g}", density, settings.min_density);
    } else if (settings.permutations > 0) {
      std::tie(box.p_value, box.null_density) =
          detail::permutation_test(s, points, result.initial, settings, choice, totals, stage, density);
      if (box.p_value > settings.significance) {
        reason = fmt::format("its density {:.4g} is within noise: permutation p = {:.3g} > {:.3g}", density,
                             box.p_value, settings.significance);
      }
    }
    if (!reason.empty()) {
      result.stop_reason = fmt::format("box {} rejected: {}", stage + 1, reason);  // numbered from 1, as printed
      result.rejected = std::move(box);
      break;
    }
    // Covering: the next stage works on the points outside every box so far.
    std::erase_if(rows, [&](std::uint32_t i) { return contains(points, box.box, i); });
    result.boxes.push_back(std::move(box));
    choices.push_back(choice);
  }
  if (settings.resamples > 0 && !result.boxes.empty()) {
    detail::bootstrap_stability(points, result.initial, settings, choices, totals, result.boxes);
  }
  return result;
}

}  // namespace normsim::analysis::discovery
