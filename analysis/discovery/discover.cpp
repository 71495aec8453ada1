// Covering, permutation test and bootstrap stability around the one-box pipeline. Sequential on
// purpose: a box costs (1 + permutations + resamples) pipelines of a few milliseconds each, and a
// fixed order of every sum keeps the result bit-identical for a given input and seed.
#include "analysis/discovery/discover.hpp"

#include "analysis/discovery/pipeline.hpp"
#include "random/streams.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace normsim::analysis::discovery {

namespace {

// Second word of the Philox key of every draw here: ASCII "discover". Fixed: it decides every result.
constexpr std::uint64_t kDiscoveryDomain = 0x646973636f766572ULL;

// What a draw is for (first counter word). Fixed values: never renumber.
enum class Purpose : std::uint64_t { permutation = 1, bootstrap = 2 };

// Uniform indices in [0, bound) addressed by (purpose, stage, replicate, i), four per Philox block.
class Draws {
 public:
  Draws(std::uint64_t seed, Purpose purpose, std::uint64_t stage, std::uint64_t replicate)
      : seed_(seed), purpose_(purpose), stage_(stage), replicate_(replicate) {}

  std::uint32_t index(std::uint64_t i, std::uint32_t bound) {
    if (i / 4 != cached_ || !valid_) {
      cached_ = i / 4;
      valid_ = true;
      block_ = random::philox64({static_cast<std::uint64_t>(purpose_), stage_, replicate_, cached_},
                                {seed_, kDiscoveryDomain});
    }
    // Lemire's multiply-shift on the high 32 bits: bias below bound / 2^32.
    return random::uniform_index(static_cast<std::uint32_t>(block_[i % 4] >> 32), bound);
  }

