// PRIM's mechanics on hand-made data whose right answer follows from the definitions (prim.hpp):
// slab sizes, midpoint limits, ties, the minimum support, the box-choice rules, pasting, categorical
// peels and pastes, quasi-p-values and the resolution pass, weights, and input validation.
#include "analysis/discovery/box.hpp"
#include "analysis/discovery/discover.hpp"
#include "analysis/discovery/prim.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace normsim::analysis::discovery;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One numeric dimension x over the data's range, with the given values and interest.
PointSet line(const std::vector<double>& x, const std::vector<double>& y) {
  PointSet p;
  p.dimensions = {Dimension::numeric("x", kNaN, kNaN)};
  p.columns = {x};
  p.interest = y;
  return p;
}

// A 10 × 10 grid of (x0, x1) ∈ {0, …, 9}², interest from `f`.
template <class F>
PointSet grid(F f) {
  PointSet p;
  p.dimensions = {Dimension::numeric("x0", kNaN, kNaN), Dimension::numeric("x1", kNaN, kNaN)};
  p.columns.resize(2);
  for (int a = 0; a < 10; ++a) {
    for (int b = 0; b < 10; ++b) {
      p.columns[0].push_back(a);
      p.columns[1].push_back(b);
      p.interest.push_back(f(a, b) ? 1.0 : 0.0);
    }
  }
  return p;
}

// P(X ≥ k), X ~ Binomial(n, p), by direct summation.
double binomial_tail_sum(int n, int k, double p) {
  double sum = 0.0;
  for (int i = k; i <= n; ++i) {
    sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) + i * std::log(p) +
                    (n - i) * std::log1p(-p));
  }
  return sum;
}

}  // namespace

TEST_CASE("peeling removes one slab of α of the box per step, limits at midpoints, down to β_min") {
  // x = 0 … 19, of interest from 10 up. α = 0.05 of 20 or fewer points is one point; the low point
  // (not of interest) always raises the mean more than the high one, and once only points of interest
  // are left both leave mean 1 and the tie goes to the first candidate, the low side. β_min = 0.25
  // stops at 5 points.
  std::vector<double> x, y;
  for (int i = 0; i < 20; ++i) {
    x.push_back(i);
    y.push_back(i >= 10 ? 1.0 : 0.0);
  }
  const PointSet points = line(x, y);
  PrimSettings settings;
  settings.min_mass = 0.25;
  const std::vector<TrajectoryStep> t = peel(points, settings);
  REQUIRE(t.size() == 16);
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double left = 20.0 - static_cast<double>(k);
    CHECK(t[k].n_points == 20 - k);
    CHECK(t[k].mass == Approx(left / 20.0));
    CHECK(t[k].density == Approx(k <= 10 ? 10.0 / left : 1.0));
    CHECK(t[k].coverage == Approx(k <= 10 ? 1.0 : left / 10.0));
    CHECK(t[k].n_restricted == (k == 0 ? 0U : 1U));
    CHECK(t[k].box.limits[0].low == (k == 0 ? 0.0 : static_cast<double>(k) - 0.5));
    CHECK(t[k].box.limits[0].high == 19.0);
  }

  SECTION("the choice rules pick the steps their definitions give") {
    BoxChoice c;  // max_quality, a = ½: sqrt(m)·(d − ½) peaks where the last 0 is peeled, step 10
    CHECK(choose_step(t, c) == 10);
    c.quality_exponent = 0.0;  // the density gain alone: the first of the steps with density 1
    CHECK(choose_step(t, c) == 10);
    c.quality_exponent = 1.0;  // m·(d − ½) = (10 − m·10)/20 … also maximal at step 10
    CHECK(choose_step(t, c) == 10);
    c.rule = BoxChoice::Rule::widest_with_density;
    c.min_density = 0.8;  // 10 / (20 − k) ≥ 0.8 first at k = 8
    CHECK(choose_step(t, c) == 8);
    c.min_density = 1.0;
    CHECK(choose_step(t, c) == 10);
    c.rule = BoxChoice::Rule::densest_with_coverage;
    c.min_coverage = 0.5;  // density 1 from step 10, coverage ≥ 0.5 up to step 15: the first
    CHECK(choose_step(t, c) == 10);
    c.min_coverage = 1.0;  // coverage 1 up to step 10, where density is highest
    CHECK(choose_step(t, c) == 10);
    c.rule = BoxChoice::Rule::largest_within_mass;
    c.max_mass = 0.3;  // (20 − k)/20 ≤ 0.3 first at k = 14
    CHECK(choose_step(t, c) == 14);
    c.max_mass = 0.01;  // none: the last step
    CHECK(choose_step(t, c) == 15);
    c.rule = BoxChoice::Rule::step;
    c.step = 3;
    CHECK(choose_step(t, c) == 3);
    c.step = 16;
    CHECK_THROWS_AS(choose_step(t, c), std::invalid_argument);
    CHECK_THROWS_AS(choose_step({}, BoxChoice{}), std::invalid_argument);
  }
}

