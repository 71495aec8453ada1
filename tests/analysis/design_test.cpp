// Designs: the lazily computed Sobol rows equal Boost's sequence, mixes pick the right columns,
// permutations are bijections, Shapley orders are permutations, and bad arguments are refused.
#include "analysis/attribution/design.hpp"

#include <boost/random/sobol.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>
#include <stdexcept>
#include <vector>

using namespace normsim::analysis;

TEST_CASE("Saltelli design rows are Boost's Sobol points with a digital shift", "[analysis][design]") {
  constexpr std::size_t inputs = 3;
  constexpr std::uint64_t rows = 64;
  const SaltelliDesign unscrambled_check(inputs, rows, 1);
  // Recover each dimension's shift from row 0 (the origin XOR shift), then compare the unshifted
  // words of rows 1 … 63 with Boost's engine, which yields point 1 first.
  boost::random::sobol_engine<std::uint32_t, 32, boost::random::default_sobol_table> engine(2 * inputs);
  std::vector<double> a0(inputs), b0(inputs), a(inputs), b(inputs);
  unscrambled_check.row(0, SaltelliDesign::Matrix::a, a0);
  unscrambled_check.row(0, SaltelliDesign::Matrix::b, b0);
  auto word = [](double u) { return static_cast<std::uint32_t>(u * 0x1.0p32 - 0.5); };
  for (std::uint64_t i = 1; i < rows; ++i) {
    unscrambled_check.row(i, SaltelliDesign::Matrix::a, a);
    unscrambled_check.row(i, SaltelliDesign::Matrix::b, b);
    for (std::size_t c = 0; c < inputs; ++c) CHECK((word(a[c]) ^ word(a0[c])) == engine());
    for (std::size_t c = 0; c < inputs; ++c) CHECK((word(b[c]) ^ word(b0[c])) == engine());
  }
}

TEST_CASE("Saltelli design: values in (0, 1), one point per stratum, seed-dependent", "[analysis][design]") {
  const SaltelliDesign design(2, 256, 7);
  const SaltelliDesign other(2, 256, 8);
  std::vector<double> x(2), y(2);
  std::vector<int> strata(256, 0);
  bool differs = false;
  for (std::uint64_t i = 0; i < 256; ++i) {
    design.row(i, SaltelliDesign::Matrix::a, x);
    other.row(i, SaltelliDesign::Matrix::a, y);
    differs = differs || x[0] != y[0];
    for (const double v : x) REQUIRE((v > 0.0 && v < 1.0));
    ++strata[static_cast<std::size_t>(x[0] * 256.0)];  // a (0, m, 1)-net: one point per 1/256 interval
  }
  CHECK(std::all_of(strata.begin(), strata.end(), [](int s) { return s == 1; }));
  CHECK(differs);
}

TEST_CASE("Mixed rows take each group's columns from the matrix the mix names", "[analysis][design]") {
  const SaltelliDesign design(4, 16, 3);
  const Grouping grouping({0, 1, 1, 2}, 4);  // group 3 owns no input (an entity-only group)
  std::vector<double> a(4), b(4), m(4);
  for (std::uint64_t i = 0; i < 16; ++i) {
    design.row(i, SaltelliDesign::Matrix::a, a);
    design.row(i, SaltelliDesign::Matrix::b, b);
    design.mixed_row(i, grouping, mix_ab(4, 1), m);
    CHECK(m == std::vector<double>{a[0], b[1], b[2], a[3]});
    design.mixed_row(i, grouping, mix_ab(4, 0, 2), m);
    CHECK(m == std::vector<double>{b[0], a[1], a[2], b[3]});
    design.mixed_row(i, grouping, mix_ab(4, 3), m);
    CHECK(m == a);
  }
  CHECK_THROWS_AS(Grouping({0, 5}, 2), std::invalid_argument);
  CHECK_THROWS_AS(mix_ab(3, 3), std::out_of_range);
  CHECK_THROWS_AS(design.mixed_row(0, Grouping::singletons(3), mix_ab(3, 0), m), std::invalid_argument);
  CHECK_THROWS_AS(design.row(16, SaltelliDesign::Matrix::a, a), std::out_of_range);
  CHECK_THROWS_AS(SaltelliDesign(2, 100, 0), std::invalid_argument);
  CHECK_THROWS_AS(SaltelliDesign(0, 64, 0), std::invalid_argument);
  CHECK_THROWS_AS(SaltelliDesign(2000, 64, 0), std::invalid_argument);
}

