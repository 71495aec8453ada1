#pragma once
// Many Philox4x32-10 blocks at once. The model needs a block per result from the lab's stream
// (publication coins) and one from the researcher's stream (the next result); computing them in
// batches lets the CPU's vector units run eight (AVX2) or sixteen (AVX-512) ciphers side by side,
// which is where most of a run's time goes. Integer arithmetic only: every path gives exactly the
// blocks of philox32(), so results never depend on which path the CPU takes.
#include "random/math.hpp"
#include "random/streams.hpp"

#include <cstddef>
#include <cstdint>

namespace normsim::random {

/// Structure-of-arrays input and output of a batch of n blocks: block i has counter
/// {c0[i], c1[i], c2[i], c3[i]} and key {k0[i], k1[i]}, and its output goes to out0[i] … out3[i].
struct BlockBatch {
  std::size_t n = 0;
  const std::uint32_t* c0 = nullptr;
  const std::uint32_t* c1 = nullptr;
  const std::uint32_t* c2 = nullptr;
  const std::uint32_t* c3 = nullptr;
  const std::uint32_t* k0 = nullptr;
  const std::uint32_t* k1 = nullptr;
  std::uint32_t* out0 = nullptr;
  std::uint32_t* out1 = nullptr;
  std::uint32_t* out2 = nullptr;
  std::uint32_t* out3 = nullptr;
};

/// Computes every block of the batch: out[i] = philox32({c0[i], …, c3[i]}, {k0[i], k1[i]}).
/// Uses 8 lanes of AVX2 on the avx2 path, 16 lanes of AVX-512F on the avx512 path, scalar code on
/// the portable path; the output is the same bits on every path. Precondition: the CPU supports `path` (best_vector_path() does).
void philox32_batch(const BlockBatch& batch, VectorPath path) noexcept;

/// The same on process_vector_path() (NORMSIM_SIMD, random/math.hpp). Throws as that function.
void philox32_batch(const BlockBatch& batch);

/// The scalar path alone (for tests that compare the paths).
void philox32_batch_scalar(const BlockBatch& batch) noexcept;

}  // namespace normsim::random
