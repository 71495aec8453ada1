#include "random/math.hpp"

#include <sleef.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

// sleef.h declares the AVX and AVX-512F functions only in translation units compiled for those
// instruction sets. This one is compiled for the x86-64 baseline (so that nothing outside the
// functions below can use newer instructions), hence the declarations here, each with the target
// of its instruction set so that the vectors are passed in their registers.
extern "C" {
__attribute__((target("avx"))) __m256d Sleef_cinz_logd4_u10avx(__m256d);
__attribute__((target("avx"))) __m256d Sleef_cinz_expd4_u10avx(__m256d);
__attribute__((target("avx"))) __m256d Sleef_cinz_cosd4_u10avx(__m256d);
__attribute__((target("avx"))) __m256d Sleef_cinz_powd4_u10avx(__m256d, __m256d);
__attribute__((target("avx512f"))) __m512d Sleef_cinz_logd8_u10avx512fnofma(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_cinz_expd8_u10avx512fnofma(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_cinz_cosd8_u10avx512fnofma(__m512d);
__attribute__((target("avx512f"))) __m512d Sleef_cinz_powd8_u10avx512fnofma(__m512d, __m512d);
}

namespace normsim::random {

namespace {

// Lanes past the end of a batch are filled with 1, inside the domain of every function here.
constexpr double kPad = 1.0;

using Unary4 = __m256d (*)(__m256d);
using Unary8 = __m512d (*)(__m512d);
using Binary4 = __m256d (*)(__m256d, __m256d);
using Binary8 = __m512d (*)(__m512d, __m512d);

// The last partial vector goes through the same vector function, from a padded copy: every element
// takes the same code whatever its position (not needed for equal bits, which the cinz functions
// give anyway, but it keeps one path per batch).
template <Unary4 F>
__attribute__((target("avx"))) void map4(const double* in, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F(_mm256_loadu_pd(in + i)));
  if (i < n) {
    alignas(32) double a[4] = {kPad, kPad, kPad, kPad};
    std::copy(in + i, in + n, a);
    _mm256_store_pd(a, F(_mm256_load_pd(a)));
    std::copy(a, a + (n - i), out + i);
  }
}

template <Unary8 F>
__attribute__((target("avx512f"))) void map8(const double* in, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, F(_mm512_loadu_pd(in + i)));
  if (i < n) {
    const auto live = static_cast<__mmask8>((1U << (n - i)) - 1);
    _mm512_mask_storeu_pd(out + i, live, F(_mm512_mask_loadu_pd(_mm512_set1_pd(kPad), live, in + i)));
  }
}

template <Binary4 F>
__attribute__((target("avx"))) void map4(const double* x, const double* y, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, F(_mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i)));
  if (i < n) {
    alignas(32) double a[4] = {kPad, kPad, kPad, kPad};
    alignas(32) double b[4] = {kPad, kPad, kPad, kPad};
    std::copy(x + i, x + n, a);
    std::copy(y + i, y + n, b);
    _mm256_store_pd(a, F(_mm256_load_pd(a), _mm256_load_pd(b)));
    std::copy(a, a + (n - i), out + i);
  }
}

template <Binary8 F>
__attribute__((target("avx512f"))) void map8(const double* x, const double* y, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, F(_mm512_loadu_pd(x + i), _mm512_loadu_pd(y + i)));
  if (i < n) {
    const auto live = static_cast<__mmask8>((1U << (n - i)) - 1);
    const __m512d pad = _mm512_set1_pd(kPad);
    _mm512_mask_storeu_pd(out + i, live, F(_mm512_mask_loadu_pd(pad, live, x + i), _mm512_mask_loadu_pd(pad, live, y + i)));
  }
}

// Exp(1) from words: u = (w + ½)·2^-32 exactly (w converted exactly, then an exact addition and an
// exact scaling), then −log u (the sign bit flipped, as the scalar −x does).
__attribute__((target("avx512f"))) inline __m512d exponential8_at(__m256i words) noexcept {
  const __m512d u = _mm512_mul_pd(_mm512_add_pd(_mm512_maskz_cvtepu32_pd(0xFF, words), _mm512_set1_pd(0.5)), _mm512_set1_pd(0x1.0p-32));
  const __m512i log_u = _mm512_castpd_si512(Sleef_cinz_logd8_u10avx512fnofma(u));
  return _mm512_castsi512_pd(_mm512_xor_si512(log_u, _mm512_set1_epi64(std::numeric_limits<std::int64_t>::min())));
}

