// An agent-style stochastic function whose noise comes from per-entity Philox streams keyed like the
// model's (random/streams.hpp):
//     Y = a·θ₁ + θ₂·Σ_j c_j·ε_j,   θ ~ U(0, 1)²,   ε_j ~ N(0, 1) from entity j's key,
// where "resampling entity j" means giving it a fresh key. With E[θ₂] = ½ and E[θ₂²] = ⅓:
//     V = a²/12 + Σc_j²/3;  S_θ₁ = ST_θ₁ = a²/(12V);  S_θ₂ = 0;  ST_θ₂ = Σc_j²/(12V);
//     S_j = c_j²/(4V);  ST_j = c_j²/(3V).
// Shapley effects of the groups {θ₁, θ₂, E_1, E_2, E_3} (E_g a set of entities, C_g = Σ_{j∈g} c_j²):
// v(S) = Var(E[Y | X_S]) splits into a²/12·[θ₁ ∈ S] plus, per g, a two-player game between θ₂ and E_g
// with v({E_g}) = C_g/4 (θ₂ averaged to ½), v({θ₂}) = 0, v({θ₂, E_g}) = C_g/3 (the cross terms vanish
// because the ε are independent with mean 0). Shapley values are linear in v, so
//     Sh_θ₁ = a²/(12V),  Sh_E_g = ½(C_g/4) + ½(C_g/3) = 7C_g/(24V),  Sh_θ₂ = Σ_g ½(C_g/3 − C_g/4) = ΣC/(24V),
// which sum to 1; per single entity Sh_j = 7c_j²/(24V).
#include "analysis/attribution/janon.hpp"
#include "analysis/attribution/shapley.hpp"
#include "analysis/attribution/sobol_indices.hpp"
#include "analytic.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

using namespace normsim::analysis;
using namespace normsim::analysis::test;
namespace nr = normsim::random;

namespace {

constexpr std::size_t entities = 60;
constexpr double a = 10.0;
constexpr std::uint64_t key_seed = 0x6167656e74ULL;

double c(std::size_t j) { return 0.5 + 0.05 * static_cast<double>(j); }  // unequal: 0.5 … 3.45

double sum_c2() {
  double s = 0.0;
  for (std::size_t j = 0; j < entities; ++j) s += c(j) * c(j);
  return s;
}

double total_variance() { return a * a / 12.0 + sum_c2() / 3.0; }

// Entity j's key in matrix m (0 = A, 1 = B; 2 = design 1 of the replicated design) at row i.
std::uint64_t entity_key(std::uint64_t m, std::uint64_t i, std::uint64_t j) {
  return nr::philox64({m, i, j, 0}, {key_seed, 1})[0];
}

double epsilon(std::uint64_t key) {
  return nr::normal_pair(nr::Stream{key}.block(nr::Purpose::result, 0, 0))[0];
}

double model(double theta1, double theta2, std::span<const std::uint64_t> keys) {
  double noise = 0.0;
  for (std::size_t j = 0; j < entities; ++j) noise += c(j) * epsilon(keys[j]);
  return a * theta1 + theta2 * noise;
}

// One run of a Saltelli-type design: θ from the mixed Sobol row, entity j's key from A or B as the
// mix says for entity j's group (groups 0, 1 are θ₁, θ₂; entity j is in group entity_group(j)).
template <class EntityGroup>
double run(const SaltelliDesign& design, const Grouping& grouping, const GroupMix& mix, std::uint64_t i,
           EntityGroup entity_group) {
  std::array<double, 2> theta{};
  design.mixed_row(i, grouping, mix, theta);
  std::array<std::uint64_t, entities> keys{};
  for (std::size_t j = 0; j < entities; ++j) keys[j] = entity_key(mix[entity_group(j)] ? 1 : 0, i, j);
  return model(theta[0], theta[1], keys);
}

}  // namespace

