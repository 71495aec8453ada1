#include "random/batch.hpp"

#include <immintrin.h>

namespace normsim::random {

namespace {

// Philox4x32 constants (Salmon et al. 2011; Random123's philox.h).
constexpr std::uint32_t kMultiplier0 = 0xD2511F53U;
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57U;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9U;
constexpr std::uint32_t kWeyl1 = 0xBB67AE85U;

// The AVX2 functions carry target("avx2") each (GCC and clang both honour the attribute; clang
// ignores `#pragma GCC target`), and are only ever called when the CPU has AVX2.
#define NORMSIM_AVX2 __attribute__((target("avx2")))

// The eight 32-bit lanes of a·m: low and high halves of each 64-bit product. _mm256_mul_epu32
// multiplies the even lanes only, so the odd lanes are shifted down, multiplied, and blended back.
// The casts are inside the intrinsics' own macros and types; -Wold-style-cast does not apply here.
NORMSIM_AVX2 inline void mulhilo8(__m256i a, __m256i m, __m256i& lo, __m256i& hi) noexcept {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

NORMSIM_AVX2 inline __m256i load8(const std::uint32_t* p) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

NORMSIM_AVX2 inline __m256i load8_masked(const std::uint32_t* p, __m256i live) noexcept {
  return _mm256_maskload_epi32(reinterpret_cast<const int*>(p), live);
}

NORMSIM_AVX2 inline void store8(std::uint32_t* p, __m256i v) noexcept {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}

// Blocks [from, n) of a batch, as a batch.
inline BlockBatch tail(const BlockBatch& b, std::size_t from) noexcept {
  return {b.n - from, b.c0 + from, b.c1 + from, b.c2 + from, b.c3 + from, b.k0 + from,
          b.k1 + from, b.out0 + from, b.out1 + from, b.out2 + from, b.out3 + from};
}

// Ten Philox rounds on eight blocks, in place: x0 … x3 counter words in, output words out.
NORMSIM_AVX2 inline void philox8(__m256i& x0, __m256i& x1, __m256i& x2, __m256i& x3, __m256i k0, __m256i k1) noexcept {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  const __m256i w0 = _mm256_set1_epi32(static_cast<int>(kWeyl0));
  const __m256i w1 = _mm256_set1_epi32(static_cast<int>(kWeyl1));
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = _mm256_add_epi32(k0, w0);
      k1 = _mm256_add_epi32(k1, w1);
    }
    __m256i lo0;
    __m256i hi0;
    __m256i lo1;
    __m256i hi1;
    mulhilo8(x0, m0, lo0, hi0);
    mulhilo8(x2, m1, lo1, hi1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), k0);
    x1 = lo1;
    x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), k1);
    x3 = lo0;
  }
}

NORMSIM_AVX2 void philox32_batch_avx2(const BlockBatch& b) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= b.n; i += 8) {
    __m256i x0 = load8(b.c0 + i);
    __m256i x1 = load8(b.c1 + i);
    __m256i x2 = load8(b.c2 + i);
    __m256i x3 = load8(b.c3 + i);
    philox8(x0, x1, x2, x3, load8(b.k0 + i), load8(b.k1 + i));
    store8(b.out0 + i, x0);
    store8(b.out1 + i, x1);
    store8(b.out2 + i, x2);
    store8(b.out3 + i, x3);
  }
  if (i == b.n) return;
  // The remainder (fewer than eight blocks) as one more vector, lanes past the end masked off on
  // load (zero) and store: cheaper than up to seven scalar blocks, and the same bits (lanes are
  // independent).
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i live = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(b.n - i)), lane);
  __m256i x0 = load8_masked(b.c0 + i, live);
  __m256i x1 = load8_masked(b.c1 + i, live);
  __m256i x2 = load8_masked(b.c2 + i, live);
  __m256i x3 = load8_masked(b.c3 + i, live);
  philox8(x0, x1, x2, x3, load8_masked(b.k0 + i, live), load8_masked(b.k1 + i, live));
  _mm256_maskstore_epi32(reinterpret_cast<int*>(b.out0 + i), live, x0);
  _mm256_maskstore_epi32(reinterpret_cast<int*>(b.out1 + i), live, x1);
  _mm256_maskstore_epi32(reinterpret_cast<int*>(b.out2 + i), live, x2);
  _mm256_maskstore_epi32(reinterpret_cast<int*>(b.out3 + i), live, x3);
}

#undef NORMSIM_AVX2

// The same on sixteen blocks with AVX-512F, where three things take fewer instructions: the low
// halves of the products are one vpmulld; the high halves of the even lanes move into the odd
// products' free even lanes with one masked in-lane shuffle (no shift and blend); and the two XORs
// of each output word are one vpternlogd. The arithmetic is the same integer arithmetic, lane by
// lane, so the bits are those of philox32().
#define NORMSIM_AVX512 __attribute__((target("avx512f")))
// GCC 12's AVX-512 intrinsics start their results from _mm512_undefined_epi32(), which its own
// -Wmaybe-uninitialized reports (GCC bug 105593, fixed in GCC 13): nothing here reads such a value.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