__attribute__((target("avx512f"))) void exponential8(const std::uint32_t* words, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(out + i, exponential8_at(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(words + i))));
  if (i < n) {
    const auto live = static_cast<__mmask8>((1U << (n - i)) - 1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i live_words = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n - i)), lanes);
    const __m256i w = _mm256_maskload_epi32(reinterpret_cast<const int*>(words + i), live_words);  // 0 past the end
    _mm512_mask_storeu_pd(out + i, live, exponential8_at(w));
  }
}

__attribute__((target("avx"))) inline __m256d exponential4_at(const std::uint32_t* w) noexcept {
  // Unsigned to double without AVX-512: w − 2^31 as a signed integer, converted, plus 2^31 (exact).
  const __m128i flip = _mm_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m128i shifted = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w)), flip);
  const __m256d x = _mm256_add_pd(_mm256_cvtepi32_pd(shifted), _mm256_set1_pd(0x1.0p31));
  const __m256d u = _mm256_mul_pd(_mm256_add_pd(x, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1.0p-32));
  return _mm256_xor_pd(Sleef_cinz_logd4_u10avx(u), _mm256_set1_pd(-0.0));
}

__attribute__((target("avx"))) void exponential4(const std::uint32_t* words, double* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(out + i, exponential4_at(words + i));
  if (i < n) {
    alignas(16) std::uint32_t w[4] = {};
    alignas(32) double a[4];
    std::copy(words + i, words + n, w);
    _mm256_store_pd(a, exponential4_at(w));
    std::copy(a, a + (n - i), out + i);
  }
}

template <typename F>
void map1(F f, const double* in, double* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

VectorPath read_vector_path() {
  const char* value = std::getenv("NORMSIM_SIMD");
  const std::string v = value != nullptr ? value : "";
  const VectorPath best = best_vector_path();
  if (v.empty() || v == "auto" || v == "on") return best;
  if (v == "off" || v == "portable") return VectorPath::portable;
  if (v == "avx2") return best == VectorPath::portable ? VectorPath::portable : VectorPath::avx2;
  if (v == "avx512") return best;
  throw std::invalid_argument("NORMSIM_SIMD=" + v + ": expected off, portable, avx2, avx512, on or auto");
}

}  // namespace

