// locate_crossing on functions whose answer is known without simulation (fast): noiseless θ, so
// that every sign is decided at the first look (a constant stream has a degenerate asymptotic
// sequence) and the brackets follow from the bisection alone; the settings' validation; the
// replicate layout the guarantee rests on; the statuses for plateaus, touching points, ends of the
// range and budgets; what the sampler may and may not return.
#include "analysis/claims/locate.hpp"
#include "crossing_samplers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

using namespace normsim::analysis;
using normsim::test::Noise;
using normsim::test::SyntheticSampler;

namespace {

/// Settings for noiseless searches: two replicates decide any sign but the value itself.
LocateSettings noiseless(std::vector<double> grid, double resolution) {
  LocateSettings s;
  s.grid = std::move(grid);
  s.initial_replicates = 2;
  s.max_replicates = 64;
  s.resolution = resolution;
  return s;
}

/// The number of halvings that take a bracket of `width` to `resolution` or below.
std::size_t halvings(double width, double resolution) {
  return static_cast<std::size_t>(std::ceil(std::log2(width / resolution)));
}

}  // namespace

TEST_CASE("a noiseless line: bisection to the resolution, the exact root, and the sides of the claim") {
  const double x0 = 0.3137;
  SyntheticSampler sampler([&](double x) { return 1.7 * (x - x0); }, Noise::none, 0, 0, 1);
  for (const bool below : {true, false}) {
    LocateSettings s = noiseless(even_grid(0, 1, 5), 1e-3);
    s.claimed_below = below;
    const LocateResult r = locate_crossing(sampler, s);
    REQUIRE(r.status == CrossingStatus::crosses_once);
    REQUIRE(r.crossings.size() == 1);
    const Crossing& c = r.crossings[0];
    CHECK(c.low <= x0);
    CHECK(c.high >= x0);
    CHECK(c.high - c.low <= s.resolution);
    CHECK(c.end == BracketEnd::resolution);
    CHECK(c.undecided_inside == 0);
    CHECK(std::abs(c.estimate - x0) <= 1e-12);  // the line through two exact points
    CHECK(c.holds_below == below);               // θ < v below the root
    // Every point decided at its first look: the grid, then one probe per halving of the grid cell.
    CHECK(r.points.size() == s.grid.size() + halvings(0.25, s.resolution));
    CHECK(r.runs == 2 * r.points.size());
    for (const EvaluatedPoint& p : r.points) {
      CHECK(p.sign == (p.x > x0 ? 1 : -1));
      CHECK(p.decision.verdict == ((p.x < x0) == below ? Verdict::holds : Verdict::fails));
    }
    CHECK(r.unresolved.empty());
  }
}

TEST_CASE("two crossings: both bracketed, sides alternate, and a bracket beyond refined_brackets keeps the grid's") {
  const double x1 = 0.23, x2 = 0.71;
  SyntheticSampler sampler([&](double x) { return 2 * (x - x1) * (x - x2); }, Noise::none, 0, 0, 1);
  LocateSettings s = noiseless(even_grid(0, 1, 6), 1e-3);
  LocateResult r = locate_crossing(sampler, s);
  REQUIRE(r.status == CrossingStatus::crosses_more_than_once);
  REQUIRE(r.crossings.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const double root = i == 0 ? x1 : x2;
    CHECK(r.crossings[i].low <= root);
    CHECK(r.crossings[i].high >= root);
    CHECK(r.crossings[i].high - r.crossings[i].low <= s.resolution);
    CHECK(r.crossings[i].end == BracketEnd::resolution);
  }
  // The claim "θ > v" (claimed_below = false) holds below x1 (θ > 0 there) and fails between the roots.
  CHECK(r.crossings[0].holds_below);
  CHECK_FALSE(r.crossings[1].holds_below);

  s.refined_brackets = 1;
  r = locate_crossing(sampler, s);
  REQUIRE(r.crossings.size() == 2);
  CHECK(r.crossings[0].end == BracketEnd::resolution);
  CHECK(r.crossings[1].end == BracketEnd::not_refined);
  CHECK(r.crossings[1].low == s.grid[3]);
  CHECK(r.crossings[1].high == s.grid[4]);
  CHECK(r.points_allowed == s.grid.size() + s.probes_per_bracket);
  CHECK(r.point_alpha == s.alpha / static_cast<double>(r.points_allowed));
}

TEST_CASE("no crossing: every grid point decided with one sign, nothing else spent") {
  SyntheticSampler sampler([](double x) { return 0.5 + x; }, Noise::none, 0, 0, 1);
  const LocateSettings s = noiseless(even_grid(-0.4, 1, 8), 0);
  const LocateResult r = locate_crossing(sampler, s);
  CHECK(r.status == CrossingStatus::no_crossing);
  CHECK(r.crossings.empty());
  CHECK(r.unresolved.empty());
  CHECK(r.points.size() == s.grid.size());
  CHECK(r.runs == s.grid.size() * s.initial_replicates);
  CHECK(r.resolution == Approx(0.2 / 16));  // default: the grid spacing / 16
}

