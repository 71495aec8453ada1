// Changing the math implementation (glibc libm → SLEEF's deterministic functions) changes bits, not
// distributions: on each of the six norm scenarios, every outcome's mean under SLEEF lies within
// 4 standard errors of its mean under libm. Both are computed here, now: the libm backend stays
// selectable for this comparison. The two samples use different replicates (independent runs), so
// the comparison is a two-sample test: |m₁ − m₂| < 4·√(se₁² + se₂²). Missing values (t_transform when
// the threshold is never reached) are compared as a share with its binomial standard error.
#include "model/model.hpp"
#include "runner/plan.hpp"
#include "scenario/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace normsim;

namespace {

constexpr std::uint64_t kRuns = 400;  // per scenario and backend

struct Moments {
  double n = 0;
  double sum = 0;
  double sum_squares = 0;
  double missing = 0;
  void add(double x) {
    if (std::isnan(x)) {
      missing += 1;
      return;
    }
    n += 1;
    sum += x;
    sum_squares += x * x;
  }
  [[nodiscard]] double mean() const { return sum / n; }
  [[nodiscard]] double se() const {
    const double variance = std::max(0.0, (sum_squares - sum * sum / n) / (n - 1));
    return std::sqrt(variance / n);
  }
};

/// Outcome moments of runs first … first + kRuns − 1 of `params` with `backend`.
std::vector<Moments> sample(const model::ModelParams& params, std::uint64_t seed, std::uint64_t first,
                            random::MathBackend backend) {
  const runner::ReplicateSet set(params, first + kRuns, seed);
  const auto point = set.point(0);
  std::vector<Moments> moments(model::kOutcomeCount);
  for (std::uint64_t k = first; k < first + kRuns; ++k) {
    const model::EntityKeys keys = runner::derive_keys(*point->roster, seed, set.plan(k));
    model::Model m(params, point->roster, keys, random::Math{backend, random::process_vector_path()});
    while (!m.finished()) m.step();
    const model::Outcomes o = m.outcomes();
    for (std::size_t i = 0; i < model::kOutcomeCount; ++i) moments[i].add(o[i]);
  }
  return moments;
}

}  // namespace

TEST_CASE("outcome means under SLEEF lie within 4 standard errors of those under libm on the six norm scenarios",
          "[runner][statistical][slow]") {
  for (const std::string name : {"open", "closed", "no_capabilities", "no_interpretability", "hazard_specific",
                                 "embargo_capabilities"}) {
    const scenario::Scenario s =
        scenario::load_file(std::string(NORMSIM_SOURCE_DIR) + "/scenarios/norm_" + name + ".toml");
    const std::vector<Moments> sleef = sample(s.model, s.run.seed, 0, random::MathBackend::deterministic);
    const std::vector<Moments> libm = sample(s.model, s.run.seed, kRuns, random::MathBackend::libm);
    for (std::size_t i = 0; i < model::kOutcomeCount; ++i) {
      const Moments& a = sleef[i];
      const Moments& b = libm[i];
      INFO("norm_" << name << ".toml, " << model::kOutcomeDescriptors[i].name << ": SLEEF " << a.mean() << " ± "
                   << a.se() << " (" << a.missing << " missing), libm " << b.mean() << " ± " << b.se() << " ("
                   << b.missing << " missing)");
      const double share_a = a.missing / static_cast<double>(kRuns);
      const double share_b = b.missing / static_cast<double>(kRuns);
      const double pooled = (a.missing + b.missing) / (2.0 * static_cast<double>(kRuns));
      CHECK(std::abs(share_a - share_b) <= 4.0 * std::sqrt(2.0 * pooled * (1.0 - pooled) / static_cast<double>(kRuns)));
      if (a.n >= 2 && b.n >= 2) {
        CHECK(std::abs(a.mean() - b.mean()) <= 4.0 * std::sqrt(a.se() * a.se() + b.se() * b.se()));
      }
    }
  }
}