NORMSIM_AVX512 inline void mulhilo16(__m512i a, __m512i m, __m512i& lo, __m512i& hi) noexcept {
  lo = _mm512_mullo_epi32(a, m);
  const __m512i even = _mm512_mul_epu32(a, m);                                  // 64-bit products of lanes 0, 2, …
  const __m512i odd = _mm512_mul_epu32(_mm512_shuffle_epi32(a, _MM_PERM_CDAB), m);  // of lanes 1, 3, …
  // odd already holds the high halves of the odd lanes' products in the odd lanes; the even lanes
  // take the high halves of `even` (its odd 32-bit lanes, swapped down).
  hi = _mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_CDAB);
}

NORMSIM_AVX512 inline void philox16(__m512i& x0, __m512i& x1, __m512i& x2, __m512i& x3, __m512i k0, __m512i k1) noexcept {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kMultiplier0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kMultiplier1));
  const __m512i w0 = _mm512_set1_epi32(static_cast<int>(kWeyl0));
  const __m512i w1 = _mm512_set1_epi32(static_cast<int>(kWeyl1));
  constexpr int kXor3 = 0x96;  // vpternlogd's truth table of a ^ b ^ c
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = _mm512_add_epi32(k0, w0);
      k1 = _mm512_add_epi32(k1, w1);
    }
    __m512i lo0;
    __m512i hi0;
    __m512i lo1;
    __m512i hi1;
    mulhilo16(x0, m0, lo0, hi0);
    mulhilo16(x2, m1, lo1, hi1);
    x0 = _mm512_ternarylogic_epi32(hi1, x1, k0, kXor3);
    x1 = lo1;
    x2 = _mm512_ternarylogic_epi32(hi0, x3, k1, kXor3);
    x3 = lo0;
  }
}

NORMSIM_AVX512 void philox32_batch_avx512(const BlockBatch& b) noexcept {
  std::size_t i = 0;
  for (; i + 16 <= b.n; i += 16) {
    __m512i x0 = _mm512_loadu_si512(b.c0 + i);
    __m512i x1 = _mm512_loadu_si512(b.c1 + i);
    __m512i x2 = _mm512_loadu_si512(b.c2 + i);
    __m512i x3 = _mm512_loadu_si512(b.c3 + i);
    philox16(x0, x1, x2, x3, _mm512_loadu_si512(b.k0 + i), _mm512_loadu_si512(b.k1 + i));
    _mm512_storeu_si512(b.out0 + i, x0);
    _mm512_storeu_si512(b.out1 + i, x1);
    _mm512_storeu_si512(b.out2 + i, x2);
    _mm512_storeu_si512(b.out3 + i, x3);
  }
  if (i == b.n) return;
  if (b.n - i <= 8) {
    // Up to eight blocks left: one 8-lane AVX2 vector costs less than a 16-lane one.
    philox32_batch_avx2(tail(b, i));
    return;
  }
  // The remainder (nine to fifteen blocks) as one more vector, the lanes past the end masked off
  // on load (zero) and store.
  const auto live = static_cast<__mmask16>((1U << (b.n - i)) - 1U);
  __m512i x0 = _mm512_maskz_loadu_epi32(live, b.c0 + i);
  __m512i x1 = _mm512_maskz_loadu_epi32(live, b.c1 + i);
  __m512i x2 = _mm512_maskz_loadu_epi32(live, b.c2 + i);
  __m512i x3 = _mm512_maskz_loadu_epi32(live, b.c3 + i);
  philox16(x0, x1, x2, x3, _mm512_maskz_loadu_epi32(live, b.k0 + i), _mm512_maskz_loadu_epi32(live, b.k1 + i));
  _mm512_mask_storeu_epi32(b.out0 + i, live, x0);
  _mm512_mask_storeu_epi32(b.out1 + i, live, x1);
  _mm512_mask_storeu_epi32(b.out2 + i, live, x2);
  _mm512_mask_storeu_epi32(b.out3 + i, live, x3);
}

#pragma GCC diagnostic pop
#undef NORMSIM_AVX512

}  // namespace

void philox32_batch_scalar(const BlockBatch& b) noexcept {
  for (std::size_t i = 0; i < b.n; ++i) {
    const Block out = philox32({b.c0[i], b.c1[i], b.c2[i], b.c3[i]}, {b.k0[i], b.k1[i]});
    b.out0[i] = out[0];
    b.out1[i] = out[1];
    b.out2[i] = out[2];
    b.out3[i] = out[3];
  }
}

void philox32_batch(const BlockBatch& batch, VectorPath path) noexcept {
  switch (path) {
    case VectorPath::portable:
      return philox32_batch_scalar(batch);
    case VectorPath::avx2:
      return philox32_batch_avx2(batch);
    case VectorPath::avx512:
      return philox32_batch_avx512(batch);
  }
}

void philox32_batch(const BlockBatch& batch) { philox32_batch(batch, process_vector_path()); }

}  // namespace normsim::random