TEST_CASE("Agent-style function: grouped S, ST and Shapley effects", "[analysis][agent]") {
  const double v = total_variance();
  const auto group_of_entity = [](std::size_t j) { return 2 + j % 3; };
  std::array<double, 3> cg{};
  for (std::size_t j = 0; j < entities; ++j) cg[j % 3] += c(j) * c(j);
  const std::array<double, 5> s{a * a / 12.0 / v, 0.0, cg[0] / 4.0 / v, cg[1] / 4.0 / v, cg[2] / 4.0 / v};
  const std::array<double, 5> st{a * a / 12.0 / v, sum_c2() / 12.0 / v, cg[0] / 3.0 / v, cg[1] / 3.0 / v,
                                 cg[2] / 3.0 / v};
  const std::array<double, 5> sh{a * a / 12.0 / v, sum_c2() / 24.0 / v, 7.0 * cg[0] / 24.0 / v,
                                 7.0 * cg[1] / 24.0 / v, 7.0 * cg[2] / 24.0 / v};

  const SaltelliDesign design(2, 1U << 12, 31);
  const Grouping grouping({0, 1}, 5);
  const auto n = static_cast<std::size_t>(design.rows());
  std::vector<double> y_a(n), y_b(n);
  std::vector<std::vector<double>> y_ab(5, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    y_a[i] = run(design, grouping, GroupMix(5, false), i, group_of_entity);
    y_b[i] = run(design, grouping, GroupMix(5, true), i, group_of_entity);
    for (std::size_t g = 0; g < 5; ++g) y_ab[g][i] = run(design, grouping, mix_ab(5, g), i, group_of_entity);
  }
  PickFreezeOutputs outputs{y_a, y_b, {}};
  for (const auto& y : y_ab) outputs.y_ab.emplace_back(y);
  const SobolIndices idx = sobol_indices(outputs);

  const ShapleyDesign shapley(n, 5, 32);
  std::vector<double> y_sh;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t step = 0; step <= 5; ++step) y_sh.push_back(run(design, grouping, shapley.mix(i, step), i, group_of_entity));
  }
  const std::vector<Estimate> effects = shapley_effects(shapley, y_sh);
  double sum = 0.0;
  for (std::size_t g = 0; g < 5; ++g) {
    check_within_4se(idx.first_order[g], s[g]);
    check_within_4se(idx.total[g], st[g]);
    check_within_4se(effects[g], sh[g]);
    check_ordered(idx.first_order[g], effects[g]);
    check_ordered(effects[g], idx.total[g]);
    sum += effects[g].value;
  }
  CHECK(sum == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("Agent-style function: radial total index of every entity", "[analysis][agent]") {
  const double v = total_variance();
  constexpr std::size_t groups = 2 + entities;  // θ₁, θ₂, then one group per entity
  const auto group_of_entity = [](std::size_t j) { return 2 + j; };
  const SaltelliDesign design(2, 1U << 11, 41);
  const Grouping grouping({0, 1}, groups);
  const auto n = static_cast<std::size_t>(design.rows());
  std::vector<double> y_a(n), y_b(n);
  std::vector<std::vector<double>> y_aj(groups, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    y_a[i] = run(design, grouping, GroupMix(groups, false), i, group_of_entity);
    y_b[i] = run(design, grouping, GroupMix(groups, true), i, group_of_entity);
    for (std::size_t g = 0; g < groups; ++g) y_aj[g][i] = run(design, grouping, mix_ab(groups, g), i, group_of_entity);
  }
  std::vector<std::span<const double>> tracked;
  for (const auto& y : y_aj) tracked.emplace_back(y);
  BootstrapSettings settings;
  settings.resamples = 400;
  const std::vector<Estimate> totals = radial_total_indices(y_a, tracked, settings, y_b);
  check_within_4se(totals[0], a * a / 12.0 / v);
  check_within_4se(totals[1], sum_c2() / 12.0 / v);
  for (std::size_t j = 0; j < entities; ++j) check_within_4se(totals[2 + j], c(j) * c(j) / 3.0 / v);
}

TEST_CASE("Agent-style function: Janon first-order index of every entity from a replicated design",
          "[analysis][agent]") {
  const double v = total_variance();
  constexpr std::size_t groups = 2 + entities;
  constexpr std::uint32_t n = 1U << 16;
  std::vector<Permutation> permutations;
  for (std::size_t g = 0; g < groups; ++g) permutations.emplace_back(n, 51, g);
  // Design 1, row i: θ from Philox uniforms of (i, group), entity j's key from (2, i, j).
  const auto theta = [](std::uint64_t i, std::uint64_t g) {
    return nr::uniform(static_cast<std::uint32_t>(nr::philox64({i, g, 0, 0}, {key_seed, 2})[0]));
  };
  std::vector<double> y1(n), y2(n);
  std::array<std::uint64_t, entities> keys{};
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < entities; ++j) keys[j] = entity_key(2, i, j);
    y1[i] = model(theta(i, 0), theta(i, 1), keys);
  }
  // Design 2, row r: every group's values come from design-1 row π_g⁻¹(r) (a permutation of keys).
  for (std::uint32_t r = 0; r < n; ++r) {
    for (std::size_t j = 0; j < entities; ++j) keys[j] = entity_key(2, permutations[2 + j].inverse(r), j);
    y2[r] = model(theta(permutations[0].inverse(r), 0), theta(permutations[1].inverse(r), 1), keys);
  }
  BootstrapSettings settings;
  settings.resamples = 200;
  const std::vector<Estimate> s = janon_first_order(y1, y2, permutations, settings);
  check_within_4se(s[0], a * a / 12.0 / v);
  check_within_4se(s[1], 0.0);
  for (std::size_t j = 0; j < entities; ++j) check_within_4se(s[2 + j], c(j) * c(j) / 4.0 / v);
}