TEST_CASE("a peel takes whole groups of tied values, and a dimension with one value cannot be peeled") {
  // x = 0, 0, 0, 1, 2, …, 17: the low slab of one point extends over the three zeros.
  std::vector<double> x, y;
  for (int i = 0; i < 20; ++i) {
    x.push_back(i < 3 ? 0.0 : i - 2.0);
    y.push_back(i >= 7 ? 1.0 : 0.0);
  }
  const std::vector<TrajectoryStep> t = peel(line(x, y), PrimSettings{});
  REQUIRE(t.size() >= 2);
  CHECK(t[1].n_points == 17);
  CHECK(t[1].box.limits[0].low == 0.5);

  const std::vector<TrajectoryStep> flat = peel(line(std::vector<double>(20, 3.0), y), PrimSettings{});
  CHECK(flat.size() == 1);
}

TEST_CASE("pasting adds the slab that raises the density most while it raises it") {
  PrimSettings settings;
  settings.paste_alpha = 0.1;
  Box box;

  SECTION("to the limit where density stops rising") {
    // Of interest: 2 ≤ x0 ≤ 4, and x0 ≤ 1 at even x1. The box x0 ≤ 2.5 has density 20/30; pasting the
    // column x0 = 3 (10 points ≥ 10 % of 30, all of interest) gives 30/40, then x0 = 4 gives 40/50;
    // x0 = 5 (none of interest) would lower it. Limits fall midway: 3.5, then 4.5.
    const PointSet points = grid([](int a, int b) { return (a >= 2 && a <= 4) || (a <= 1 && b % 2 == 0); });
    box = initial_box(points);
    box.limits[0].high = 2.5;
    const Box pasted = paste(points, box, settings);
    CHECK(pasted.limits[0].high == 4.5);
    CHECK(pasted.limits[0].low == 0.0);
    CHECK(pasted.limits[1].low == 0.0);
    CHECK(pasted.limits[1].high == 9.0);
    CHECK(evaluate(points, pasted).density == Approx(0.8));
    settings.paste_alpha = 0.0;  // pasting disabled
    CHECK(paste(points, box, settings).limits[0].high == 2.5);
  }
  SECTION("back to the initial limit when every outside point is pasted") {
    const PointSet points = grid([](int a, int b) { return a >= 2 || b % 2 == 0; });
    box = initial_box(points);
    box.limits[0].high = 2.5;
    const Box pasted = paste(points, box, settings);
    CHECK(pasted.limits[0].high == 9.0);
    CHECK(restrictions(points, initial_box(points), pasted).empty());
  }
}