TEST_CASE("a plateau on the value: the undecidable zone stays inside the bracket, which encloses the plateau") {
  // θ = v on [0.4, 0.6], rising through it; the grid point 0.5 is on the value.
  SyntheticSampler sampler([](double x) { return std::min(0.0, x - 0.4) + std::max(0.0, x - 0.6); }, Noise::none, 0,
                           0, 1);
  const LocateSettings s = noiseless(even_grid(0, 1, 5), 0);
  const LocateResult r = locate_crossing(sampler, s);
  REQUIRE(r.status == CrossingStatus::crosses_once);
  const Crossing& c = r.crossings.at(0);
  CHECK(c.low < 0.4);
  CHECK(c.high > 0.6);
  CHECK(c.undecided_inside >= 2);
  CHECK(c.end == BracketEnd::zone);
  // The bracket is at most 1.5 times the span of its undecided points (kZoneGapShare), hence within
  // 1.5 times the plateau's width.
  CHECK(c.high - c.low <= 1.5 * 0.2);
  for (const EvaluatedPoint& p : r.points) {
    if (p.sign == 0) {
      CHECK(p.x >= 0.4);
      CHECK(p.x <= 0.6);
    } else {
      CHECK(p.sign == (p.x > 0.6 ? 1 : -1));
    }
  }
}

TEST_CASE("touching the value, or an end on it: undecided, with the region named, and no crossing claimed") {
  SECTION("θ touches v at a grid point") {
    SyntheticSampler sampler([](double x) { return -(x - 0.5) * (x - 0.5); }, Noise::none, 0, 0, 1);
    const LocateResult r = locate_crossing(sampler, noiseless(even_grid(0, 1, 5), 0));
    CHECK(r.status == CrossingStatus::undecided);
    CHECK(r.crossings.empty());
    REQUIRE(r.unresolved.size() == 1);
    CHECK(r.unresolved[0].low == 0.25);
    CHECK(r.unresolved[0].high == 0.75);
    CHECK_FALSE(r.unresolved[0].at_edge);
  }
  SECTION("θ = v at the end of the range") {
    SyntheticSampler sampler([](double x) { return x - 1; }, Noise::none, 0, 0, 1);
    const LocateResult r = locate_crossing(sampler, noiseless(even_grid(0, 1, 5), 0));
    CHECK(r.status == CrossingStatus::undecided);
    CHECK(r.crossings.empty());
    REQUIRE(r.unresolved.size() == 1);
    CHECK(r.unresolved[0].low == 0.75);
    CHECK(r.unresolved[0].high == 1.0);
    CHECK(r.unresolved[0].at_edge);
  }
}

TEST_CASE("the budget: never exceeded, and what is left undecided says so") {
  const double x0 = 0.3137;
  SyntheticSampler sampler([&](double x) { return x - x0; }, Noise::none, 0, 0, 1);
  SECTION("spent during the bisection") {
    LocateSettings s = noiseless(even_grid(0, 1, 5), 1e-4);
    s.budget = s.grid.size() * s.initial_replicates + 3 * s.initial_replicates;  // the grid and three probes
    const LocateResult r = locate_crossing(sampler, s);
    CHECK(r.runs == s.budget);
    REQUIRE(r.crossings.size() == 1);
    CHECK(r.crossings[0].end == BracketEnd::budget);
    CHECK(r.crossings[0].low <= x0);
    CHECK(r.crossings[0].high >= x0);
    CHECK(r.crossings[0].high - r.crossings[0].low == Approx(0.25 / 8));
  }
  SECTION("spent on the grid") {
    LocateSettings s = noiseless(even_grid(0, 1, 5), 0);
    s.budget = 3 * s.initial_replicates;
    const LocateResult r = locate_crossing(sampler, s);
    CHECK(r.runs == s.budget);
    CHECK(r.points.size() == 3);  // the points the budget reached
    CHECK(r.status == CrossingStatus::undecided);
    REQUIRE(r.unresolved.size() == 1);
    CHECK(r.unresolved[0].at_edge);
  }
}

TEST_CASE("replicates: grid points share the first indices, each probe has its own block, no run is asked twice") {
  const double x0 = 0.4321;
  SyntheticSampler sampler([&](double x) { return 0.8 * (x - x0); }, Noise::normal, 0.3, 0.5, 7);
  LocateSettings s;
  s.grid = even_grid(0, 1, 9);
  s.initial_replicates = 16;
  s.max_replicates = 1024;
  const LocateResult r = locate_crossing(sampler, s);
  REQUIRE(r.crossings.size() == 1);
  std::set<std::uint64_t> allowed;
  for (std::size_t b = 0; b < s.refined_brackets; ++b) {
    for (std::size_t j = 0; j < s.probes_per_bracket; ++j) allowed.insert(probe_first_replicate(s, b, j));
  }
  std::set<std::uint64_t> probe_blocks;
  std::map<double, std::uint64_t> next;  // per x: the replicate the next request must start at
  for (const EvaluatedPoint& p : r.points) {
    CHECK(p.decision.n <= s.max_replicates);
    next[p.x] = p.first_replicate;
    if (p.role == PointRole::grid) {
      CHECK(p.first_replicate == 0);
    } else {
      CHECK(allowed.count(p.first_replicate) == 1);
      CHECK(probe_blocks.insert(p.first_replicate).second);  // one block per probe
      CHECK(p.first_replicate >= s.max_replicates);          // beyond the grid's [0, max)
    }
  }
  CHECK(probe_blocks.size() > 2);  // the case exercises probes
  std::uint64_t total = 0;
  for (const DrawRequest& q : sampler.requests) {
    REQUIRE(next.count(q.x) == 1);
    CHECK(q.first_replicate == next[q.x]);  // contiguous: each request continues the point's stream
    next[q.x] += q.count;
    total += q.count;
  }
  CHECK(total == r.runs);
  for (const EvaluatedPoint& p : r.points) CHECK(next[p.x] == p.first_replicate + p.decision.n);
}

