#pragma once
// The elementary functions behind the model and its draws (log, exp, pow, log1p, sin, cos), from
// one implementation that gives the same bits on every machine and every code path:
//
// - Backend `deterministic` (what every run uses): SLEEF 3.5's deterministic no-FMA functions,
//   `Sleef_cinz_*_u10` (Debian's libsleef). SLEEF builds each of them from one source for every
//   instruction set with the same sequence of IEEE-754 operations and no fused multiply-add, so
//   the scalar function (`…d1_u10purec`), the 2-lane SSE2 (`…d2_u10sse2`, which the vector paths
//   use for scalar calls), the 4-lane AVX (`…d4_u10avx`) and 8-lane AVX-512F
//   (`…d8_u10avx512fnofma`) functions return identical bits for every input: that is what the
//   `cinz` ("consistent, no FMA") variants are for. Maximum error 1.0 ulp.
// - Backend `libm`: the C library's functions (glibc picks FMA or non-FMA code by CPU at run
//   time). Kept only so that tests can compare the model's distributions with the implementation
//   that older versions used; no output file is ever made with it.
//
// Which vector path the batch functions (and the Philox batch, random/batch.hpp) take is a
// `VectorPath`: for a process, the best the CPU offers unless the environment variable
// NORMSIM_SIMD says otherwise (off = portable scalar code everywhere). The path changes speed only,
// never a bit of output.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace normsim::random {

/// Instruction sets used by the batch code. `portable`: scalar code only (any x86-64 or other CPU);
/// `avx2`: Philox on AVX2, math on 4-lane AVX; `avx512`: Philox and math on AVX-512F (16 and 8 lanes).
enum class VectorPath : std::uint8_t { portable, avx2, avx512 };

/// The best path this CPU (and its operating system) supports. Never throws.
[[nodiscard]] VectorPath best_vector_path() noexcept;

/// The path of this process: NORMSIM_SIMD = off | portable → portable; avx2 or avx512 → that path,
/// or the best supported one when the CPU lacks it; unset, empty or auto → best_vector_path().
/// Read once per process. Throws std::invalid_argument for any other value.
[[nodiscard]] VectorPath process_vector_path();

/// "portable", "avx2" or "avx512" (the provenance attribute `vector_path`).
[[nodiscard]] std::string_view vector_path_name(VectorPath path) noexcept;

/// Which implementation computes the elementary functions (see the file comment).
enum class MathBackend : std::uint8_t { deterministic, libm };

/// One line naming the implementation, its version and accuracy (the provenance attribute
/// `math_implementation` for the deterministic backend).
[[nodiscard]] std::string math_implementation(MathBackend backend = MathBackend::deterministic);

/// The elementary functions of one backend, with the batch functions on one vector path. A small
/// value (two enums): copy freely. For the deterministic backend every function returns the same
/// bits whatever the path; batch and scalar calls agree bit for bit.
class Math {
 public:
  explicit constexpr Math(MathBackend backend = MathBackend::deterministic,
                          VectorPath path = VectorPath::portable) noexcept
      : backend_{backend}, path_{path} {}

  /// The deterministic backend on process_vector_path(). Throws as process_vector_path().
  [[nodiscard]] static Math for_this_process() { return Math{MathBackend::deterministic, process_vector_path()}; }

  [[nodiscard]] MathBackend backend() const noexcept { return backend_; }
  [[nodiscard]] VectorPath path() const noexcept { return path_; }

  // Scalar functions, with the domains and special values of their C counterparts.
  [[nodiscard]] double log(double x) const noexcept;
  [[nodiscard]] double exp(double x) const noexcept;
  [[nodiscard]] double pow(double x, double y) const noexcept;
  [[nodiscard]] double log1p(double x) const noexcept;
  [[nodiscard]] double sin(double x) const noexcept;
  [[nodiscard]] double cos(double x) const noexcept;

  // Two arguments at once: one two-lane call on the vector paths, two scalar calls on the
  // portable one; the same bits as the scalar function at each.
  [[nodiscard]] std::array<double, 2> log1p(double x0, double x1) const noexcept;
  [[nodiscard]] std::array<double, 2> exp(double x0, double x1) const noexcept;

  // Batch functions: out[i] = f(in[i]) for i < n (out may equal in; no other overlap). Same bits
  // as the scalar function for every element.
  void log(const double* in, double* out, std::size_t n) const noexcept;
  void exp(const double* in, double* out, std::size_t n) const noexcept;
  void cos(const double* in, double* out, std::size_t n) const noexcept;
  /// out[i] = pow(x[i], y[i]).
  void pow(const double* x, const double* y, double* out, std::size_t n) const noexcept;
  /// Exp(1) draws by inversion: out[i] = −log(uniform(words[i])) (random/streams.hpp), the same bits
  /// as `exponential(words[i], *this)`; the conversion to a uniform is done in the vector registers.
  void exponential(const std::uint32_t* words, double* out, std::size_t n) const noexcept;

 private:
  MathBackend backend_;
  VectorPath path_;
};

}  // namespace normsim::random