TEST_CASE("a categorical dimension is peeled and pasted one level at a time") {
  // f ∈ {a, b, c}, 10 points per level at x = 0 … 9.
  PointSet points;
  points.dimensions = {Dimension::categorical("f", {"a", "b", "c"}), Dimension::numeric("x", 0.0, 9.0)};
  points.columns.resize(2);
  for (int level = 0; level < 3; ++level) {
    for (int x = 0; x < 10; ++x) {
      points.columns[0].push_back(level);
      points.columns[1].push_back(x);
    }
  }
  SECTION("peeling") {
    // Only level b is of interest: removing a or c gives the same mean ½ (tie: a, the first), more than
    // a slab of x (the three points at x = 0, mean 9/27), then c gives 1. (Peeling goes on along x
    // at density 1 down to β_min.)
    for (std::size_t i = 0; i < 30; ++i) points.interest.push_back(points.columns[0][i] == 1.0 ? 1.0 : 0.0);
    const std::vector<TrajectoryStep> t = peel(points, PrimSettings{});
    REQUIRE(t.size() >= 3);
    CHECK(t[1].box.limits[0].levels == 0b110U);
    CHECK(t[2].box.limits[0].levels == 0b010U);
    CHECK(t[2].density == 1.0);
    CHECK(t[2].coverage == 1.0);
    const std::vector<Restriction> r = restrictions(points, initial_box(points), t[2].box);
    REQUIRE(r.size() == 1);
    CHECK(r[0].side == Side::levels);
    CHECK(r[0].kind == DimensionKind::categorical);
    CHECK(r[0].level_names == std::vector<std::string>{"b"});
    CHECK(describe(r[0]) == "f in {b}");
  }
  SECTION("pasting") {
    // a: all of interest; b: half (x < 5); c: none. From {b} (density ½), adding a gives 15/20,
    // then adding c would give 15/30: the box ends at {a, b}.
    for (std::size_t i = 0; i < 30; ++i) {
      const double level = points.columns[0][i];
      points.interest.push_back(level == 0.0 || (level == 1.0 && points.columns[1][i] < 5.0) ? 1.0 : 0.0);
    }
    Box box = initial_box(points);
    box.limits[0].levels = 0b010U;
    CHECK(paste(points, box, PrimSettings{}).limits[0].levels == 0b011U);
  }
}

TEST_CASE("quasi-p-values are the binomial tail, and the resolution pass drops restrictions that do not matter") {
  CHECK(binomial_upper_tail(20, 0, 0.3) == 1.0);
  CHECK(binomial_upper_tail(20, 5, 0.0) == 0.0);
  CHECK(binomial_upper_tail(20, 20, 1.0) == 1.0);
  for (const double p : {0.05, 0.3, 0.5, 0.9}) {
    for (const int k : {1, 3, 10, 19, 20}) {
      CHECK(binomial_upper_tail(20, k, p) == Approx(binomial_tail_sum(20, k, p)).epsilon(1e-10));
    }
  }
  CHECK_THROWS_AS(binomial_upper_tail(10, 11, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(binomial_upper_tail(10, 5, 1.5), std::invalid_argument);

  // Of interest: x0 ≤ 4. Box x0 ≤ 4.5 ∧ x1 ≤ 8.5: 45 points, all of interest. Without x1's limit the
  // density is the same (1): quasi-p 1, dropped. Then x0's test: 50 of 50 against the density ½ of
  // the box without x0's limit (the whole grid): 0.5^50.
  const PointSet points = grid([](int a, int) { return a <= 4; });
  Box box = initial_box(points);
  box.limits[0].high = 4.5;
  box.limits[1].high = 8.5;
  const std::vector<Restriction> before = restrictions(points, initial_box(points), box);
  REQUIRE(before.size() == 2);
  CHECK(before[0].quasi_p == Approx(std::pow(0.5, 45)));
  CHECK(before[1].quasi_p == 1.0);
  const Resolution r = resolve(points, box, 0.05);
  REQUIRE(r.dropped.size() == 1);
  CHECK(r.dropped[0].dimension == 1);
  CHECK(r.dropped[0].side == Side::high);
  REQUIRE(r.kept.size() == 1);
  CHECK(r.kept[0].dimension == 0);
  CHECK(r.kept[0].limit == 4.5);
  CHECK(r.kept[0].quasi_p == Approx(std::pow(0.5, 50)));
  CHECK(r.box.limits[1].high == 9.0);
  CHECK(resolve(points, box, 1.0).dropped.empty());  // max_quasi_p = 1 keeps every restriction
  CHECK(describe(r.kept[0]) == "x0 <= 4.5");
}

TEST_CASE("an integer weight peels like that many copies of the point") {
  // 60 points with scattered values and weights 1, 2, 3; the copy set repeats each point w times.
  PointSet weighted;
  weighted.dimensions = {Dimension::numeric("u", 0.0, 1.0), Dimension::numeric("v", 0.0, 1.0)};
  weighted.columns.resize(2);
  PointSet copies = weighted;
  for (std::uint32_t i = 0; i < 60; ++i) {
    const double u = static_cast<double>((i * 37U) % 60U) / 60.0;
    const double v = static_cast<double>((i * 23U) % 60U) / 60.0;
    const double y = (u < 0.4 && v > 0.3) || i % 7 == 0 ? 1.0 : 0.0;
    const double w = 1.0 + static_cast<double>(i % 3);
    weighted.columns[0].push_back(u);
    weighted.columns[1].push_back(v);
    weighted.interest.push_back(y);
    weighted.weights.push_back(w);
    for (int c = 0; c < static_cast<int>(w); ++c) {
      copies.columns[0].push_back(u);
      copies.columns[1].push_back(v);
      copies.interest.push_back(y);
    }
  }
  const std::vector<TrajectoryStep> a = peel(weighted, PrimSettings{});
  const std::vector<TrajectoryStep> b = peel(copies, PrimSettings{});
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() > 5);
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k].density == Approx(b[k].density).epsilon(1e-12));
    CHECK(a[k].coverage == Approx(b[k].coverage).epsilon(1e-12));
    CHECK(a[k].mass == Approx(b[k].mass).epsilon(1e-12));
    for (std::size_t d = 0; d < 2; ++d) {
      CHECK(a[k].box.limits[d].low == b[k].box.limits[d].low);
      CHECK(a[k].box.limits[d].high == b[k].box.limits[d].high);
    }
  }
}

