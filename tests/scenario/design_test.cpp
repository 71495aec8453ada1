// Sweep designs on their own: grid order, Latin hypercube strata, the Sobol sequence and its
// digital shift, the mapping to values, and the stable hash.
#include "scenario/design.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace normsim::scenario::design;

namespace {

// True when each of the `strata` equal strata of [0, 1) holds exactly one of the points'
// coordinate d.
bool fills_strata(const std::vector<double>& unit, std::size_t points, std::size_t dims, std::size_t d) {
  std::set<std::size_t> hit;
  for (std::size_t p = 0; p < points; ++p) {
    const double u = unit[p * dims + d];
    if (!(u > 0.0 && u < 1.0)) return false;
    hit.insert(static_cast<std::size_t>(std::floor(u * static_cast<double>(points))));
  }
  return hit.size() == points && *hit.rbegin() == points - 1;
}

}  // namespace

TEST_CASE("grid points are row-major with the last factor fastest") {
  const std::vector<std::uint64_t> sizes{2, 3, 4};
  CHECK(grid_size(sizes) == 24);
  CHECK(grid_levels(sizes, 0) == std::vector<std::uint64_t>{0, 0, 0});
  CHECK(grid_levels(sizes, 1) == std::vector<std::uint64_t>{0, 0, 1});
  CHECK(grid_levels(sizes, 4) == std::vector<std::uint64_t>{0, 1, 0});
  CHECK(grid_levels(sizes, 12) == std::vector<std::uint64_t>{1, 0, 0});
  CHECK(grid_levels(sizes, 23) == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(grid_size(std::vector<std::uint64_t>{}) == 1);
  CHECK(grid_size(std::vector<std::uint64_t>{1ULL << 40, 1ULL << 40}) == UINT64_MAX);  // saturates
}

TEST_CASE("a Latin hypercube puts one point in each stratum of every dimension") {
  for (const std::size_t points : {1U, 2U, 7U, 97U, 1000U}) {
    INFO(points);
    const std::vector<double> unit = latin_hypercube(points, 3, 42);
    REQUIRE(unit.size() == points * 3);
    for (std::size_t d = 0; d < 3; ++d) CHECK(fills_strata(unit, points, 3, d));
  }
}

TEST_CASE("a Latin hypercube is a deterministic function of its sampling seed") {
  CHECK(latin_hypercube(50, 4, 7) == latin_hypercube(50, 4, 7));
  CHECK(latin_hypercube(50, 4, 7) != latin_hypercube(50, 4, 8));
  // Dimensions are permuted independently: the two columns are not the same permutation.
  const std::vector<double> unit = latin_hypercube(50, 2, 7);
  std::size_t same = 0;
  for (std::size_t p = 0; p < 50; ++p) same += std::floor(unit[2 * p] * 50) == std::floor(unit[2 * p + 1] * 50) ? 1U : 0U;
  CHECK(same < 10);
}

TEST_CASE("unscrambled Sobol points are the published sequence, from the origin") {
  const std::vector<std::uint32_t> w = sobol_words(5, 2);
  const std::uint32_t half = 1U << 31;
  const std::uint32_t quarter = 1U << 30;
  CHECK(w == std::vector<std::uint32_t>{0, 0, half, half, 3 * quarter, quarter, quarter, 3 * quarter,
                                        3 * (quarter / 2), 3 * (quarter / 2)});
  const std::vector<double> u = sobol(4, 2, 99, false);
  CHECK(u[2] == Approx(0.5).epsilon(1e-9));
  CHECK(u[4] == Approx(0.75).epsilon(1e-9));
  CHECK(u[5] == Approx(0.25).epsilon(1e-9));
}

TEST_CASE("scrambled Sobol points keep the strata of 2^m points and depend on the seed only") {
  for (const std::size_t points : {1U, 2U, 16U, 256U}) {
    INFO(points);
    const std::vector<double> unit = sobol(points, 5, 12345);
    for (std::size_t d = 0; d < 5; ++d) CHECK(fills_strata(unit, points, 5, d));
  }
  CHECK(sobol(64, 3, 1) == sobol(64, 3, 1));
  CHECK(sobol(64, 3, 1) != sobol(64, 3, 2));
  CHECK(sobol(64, 3, 1) != sobol(64, 3, 1, false));
  // A shift is the same XOR for every point of a dimension: differences of words are preserved.
  const std::vector<std::uint32_t> plain = sobol_words(8, 1);
  const std::vector<double> shifted = sobol(8, 1, 5);
  const auto word = [&](std::size_t p) { return static_cast<std::uint32_t>(shifted[p] * 0x1.0p32); };
  for (std::size_t p = 1; p < 8; ++p) CHECK((word(p) ^ word(0)) == (plain[p] ^ plain[0]));
}

TEST_CASE("unit coordinates map to levels and values") {
  CHECK(unit_to_level(0.0, 3) == 0);
  CHECK(unit_to_level(0.34, 3) == 1);
  CHECK(unit_to_level(0.999999, 3) == 2);
  CHECK(unit_to_level(1.0, 3) == 2);
  CHECK(unit_to_value(0.0, 2.0, 8.0, false) == 2.0);
  CHECK(unit_to_value(1.0, 2.0, 8.0, false) == 8.0);
  CHECK(unit_to_value(0.5, 2.0, 8.0, false) == 5.0);
  CHECK(unit_to_value(0.5, 2.0, 8.0, true) == Approx(4.0));
  CHECK(unit_to_value(1.0, 2.0, 8.0, true) == 8.0);
  CHECK(std::isfinite(unit_to_value(0.5, -1e308, 1e308, false)));  // no overflow of to − from
}

TEST_CASE("stable_hash is fixed and spreads nearby texts") {
  CHECK(stable_hash("abc") == stable_hash("abc"));
  CHECK(stable_hash("abc") != stable_hash("abd"));
  CHECK(stable_hash("") != stable_hash(std::string_view("\0", 1)));
  CHECK(stable_hash("normsim") == 0xb1f6a80cb3df5d93ULL);  // known answers: the hash enters every key
  CHECK(stable_hash("") == 0xe25a96960fa58f54ULL);
}
