// Known-answer and distribution tests of the counter-based streams.
#include "random/batch.hpp"
#include "random/streams.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

using namespace normsim::random;

TEST_CASE("Philox4x32-10 and Philox4x64-10 match Random123's known-answer vectors", "[random]") {
  // kat_vectors from the Random123 distribution: counter, key -> output.
  CHECK(philox32({0, 0, 0, 0}, {0, 0}) == Block{0x6627e8d5U, 0xe169c58dU, 0xbc57ac4cU, 0x9b00dbd8U});
  const std::uint32_t ones32 = ~0U;
  CHECK(philox32({ones32, ones32, ones32, ones32}, {ones32, ones32}) ==
        Block{0x408f276dU, 0x41c83b0eU, 0xa20bc7c6U, 0x6d5451fdU});
  CHECK(philox32({0x243f6a88U, 0x85a308d3U, 0x13198a2eU, 0x03707344U}, {0xa4093822U, 0x299f31d0U}) ==
        Block{0xd16cfe09U, 0x94fdccebU, 0x5001e420U, 0x24126ea1U});
  using Wide = std::array<std::uint64_t, 4>;
  CHECK(philox64({0, 0, 0, 0}, {0, 0}) ==
        Wide{0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL, 0x7e68b68aec7ba23bULL});
  const std::uint64_t ones = ~0ULL;
  CHECK(philox64({ones, ones, ones, ones}, {ones, ones}) ==
        Wide{0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL, 0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL});
  CHECK(philox64({0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL},
                   {0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}) ==
        Wide{0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL, 0x57bd43b5e52b7fe6ULL});
}

TEST_CASE("a stream's block is Philox4x32 at the documented address", "[random]") {
  const Stream s{0x0000beef1234abcdULL};
  const Block b = s.block(Purpose::publication, 17, (std::uint64_t{5} << 40) | 99);
  CHECK(b == philox32({210, 17, 99, 5U << 8}, {0x1234abcdU, 0x0000beefU}));
  CHECK(s.key() == 0x0000beef1234abcdULL);
  // Every address field matters, including both halves of the index and of the key.
  CHECK(s.block(Purpose::publication, 17, (std::uint64_t{5} << 40) | 98) != b);
  CHECK(s.block(Purpose::publication, 17, (std::uint64_t{6} << 40) | 99) != b);
  CHECK(s.block(Purpose::publication, 16, (std::uint64_t{5} << 40) | 99) != b);
  CHECK(s.block(Purpose::imitation, 17, (std::uint64_t{5} << 40) | 99) != b);
  CHECK(Stream{0x0000beef1234abceULL}.block(Purpose::publication, 17, (std::uint64_t{5} << 40) | 99) != b);
  CHECK(Stream{0x0001beef1234abcdULL}.block(Purpose::publication, 17, (std::uint64_t{5} << 40) | 99) != b);
}

TEST_CASE("purposes keep their fixed, spaced values", "[random]") {
  // Renumbering a purpose would silently change every result ever produced.
  CHECK(static_cast<std::uint32_t>(Purpose::talent) == 100);
  CHECK(static_cast<std::uint32_t>(Purpose::result) == 110);
  CHECK(static_cast<std::uint32_t>(Purpose::compute) == 200);
  CHECK(static_cast<std::uint32_t>(Purpose::publication) == 210);
  CHECK(static_cast<std::uint32_t>(Purpose::imitation) == 220);
  CHECK(static_cast<std::uint32_t>(Purpose::mutation) == 230);
}

TEST_CASE("uniform conversions stay strictly inside (0, 1)", "[random]") {
  const std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
  CHECK(uniform(0) == 0x1.0p-33);
  CHECK(uniform(max) == 1.0 - 0x1.0p-33);
  CHECK(uniform53(0, 0) == 0x1.0p-54);
  CHECK(uniform53(max, max) == 1.0 - 0x1.0p-54);
  CHECK(std::isfinite(exponential(0)));
  CHECK(exponential(0) < 23.0);
  CHECK(exponential(max) > 0.0);
  // A coin with probability 0 never lands, with probability 1 always does.
  CHECK_FALSE(uniform(0) < 0.0);
  CHECK(uniform(max) < 1.0);
  const auto z = normal_pair(Block{0, 0, 0, 0});
  CHECK(std::isfinite(z[0]));
  CHECK(std::isfinite(z[1]));
}

TEST_CASE("uniform_index stays in range", "[random]") {
  const std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
  CHECK(uniform_index(0, 7) == 0);
  CHECK(uniform_index(max, 7) == 6);
  CHECK(uniform_index(max, 1) == 0);
}

