// discover() on synthetic data with planted boxes (planted.hpp): PRIM must restrict exactly the
// planted sides, put each limit within two slabs of the planted one, report coverage and density
// consistent with the model, find every planted box by covering, rate planted restrictions as stable
// and others as rare, report no box in structureless data beyond the test's level, and give the same
// bits for the same input and seed.
//
// Tolerances. A limit: peeling and pasting move it one slab at a time, a slab being α of the box's
// points, i.e. α·w wide on a side of width w of the planted box (points are uniform); the last slab
// is removed or kept on noise when it straddles the planted limit: so within 2·α·w. Density and
// coverage: the model's values over every box whose limits lie within those tolerances (the extremes
// are at the corners), widened by 4 binomial standard errors. Stability: "stable" is a bootstrap
// frequency ≥ 0.8 and "rare" ≤ 0.2 (README.md), the labels the report uses.
#include "analysis/discovery/discover.hpp"

#include "analysis/planted.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

using namespace normsim::analysis::discovery;
using test::Interval;
using test::Model;
using test::Region;

namespace {

constexpr double kStable = 0.8;
constexpr double kRare = 0.2;

using SideKey = std::pair<std::size_t, Side>;

std::set<SideKey> sides_of(const DiscoveredBox& box) {
  std::set<SideKey> s;
  for (const Restriction& r : box.restrictions) s.emplace(r.dimension, r.side);
  return s;
}

// The planted sides of a region (an interval end inside (0, 1) is a restricted side).
std::set<SideKey> sides_of(const Region& region) {
  std::set<SideKey> s;
  for (const Interval& iv : region) {
    if (iv.low > 0.0) s.emplace(iv.dim, Side::low);
    if (iv.high < 1.0) s.emplace(iv.dim, Side::high);
  }
  return s;
}

// 2·α·w for each planted side of the region.
double tolerance(const Interval& iv, double alpha) { return 2.0 * alpha * (iv.high - iv.low); }

// Checks the box's limits against the region's, and its density and coverage against the model's
// range over the tolerance corners, ± 4 standard errors.
void check_box_against(const Model& model, const Region& region, const DiscoveredBox& box, double alpha,
                       double total_interest) {
  std::vector<Interval> query;
  for (std::size_t d = 0; d < model.dims; ++d) query.push_back({d, 0.0, 1.0});
  std::vector<std::vector<Interval>> corners{query};
  for (const Interval& iv : region) {
    const double tol = tolerance(iv, alpha);
    if (iv.low > 0.0) {
      CHECK(std::abs(box.box.limits[iv.dim].low - iv.low) <= tol);
      std::vector<std::vector<Interval>> next;
      for (auto c : corners) {
        for (const double end : {iv.low - tol, iv.low + tol}) {
          c[iv.dim].low = end;
          next.push_back(c);
        }
      }
      corners = next;
    }
    if (iv.high < 1.0) {
      CHECK(std::abs(box.box.limits[iv.dim].high - iv.high) <= tol);
      std::vector<std::vector<Interval>> next;
      for (auto c : corners) {
        for (const double end : {iv.high - tol, iv.high + tol}) {
          c[iv.dim].high = end;
          next.push_back(c);
        }
      }
      corners = next;
    }
  }
  double d_lo = 1.0, d_hi = 0.0, c_lo = 1.0, c_hi = 0.0;
  for (const auto& c : corners) {
    const test::Population p = test::population(model, c);
    d_lo = std::min(d_lo, p.density);
    d_hi = std::max(d_hi, p.density);
    c_lo = std::min(c_lo, p.coverage);
    c_hi = std::max(c_hi, p.coverage);
  }
  // Largest binomial variance over the range (p(1 − p) is concave, peaked at ½).
  const auto var = [](double lo, double hi) {
    return (lo <= 0.5 && hi >= 0.5) ? 0.25 : std::max(lo * (1.0 - lo), hi * (1.0 - hi));
  };
  const double se_d = std::sqrt(var(d_lo, d_hi) / static_cast<double>(box.statistics.n_points));
  const double se_c = std::sqrt(var(c_lo, c_hi) / total_interest);
  INFO("density " << box.statistics.density << " in [" << d_lo << ", " << d_hi << "] ± 4·" << se_d);
  CHECK(box.statistics.density >= d_lo - 4.0 * se_d);
  CHECK(box.statistics.density <= d_hi + 4.0 * se_d);
  INFO("coverage " << box.statistics.coverage << " in [" << c_lo << ", " << c_hi << "] ± 4·" << se_c);
  CHECK(box.statistics.coverage >= c_lo - 4.0 * se_c);
  CHECK(box.statistics.coverage <= c_hi + 4.0 * se_c);
}

// Every side of every dimension: planted sides stable, the others rare.
void check_stability(const DiscoveredBox& box, const std::set<SideKey>& planted, std::size_t dims) {
  REQUIRE(box.stability.dimensions.size() == dims);
  for (std::size_t d = 0; d < dims; ++d) {
    const DimensionStability& ds = box.stability.dimensions[d];
    const std::pair<Side, SideStability> sides[] = {{Side::low, ds.low}, {Side::high, ds.high}, {Side::levels, ds.levels}};
    for (const auto& [side, s] : sides) {
      INFO("dimension " << d << " side " << side_name(side) << " frequency " << s.frequency);
      if (planted.count({d, side})) {
        CHECK(s.frequency >= kStable);
      } else {
        CHECK(s.frequency <= kRare);
      }
    }
  }
  for (const Restriction& r : box.restrictions) CHECK(!std::isnan(r.frequency));
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

TEST_CASE("PRIM recovers a box planted in 8 dimensions", "[slow]") {
  // P(interest) 0.9 inside x0 < 0.3 ∧ x3 > 0.6 (mass 0.12), 0.05 outside; N = 1000.
  Model model;
  model.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}};
  const DiscoverySettings settings;
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    INFO("seed " << seed);
    const PointSet points = test::make_points(model, 1000, seed);
    const DiscoveryResult result = discover(points, settings);
    REQUIRE(!result.boxes.empty());
    const DiscoveredBox& box = result.boxes[0];
    CHECK(sides_of(box) == sides_of(model.regions[0]));  // irrelevant dimensions unrestricted
    check_box_against(model, model.regions[0], box, settings.prim.peel_alpha, result.total_interest);
    CHECK(box.p_value <= settings.significance);
    CHECK(box.statistics.density > box.null_density);
    check_stability(box, sides_of(model.regions[0]), model.dims);
    CHECK(box.stability.similarity >= kStable);
  }
}

