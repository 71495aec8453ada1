// The deterministic elementary functions and the vector paths: every batch function and the
// Philox batch give the scalar bits on every path this CPU supports, and the integer coin
// thresholds decide exactly as the floating-point coins.
#include "random/batch.hpp"
#include "random/math.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace normsim::random;

namespace {

/// Every path the CPU can run, portable first.
std::vector<VectorPath> supported_paths() {
  std::vector<VectorPath> paths{VectorPath::portable};
  const VectorPath best = best_vector_path();
  if (best != VectorPath::portable) paths.push_back(VectorPath::avx2);
  if (best == VectorPath::avx512) paths.push_back(VectorPath::avx512);
  return paths;
}

/// Arguments covering what the model passes: uniforms of many words (including the extremes),
/// 53-bit uniforms, angles in [0, 2π), exponents of lognormals, bases ≥ 1, and a length that
/// leaves a partial vector at the end.
std::vector<double> arguments(double low, double high, std::size_t n) {
  std::vector<double> x;
  x.reserve(n);
  const Stream s{0x5eed5eed5eedULL};
  for (std::size_t i = 0; i < n; ++i) {
    const Block b = s.block(Purpose::result, 0, i);
    x.push_back(low + (high - low) * uniform53(b[0], b[1]));
  }
  return x;
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

TEST_CASE("deterministic batch functions give the scalar function's bits on every vector path", "[random][math]") {
  constexpr std::size_t n = 4099;  // not a multiple of 4 or 8: the last vector is partial
  std::vector<double> uniforms;
  for (std::uint32_t w : {0U, 1U, 2U, 0x7fffffffU, 0x80000000U, 0xfffffffeU, 0xffffffffU}) uniforms.push_back(uniform(w));
  const Stream s{42};
  for (std::size_t i = 0; uniforms.size() < n; ++i) uniforms.push_back(uniform(s.block(Purpose::result, 0, i)[0]));
  const std::vector<double> angles = arguments(0.0, kTwoPi, n);
  const std::vector<double> exponents = arguments(-20.0, 8.0, n);
  const std::vector<double> bases = arguments(1.0, 1e7, n);
  const std::vector<double> powers = arguments(0.0, 1.0, n);

  for (const VectorPath path : supported_paths()) {
    INFO("path " << vector_path_name(path));
    const Math math{MathBackend::deterministic, path};
    std::vector<double> out(n);
    std::size_t differences = 0;
    math.log(uniforms.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) differences += same_bits(out[i], math.log(uniforms[i])) ? 0U : 1U;
    math.cos(angles.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) differences += same_bits(out[i], math.cos(angles[i])) ? 0U : 1U;
    math.exp(exponents.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) differences += same_bits(out[i], math.exp(exponents[i])) ? 0U : 1U;
    math.pow(bases.data(), powers.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) differences += same_bits(out[i], math.pow(bases[i], powers[i])) ? 0U : 1U;
    CHECK(differences == 0);
    std::vector<std::uint32_t> words;
    for (const double u : uniforms) words.push_back(static_cast<std::uint32_t>(u * 0x1.0p32));  // (w + ½)·2^-32 → w
    math.exponential(words.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) differences += same_bits(out[i], exponential(words[i], math)) ? 0U : 1U;
    CHECK(differences == 0);
    // In place, as the model calls them.
    std::vector<double> in_place = uniforms;
    math.log(in_place.data(), in_place.data(), n);
    math.log(uniforms.data(), out.data(), n);
    CHECK(in_place == out);
  }
}

TEST_CASE("deterministic scalar (and two-argument) functions give the same bits on every vector path", "[random][math]") {
  // The vector paths call SLEEF's SSE2 functions for scalars, the portable path its pure-C ones.
  const Math portable{MathBackend::deterministic, VectorPath::portable};
  const std::vector<double> unit = arguments(1e-12, 1.0, 3001);
  const std::vector<double> wide = arguments(-700.0, 700.0, 3001);
  for (const VectorPath path : supported_paths()) {
    INFO("path " << vector_path_name(path));
    const Math math{MathBackend::deterministic, path};
    std::size_t differences = 0;
    for (std::size_t i = 0; i < unit.size(); ++i) {
      const double u = unit[i];
      const double w = wide[i];
      differences += same_bits(math.log(u), portable.log(u)) ? 0U : 1U;
      differences += same_bits(math.log1p(u * 1e6), portable.log1p(u * 1e6)) ? 0U : 1U;
      differences += same_bits(math.log1p(-u), portable.log1p(-u)) ? 0U : 1U;
      differences += same_bits(math.exp(w), portable.exp(w)) ? 0U : 1U;
      differences += same_bits(math.pow(1.0 + 1e7 * u, wide[i] / 700.0), portable.pow(1.0 + 1e7 * u, wide[i] / 700.0)) ? 0U : 1U;
      differences += same_bits(math.sin(w), portable.sin(w)) ? 0U : 1U;
      differences += same_bits(math.cos(w), portable.cos(w)) ? 0U : 1U;
      const double v = wide[wide.size() - 1 - i];
      const std::array<double, 2> l = math.log1p(u * 1e6, -u);
      differences += same_bits(l[0], portable.log1p(u * 1e6)) && same_bits(l[1], portable.log1p(-u)) ? 0U : 1U;
      const std::array<double, 2> e = math.exp(w, v);
      differences += same_bits(e[0], portable.exp(w)) && same_bits(e[1], portable.exp(v)) ? 0U : 1U;
    }
    CHECK(differences == 0);
  }
}

TEST_CASE("the scalar functions agree with libm to within SLEEF's stated 1 ulp", "[random][math]") {
  // Not a bit-for-bit claim (libm differs by CPU): a check that the functions are what they say.
  const Math sleef{MathBackend::deterministic};
  const Math libm{MathBackend::libm};
  const auto within_ulps = [](double a, double b, double ulps) {
    return std::abs(a - b) <= ulps * std::abs(std::nextafter(b, std::numeric_limits<double>::infinity()) - b);
  };
  for (const double x : arguments(1e-9, 1.0, 2000)) {
    CHECK(within_ulps(sleef.log(x), libm.log(x), 2.0));
    CHECK(within_ulps(sleef.log1p(x * 1e4), libm.log1p(x * 1e4), 2.0));
    CHECK(within_ulps(sleef.exp(-20.0 * x), libm.exp(-20.0 * x), 2.0));
    CHECK(within_ulps(sleef.pow(1.0 + 1e5 * x, 0.25), libm.pow(1.0 + 1e5 * x, 0.25), 2.0));
    CHECK(within_ulps(sleef.cos(kTwoPi * x), libm.cos(kTwoPi * x), 2.0));
    CHECK(within_ulps(sleef.sin(kTwoPi * x), libm.sin(kTwoPi * x), 2.0));
  }
  CHECK(sleef.log(1.0) == 0.0);
  CHECK(sleef.exp(0.0) == 1.0);
  CHECK(sleef.log1p(0.0) == 0.0);
  CHECK(sleef.pow(7.0, 0.0) == 1.0);
  CHECK(math_implementation().find("SLEEF 3.5") == 0);
}

TEST_CASE("philox32_batch gives the same blocks on every vector path, for every batch length", "[random][math]") {
  for (const std::size_t n : {0UL, 1UL, 7UL, 8UL, 9UL, 15UL, 16UL, 17UL, 100UL}) {
    std::vector<std::uint32_t> in(6 * n);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<std::uint32_t>(0x9e3779b9U * (i + 1));
    std::vector<std::vector<std::uint32_t>> outputs;
    for (const VectorPath path : supported_paths()) {
      std::vector<std::uint32_t> out(4 * n + 1, 0xdeadbeefU);  // one guard word past the end
      const BlockBatch b{n,           in.data(),   in.data() + n, in.data() + 2 * n, in.data() + 3 * n,
                         in.data() + 4 * n, in.data() + 5 * n, out.data(), out.data() + n,
                         out.data() + 2 * n, out.data() + 3 * n};
      philox32_batch(b, path);
      for (std::size_t i = 0; i < n; ++i) {
        const Block expected = philox32({b.c0[i], b.c1[i], b.c2[i], b.c3[i]}, {b.k0[i], b.k1[i]});
        CHECK(Block{out[i], out[n + i], out[2 * n + i], out[3 * n + i]} == expected);
      }
      CHECK(out[4 * n] == 0xdeadbeefU);
      outputs.push_back(out);
    }
    for (const auto& o : outputs) CHECK(o == outputs.front());
  }
}

TEST_CASE("coin_threshold decides exactly as uniform(w) < p", "[random][math]") {
  std::vector<double> probabilities{0.0, 1.0, 0x1.0p-34, 0x1.0p-33, 0x1.0p-32, 0.1, 0.25, 0.5, 0.7, 0.9,
                                    1.0 - 0x1.0p-33, 1.0 - 0x1.0p-53, std::numeric_limits<double>::denorm_min()};
  // p exactly on a uniform value and one ulp either side: where an off-by-one would show.
  for (std::uint32_t w : {0U, 1U, 12345U, 0x80000000U, 0xfffffffeU, 0xffffffffU}) {
    const double u = uniform(w);
    probabilities.insert(probabilities.end(), {u, std::nextafter(u, 0.0), std::nextafter(u, 2.0)});
  }
  const Stream s{7};
  for (std::size_t i = 0; i < 50; ++i) probabilities.push_back(uniform53(s.block(Purpose::talent, 0, i)[0], 1));
  for (const double p : probabilities) {
    const std::uint64_t t = coin_threshold(p);
    INFO("p = " << p << ", threshold " << t);
    CHECK(t <= (std::uint64_t{1} << 32));
    // The words around the threshold, the extremes, and a spread of others.
    std::vector<std::uint64_t> words{0, 1, 0xfffffffeULL, 0xffffffffULL};
    for (std::int64_t d = -2; d <= 2; ++d) {
      const std::int64_t w = static_cast<std::int64_t>(t) + d;
      if (w >= 0 && w <= 0xffffffffLL) words.push_back(static_cast<std::uint64_t>(w));
    }
    for (std::uint64_t w = 0x01234567; w <= 0xffffffffULL; w += 0x0fedcba9) words.push_back(w);
    for (const std::uint64_t w : words) {
      const auto word = static_cast<std::uint32_t>(w);
      CHECK((word < t) == (uniform(word) < p));
    }
  }
}

TEST_CASE("vector path names and the process's path", "[random][math]") {
  CHECK(vector_path_name(VectorPath::portable) == "portable");
  CHECK(vector_path_name(VectorPath::avx2) == "avx2");
  CHECK(vector_path_name(VectorPath::avx512) == "avx512");
  // The process path never exceeds what the CPU supports (NORMSIM_SIMD may lower it).
  CHECK(static_cast<int>(process_vector_path()) <= static_cast<int>(best_vector_path()));
}