VectorPath best_vector_path() noexcept {
  __builtin_cpu_init();
  // libgcc's feature bits include the operating system's support for the vector registers (XCR0).
  if (__builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx2") != 0) return VectorPath::avx512;
  if (__builtin_cpu_supports("avx2") != 0) return VectorPath::avx2;
  return VectorPath::portable;
}

VectorPath process_vector_path() {
  // Read once: a process never changes path halfway (not that the bits would differ).
  static const VectorPath path = read_vector_path();
  return path;
}

std::string_view vector_path_name(VectorPath path) noexcept {
  switch (path) {
    case VectorPath::portable:
      return "portable";
    case VectorPath::avx2:
      return "avx2";
    case VectorPath::avx512:
      return "avx512";
  }
  return "unknown";
}

std::string math_implementation(MathBackend backend) {
  if (backend == MathBackend::libm) return "C library libm (std::log, std::exp, ...): bits may depend on the CPU";
  return "SLEEF " + std::to_string(SLEEF_VERSION_MAJOR) + "." + std::to_string(SLEEF_VERSION_MINOR) + "." +
         std::to_string(SLEEF_VERSION_PATCHLEVEL) +
         " deterministic no-FMA functions (Sleef_cinz_*_u10, max error 1.0 ulp): the same bits on every "
         "CPU and vector path";
}

// Scalar calls on the vector paths take SLEEF's two-lane SSE2 function (SSE2 is part of x86-64)
// with the argument in both lanes: the same bits as the pure-C function (both are `cinz`), a third
// faster for exp; the portable path keeps the pure-C one.
namespace {
template <auto F>
double lane0(double x) noexcept {
  return _mm_cvtsd_f64(F(_mm_set1_pd(x)));
}
template <auto F>
double lane0(double x, double y) noexcept {
  return _mm_cvtsd_f64(F(_mm_set1_pd(x), _mm_set1_pd(y)));
}
// Two arguments in the two lanes, for the two-argument calls of the hazard.
template <auto F>
std::array<double, 2> lanes01(double x0, double x1) noexcept {
  std::array<double, 2> out{};
  _mm_storeu_pd(out.data(), F(_mm_set_pd(x1, x0)));
  return out;
}
}  // namespace

double Math::log(double x) const noexcept {
  if (backend_ == MathBackend::libm) return std::log(x);
  return path_ == VectorPath::portable ? Sleef_cinz_logd1_u10purec(x) : lane0<Sleef_cinz_logd2_u10sse2>(x);
}
double Math::exp(double x) const noexcept {
  if (backend_ == MathBackend::libm) return std::exp(x);
  return path_ == VectorPath::portable ? Sleef_cinz_expd1_u10purec(x) : lane0<Sleef_cinz_expd2_u10sse2>(x);
}
double Math::pow(double x, double y) const noexcept {
  if (backend_ == MathBackend::libm) return std::pow(x, y);
  return path_ == VectorPath::portable ? Sleef_cinz_powd1_u10purec(x, y) : lane0<Sleef_cinz_powd2_u10sse2>(x, y);
}
double Math::log1p(double x) const noexcept {
  if (backend_ == MathBackend::libm) return std::log1p(x);
  return path_ == VectorPath::portable ? Sleef_cinz_log1pd1_u10purec(x) : lane0<Sleef_cinz_log1pd2_u10sse2>(x);
}
std::array<double, 2> Math::log1p(double x0, double x1) const noexcept {
  if (backend_ == MathBackend::deterministic && path_ != VectorPath::portable) {
    return lanes01<Sleef_cinz_log1pd2_u10sse2>(x0, x1);
  }
  return {log1p(x0), log1p(x1)};
}
std::array<double, 2> Math::exp(double x0, double x1) const noexcept {
  if (backend_ == MathBackend::deterministic && path_ != VectorPath::portable) {
    return lanes01<Sleef_cinz_expd2_u10sse2>(x0, x1);
  }
  return {exp(x0), exp(x1)};
}

double Math::sin(double x) const noexcept {
  if (backend_ == MathBackend::libm) return std::sin(x);
  return path_ == VectorPath::portable ? Sleef_cinz_sind1_u10purec(x) : lane0<Sleef_cinz_sind2_u10sse2>(x);
}
double Math::cos(double x) const noexcept {
  if (backend_ == MathBackend::libm) return std::cos(x);
  return path_ == VectorPath::portable ? Sleef_cinz_cosd1_u10purec(x) : lane0<Sleef_cinz_cosd2_u10sse2>(x);
}

void Math::log(const double* in, double* out, std::size_t n) const noexcept {
  if (backend_ == MathBackend::libm) return map1([](double x) { return std::log(x); }, in, out, n);
  switch (path_) {
    case VectorPath::avx512:
      return map8<Sleef_cinz_logd8_u10avx512fnofma>(in, out, n);
    case VectorPath::avx2:
      return map4<Sleef_cinz_logd4_u10avx>(in, out, n);
    case VectorPath::portable:
      break;
  }
  map1(Sleef_cinz_logd1_u10purec, in, out, n);
}

void Math::exp(const double* in, double* out, std::size_t n) const noexcept {
  if (backend_ == MathBackend::libm) return map1([](double x) { return std::exp(x); }, in, out, n);
  switch (path_) {
    case VectorPath::avx512:
      return map8<Sleef_cinz_expd8_u10avx512fnofma>(in, out, n);
    case VectorPath::avx2:
      return map4<Sleef_cinz_expd4_u10avx>(in, out, n);
    case VectorPath::portable:
      break;
  }
  map1(Sleef_cinz_expd1_u10purec, in, out, n);
}

void Math::cos(const double* in, double* out, std::size_t n) const noexcept {
  if (backend_ == MathBackend::libm) return map1([](double x) { return std::cos(x); }, in, out, n);
  switch (path_) {
    case VectorPath::avx512:
      return map8<Sleef_cinz_cosd8_u10avx512fnofma>(in, out, n);
    case VectorPath::avx2:
      return map4<Sleef_cinz_cosd4_u10avx>(in, out, n);
    case VectorPath::portable:
      break;
  }
  map1(Sleef_cinz_cosd1_u10purec, in, out, n);
}

void Math::exponential(const std::uint32_t* words, double* out, std::size_t n) const noexcept {
  if (backend_ == MathBackend::deterministic && path_ == VectorPath::avx512) return exponential8(words, out, n);
  if (backend_ == MathBackend::deterministic && path_ == VectorPath::avx2) return exponential4(words, out, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = -log((static_cast<double>(words[i]) + 0.5) * 0x1.0p-32);
}

void Math::pow(const double* x, const double* y, double* out, std::size_t n) const noexcept {
  if (backend_ == MathBackend::deterministic && path_ == VectorPath::avx512) {
    return map8<Sleef_cinz_powd8_u10avx512fnofma>(x, y, out, n);
  }
  if (backend_ == MathBackend::deterministic && path_ == VectorPath::avx2) {
    return map4<Sleef_cinz_powd4_u10avx>(x, y, out, n);
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = pow(x[i], y[i]);
}

}  // namespace normsim::random