TEST_CASE("the same sampler answers give the same search") {
  const auto search = [] {
    SyntheticSampler sampler([](double x) { return 0.8 * (x - 0.61); }, Noise::normal, 0.3, 0.5, 11);
    LocateSettings s;
    s.grid = even_grid(0, 1, 9);
    s.initial_replicates = 16;
    s.max_replicates = 1024;
    return locate_crossing(sampler, s);
  };
  const LocateResult a = search();
  const LocateResult b = search();
  REQUIRE(a.points.size() == b.points.size());
  CHECK(a.runs == b.runs);
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CHECK(a.points[i].x == b.points[i].x);
    CHECK(a.points[i].decision.n == b.points[i].decision.n);
    CHECK(a.points[i].decision.estimate == b.points[i].decision.estimate);
  }
  REQUIRE(a.crossings.size() == b.crossings.size());
  CHECK(a.crossings[0].estimate == b.crossings[0].estimate);
}

namespace {

/// Answers with one observation too few, a NaN, or an observation outside [−1, 1].
class BrokenSampler final : public CrossingSampler {
 public:
  enum class Fault { short_answer, nan, out_of_range } fault;
  explicit BrokenSampler(Fault f) : fault(f) {}
  std::vector<double> draw(double, std::uint64_t, std::uint64_t count) override {
    std::vector<double> out(count, 0.5);
    if (fault == Fault::short_answer) out.pop_back();
    if (fault == Fault::nan) out[0] = std::nan("");
    if (fault == Fault::out_of_range) out[0] = 1.5;
    return out;
  }
};

}  // namespace

TEST_CASE("a sampler's wrong answers are errors") {
  LocateSettings s = noiseless(even_grid(0, 1, 3), 0);
  BrokenSampler short_answer(BrokenSampler::Fault::short_answer);
  CHECK_THROWS_AS(locate_crossing(short_answer, s), std::runtime_error);
  BrokenSampler nan(BrokenSampler::Fault::nan);
  CHECK_THROWS_AS(locate_crossing(nan, s), std::domain_error);
  s.lo = -1;
  s.hi = 1;
  BrokenSampler out_of_range(BrokenSampler::Fault::out_of_range);
  CHECK_THROWS_AS(locate_crossing(out_of_range, s), std::domain_error);
}

TEST_CASE("settings are validated") {
  SyntheticSampler sampler([](double x) { return x; }, Noise::none, 0, 0, 1);
  const LocateSettings good = noiseless(even_grid(0, 1, 3), 0);
  CHECK_NOTHROW(locate_crossing(sampler, good));
  const auto rejects = [&](auto change) {
    LocateSettings s = good;
    change(s);
    CHECK_THROWS_AS(locate_crossing(sampler, s), std::invalid_argument);
  };
  rejects([](LocateSettings& s) { s.alpha = 0; });
  rejects([](LocateSettings& s) { s.alpha = 1; });
  rejects([](LocateSettings& s) { s.value = std::nan(""); });
  rejects([](LocateSettings& s) { s.grid = {0.5}; });
  rejects([](LocateSettings& s) { s.grid = {0, 0.5, 0.5}; });
  rejects([](LocateSettings& s) { s.grid = {0, std::nan(""), 1}; });
  rejects([](LocateSettings& s) { s.initial_replicates = 1; });
  rejects([](LocateSettings& s) { s.max_replicates = 1; });
  rejects([](LocateSettings& s) { s.growth = 1; });
  rejects([](LocateSettings& s) { s.resolution = -1; });
  rejects([](LocateSettings& s) { s.lo = 1; s.hi = 0; });
  rejects([](LocateSettings& s) { s.lo = std::nan(""); });
  rejects([](LocateSettings& s) { s.max_replicates = std::uint64_t{1} << 62; s.refined_brackets = 8; });
  CHECK_THROWS_AS(even_grid(1, 0, 3), std::invalid_argument);
  CHECK_THROWS_AS(even_grid(0, 1, 1), std::invalid_argument);
  const std::vector<double> g = even_grid(0.05, 0.45, 9);
  REQUIRE(g.size() == 9);
  CHECK(g.front() == 0.05);
  CHECK(g.back() == 0.45);
  CHECK(g[4] == Approx(0.25));
}