TEST_CASE("invalid points and settings are rejected with std::invalid_argument") {
  const auto good = [] { return line({0.0, 1.0, 2.0}, {0.0, 1.0, 1.0}); };
  CHECK_NOTHROW(validate(good()));
  PointSet p = good();
  p.interest[1] = 1.5;
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p = good();
  p.columns[0][2] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p = good();
  p.dimensions[0] = Dimension::numeric("x", 0.0, 1.5);  // the value 2 lies outside
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p = good();
  p.weights = {1.0, 0.0, 1.0};
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p = good();
  p.columns[0].pop_back();
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p = good();
  p.dimensions[0] = Dimension::categorical("f", {"a", "b"});  // level 2 does not exist
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p.columns[0] = {0.0, 1.0, 0.5};  // not an integer
  CHECK_THROWS_AS(validate(p), std::invalid_argument);
  p.columns[0] = {0.0, 1.0, 1.0};
  CHECK_NOTHROW(validate(p));

  PrimSettings s;
  CHECK_NOTHROW(validate(s));
  s.peel_alpha = 0.0;
  CHECK_THROWS_AS(validate(s), std::invalid_argument);
  s = {};
  s.min_mass = 1.5;
  CHECK_THROWS_AS(validate(s), std::invalid_argument);
  s = {};
  s.choice.quality_exponent = -0.1;
  CHECK_THROWS_AS(validate(s), std::invalid_argument);
  DiscoverySettings d;
  CHECK_NOTHROW(validate(d));
  d.prim.choice.rule = BoxChoice::Rule::step;  // a step index refers to one trajectory
  CHECK_THROWS_AS(validate(d), std::invalid_argument);
  d.max_boxes = 1;
  CHECK_NOTHROW(validate(d));
  d.significance = 1.0;
  CHECK_THROWS_AS(validate(d), std::invalid_argument);
  CHECK_THROWS_AS(peel(good(), s), std::invalid_argument);
}