TEST_CASE("Permutations are deterministic bijections that differ between groups", "[analysis][design]") {
  const Permutation p(1000, 42, 0);
  const Permutation same(1000, 42, 0);
  const Permutation q(1000, 42, 1);
  std::vector<std::uint32_t> seen(1000, 0);
  std::size_t fixed_points = 0;
  bool differs = false;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    ++seen[p.forward(i)];
    CHECK(p.inverse(p.forward(i)) == i);
    CHECK(p.forward(i) == same.forward(i));
    differs = differs || p.forward(i) != q.forward(i);
    fixed_points += p.forward(i) == i ? 1U : 0U;
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](std::uint32_t s) { return s == 1; }));
  CHECK(differs);
  CHECK(fixed_points < 8);  // expected 1 for a uniform permutation; P(≥ 8) < 1e-5
  CHECK_THROWS_AS(Permutation(0, 1, 0), std::invalid_argument);
}

TEST_CASE("Shapley design: every row order is a permutation, run 0 is A and run G is B", "[analysis][design]") {
  const ShapleyDesign design(50, 6, 9);
  CHECK(design.runs() == 350);
  std::set<std::vector<std::size_t>> orders;
  for (std::uint64_t i = 0; i < 50; ++i) {
    std::vector<std::size_t> o = design.order(i);
    orders.insert(o);
    std::sort(o.begin(), o.end());
    std::vector<std::size_t> expected(6);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    CHECK(o == expected);
    CHECK(design.mix(i, 0) == GroupMix(6, false));
    CHECK(design.mix(i, 6) == GroupMix(6, true));
    const GroupMix m2 = design.mix(i, 2);
    CHECK(std::count(m2.begin(), m2.end(), true) == 2);
    CHECK((m2[design.order(i)[0]] && m2[design.order(i)[1]]));
  }
  CHECK(orders.size() > 40);  // 720 orders: 50 rows rarely repeat one
  CHECK_THROWS_AS(design.mix(0, 7), std::out_of_range);
  CHECK_THROWS_AS(ShapleyDesign(10, 0, 0), std::invalid_argument);
}

TEST_CASE("Categorical levels from design coordinates are uniform on a Sobol design", "[analysis][design]") {
  const SaltelliDesign design(1, 64, 4);
  std::vector<int> count(4, 0);
  std::vector<double> x(1);
  for (std::uint64_t i = 0; i < 64; ++i) {
    design.row(i, SaltelliDesign::Matrix::a, x);
    ++count[categorical_level(x[0], 4)];
  }
  CHECK(count == std::vector<int>{16, 16, 16, 16});
  CHECK(categorical_level(0.999999999999, 3) == 2);
  CHECK(categorical_level(1.0, 3) == 2);
  CHECK(categorical_level(0.0, 3) == 0);
  CHECK_THROWS_AS(categorical_level(0.5, 0), std::invalid_argument);
}

TEST_CASE("Permutation::from_forward rebuilds a permutation and refuses non-bijections", "[analysis][design]") {
  const normsim::analysis::Permutation p(50, 3, 7);
  std::vector<std::uint32_t> forward(50);
  for (std::uint32_t i = 0; i < 50; ++i) forward[i] = p.forward(i);
  const auto q = normsim::analysis::Permutation::from_forward(forward);
  for (std::uint32_t i = 0; i < 50; ++i) {
    CHECK(q.forward(i) == p.forward(i));
    CHECK(q.inverse(i) == p.inverse(i));
  }
  CHECK_THROWS_AS(normsim::analysis::Permutation::from_forward({0, 0, 1}), std::invalid_argument);
  CHECK_THROWS_AS(normsim::analysis::Permutation::from_forward({0, 3, 1}), std::invalid_argument);
  CHECK_THROWS_AS(normsim::analysis::Permutation::from_forward({}), std::invalid_argument);
}