TEST_CASE("the covering finds both of two planted boxes", "[slow]") {
  Model model;
  model.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}, {{1, 0.7, 1.0}, {5, 0.0, 0.35}}};
  const DiscoverySettings settings;
  for (const std::uint64_t seed : {1U, 2U}) {
    INFO("seed " << seed);
    const PointSet points = test::make_points(model, 2000, seed);
    const DiscoveryResult result = discover(points, settings);
    REQUIRE(result.boxes.size() >= 2);
    // Either region may come first.
    const bool a_first = sides_of(result.boxes[0]) == sides_of(model.regions[0]);
    const Region& first = model.regions[a_first ? 0 : 1];
    const Region& second = model.regions[a_first ? 1 : 0];
    CHECK(sides_of(result.boxes[0]) == sides_of(first));
    CHECK(sides_of(result.boxes[1]) == sides_of(second));
    const std::pair<const DiscoveredBox*, const Region*> pairs[] = {{&result.boxes[0], &first}, {&result.boxes[1], &second}};
    for (const auto& [box, region] : pairs) {
      for (const Interval& iv : *region) {
        const double tol = tolerance(iv, settings.prim.peel_alpha);
        if (iv.low > 0.0) CHECK(std::abs(box->box.limits[iv.dim].low - iv.low) <= tol);
        if (iv.high < 1.0) CHECK(std::abs(box->box.limits[iv.dim].high - iv.high) <= tol);
      }
      check_stability(*box, sides_of(*region), model.dims);
    }
    // Coverage is of all points of interest, so the boxes' coverages add up.
    CHECK(result.boxes[0].statistics.coverage + result.boxes[1].statistics.coverage <= 1.0);
  }
}

TEST_CASE("PRIM finds a planted level of a categorical factor", "[slow]") {
  // f ∈ {a, b, c} uniform; P(interest) 0.9 where f = b ∧ x1 < 0.5, 0.05 elsewhere; x0 … x3 uniform.
  Model numeric;
  numeric.dims = 4;
  for (const std::uint64_t seed : {1U, 2U}) {
    INFO("seed " << seed);
    PointSet points = test::make_points(numeric, 1000, seed);
    points.dimensions.push_back(Dimension::categorical("f", {"a", "b", "c"}));
    points.columns.emplace_back();
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto block = normsim::random::philox64({i, 0, 0, 0}, {seed, 0x6661637465726f72ULL});  // "factoror"
      const auto level = normsim::random::uniform_index(static_cast<std::uint32_t>(block[0] >> 32), 3);
      points.columns[4].push_back(level);
      const bool inside = level == 1 && points.columns[1][i] < 0.5;
      points.interest[i] = test::unit(block[1]) < (inside ? 0.9 : 0.05) ? 1.0 : 0.0;
    }
    const DiscoverySettings settings;
    const DiscoveryResult result = discover(points, settings);
    REQUIRE(!result.boxes.empty());
    const DiscoveredBox& box = result.boxes[0];
    CHECK(sides_of(box) == std::set<SideKey>{{1, Side::high}, {4, Side::levels}});
    CHECK(box.box.limits[4].levels == 0b010U);
    CHECK(std::abs(box.box.limits[1].high - 0.5) <= 2.0 * settings.prim.peel_alpha * 0.5);
    check_stability(box, {{1, Side::high}, {4, Side::levels}}, 5);
    const std::vector<double>& admitted = box.stability.dimensions[4].level_admitted;
    REQUIRE(admitted.size() == 3);
    CHECK(admitted[0] <= kRare);
    CHECK(admitted[1] >= kStable);
    CHECK(admitted[2] <= kRare);
  }
}

