// The bootstrap evaluates its resamples in parallel (estimate.cpp): every estimator's point values,
// standard errors and interval ends must be the same bits on one thread and on several, in any
// interleaving. The estimators whose statistics keep scratch (Janon, norm share) or sum many groups
// at once (Sobol indices, radial totals) are run in arenas of 1, 2 and 7 threads on random data.
#include "analysis/attribution/design.hpp"
#include "analysis/attribution/janon.hpp"
#include "analysis/attribution/norm_share.hpp"
#include "analysis/attribution/sobol_indices.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <bit>
#include <cstdint>
#include <functional>
#include <vector>

using namespace normsim::analysis;
namespace nr = normsim::random;

namespace {

std::vector<double> noise(std::size_t n, std::uint64_t stream) {
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = nr::normal_pair(nr::Stream{stream}.block(nr::Purpose::result, 0, i))[0];
  return y;
}

/// Every number of every estimate, as bits.
std::vector<std::uint64_t> bits(const std::vector<Estimate>& estimates) {
  std::vector<std::uint64_t> out;
  for (const Estimate& e : estimates) {
    for (const double v : {e.value, e.standard_error, e.ci_low, e.ci_high}) out.push_back(std::bit_cast<std::uint64_t>(v));
  }
  return out;
}

/// `estimate` computed in arenas of 1, 2 and 7 threads, the parallel ones three times each: all the
/// same bits as on one thread. An order-dependent combination of resamples fails here every time; a
/// data race between resamples only in the interleavings that expose it (on an idle machine, most
/// runs; the tsan preset finds it for certain).
void same_on_every_thread_count(const std::function<std::vector<Estimate>()>& estimate) {
  const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 7);
  std::vector<std::vector<std::uint64_t>> results;
  for (const int threads : {1, 2, 7, 2, 7, 2, 7}) {
    tbb::task_arena arena(threads);
    results.push_back(arena.execute([&] { return bits(estimate()); }));
  }
  REQUIRE_FALSE(results[0].empty());
  for (std::size_t k = 1; k < results.size(); ++k) CHECK(results[k] == results[0]);
}

}  // namespace

TEST_CASE("bootstrap intervals are the same bits on any number of threads", "[analysis][design]") {
  constexpr std::size_t n = 256;
  constexpr std::size_t groups = 11;  // not a multiple of four: the Sobol statistic's remainder path too
  BootstrapSettings settings;
  settings.resamples = 203;  // not a multiple of the resamples per task

  const std::vector<double> y_a = noise(n, 1);
  const std::vector<double> y_b = noise(n, 2);
  std::vector<std::vector<double>> y_ab;
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<double> y = noise(n, 10 + g);
    for (std::size_t i = 0; i < n; ++i) y[i] += 0.1 * static_cast<double>(g) * y_a[i];
    y_ab.push_back(std::move(y));
  }
  PickFreezeOutputs outputs{y_a, y_b, {}};
  for (const auto& y : y_ab) outputs.y_ab.emplace_back(y);
  same_on_every_thread_count([&] {
    SobolIndices s = sobol_indices(outputs, settings);
    s.first_order.insert(s.first_order.end(), s.total.begin(), s.total.end());
    return s.first_order;
  });
  same_on_every_thread_count([&] { return radial_total_indices(outputs.y_a, outputs.y_ab, settings); });

  std::vector<Permutation> permutations;
  for (std::size_t g = 0; g < groups; ++g) permutations.emplace_back(static_cast<std::uint32_t>(n), 5, g);
  same_on_every_thread_count([&] { return janon_first_order(y_a, y_b, permutations, settings); });

  const std::vector<double> levels = noise(4 * n, 3);
  same_on_every_thread_count([&] {
    const NormShare s = norm_share(levels, 4, false, settings);
    return std::vector<Estimate>{s.share, s.between, s.within};
  });
  same_on_every_thread_count([&] {
    const NormShare s = norm_share(levels, 4, true, settings);
    return std::vector<Estimate>{s.share, s.between, s.within};
  });
}