namespace {

struct Moments {
  double mean = 0;
  double variance = 0;
};

Moments moments(const std::vector<double>& x) {
  double sum = 0;
  for (const double v : x) sum += v;
  const double mean = sum / static_cast<double>(x.size());
  double ss = 0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return {mean, ss / static_cast<double>(x.size() - 1)};
}

}  // namespace

TEST_CASE("exponential, normal and uniform draws have their moments within 4 SE", "[random][statistical]") {
  constexpr std::size_t n = 400000;
  const Stream s{42};
  std::vector<double> expo;
  std::vector<double> normal;
  std::vector<double> uniforms;
  std::vector<double> index;
  for (std::size_t i = 0; i < n / 2; ++i) {
    const Block b = s.block(Purpose::result, 0, i);
    expo.push_back(exponential(b[0]));
    const auto z = normal_pair(s.block(Purpose::talent, 0, i));
    normal.push_back(z[0]);
    normal.push_back(z[1]);
    uniforms.push_back(uniform(b[3]));
    index.push_back(static_cast<double>(uniform_index(b[0] ^ b[3], 10)));
  }
  const auto se = [](double variance, std::size_t count) { return std::sqrt(variance / static_cast<double>(count)); };
  const Moments e = moments(expo);
  CHECK(std::abs(e.mean - 1.0) < 4 * se(1.0, expo.size()));
  // Var of the sample variance of Exp(1): (μ4 − σ⁴)/n = (9 − 1)/n.
  CHECK(std::abs(e.variance - 1.0) < 4 * se(8.0, expo.size()));
  const Moments z = moments(normal);
  CHECK(std::abs(z.mean) < 4 * se(1.0, normal.size()));
  CHECK(std::abs(z.variance - 1.0) < 4 * se(2.0, normal.size()));
  const Moments u = moments(uniforms);
  CHECK(std::abs(u.mean - 0.5) < 4 * se(1.0 / 12.0, uniforms.size()));
  const Moments k = moments(index);
  CHECK(std::abs(k.mean - 4.5) < 4 * se(99.0 / 12.0, index.size()));
}

TEST_CASE("batched Philox gives exactly the blocks of philox32 on every path", "[random]") {
  // Every path this CPU supports (portable, then AVX2 with 8 lanes, then AVX-512 with 16), at sizes
  // around both vector widths, with every counter and key word varying.
  std::vector<VectorPath> paths{VectorPath::portable};
  if (best_vector_path() != VectorPath::portable) paths.push_back(VectorPath::avx2);
  if (best_vector_path() == VectorPath::avx512) paths.push_back(VectorPath::avx512);
  for (const VectorPath path : paths) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{9},
                          std::size_t{15}, std::size_t{16}, std::size_t{17}, std::size_t{31}, std::size_t{64},
                          std::size_t{77}}) {
      INFO("path " << vector_path_name(path) << ", " << n << " blocks");
      std::vector<std::uint32_t> in(6 * n);
      for (std::size_t i = 0; i < in.size(); ++i) in[i] = philox32({static_cast<std::uint32_t>(i), 1, 2, 3}, {4, 5})[0];
      // One guard word past each output array: a masked tail must not write beyond the batch.
      constexpr std::uint32_t kGuard = 0xDEADBEEFU;
      std::vector<std::uint32_t> out(4 * (n + 1), kGuard);
      BlockBatch b;
      b.n = n;
      b.c0 = in.data();
      b.c1 = in.data() + n;
      b.c2 = in.data() + 2 * n;
      b.c3 = in.data() + 3 * n;
      b.k0 = in.data() + 4 * n;
      b.k1 = in.data() + 5 * n;
      b.out0 = out.data();
      b.out1 = out.data() + (n + 1);
      b.out2 = out.data() + 2 * (n + 1);
      b.out3 = out.data() + 3 * (n + 1);
      philox32_batch(b, path);
      for (std::size_t i = 0; i < n; ++i) {
        const Block expected = philox32({b.c0[i], b.c1[i], b.c2[i], b.c3[i]}, {b.k0[i], b.k1[i]});
        CHECK(Block{b.out0[i], b.out1[i], b.out2[i], b.out3[i]} == expected);
      }
      CHECK(b.out0[n] == kGuard);
      CHECK(b.out1[n] == kGuard);
      CHECK(b.out2[n] == kGuard);
      CHECK(b.out3[n] == kGuard);
    }
  }
}
