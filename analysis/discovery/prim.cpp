// PRIM's box choice and resolution pass, the one-box pipeline, and the public one-box functions on
// a whole PointSet (peeling and pasting are in peel.cpp).
#include "analysis/discovery/prim.hpp"

#include "analysis/discovery/pipeline.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace normsim::analysis::discovery {

const char* rule_name(BoxChoice::Rule rule) noexcept {
  switch (rule) {
    case BoxChoice::Rule::max_quality: return "max_quality";
    case BoxChoice::Rule::densest_with_coverage: return "densest_with_coverage";
    case BoxChoice::Rule::widest_with_density: return "widest_with_density";
    case BoxChoice::Rule::largest_within_mass: return "largest_within_mass";
    case BoxChoice::Rule::step: return "step";
  }
  return "?";
}

void validate(const PrimSettings& s) {
  const auto require = [](bool ok, const char* field, double value, const char* range) {
    if (!ok) throw std::invalid_argument(fmt::format("prim: {} = {} is not in {}", field, value, range));
  };
  require(s.peel_alpha > 0.0 && s.peel_alpha <= 0.5, "peel_alpha", s.peel_alpha, "(0, 0.5]");
  require(s.paste_alpha >= 0.0 && s.paste_alpha <= 0.5, "paste_alpha", s.paste_alpha, "[0, 0.5]");
  require(s.min_mass > 0.0 && s.min_mass <= 1.0, "min_mass", s.min_mass, "(0, 1]");
  require(s.max_quasi_p >= 0.0 && s.max_quasi_p <= 1.0, "max_quasi_p", s.max_quasi_p, "[0, 1]");
  require(s.choice.min_coverage >= 0.0 && s.choice.min_coverage <= 1.0, "choice.min_coverage", s.choice.min_coverage,
          "[0, 1]");
  require(s.choice.min_density >= 0.0 && s.choice.min_density <= 1.0, "choice.min_density", s.choice.min_density,
          "[0, 1]");
  require(s.choice.quality_exponent >= 0.0 && s.choice.quality_exponent <= 1.0, "choice.quality_exponent",
          s.choice.quality_exponent, "[0, 1]");
  require(s.choice.max_mass > 0.0 && s.choice.max_mass <= 1.0, "choice.max_mass", s.choice.max_mass, "(0, 1]");
  if (s.objective != PeelObjective::mean && s.objective != PeelObjective::mean_gain_per_mass) {
    throw std::invalid_argument("prim: unknown peel objective");
  }
  if (static_cast<unsigned>(s.choice.rule) > static_cast<unsigned>(BoxChoice::Rule::step)) {
    throw std::invalid_argument("prim: unknown box choice rule");
  }
}

std::size_t choose_step(const std::vector<TrajectoryStep>& t, const BoxChoice& choice) {
  if (t.empty()) throw std::invalid_argument("choose_step: empty trajectory");
  const double base_rate = t[0].density;
  const double base_coverage = t[0].coverage;
  std::size_t best = 0;
  switch (choice.rule) {
    case BoxChoice::Rule::max_quality: {
      double best_quality = 0.0;  // step 0's quality, exactly
      for (std::size_t i = 1; i < t.size(); ++i) {
        const double quality = std::pow(t[i].mass, choice.quality_exponent) * (t[i].density - base_rate);
        if (quality > best_quality) {
          best_quality = quality;
          best = i;
        }
      }
      return best;
    }
    case BoxChoice::Rule::densest_with_coverage:
      for (std::size_t i = 1; i < t.size(); ++i) {
        // Coverage relative to step 0, so that the rule means the same at every stage of the covering.
        const double coverage = base_coverage > 0.0 ? t[i].coverage / base_coverage : 0.0;
        if (coverage >= choice.min_coverage && t[i].density > t[best].density) best = i;
      }
      return best;
    case BoxChoice::Rule::widest_with_density:
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].density >= choice.min_density) return i;
        if (t[i].density > t[best].density) best = i;
      }
      return best;
    case BoxChoice::Rule::largest_within_mass:
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i].mass <= choice.max_mass) return i;
      }
      return t.size() - 1;
    case BoxChoice::Rule::step:
      if (choice.step >= t.size()) {
        throw std::invalid_argument(
            fmt::format("choose_step: step {} is beyond the trajectory's {} steps", choice.step, t.size()));
      }
      return choice.step;
  }
  throw std::invalid_argument("choose_step: unknown rule");
}

namespace detail {

Resolution resolve_sample(const Sample& s, const std::vector<Dimension>& dims, const Box& initial, const Box& box,
                          double max_quasi_p) {
  Resolution out;
  out.box = box;
  while (true) {
    out.kept = make_restrictions(s, dims, initial, out.box);
    std::size_t worst = out.kept.size();
    for (std::size_t r = 0; r < out.kept.size(); ++r) {
      if (worst == out.kept.size() || out.kept[r].quasi_p > out.kept[worst].quasi_p) worst = r;
    }
    if (worst == out.kept.size() || !(out.kept[worst].quasi_p > max_quasi_p)) return out;
    // One at a time, the least significant first: dropping one restriction changes the others' tests.
    const Restriction& r = out.kept[worst];
    out.box = without(out.box, initial, r.dimension, r.side);
    out.dropped.push_back(r);
  }
}

PipelineResult run_pipeline(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                            const PrimSettings& settings, const BoxChoice& choice, const Totals& totals) {
  PipelineResult out;
  out.trajectory = peel_sample(s, dims, initial, settings, totals);
  out.chosen = choose_step(out.trajectory, choice);
  const Box pasted = paste_sample(s, dims, initial, out.trajectory[out.chosen].box, settings);
  out.resolution = resolve_sample(s, dims, initial, pasted, settings.max_quasi_p);
  return out;
}

}  // namespace detail

namespace {

void require_box(const PointSet& points, const Box& box) {
  if (box.limits.size() != points.dimensions.size()) {
    throw std::invalid_argument(
        fmt::format("prim: box has {} dimensions, the points {}", box.limits.size(), points.dimensions.size()));
  }
}

}  // namespace

std::vector<TrajectoryStep> peel(const PointSet& points, const PrimSettings& settings) {
  validate(settings);
  const Box initial = initial_box(points);  // validates the points
  const detail::Sample s = detail::make_sample(points, detail::all_rows(points.size()));
  const detail::Sums all = detail::all_sums(s);
  return detail::peel_sample(s, points.dimensions, initial, settings, {all.weight, all.interest});
}

Box paste(const PointSet& points, const Box& box, const PrimSettings& settings) {
  validate(settings);
  const Box initial = initial_box(points);
  require_box(points, box);
  const detail::Sample s = detail::make_sample(points, detail::all_rows(points.size()));
  return detail::paste_sample(s, points.dimensions, initial, box, settings);
}

Resolution resolve(const PointSet& points, const Box& box, double max_quasi_p) {
  if (!(max_quasi_p >= 0.0 && max_quasi_p <= 1.0)) {
    throw std::invalid_argument(fmt::format("prim: max_quasi_p = {} is not in [0, 1]", max_quasi_p));
  }
  const Box initial = initial_box(points);
  require_box(points, box);
  const detail::Sample s = detail::make_sample(points, detail::all_rows(points.size()));
  return detail::resolve_sample(s, points.dimensions, initial, box, max_quasi_p);
}

}  // namespace normsim::analysis::discovery