TEST_CASE("without structure, boxes are reported at no more than the test's level", "[slow]") {
  // Interest Bernoulli(0.2) everywhere. The permutation test is exact (ties count against the box)
  // and the other acceptance checks only reject more, so each seed reports a box with probability
  // ≤ 0.05; over 20 independent data sets, 5 or more reports has probability ≤ 0.0026.
  Model null;
  null.p_out = 0.2;
  DiscoverySettings settings;
  settings.permutations = 39;  // smallest p = 1/40 < 0.05
  settings.resamples = 0;
  std::size_t reported = 0;
  for (std::uint64_t seed = 100; seed < 120; ++seed) {
    const DiscoveryResult result = discover(test::make_points(null, 500, seed), settings);
    if (!result.boxes.empty()) ++reported;
    CHECK(result.rejected.has_value());
    CHECK(!result.stop_reason.empty());
  }
  CHECK(reported <= 4);
}

TEST_CASE("discover gives the same bits for the same input and seed, and the seed moves only the tests") {
  Model model;
  model.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}};
  const PointSet points = test::make_points(model, 600, 7);
  DiscoverySettings settings;
  settings.permutations = 19;
  settings.resamples = 20;
  const DiscoveryResult a = discover(points, settings);
  const DiscoveryResult b = discover(points, settings);
  settings.seed += 1;
  const DiscoveryResult c = discover(points, settings);
  REQUIRE(!a.boxes.empty());
  REQUIRE(a.boxes.size() == b.boxes.size());
  REQUIRE(!c.boxes.empty());
  for (std::size_t k = 0; k < a.boxes.size(); ++k) {
    const DiscoveredBox& x = a.boxes[k];
    const DiscoveredBox& y = b.boxes[k];
    CHECK(same_bits(x.p_value, y.p_value));
    CHECK(same_bits(x.null_density, y.null_density));
    CHECK(same_bits(x.stability.similarity, y.stability.similarity));
    REQUIRE(x.restrictions.size() == y.restrictions.size());
    for (std::size_t r = 0; r < x.restrictions.size(); ++r) {
      CHECK(same_bits(x.restrictions[r].limit, y.restrictions[r].limit));
      CHECK(same_bits(x.restrictions[r].quasi_p, y.restrictions[r].quasi_p));
      CHECK(same_bits(x.restrictions[r].frequency, y.restrictions[r].frequency));
      CHECK(same_bits(x.restrictions[r].limit_mean, y.restrictions[r].limit_mean));
      CHECK(same_bits(x.restrictions[r].limit_sd, y.restrictions[r].limit_sd));
    }
  }
  // The first box is a function of the data alone (which later boxes are accepted may turn on a
  // p-value, which depends on the seed).
  const DiscoveredBox& x = a.boxes[0];
  const DiscoveredBox& z = c.boxes[0];
  REQUIRE(x.restrictions.size() == z.restrictions.size());
  for (std::size_t r = 0; r < x.restrictions.size(); ++r) {
    CHECK(same_bits(x.restrictions[r].limit, z.restrictions[r].limit));
    CHECK(same_bits(x.restrictions[r].quasi_p, z.restrictions[r].quasi_p));
  }
  REQUIRE(x.trajectory.size() == z.trajectory.size());
  for (std::size_t i = 0; i < x.trajectory.size(); ++i) {
    CHECK(same_bits(x.trajectory[i].density, z.trajectory[i].density));
    CHECK(same_bits(x.trajectory[i].coverage, z.trajectory[i].coverage));
  }
  // Another seed draws other resamples: the limits' bootstrap means move.
  CHECK_FALSE(same_bits(a.boxes[0].restrictions[0].limit_mean, c.boxes[0].restrictions[0].limit_mean));
}

TEST_CASE("a step picked by the user is the box discover starts from") {
  Model model;
  model.regions = {{{0, 0.0, 0.3}, {3, 0.6, 1.0}}};
  const PointSet points = test::make_points(model, 600, 8);
  DiscoverySettings settings;
  settings.permutations = 0;
  settings.resamples = 0;
  settings.max_boxes = 1;
  const DiscoveryResult by_rule = discover(points, settings);
  REQUIRE(!by_rule.boxes.empty());
  const std::size_t pick = by_rule.boxes[0].chosen_step - 3;  // a larger box than the rule's
  settings.prim.choice.rule = BoxChoice::Rule::step;
  settings.prim.choice.step = pick;
  settings.prim.paste_alpha = 0.0;   // so that the final box is the step's box after resolution only
  settings.prim.max_quasi_p = 1.0;   // and resolution keeps everything
  const DiscoveryResult by_user = discover(points, settings);
  const DiscoveredBox& box = by_user.rejected ? *by_user.rejected : by_user.boxes.at(0);
  CHECK(box.chosen_step == pick);
  const Box& step_box = box.trajectory[pick].box;
  for (std::size_t d = 0; d < points.dimensions.size(); ++d) {
    CHECK(box.box.limits[d].low == step_box.limits[d].low);
    CHECK(box.box.limits[d].high == step_box.limits[d].high);
  }
  settings.max_boxes = 2;
  CHECK_THROWS_AS(discover(points, settings), std::invalid_argument);
}
