// summarize and quantile_type7 against values computed by hand (numpy's default "linear" method).
#include "output/summary.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("type 7 quantiles interpolate linearly between order statistics", "[output][summary]") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(normsim::output::quantile_type7(x, 0.05) == Approx(1.45).epsilon(1e-15));  // numpy.quantile(x, 0.05)
  CHECK(normsim::output::quantile_type7(x, 0.5) == 5.5);
  CHECK(normsim::output::quantile_type7(x, 0.95) == Approx(9.55).epsilon(1e-15));
  CHECK(normsim::output::quantile_type7(x, 0.0) == 1);
  CHECK(normsim::output::quantile_type7(x, 1.0) == 10);
  CHECK(std::isnan(normsim::output::quantile_type7({}, 0.5)));
  const std::vector<double> one{7};
  CHECK(normsim::output::quantile_type7(one, 0.05) == 7);
}

TEST_CASE("summaries exclude NaN and are NaN when undefined", "[output][summary]") {
  std::vector<double> scratch;
  const std::vector<double> values{4, kNaN, 1, 3, 2};
  const auto s = normsim::output::summarize(values, scratch);
  CHECK(s.n == 4);
  CHECK(s.mean == 2.5);
  CHECK(s.sd == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));
  CHECK(s.se == Approx(std::sqrt(5.0 / 3.0) / 2.0).epsilon(1e-15));
  CHECK(s.q05 == Approx(1.15).epsilon(1e-15));
  CHECK(s.q50 == 2.5);
  CHECK(s.q95 == Approx(3.85).epsilon(1e-15));
  const std::vector<double> single{7, kNaN};
  const auto t = normsim::output::summarize(single, scratch);
  CHECK(t.n == 1);
  CHECK(t.mean == 7);
  CHECK(std::isnan(t.sd));
  CHECK(std::isnan(t.se));
  CHECK(t.q05 == 7);
  const auto e = normsim::output::summarize(std::vector<double>{kNaN, kNaN}, scratch);
  CHECK(e.n == 0);
  CHECK((std::isnan(e.mean) && std::isnan(e.sd) && std::isnan(e.q05) && std::isnan(e.q50) && std::isnan(e.q95)));
}