 private:
  std::uint64_t seed_;
  Purpose purpose_;
  std::uint64_t stage_, replicate_;
  std::uint64_t cached_ = 0;
  bool valid_ = false;
  std::array<std::uint64_t, 4> block_{};
};

// Resamples and permutations cannot reuse a step index (their trajectories differ): they take the
// largest box with at most the chosen step's mass.
BoxChoice replicate_choice(const BoxChoice& choice, const detail::PipelineResult& observed) {
  if (choice.rule != BoxChoice::Rule::step) return choice;
  BoxChoice c = choice;
  c.rule = BoxChoice::Rule::largest_within_mass;
  c.max_mass = observed.trajectory[observed.chosen].mass;
  return c;
}

// Type-7 quantile of a non-empty sorted vector.
double quantile_sorted(const std::vector<double>& sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double final_density(const detail::Sample& s, const std::vector<Dimension>& dims, const Box& box) {
  const detail::Sums sums = detail::box_sums(s, dims, box);
  return sums.interest / sums.weight;
}

// Permutation test of the stage's box: p-value and the (1 − significance) quantile of null densities.
std::pair<double, double> permutation_test(const detail::Sample& stage, const PointSet& points, const Box& initial,
                                           const DiscoverySettings& settings, const BoxChoice& choice,
                                           const detail::Totals& totals, std::size_t stage_index, double observed) {
  detail::Sample shuffled = stage;
  std::vector<double> null(settings.permutations);
  std::size_t at_least = 0;
  for (std::size_t p = 0; p < settings.permutations; ++p) {
    shuffled.y = stage.y;
    Draws draws(settings.seed, Purpose::permutation, stage_index, p);
    for (std::size_t i = shuffled.n - 1; i > 0; --i) {  // Fisher–Yates
      std::swap(shuffled.y[i], shuffled.y[draws.index(i, static_cast<std::uint32_t>(i + 1))]);
    }
    const detail::PipelineResult r =
        detail::run_pipeline(shuffled, points.dimensions, initial, settings.prim, choice, totals);
    null[p] = final_density(shuffled, points.dimensions, r.resolution.box);
    if (null[p] >= observed) ++at_least;
  }
  std::sort(null.begin(), null.end());
  return {static_cast<double>(1 + at_least) / static_cast<double>(1 + settings.permutations),
          quantile_sorted(null, 1.0 - settings.significance)};
}

// Mean and sd (divisor count − 1) of the values, NaN when empty, sd 0 for one value.
SideStability summarise(std::size_t count, std::size_t resamples, const std::vector<double>& values) {
  SideStability s;
  s.frequency = static_cast<double>(count) / static_cast<double>(resamples);
  if (values.empty()) return s;
  double sum = 0.0;
  for (const double v : values) sum += v;
  s.limit_mean = sum / static_cast<double>(values.size());
  double ss = 0.0;
  for (const double v : values) ss += (v - s.limit_mean) * (v - s.limit_mean);
  s.limit_sd = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
  return s;
}

Stability bootstrap_stability(const std::vector<std::uint32_t>& rows, const PointSet& points, const Box& initial,
                              const DiscoverySettings& settings, const BoxChoice& choice,
                              const detail::Totals& totals, std::size_t stage_index) {
  const std::vector<Dimension>& dims = points.dimensions;
  const std::size_t resamples = settings.resamples;
  std::vector<std::size_t> low_count(dims.size()), high_count(dims.size()), level_restricted(dims.size());
  std::vector<std::vector<double>> low_values(dims.size()), high_values(dims.size()), admitted(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) admitted[d].assign(dims[d].levels.size(), 0.0);

  std::vector<std::uint32_t> drawn(rows.size());
  for (std::size_t r = 0; r < resamples; ++r) {
    Draws draws(settings.seed, Purpose::bootstrap, stage_index, r);
    for (std::size_t i = 0; i < rows.size(); ++i) drawn[i] = rows[draws.index(i, static_cast<std::uint32_t>(rows.size()))];
    const detail::Sample s = detail::make_sample(points, drawn);
    const Box box = detail::run_pipeline(s, dims, initial, settings.prim, choice, totals).resolution.box;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const Limits& a = initial.limits[d];
      const Limits& b = box.limits[d];
      if (detail::is_restricted(dims[d], a, b, Side::low)) {
        ++low_count[d];
        low_values[d].push_back(b.low);
      }
      if (detail::is_restricted(dims[d], a, b, Side::high)) {
        ++high_count[d];
        high_values[d].push_back(b.high);
      }
      if (detail::is_restricted(dims[d], a, b, Side::levels)) ++level_restricted[d];
      for (std::size_t l = 0; l < admitted[d].size(); ++l) admitted[d][l] += static_cast<double>((b.levels >> l) & 1U);
    }
  }
  Stability st;
  st.resamples = resamples;
  st.dimensions.resize(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) {
    DimensionStability& ds = st.dimensions[d];
    ds.low = summarise(low_count[d], resamples, low_values[d]);
    ds.high = summarise(high_count[d], resamples, high_values[d]);
    ds.levels = summarise(level_restricted[d], resamples, {});
    ds.level_admitted = admitted[d];
    for (double& a : ds.level_admitted) a /= static_cast<double>(resamples);
  }
  return st;
}

void attach_stability(DiscoveredBox& box) {
  for (Restriction& r : box.restrictions) {
    const DimensionStability& ds = box.stability.dimensions[r.dimension];
    const SideStability& side = r.side == Side::low ? ds.low : r.side == Side::high ? ds.high : ds.levels;
    r.frequency = side.frequency;
    r.limit_mean = side.limit_mean;
    r.limit_sd = side.limit_sd;
  }
}

}  // namespace

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

  for (std::size_t stage = 0;; ++stage) {
    if (stage == settings.max_boxes) {
      result.stop_reason = fmt::format("max_boxes = {} boxes found", settings.max_boxes);
      return result;
    }
    if (rows.empty()) {
      result.stop_reason = "every point lies in a box";
      return result;
    }
    const detail::Sample s = detail::make_sample(points, rows);
    const detail::Sums left = detail::all_sums(s);
    if (!(left.interest > 0.0)) {
      result.stop_reason = "no point of interest is left outside the boxes";
      return result;
    }
    const detail::PipelineResult run = detail::run_pipeline(s, dims, result.initial, settings.prim, settings.prim.choice, totals);
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

    std::string reason;
    const double density = box.statistics.density;
    if (box.restrictions.empty()) {
      reason = "the box has no restriction left";
    } else if (!(density > result.base_rate)) {
      reason = fmt::format("its density {:.4g} does not exceed the base rate {:.4g}", density, result.base_rate);
    } else if (density < settings.min_density) {
      reason = fmt::format("its density {:.4g} is below min_density {:.4g}", density, settings.min_density);
    } else if (settings.permutations > 0) {
      const BoxChoice choice = replicate_choice(settings.prim.choice, run);
      std::tie(box.p_value, box.null_density) =
          permutation_test(s, points, result.initial, settings, choice, totals, stage, density);
      if (box.p_value > settings.significance) {
        reason = fmt::format("its density {:.4g} is within noise: permutation p = {:.3g} > {:.3g}", density,
                             box.p_value, settings.significance);
      }
    }
    if (!reason.empty()) {
      result.stop_reason = fmt::format("box {} rejected: {}", stage, reason);
      result.rejected = std::move(box);
      return result;
    }
    if (settings.resamples > 0) {
      const BoxChoice choice = replicate_choice(settings.prim.choice, run);
      box.stability = bootstrap_stability(rows, points, result.initial, settings, choice, totals, stage);
      attach_stability(box);
    }
    // Covering: the next stage works on the points outside every box so far.
    std::erase_if(rows, [&](std::uint32_t i) { return contains(points, box.box, i); });
    result.boxes.push_back(std::move(box));
  }
}

}  // namespace normsim::analysis::discovery
