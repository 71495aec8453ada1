// The permutation test and the bootstrap behind discover(). Sequential on purpose: a replicate is a
// pipeline of about a millisecond at N = 1000, and a fixed order of every sum keeps results
// bit-identical for a given input and seed.
#include "analysis/discovery/resampling.hpp"

#include "random/streams.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace normsim::analysis::discovery::detail {

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
    if (!valid_ || i / 4 != cached_) {
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

// Type-7 quantile of a non-empty sorted vector.
double quantile_sorted(const std::vector<double>& sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Mean and sd (divisor count − 1; 0 for one value; NaN for none) of a side's limits.
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

// Membership of every input point in a box.
std::vector<std::uint8_t> membership(const PointSet& points, const Box& box) {
  std::vector<std::uint8_t> in(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) in[i] = contains(points, box, i) ? 1 : 0;
  return in;
}

// Weighted Jaccard index |A ∩ B| / |A ∪ B| of two memberships (0 when both are empty).
double similarity(const PointSet& points, const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  double both = 0.0;
  double either = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] && b[i]) both += points.weight(i);
    if (a[i] || b[i]) either += points.weight(i);
  }
  return either > 0.0 ? both / either : 0.0;
}

// Tallies of one box's matches over the resamples.
struct Tally {
  std::vector<std::size_t> low_count, high_count, level_count;
  std::vector<std::vector<double>> low_values, high_values, admitted;
  double similarity_sum = 0.0;
};

}  // namespace

BoxChoice replicate_choice(const BoxChoice& choice, double chosen_mass) {
  if (choice.rule != BoxChoice::Rule::step) return choice;
  BoxChoice c = choice;
  c.rule = BoxChoice::Rule::largest_within_mass;
  c.max_mass = chosen_mass;
  return c;
}

std::pair<double, double> permutation_test(const Sample& stage, const PointSet& points, const Box& initial,
                                           const DiscoverySettings& settings, const BoxChoice& choice,
                                           const Totals& totals, std::size_t stage_index, double observed) {
  Sample shuffled = stage;
  std::vector<double> null(settings.permutations);
  std::size_t at_least = 0;
  for (std::size_t p = 0; p < settings.permutations; ++p) {
    shuffled.y = stage.y;
    Draws draws(settings.seed, Purpose::permutation, stage_index, p);
    for (std::size_t i = shuffled.n - 1; i > 0; --i) {  // Fisher–Yates
      std::swap(shuffled.y[i], shuffled.y[draws.index(i, static_cast<std::uint32_t>(i + 1))]);
    }
    const Box box = run_pipeline(shuffled, points.dimensions, initial, settings.prim, choice, totals).resolution.box;
    const Sums sums = box_sums(shuffled, points.dimensions, box);
    null[p] = sums.interest / sums.weight;
    if (null[p] >= observed) ++at_least;  // ties count against the box: the test stays exact
  }
  std::sort(null.begin(), null.end());
  return {static_cast<double>(1 + at_least) / static_cast<double>(1 + settings.permutations),
          quantile_sorted(null, 1.0 - settings.significance)};
}

void bootstrap_stability(const PointSet& points, const Box& initial, const DiscoverySettings& settings,
                         const std::vector<BoxChoice>& choices, const Totals& totals,
                         std::vector<DiscoveredBox>& boxes) {
  const std::vector<Dimension>& dims = points.dimensions;
  const std::size_t resamples = settings.resamples;
  const std::size_t n = points.size();
  std::vector<std::vector<std::uint8_t>> observed;
  std::vector<Tally> tallies(boxes.size());
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    observed.push_back(membership(points, boxes[k].box));
    Tally& t = tallies[k];
    t.low_count.assign(dims.size(), 0);
    t.high_count.assign(dims.size(), 0);
    t.level_count.assign(dims.size(), 0);
    t.low_values.resize(dims.size());
    t.high_values.resize(dims.size());
    for (const Dimension& dim : dims) t.admitted.emplace_back(dim.levels.size(), 0.0);
  }

  std::vector<std::uint32_t> rows(n);
  for (std::size_t r = 0; r < resamples; ++r) {
    Draws draws(settings.seed, Purpose::bootstrap, 0, r);
    for (std::size_t i = 0; i < n; ++i) rows[i] = draws.index(i, static_cast<std::uint32_t>(n));
    // The covering on the resample, as many stages as there are boxes (no tests: only the boxes'
    // shapes are compared). Matching each box with its most similar resample box, rather than with the
    // resample's box of the same stage, keeps two equally strong regions found in either order from
    // looking unstable.
    std::vector<Box> found;
    std::vector<std::vector<std::uint8_t>> found_in;
    std::vector<std::uint32_t> left = rows;
    for (std::size_t s = 0; s < boxes.size() && !left.empty(); ++s) {
      const Sample sample = make_sample(points, left);
      if (!(all_sums(sample).interest > 0.0)) break;
      found.push_back(run_pipeline(sample, dims, initial, settings.prim, choices[s], totals).resolution.box);
      found_in.push_back(membership(points, found.back()));
      std::erase_if(left, [&](std::uint32_t i) { return found_in.back()[i] != 0; });
    }
    for (std::size_t k = 0; k < boxes.size() && !found.empty(); ++k) {
      std::size_t best = 0;
      double best_similarity = -1.0;
      for (std::size_t j = 0; j < found.size(); ++j) {
        const double sim = similarity(points, observed[k], found_in[j]);
        if (sim > best_similarity) {  // ties: the earlier stage
          best_similarity = sim;
          best = j;
        }
      }
      Tally& t = tallies[k];
      t.similarity_sum += best_similarity;
      const Box& b = found[best];
      for (std::size_t d = 0; d < dims.size(); ++d) {
        const Limits& a = initial.limits[d];
        const Limits& l = b.limits[d];
        if (is_restricted(dims[d], a, l, Side::low)) {
          ++t.low_count[d];
          t.low_values[d].push_back(l.low);
        }
        if (is_restricted(dims[d], a, l, Side::high)) {
          ++t.high_count[d];
          t.high_values[d].push_back(l.high);
        }
        if (is_restricted(dims[d], a, l, Side::levels)) ++t.level_count[d];
        for (std::size_t v = 0; v < t.admitted[d].size(); ++v) t.admitted[d][v] += static_cast<double>((l.levels >> v) & 1U);
      }
    }
  }

  for (std::size_t k = 0; k < boxes.size(); ++k) {
    const Tally& t = tallies[k];
    Stability& st = boxes[k].stability;
    st.resamples = resamples;
    st.similarity = t.similarity_sum / static_cast<double>(resamples);
    st.dimensions.resize(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) {
      DimensionStability& ds = st.dimensions[d];
      ds.low = summarise(t.low_count[d], resamples, t.low_values[d]);
      ds.high = summarise(t.high_count[d], resamples, t.high_values[d]);
      ds.levels = summarise(t.level_count[d], resamples, {});
      ds.level_admitted = t.admitted[d];
      for (double& a : ds.level_admitted) a /= static_cast<double>(resamples);
    }
    for (Restriction& r : boxes[k].restrictions) {
      const DimensionStability& ds = st.dimensions[r.dimension];
      const SideStability& side = r.side == Side::low ? ds.low : r.side == Side::high ? ds.high : ds.levels;
      r.frequency = side.frequency;
      r.limit_mean = side.limit_mean;
      r.limit_sd = side.limit_sd;
    }
  }
}

}  // namespace normsim::analysis::discovery::detail
